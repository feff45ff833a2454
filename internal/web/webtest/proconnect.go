package webtest

import (
	"net/http"
	"strings"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/oidc/oidctest"
)

// The ProConnect client of the test sites, registered with their in-process provider.
const (
	proConnectClientID     = "emplois-test"
	proConnectClientSecret = "s3cret-de-test"
)

// AwaPC is the professional the provider logs in unless told otherwise.
var AwaPC = oidctest.User{Subject: "pc-sub-awa", Email: "awa.diallo@example.org", GivenName: "Awa", UsualName: "Diallo", SIRET: "13003013300016"}

// NewWithProConnect serves a site whose ProConnect is an in-process provider, with professional
// password login off (production settings). The site's base URL stays the default
// http://localhost:8080: the provider redirects there, and the test browser replays the path on
// the real test server.
func NewWithProConnect(t testing.TB, d *db.DB) (*Site, *oidctest.Provider) {
	t.Helper()
	p := oidctest.Start(t)
	site := New(t, d, func(c *config.Config) {
		c.ProConnectIssuer, c.ProConnectClientID, c.ProConnectClientSecret = p.Issuer, proConnectClientID, proConnectClientSecret
		c.ProPasswordLogin = false
	})
	base := strings.TrimSuffix(site.Config.BaseURL.String(), "/")
	p.RegisterClient(oidctest.Client{ID: proConnectClientID, Secret: proConnectClientSecret,
		RedirectURIs: []string{base + "/proconnect/callback"}, PostLogoutRedirectURIs: []string{base + "/"}})
	p.SetNextUser(AwaPC)
	return site, p
}

// ProConnectCallback clicks the ProConnect button (GET authorize), lets the provider log the
// user in, and returns the callback path (with its code and state) the provider sent back to.
func (b *Browser) ProConnectCallback(p *oidctest.Provider, authorize string) string {
	t := b.site.T
	t.Helper()
	res := b.Get(authorize)
	WantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, p.Issuer+"/") {
		t.Fatalf("authorize went to %s, not to the provider", loc)
	}
	callback := p.Authorize(t, loc)
	if callback.Path != "/proconnect/callback" {
		t.Fatalf("the provider came back to %s", callback)
	}
	return callback.RequestURI()
}
