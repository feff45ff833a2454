package config

import (
	"strings"
	"testing"
)

func TestLoad_APIContactDefaultsToTheOriginalsAddressAndMustBeAnAddress(t *testing.T) {
	for _, tc := range []struct {
		set, want, err string
	}{
		{"", "api.emplois@inclusion.gouv.fr", ""},
		{" api@example.org ", "api@example.org", ""},
		{"personne", "", "EMPLOIS_API_CONTACT_EMAIL"},
	} {
		c, err := Load(env(map[string]string{"EMPLOIS_API_CONTACT_EMAIL": tc.set}))
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one naming %s", tc.set, err, tc.err)
		case tc.err == "" && (err != nil || c.APIContactEmail != tc.want):
			t.Errorf("%q: %q, %v; want %q", tc.set, c.APIContactEmail, err, tc.want)
		}
	}
}
