package account_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/oidc/oidctest"
	"emplois/internal/web/webtest"
)

func TestProConnect_RoundTripLogsInWithANewSessionAndGoesToTheNextPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		b := site.Browser()
		webtest.WantStatus(t, b.Get("/accounts/login"), http.StatusOK) // a session exists before the login
		start := time.Now()
		callback := b.ProConnectCallback(p, "/proconnect/authorize?next=/accounts/password/change")
		before := b.SessionToken()
		res := b.Get(callback)
		elapsed := time.Since(start)
		webtest.WantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/accounts/password/change" {
			t.Fatalf("after the login: %s", loc)
		}
		if after := b.SessionToken(); after == "" || after == before {
			t.Fatal("the session token was not renewed at login")
		}
		res = b.Get("/aide") // a page every professional reaches, organization or not (actors.md §8)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Awa DIALLO")
		u, err := site.Services.Accounts.ByEmail(context.Background(), webtest.AwaPC.Email)
		if err != nil || u.Kind != account.Professional || u.IdentityProvider != account.ProConnect || u.Username != webtest.AwaPC.Subject {
			t.Fatalf("account %+v, %v", u, err)
		}
		if got := site.AuditActions(); got != "signup login" {
			t.Fatalf("audit = %q", got)
		}
		t.Logf("ProConnect round trip (authorize, provider, callback, account, session): %v", elapsed)

		// Nothing secret in the logs: no e-mail, no code, no state.
		q, _ := url.ParseRequestURI(callback)
		logs := site.Log.String()
		for _, secret := range []string{webtest.AwaPC.Email, q.Query().Get("code"), q.Query().Get("state")} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
	})
}

func TestProConnect_ReplayedCallbackIsRefusedWithAWayToRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		b := site.Browser()
		callback := b.ProConnectCallback(p, "/proconnect/authorize")
		webtest.WantStatus(t, b.Get(callback), http.StatusSeeOther)

		// The same browser replays it (back button, history).
		res := b.Get(callback)
		webtest.WantStatus(t, res, http.StatusBadRequest)
		webtest.WantBody(t, res, "<h1>Connexion avec ProConnect impossible</h1>", "plus valable : elle a expiré", `href="/proconnect/authorize"`)

		// Someone else's browser replays it (a leaked URL): refused too.
		res = site.Browser().Get(callback)
		webtest.WantStatus(t, res, http.StatusBadRequest)
		if got := site.AuditActions(); got != "signup login" {
			t.Fatalf("a replay logged someone in: audit = %q", got)
		}
	})
}

func TestProConnect_CallbackStartedInAnotherBrowserIsRefusedThereAndStillWorksInTheFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		mine := site.Browser()
		callback := mine.ProConnectCallback(p, "/proconnect/authorize")
		webtest.WantStatus(t, site.Browser().Get(callback), http.StatusBadRequest) // login CSRF attempt
		webtest.WantStatus(t, mine.Get(callback), http.StatusSeeOther)
	})
}

func TestProConnect_EmailOfAJobSeekerShowsTheConflictPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		site.CreateJobSeeker(webtest.AwaPC.Email)
		b := site.Browser()
		res := b.Get(b.ProConnectCallback(p, "/proconnect/authorize"))
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantBody(t, res, "Un compte candidat existe déjà avec cette adresse e-mail", `id="proconnect-retry"`,
			`id="proconnect-end-session"`, p.Issuer+"/end_session?")
		if b.SessionToken() != "" {
			if res := b.Get("/dashboard"); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("the refused visitor reached the dashboard: %d", res.StatusCode)
			}
		}
	})
}

func TestProConnect_TokenThatFailsVerificationShowsAFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		p.Misbehave(oidctest.Misbehaviour{TamperIDTokenSignature: true})
		b := site.Browser()
		res := b.Get(b.ProConnectCallback(p, "/proconnect/authorize"))
		webtest.WantStatus(t, res, http.StatusBadGateway)
		webtest.WantBody(t, res, "pas pu être vérifiée", `id="proconnect-retry"`)
		if _, err := site.Services.Accounts.ByEmail(context.Background(), webtest.AwaPC.Email); err == nil {
			t.Fatal("an unverified login created an account")
		}
	})
}

func TestProConnect_CancelledAtTheProviderShowsAFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		b := site.Browser()
		callback := b.ProConnectCallback(p, "/proconnect/authorize")
		q, _ := url.ParseRequestURI(callback)
		res := b.Get("/proconnect/callback?error=access_denied&state=" + url.QueryEscape(q.Query().Get("state")))
		webtest.WantStatus(t, res, http.StatusBadGateway)
		webtest.WantBody(t, res, "annulée ou refusée")
	})
}

var endSessionLink = regexp.MustCompile(`href="([^"]+/end_session\?[^"]+)"`)

func TestProConnect_LogoutEndsTheProConnectSessionToo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		b := site.Browser()
		webtest.WantStatus(t, b.Get(b.ProConnectCallback(p, "/proconnect/authorize")), http.StatusSeeOther)

		res := b.Post("/accounts/logout", nil)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Déconnexion</h1>", `data-autofollow`, `js/autofollow.`)
		m := endSessionLink.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no end-session link:\n%s", res.Body)
		}
		back := p.Authorize(t, strings.ReplaceAll(m[1], "&amp;", "&"))
		if back.Path != "/" {
			t.Fatalf("ProConnect sent the browser back to %s", back)
		}
		if ended := p.EndedSessions(); len(ended) != 1 || ended[0] != webtest.AwaPC.Subject {
			t.Fatalf("ProConnect sessions ended: %v", ended)
		}
		res = b.Get(back.RequestURI())
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Vous êtes déconnecté.")
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusSeeOther)
	})
}

func TestLoginPage_OffersProConnectOnlyWhenConfigured(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := webtest.NewWithProConnect(t, d)
		res := site.Browser().Get("/accounts/login?next=/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `class="fr-connect fr-connect--pro"`, `href="/proconnect/authorize?next=%2Fdashboard"`,
			"S’identifier avec", "Qu’est-ce que ProConnect ?")

		plain := webtest.New(t, d)
		res = plain.Browser().Get("/accounts/login")
		if strings.Contains(res.Body, "fr-connect") {
			t.Error("the ProConnect button shows without ProConnect")
		}
		webtest.WantStatus(t, plain.Browser().Get("/proconnect/authorize"), http.StatusNotFound)
		webtest.WantStatus(t, plain.Browser().Get("/proconnect/callback?code=x&state=y"), http.StatusNotFound)
	})
}

func TestLogin_ProfessionalPasswordIsRefusedWhenProConnectIsRequired(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := webtest.NewWithProConnect(t, d)
		pro := site.CreateUser(account.Professional, "pro@example.org", "Paul", "Martin")
		res := site.Browser().Post("/accounts/login", url.Values{"email": {pro.Email}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Les professionnels se connectent avec ProConnect", `id="proconnect-button"`)
		site.LoginAs(site.CreateJobSeeker("candidat@example.org")) // job seekers still can
	})
}

func TestLogin_PasswordOnAProConnectAccountNamesProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		b := site.Browser()
		webtest.WantStatus(t, b.Get(b.ProConnectCallback(p, "/proconnect/authorize")), http.StatusSeeOther)
		res := site.Browser().Post("/accounts/login", url.Values{"email": {webtest.AwaPC.Email}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Votre compte utilise ProConnect : connectez-vous avec ProConnect.")
	})
}
