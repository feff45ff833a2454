package jobdesc

import "time"

// Staleness of what an employer publishes (actors.md §4.3, §4.6, §19): an open fiche de poste, or
// open spontaneous applications, that the employer has not refreshed (saved, reopened or clicked
// "Actualiser") shows a reminder banner from day 60 and is closed automatically on day 90.
const (
	// ReminderAfter is the age from which the employer sees the "actualisez" banner.
	ReminderAfter = 60 * 24 * time.Hour
	// CloseAfter is the age at which the daily job closes it.
	CloseAfter = 90 * 24 * time.Hour
	// CloseBatchSize bounds one transaction of the closing job (les-emplois closes 200 at a time).
	CloseBatchSize = 200
)

// NeedsReminder reports whether something last refreshed at lastUpdate deserves the reminder banner.
func NeedsReminder(lastUpdate, now time.Time) bool { return !now.Before(lastUpdate.Add(ReminderAfter)) }

// IsStale reports whether something last refreshed at lastUpdate must be closed.
func IsStale(lastUpdate, now time.Time) bool { return !now.Before(lastUpdate.Add(CloseAfter)) }

// StaleBefore is the refresh time below which things are stale at now (the closing job's cutoff).
func StaleBefore(now time.Time) time.Time { return now.Add(-CloseAfter) }

// ClosesOn is the day the daily job will close something last refreshed at lastUpdate.
func ClosesOn(lastUpdate time.Time) time.Time { return lastUpdate.Add(CloseAfter) }

// FicheNeedsReminder: an open fiche de poste not refreshed for 60 days.
func FicheNeedsReminder(f *JobDescription, now time.Time) bool {
	return f.IsActive && NeedsReminder(f.LastEmployerUpdateAt, now)
}

// SpontaneousNeedsReminder: spontaneous applications opened (or refreshed) 60 days ago or more.
// openSince is nil when they are closed.
func SpontaneousNeedsReminder(openSince *time.Time, now time.Time) bool {
	return openSince != nil && NeedsReminder(*openSince, now)
}

// SpontaneousIsStale: spontaneous applications open for 90 days without refresh are closed.
func SpontaneousIsStale(openSince *time.Time, now time.Time) bool {
	return openSince != nil && IsStale(*openSince, now)
}
