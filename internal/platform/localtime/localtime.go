// Package localtime holds the time zone of the service, Europe/Paris, in which dates are shown
// to users and "the day" of a rule is counted (times are stored in UTC). The zone database is
// embedded, so a machine without tzdata never falls back to UTC silently.
package localtime

import (
	"time"
	_ "time/tzdata" // embedded zone database
)

// Paris is the Europe/Paris time zone.
var Paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("localtime: Europe/Paris: " + err.Error()) // cannot happen with the embedded tzdata
	}
	return loc
}()

// Date formats t as a French day: "02/03/2026".
func Date(t time.Time) string { return t.In(Paris).Format("02/01/2006") }

// DateTime formats t as a French day and time: "02/03/2026 à 14:05".
func DateTime(t time.Time) string { return t.In(Paris).Format("02/01/2006 à 15:04") }

// Day is the calendar day of t in Europe/Paris, as midnight UTC of that day (how a DATE column
// reads back): "today" in the rules of approvals.md.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddMonths moves a day by n calendar months, keeping to the last day of a shorter month
// (2024-01-31 + 1 month = 2024-02-29; Aug 31 + 6 months = Feb 28), as the original's
// relativedelta does where time.AddDate would overflow into the next month.
func AddMonths(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if last := first.AddDate(0, 1, -1).Day(); d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}
