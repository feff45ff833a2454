package account

import (
	"errors"
	"testing"
	"time"
)

// ago returns n times, newest first, ten seconds apart, the newest ten seconds before now.
func ago(now time.Time, n int) []time.Time {
	times := make([]time.Time, n)
	for i := range times {
		times[i] = now.Add(-time.Duration(i+1) * 10 * time.Second)
	}
	return times
}

func TestLoginThrottle_LocksAnAccountOnlyForAddressesThatFailed(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const max, window = 5, 15 * time.Minute
	for _, tc := range []struct {
		name            string
		account, client int  // failures within the window
		want            bool // refused
	}{
		{"no failure anywhere", 0, 0, false},
		{"account below the limit, address failed", 4, 4, false},
		{"account locked, address without failure", 5, 0, false},
		{"account locked by many, address without failure", 50, 0, false},
		{"account locked, address failed once", 5, 1, true},
		{"account locked, address failed as often", 5, 5, true},
		{"address at its own limit, account fine", 0, IPThrottleFactor * max, true},
		{"address just below its own limit", 0, IPThrottleFactor*max - 1, false},
	} {
		until := LoginThrottle(ago(now, tc.account), ago(now, tc.client), max, window)
		if got := until.After(now); got != tc.want {
			t.Errorf("%s: refused = %v (until %v), want %v", tc.name, got, until, tc.want)
		}
	}
}

func TestLoginThrottle_WaitsUntilTheLimitthFailureLeavesTheWindow(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	account := ago(now, 7) // the 5th newest is 50 seconds old: it leaves the window in 14m10s
	if got, want := LoginThrottle(account, ago(now, 1), 5, 15*time.Minute), now.Add(14*time.Minute+10*time.Second); !got.Equal(want) {
		t.Errorf("until %v, want %v", got, want)
	}
}

func TestSignupThrottle_CountsPerEmailAndPerClientAddress(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const max, window = 5, 15 * time.Minute
	for _, tc := range []struct {
		name          string
		email, client int
		want          bool
	}{
		{"first signup", 0, 0, false},
		{"e-mail tried 4 times", 4, 4, false},
		{"e-mail tried 5 times", 5, 5, true},
		{"e-mail tried 5 times from elsewhere", 5, 0, true},
		{"client probed 19 addresses", 0, IPThrottleFactor*max - 1, false},
		{"client probed 20 addresses", 0, IPThrottleFactor * max, true},
	} {
		until := SignupThrottle(ago(now, tc.email), ago(now, tc.client), max, window)
		if got := until.After(now); got != tc.want {
			t.Errorf("%s: refused = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestThrottledError_OfASignupSaysSoInFrench(t *testing.T) {
	err := error(&ThrottledError{RetryAfter: 90 * time.Second, Signup: true})
	if err.Error() != "Trop de tentatives d'inscription depuis votre connexion ou avec cette adresse e-mail. Réessayez dans 2 minutes." {
		t.Errorf("message = %q", err)
	}
	if !errors.Is(err, ErrThrottled) {
		t.Error("a signup refusal does not match ErrThrottled")
	}
}
