package invitation

import (
	"testing"
	"time"

	"emplois/internal/account"
)

func TestExpiresAt_IsMidnightParisTimeStartingTheDaySentPlusValidity(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sent   time.Time
		days   int
		expiry time.Time
	}{
		{"morning", time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), 14, time.Date(2026, 3, 23, 23, 0, 0, 0, time.UTC)},
		{"after midnight in Paris, still the day before in UTC", time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC), 14, time.Date(2026, 3, 24, 23, 0, 0, 0, time.UTC)},
		{"across the change to summer time", time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), 14, time.Date(2026, 4, 2, 22, 0, 0, 0, time.UTC)},
		{"one day", time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), 1, time.Date(2026, 7, 1, 22, 0, 0, 0, time.UTC)},
		{"ninety days", time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC), 90, time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC)},
	} {
		if got := ExpiresAt(tc.sent, tc.days); !got.Equal(tc.expiry) {
			t.Errorf("%s: ExpiresAt = %s, want %s", tc.name, got, tc.expiry)
		}
	}
}

func TestStatusOf_AcceptedAndCancelledStaySoOthersExpire(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Second), now.Add(-time.Second)
	for _, tc := range []struct {
		name      string
		accepted  *time.Time
		cancelled *time.Time
		expires   time.Time
		want      Status
	}{
		{"valid", nil, nil, later, StatusPending},
		{"expires right now", nil, nil, now, StatusExpired},
		{"expired", nil, nil, earlier, StatusExpired},
		{"accepted then expired", &earlier, nil, earlier, StatusAccepted},
		{"cancelled", nil, &earlier, earlier, StatusCanceled},
	} {
		if got := StatusOf(tc.accepted, tc.cancelled, tc.expires, now); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestValidityProblem_AcceptsOneToNinetyDays(t *testing.T) {
	for days, ok := range map[int]bool{0: false, 1: true, 14: true, 90: true, 91: false, -3: false} {
		if got := ValidityProblem(days) == ""; got != ok {
			t.Errorf("ValidityProblem(%d) accepted = %v, want %v", days, got, ok)
		}
	}
}

func TestInviteeProblems_FranceTravailAgenciesAndAccountKinds(t *testing.T) {
	for _, tc := range []struct {
		email string
		ft    bool
		ok    bool
	}{
		{"agent@francetravail.fr", true, true},
		{"agent@pole-emploi.fr", true, true},
		{"agent@gmail.com", true, false},
		{"agent@gmail.com", false, true},
	} {
		if got := InviteeEmailProblem(tc.email, tc.ft) == ""; got != tc.ok {
			t.Errorf("InviteeEmailProblem(%s, ft=%v) accepted = %v", tc.email, tc.ft, got)
		}
	}
	for _, tc := range []struct {
		kind           account.Kind
		active, member bool
		want           string
	}{
		{account.Professional, true, false, ""},
		{account.Professional, true, true, MsgAlreadyMember},
		{account.Professional, false, false, MsgInactiveAccount},
		{account.JobSeeker, true, false, MsgNotProfessional},
		{account.Staff, true, false, MsgNotProfessional},
	} {
		if got := InviteeAccountProblem(tc.kind, tc.active, tc.member); got != tc.want {
			t.Errorf("InviteeAccountProblem(%s, %v, %v) = %q, want %q", tc.kind, tc.active, tc.member, got, tc.want)
		}
	}
}
