package oidc_test

import (
	"net/url"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/oidc"
)

func TestFranceConnectConfig_OffUnlessConfiguredAndAsksForEIDAS1AndTheIdentity(t *testing.T) {
	base, _ := url.Parse("https://emplois.example.gouv.fr/")
	if _, ok := oidc.FranceConnectConfig(config.Config{BaseURL: base}); ok {
		t.Fatal("FranceConnect on without an issuer")
	}
	c, ok := oidc.FranceConnectConfig(config.Config{BaseURL: base, FranceConnectIssuer: "https://fc.example.gouv.fr/api/v2",
		FranceConnectClientID: "emplois", FranceConnectClientSecret: "s3cret"})
	if !ok || c.Name != oidc.FranceConnect || c.RedirectURL != "https://emplois.example.gouv.fr/franceconnect/callback" ||
		c.ACRValues != "eidas1" || c.RequireSignedUserinfo || c.ClientSecret.Reveal() != "s3cret" {
		t.Fatalf("config %+v", c)
	}
	want := map[string]bool{"openid": true, "given_name": true, "family_name": true, "gender": true, "birthdate": true,
		"birthplace": true, "birthcountry": true, "email": true}
	for _, s := range c.Scopes {
		delete(want, s)
	}
	if len(want) > 0 {
		t.Errorf("scopes %v lack %v", c.Scopes, want)
	}
}
