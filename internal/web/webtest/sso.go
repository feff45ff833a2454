package webtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/oidc/oidctest"
)

// The OpenID clients of the test sites, registered with their in-process provider.
const (
	proConnectClientID        = "emplois-test"
	proConnectClientSecret    = "s3cret-de-test"
	franceConnectClientID     = "emplois-fc-test"
	franceConnectClientSecret = "s3cret-fc-de-test"
)

// AwaPC is the professional the provider logs in unless told otherwise.
var AwaPC = oidctest.User{Subject: "pc-sub-awa", Email: "awa.diallo@example.org", GivenName: "Awa", UsualName: "Diallo", SIRET: "13003013300016"}

// LeaFC is the job seeker FranceConnect logs in unless told otherwise: born in Germany on 10
// January 1990 (the FranceConnect claims: given_name by scope, the others as extra claims).
var LeaFC = oidctest.User{Subject: "fc-sub-lea", Email: "lea.dupont@example.org", GivenName: "Léa",
	Claims: map[string]any{"family_name": "Dupont", "gender": "female", "birthdate": "1990-01-10", "birthplace": "", "birthcountry": "99109"}}

// LeaNIR is a NIR consistent with LeaFC (a woman born in January 1990 abroad).
const LeaNIR = "290019910912313"

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
	register(site, p, proConnectClientID, proConnectClientSecret, "/proconnect/callback")
	p.SetNextUser(AwaPC)
	return site, p
}

// NewWithFranceConnect serves a site whose FranceConnect is an in-process provider that logs
// LeaFC in.
func NewWithFranceConnect(t testing.TB, d *db.DB) (*Site, *oidctest.Provider) {
	t.Helper()
	p := oidctest.Start(t)
	site := New(t, d, func(c *config.Config) {
		c.FranceConnectIssuer, c.FranceConnectClientID, c.FranceConnectClientSecret = p.Issuer, franceConnectClientID, franceConnectClientSecret
	})
	register(site, p, franceConnectClientID, franceConnectClientSecret, "/franceconnect/callback")
	p.SetNextUser(LeaFC)
	return site, p
}

func register(site *Site, p *oidctest.Provider, id, secret, callback string) {
	base := strings.TrimSuffix(site.Config.BaseURL.String(), "/")
	p.RegisterClient(oidctest.Client{ID: id, Secret: secret,
		RedirectURIs: []string{base + callback}, PostLogoutRedirectURIs: []string{base + "/"}})
}

// ProConnectCallback clicks the ProConnect button (GET authorize), lets the provider log the
// user in, and returns the callback path (with its code and state) the provider sent back to.
func (b *Browser) ProConnectCallback(p *oidctest.Provider, authorize string) string {
	b.site.T.Helper()
	return b.callbackOf(p, authorize, "/proconnect/callback").RequestURI()
}

// FranceConnectCallback is ProConnectCallback for the FranceConnect button.
func (b *Browser) FranceConnectCallback(p *oidctest.Provider, authorize string) string {
	b.site.T.Helper()
	return b.callbackOf(p, authorize, "/franceconnect/callback").RequestURI()
}

func (b *Browser) callbackOf(p *oidctest.Provider, authorize, callbackPath string) *url.URL {
	t := b.site.T
	t.Helper()
	res := b.Get(authorize)
	WantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, p.Issuer+"/") {
		t.Fatalf("authorize went to %s, not to the provider", loc)
	}
	callback := p.Authorize(t, loc)
	if callback.Path != callbackPath {
		t.Fatalf("the provider came back to %s", callback)
	}
	return callback
}

// SignupForm is a complete self-signup of a job seeker (actors.md §10.1) as the credentials
// step posts it: Léa Dupont, born in Germany on 10 January 1990, with LeaNIR and Password
// twice.
func SignupForm(email string) url.Values {
	return url.Values{"title": {"MME"}, "first_name": {"Léa"}, "last_name": {"Dupont"}, "email": {email},
		"birthdate": {"1990-01-10"}, "birth_country": {"99109"}, "nir": {LeaNIR},
		"password1": {Password}, "password2": {Password}}
}

// SignupIdentity is the identity step of SignupForm (without the passwords).
func SignupIdentity(email string) url.Values {
	f := SignupForm(email)
	f.Del("password1")
	f.Del("password2")
	return f
}
