package jobdesc

import (
	"testing"
	"time"
)

func TestStaleness_BannerFromDay60AndClosingOnDay90(t *testing.T) {
	refreshed := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return refreshed.Add(time.Duration(n) * 24 * time.Hour) }
	tests := []struct {
		name         string
		now          time.Time
		wantReminder bool
		wantStale    bool
	}{
		{"the day it was refreshed", day(0), false, false},
		{"day 59", day(59), false, false},
		{"one second before day 60", day(60).Add(-time.Second), false, false},
		{"day 60", day(60), true, false},
		{"day 89", day(89), true, false},
		{"one second before day 90", day(90).Add(-time.Second), true, false},
		{"day 90", day(90), true, true},
		{"day 91", day(91), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsReminder(refreshed, tt.now); got != tt.wantReminder {
				t.Errorf("NeedsReminder = %v, want %v", got, tt.wantReminder)
			}
			if got := IsStale(refreshed, tt.now); got != tt.wantStale {
				t.Errorf("IsStale = %v, want %v", got, tt.wantStale)
			}
			// The job's SQL cutoff agrees with the rule: stale <=> refreshed at or before the cutoff.
			if got := !refreshed.After(StaleBefore(tt.now)); got != tt.wantStale {
				t.Errorf("refreshed <= StaleBefore(now) = %v, want %v", got, tt.wantStale)
			}
		})
	}
}

func TestStaleness_OnlyOpenThingsGetTheReminder(t *testing.T) {
	refreshed := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := refreshed.Add(75 * 24 * time.Hour)
	open := &JobDescription{IsActive: true, LastEmployerUpdateAt: refreshed}
	closed := &JobDescription{IsActive: false, LastEmployerUpdateAt: refreshed}
	if !FicheNeedsReminder(open, now) {
		t.Error("an open fiche refreshed 75 days ago should show the reminder")
	}
	if FicheNeedsReminder(closed, now) {
		t.Error("a closed fiche never shows the reminder")
	}
	if SpontaneousNeedsReminder(nil, now) || SpontaneousIsStale(nil, now) {
		t.Error("closed spontaneous applications are neither reminded nor stale")
	}
	if !SpontaneousNeedsReminder(&refreshed, now) || SpontaneousIsStale(&refreshed, now) {
		t.Error("spontaneous applications open for 75 days: reminder, not yet stale")
	}
	late := refreshed.Add(90 * 24 * time.Hour)
	if !SpontaneousIsStale(&refreshed, late) {
		t.Error("spontaneous applications open for 90 days are stale")
	}
	if got, want := ClosesOn(refreshed), late; !got.Equal(want) {
		t.Errorf("ClosesOn = %v, want %v", got, want)
	}
}
