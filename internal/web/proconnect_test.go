package web

import (
	"net/http"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/oidc/oidctest"
)

const (
	pcClientID     = "emplois-test"
	pcClientSecret = "s3cret-de-test"
)

var awaPC = oidctest.User{Subject: "pc-sub-awa", Email: "awa.diallo@example.org", GivenName: "Awa", UsualName: "Diallo", SIRET: "13003013300016"}

// newProConnectSite serves a site whose ProConnect is an in-process provider, with professional
// password login off (production settings). The site's base URL stays the default
// http://localhost:8080: the provider redirects there, and the test browser replays the path on
// the real test server.
func newProConnectSite(t *testing.T, d *db.DB) (*testSite, *oidctest.Provider) {
	t.Helper()
	p := oidctest.Start(t)
	site := newTestSite(t, d, func(c *config.Config) {
		c.ProConnectIssuer, c.ProConnectClientID, c.ProConnectClientSecret = p.Issuer, pcClientID, pcClientSecret
		c.ProPasswordLogin = false
	})
	base := strings.TrimSuffix(site.Server.cfg.BaseURL.String(), "/")
	p.RegisterClient(oidctest.Client{ID: pcClientID, Secret: pcClientSecret,
		RedirectURIs: []string{base + "/proconnect/callback"}, PostLogoutRedirectURIs: []string{base + "/"}})
	p.SetNextUser(awaPC)
	return site, p
}

// proconnectCallback clicks the ProConnect button (GET authorize), lets the provider log the
// user in, and returns the callback path (with its code and state) the provider sent back to.
func proconnectCallback(t *testing.T, b *testBrowser, p *oidctest.Provider, authorize string) string {
	t.Helper()
	res := b.get(authorize)
	wantStatus(t, res, http.StatusSeeOther)
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

func TestSignupProfessional_StartsWithProConnectThenAsksTheKind(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		b := site.browser()
		res := b.get("/signup/")
		wantBody(t, res, `href="/signup/professional"`)
		res = b.get("/signup/professional")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `href="/proconnect/authorize?next=%2Fsignup%2Fprofessional%2Fkind"`)

		res = b.get(proconnectCallback(t, b, p, "/proconnect/authorize?next=%2Fsignup%2Fprofessional%2Fkind"))
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/signup/professional/kind" {
			t.Fatalf("after the signup login: %s", loc)
		}
		res = b.follow(res)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Prescripteur / Orienteur", "Employeur inclusif")
		if strings.Contains(res.Body, `id="kind-france-travail"`) {
			t.Error("France Travail is offered to a non-France Travail e-mail")
		}
		for _, href := range []string{"/signup/prescriber", "/signup/employer"} { // France Travail: agents only (below)
			if strings.Contains(res.Body, `href="`+href+`"`) != site.Server.kit.Serves(href) {
				t.Errorf("link to %s does not match whether the page exists", href)
			}
		}
	})
}

func TestSignupProfessionalKind_OffersFranceTravailToFranceTravailAgentsOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		agent := site.loginAs(site.createUser(account.Professional, "agent@francetravail.fr", "Agent", "Ft"))
		res := agent.get("/signup/professional/kind")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `id="kind-france-travail"`, "France Travail", `href="/signup/france-travail"`)
		seeker := site.loginAs(site.createJobSeeker("candidat@example.org"))
		wantStatus(t, seeker.get("/signup/professional/kind"), http.StatusForbidden)
		wantStatus(t, site.browser().get("/signup/professional/kind"), http.StatusSeeOther)
	})
}
