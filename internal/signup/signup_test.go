package signup

import (
	"errors"
	"testing"
	"time"
)

func TestEmployerToken_WorksFourteenDaysForTheSameMemberCountOnly(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	issued := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	token := EmployerToken(key, "company-uid", 0, issued)
	for _, tc := range []struct {
		name    string
		key     []byte
		uid     string
		members int
		token   string
		now     time.Time
		ok      bool
	}{
		{"right away", key, "company-uid", 0, token, issued, true},
		{"the last second of the 14th day", key, "company-uid", 0, token, issued.Add(EmployerLinkValidity - time.Second), true},
		{"after 14 days", key, "company-uid", 0, token, issued.Add(EmployerLinkValidity), false},
		{"someone joined", key, "company-uid", 1, token, issued, false},
		{"another company", key, "other-uid", 0, token, issued, false},
		{"another key", []byte("another-key-another-key-another-key"), "company-uid", 0, token, issued, false},
		{"issued in the future", key, "company-uid", 0, token, issued.Add(-time.Hour), false},
		{"garbage", key, "company-uid", 0, "not-a-token", issued, false},
		{"no separator", key, "company-uid", 0, "abc", issued, false},
	} {
		err := CheckEmployerToken(tc.key, tc.uid, tc.members, tc.token, tc.now)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrLinkInvalid)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestObfuscateEmail_KeepsFirstAndLastLettersAndTheDomain(t *testing.T) {
	for in, want := range map[string]string{
		"etienne.contact@structure.fr": "e*****t@structure.fr",
		"eo@domain.fr":                 "e*****@domain.fr",
		"é@domain.fr":                  "é*****@domain.fr",
		"elodie@domain":                "e*****e@domain",
		"broken":                       "*****",
	} {
		if got := ObfuscateEmail(in); got != want {
			t.Errorf("ObfuscateEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckSIREN_AcceptsNineDigitsWithSpaces(t *testing.T) {
	if got, err := CheckSIREN(" 732 829 320 "); err != nil || got != "732829320" {
		t.Errorf("valid SIREN: %q, %v", got, err)
	}
	for _, bad := range []string{"", "12345678", "732829321", "abcdefghi"} {
		if _, err := CheckSIREN(bad); err == nil {
			t.Errorf("CheckSIREN(%q) accepted", bad)
		}
	}
}
