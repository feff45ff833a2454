package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestLoad_FranceTravailIsOffUnlessConfiguredWhole(t *testing.T) {
	full := map[string]string{
		"EMPLOIS_FT_API_BASE_URL": "https://api.francetravail.io/partenaire/", "EMPLOIS_FT_AUTH_BASE_URL": "https://entreprise.francetravail.fr",
		"EMPLOIS_FT_CLIENT_ID": "PAR_emplois", "EMPLOIS_FT_CLIENT_SECRET": "s3cr3t-value",
	}
	c, err := Load(env(nil))
	if err != nil || c.FranceTravailEnabled() {
		t.Fatalf("no setting: enabled = %v, %v", c.FranceTravailEnabled(), err)
	}
	c, err = Load(env(full))
	if err != nil || !c.FranceTravailEnabled() {
		t.Fatalf("all settings: enabled = %v, %v", c.FranceTravailEnabled(), err)
	}
	if c.FTAPIBaseURL != "https://api.francetravail.io/partenaire" || c.FTClientSecret.Reveal() != "s3cr3t-value" {
		t.Errorf("settings read: %q %q", c.FTAPIBaseURL, c.FTClientSecret.Reveal())
	}
	if s := fmt.Sprintf("%v %+v", c.FTClientSecret, c); strings.Contains(s, "s3cr3t-value") {
		t.Error("the client secret prints")
	}
	for _, tc := range []struct{ drop, set, value, want string }{
		{drop: "EMPLOIS_FT_CLIENT_SECRET", want: "EMPLOIS_FT_CLIENT_SECRET: is required when EMPLOIS_FT_API_BASE_URL is set"},
		{drop: "EMPLOIS_FT_AUTH_BASE_URL", want: "EMPLOIS_FT_AUTH_BASE_URL: is required"},
		{drop: "EMPLOIS_FT_API_BASE_URL", want: "EMPLOIS_FT_API_BASE_URL: is required when the other EMPLOIS_FT_ settings are set"},
		{set: "EMPLOIS_FT_API_BASE_URL", value: "http://api.francetravail.io", want: "EMPLOIS_FT_API_BASE_URL: must be an https URL"},
	} {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		delete(m, tc.drop)
		if tc.set != "" {
			m[tc.set] = tc.value
		}
		if _, err := Load(env(m)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v", tc, err)
		}
	}
}
