package localtime

import (
	"testing"
	"time"
)

func TestDate_ShowsTheParisDayOfAUTCTime(t *testing.T) {
	tests := []struct {
		utc      time.Time
		date, dt string
	}{
		{time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), "02/03/2026", "02/03/2026 à 00:30"}, // winter: UTC+1
		{time.Date(2026, 7, 1, 22, 15, 0, 0, time.UTC), "02/07/2026", "02/07/2026 à 00:15"}, // summer: UTC+2
		{time.Date(2026, 7, 1, 21, 15, 0, 0, time.UTC), "01/07/2026", "01/07/2026 à 23:15"},
	}
	for _, tt := range tests {
		if got := Date(tt.utc); got != tt.date {
			t.Errorf("Date(%s) = %s, want %s", tt.utc, got, tt.date)
		}
		if got := DateTime(tt.utc); got != tt.dt {
			t.Errorf("DateTime(%s) = %s, want %s", tt.utc, got, tt.dt)
		}
	}
}
