package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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

func TestProConnect_RoundTripLogsInWithANewSessionAndGoesToTheNextPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		b := site.browser()
		wantStatus(t, b.get("/accounts/login"), http.StatusOK) // a session exists before the login
		start := time.Now()
		callback := proconnectCallback(t, b, p, "/proconnect/authorize?next=/accounts/password/change")
		before := b.sessionToken()
		res := b.get(callback)
		elapsed := time.Since(start)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/accounts/password/change" {
			t.Fatalf("after the login: %s", loc)
		}
		if after := b.sessionToken(); after == "" || after == before {
			t.Fatal("the session token was not renewed at login")
		}
		res = b.get("/aide") // a page every professional reaches, organization or not (actors.md §8)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Awa DIALLO")
		u, err := site.Server.accounts.ByEmail(context.Background(), awaPC.Email)
		if err != nil || u.Kind != account.Professional || u.IdentityProvider != account.ProConnect || u.Username != awaPC.Subject {
			t.Fatalf("account %+v, %v", u, err)
		}
		if got := auditActions(t, d); got != "signup login" {
			t.Fatalf("audit = %q", got)
		}
		t.Logf("ProConnect round trip (authorize, provider, callback, account, session): %v", elapsed)

		// Nothing secret in the logs: no e-mail, no code, no state.
		q, _ := url.ParseRequestURI(callback)
		logs := site.Log.String()
		for _, secret := range []string{awaPC.Email, q.Query().Get("code"), q.Query().Get("state")} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
	})
}

func TestProConnect_ReplayedCallbackIsRefusedWithAWayToRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		b := site.browser()
		callback := proconnectCallback(t, b, p, "/proconnect/authorize")
		wantStatus(t, b.get(callback), http.StatusSeeOther)

		// The same browser replays it (back button, history).
		res := b.get(callback)
		wantStatus(t, res, http.StatusBadRequest)
		wantBody(t, res, "<h1>Connexion avec ProConnect impossible</h1>", "plus valable : elle a expiré", `href="/proconnect/authorize"`)

		// Someone else's browser replays it (a leaked URL): refused too.
		res = site.browser().get(callback)
		wantStatus(t, res, http.StatusBadRequest)
		if got := auditActions(t, d); got != "signup login" {
			t.Fatalf("a replay logged someone in: audit = %q", got)
		}
	})
}

func TestProConnect_CallbackStartedInAnotherBrowserIsRefusedThereAndStillWorksInTheFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		mine := site.browser()
		callback := proconnectCallback(t, mine, p, "/proconnect/authorize")
		wantStatus(t, site.browser().get(callback), http.StatusBadRequest) // login CSRF attempt
		wantStatus(t, mine.get(callback), http.StatusSeeOther)
	})
}

func TestProConnect_EmailOfAJobSeekerShowsTheConflictPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		site.createJobSeeker(awaPC.Email)
		b := site.browser()
		res := b.get(proconnectCallback(t, b, p, "/proconnect/authorize"))
		wantStatus(t, res, http.StatusForbidden)
		wantBody(t, res, "Un compte candidat existe déjà avec cette adresse e-mail", `id="proconnect-retry"`,
			`id="proconnect-end-session"`, p.Issuer+"/end_session?")
		if b.sessionToken() != "" {
			if res := b.get("/dashboard"); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("the refused visitor reached the dashboard: %d", res.StatusCode)
			}
		}
	})
}

func TestProConnect_TokenThatFailsVerificationShowsAFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		p.Misbehave(oidctest.Misbehaviour{TamperIDTokenSignature: true})
		b := site.browser()
		res := b.get(proconnectCallback(t, b, p, "/proconnect/authorize"))
		wantStatus(t, res, http.StatusBadGateway)
		wantBody(t, res, "pas pu être vérifiée", `id="proconnect-retry"`)
		if _, err := site.Server.accounts.ByEmail(context.Background(), awaPC.Email); err == nil {
			t.Fatal("an unverified login created an account")
		}
	})
}

func TestProConnect_CancelledAtTheProviderShowsAFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		b := site.browser()
		callback := proconnectCallback(t, b, p, "/proconnect/authorize")
		q, _ := url.ParseRequestURI(callback)
		res := b.get("/proconnect/callback?error=access_denied&state=" + url.QueryEscape(q.Query().Get("state")))
		wantStatus(t, res, http.StatusBadGateway)
		wantBody(t, res, "annulée ou refusée")
	})
}

var endSessionLink = regexp.MustCompile(`href="([^"]+/end_session\?[^"]+)"`)

func TestProConnect_LogoutEndsTheProConnectSessionToo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		b := site.browser()
		wantStatus(t, b.get(proconnectCallback(t, b, p, "/proconnect/authorize")), http.StatusSeeOther)

		res := b.post("/accounts/logout", nil)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "<h1>Déconnexion</h1>", `data-autofollow`, `js/autofollow.`)
		m := endSessionLink.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no end-session link:\n%s", res.Body)
		}
		back := p.Authorize(t, strings.ReplaceAll(m[1], "&amp;", "&"))
		if back.Path != "/" {
			t.Fatalf("ProConnect sent the browser back to %s", back)
		}
		if ended := p.EndedSessions(); len(ended) != 1 || ended[0] != awaPC.Subject {
			t.Fatalf("ProConnect sessions ended: %v", ended)
		}
		res = b.get(back.RequestURI())
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Vous êtes déconnecté.")
		wantStatus(t, b.get("/dashboard"), http.StatusSeeOther)
	})
}

func TestLoginPage_OffersProConnectOnlyWhenConfigured(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := newProConnectSite(t, d)
		res := site.browser().get("/accounts/login?next=/dashboard")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `class="fr-connect fr-connect--pro"`, `href="/proconnect/authorize?next=%2Fdashboard"`,
			"S’identifier avec", "Qu’est-ce que ProConnect ?")

		plain := newTestSite(t, d)
		res = plain.browser().get("/accounts/login")
		if strings.Contains(res.Body, "fr-connect") {
			t.Error("the ProConnect button shows without ProConnect")
		}
		wantStatus(t, plain.browser().get("/proconnect/authorize"), http.StatusNotFound)
		wantStatus(t, plain.browser().get("/proconnect/callback?code=x&state=y"), http.StatusNotFound)
	})
}

func TestLogin_ProfessionalPasswordIsRefusedWhenProConnectIsRequired(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := newProConnectSite(t, d)
		pro := site.createUser(account.Professional, "pro@example.org", "Paul", "Martin")
		res := site.browser().post("/accounts/login", url.Values{"email": {pro.Email}, "password": {testPassword}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Les professionnels se connectent avec ProConnect", `id="proconnect-button"`)
		site.loginAs(site.createJobSeeker("candidat@example.org")) // job seekers still can
	})
}

func TestLogin_PasswordOnAProConnectAccountNamesProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := newProConnectSite(t, d)
		b := site.browser()
		wantStatus(t, b.get(proconnectCallback(t, b, p, "/proconnect/authorize")), http.StatusSeeOther)
		res := site.browser().post("/accounts/login", url.Values{"email": {awaPC.Email}, "password": {testPassword}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Votre compte utilise ProConnect : connectez-vous avec ProConnect.")
	})
}
