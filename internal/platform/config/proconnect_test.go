package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestLoad_ProConnectIsOffByDefault(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ProConnectEnabled() {
		t.Fatal("ProConnect should be off without an issuer")
	}
}

func TestLoad_ProConnectNeedsClientIDAndSecret(t *testing.T) {
	_, err := Load(env(map[string]string{"EMPLOIS_PROCONNECT_ISSUER": "https://auth.example.gouv.fr/api/v2"}))
	if err == nil || !strings.Contains(err.Error(), "EMPLOIS_PROCONNECT_CLIENT_ID") || !strings.Contains(err.Error(), "EMPLOIS_PROCONNECT_CLIENT_SECRET") {
		t.Fatalf("err = %v, want both missing settings named", err)
	}
}

func TestLoad_ProConnectIssuerMustBeHTTPSExceptOnLoopback(t *testing.T) {
	for issuer, ok := range map[string]bool{
		"https://auth.example.gouv.fr/api/v2": true,
		"http://127.0.0.1:9000":               true,
		"http://localhost:9000/api/v2/":       true,
		"http://auth.example.gouv.fr/api/v2":  false,
		"auth.example.gouv.fr":                false,
	} {
		c, err := Load(env(map[string]string{"EMPLOIS_PROCONNECT_ISSUER": issuer,
			"EMPLOIS_PROCONNECT_CLIENT_ID": "emplois", "EMPLOIS_PROCONNECT_CLIENT_SECRET": "s3cret"}))
		if (err == nil) != ok {
			t.Errorf("issuer %q: err = %v, want ok=%v", issuer, err, ok)
		}
		if ok && strings.HasSuffix(c.ProConnectIssuer, "/") {
			t.Errorf("issuer %q kept its trailing slash", issuer)
		}
	}
}

func TestLoad_ProConnectSecretNeverPrints(t *testing.T) {
	c, err := Load(env(map[string]string{"EMPLOIS_PROCONNECT_ISSUER": "https://auth.example.gouv.fr",
		"EMPLOIS_PROCONNECT_CLIENT_ID": "emplois", "EMPLOIS_PROCONNECT_CLIENT_SECRET": "s3cret-value"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(format, c); strings.Contains(out, "s3cret-value") {
			t.Errorf("%s prints the secret: %s", format, out)
		}
	}
	if c.ProConnectClientSecret.Reveal() != "s3cret-value" {
		t.Fatal("Reveal lost the secret")
	}
}

func TestLoad_ProPasswordLoginFollowsDevModeUnlessSet(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want bool
	}{
		{nil, false},
		{map[string]string{"EMPLOIS_DEV": "1"}, true},
		{map[string]string{"EMPLOIS_PRO_PASSWORD_LOGIN": "true"}, true},
		{map[string]string{"EMPLOIS_DEV": "1", "EMPLOIS_PRO_PASSWORD_LOGIN": "false"}, false},
	} {
		c, err := Load(env(tc.vars))
		if err != nil {
			t.Fatal(err)
		}
		if c.ProPasswordLogin != tc.want {
			t.Errorf("%v: ProPasswordLogin = %v, want %v", tc.vars, c.ProPasswordLogin, tc.want)
		}
	}
}

func TestLoad_FranceConnectIsOffByDefaultAndNeedsClientIDAndSecret(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.FranceConnectEnabled() {
		t.Fatalf("FranceConnect should be off without an issuer: %v", err)
	}
	_, err = Load(env(map[string]string{"EMPLOIS_FRANCECONNECT_ISSUER": "https://oidc.example.gouv.fr/api/v2"}))
	if err == nil || !strings.Contains(err.Error(), "EMPLOIS_FRANCECONNECT_CLIENT_ID") || !strings.Contains(err.Error(), "EMPLOIS_FRANCECONNECT_CLIENT_SECRET") {
		t.Fatalf("err = %v, want both missing settings named", err)
	}
	_, err = Load(env(map[string]string{"EMPLOIS_FRANCECONNECT_ISSUER": "http://oidc.example.gouv.fr",
		"EMPLOIS_FRANCECONNECT_CLIENT_ID": "emplois", "EMPLOIS_FRANCECONNECT_CLIENT_SECRET": "s3cret"}))
	if err == nil || !strings.Contains(err.Error(), "EMPLOIS_FRANCECONNECT_ISSUER") {
		t.Fatalf("a plain http issuer off loopback: err = %v", err)
	}
	c, err = Load(env(map[string]string{"EMPLOIS_FRANCECONNECT_ISSUER": "https://oidc.example.gouv.fr/api/v2/",
		"EMPLOIS_FRANCECONNECT_CLIENT_ID": "emplois", "EMPLOIS_FRANCECONNECT_CLIENT_SECRET": "s3cret-fc"}))
	if err != nil || !c.FranceConnectEnabled() || c.FranceConnectIssuer != "https://oidc.example.gouv.fr/api/v2" {
		t.Fatalf("config %+v, %v", c, err)
	}
	if out := fmt.Sprintf("%+v", c); strings.Contains(out, "s3cret-fc") {
		t.Fatal("the FranceConnect secret prints")
	}
}
