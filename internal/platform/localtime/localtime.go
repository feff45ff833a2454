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
