package shell_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

func newSite(t *testing.T, configure ...func(*config.Config)) *webtest.Site {
	t.Helper()
	return webtest.New(t, dbtest.Open(t, db.SQLite), configure...)
}

func TestHome_ExplainsTheServiceToEachAudience(t *testing.T) {
	res := newSite(t).Browser().Get("/")
	webtest.WantStatus(t, res, http.StatusOK)
	webtest.WantBody(t, res, `<html lang="fr"`, ">Candidats</h3>", ">Prescripteurs</h3>", ">Employeurs inclusifs</h3>",
		`href="/signup/"`, `href="/accounts/login"`, "<title>Accueil - Les emplois de l'inclusion</title>")
	if n := strings.Count(res.Body, "<h1"); n != 1 {
		t.Errorf("home page has %d h1, want 1", n)
	}
}

func TestLayout_ShowsTheViewerNameDashboardAndLogoutWhenLoggedIn(t *testing.T) {
	site := newSite(t)
	u := site.CreateUser("job_seeker", "awa@example.org", "Awa", "Diallo")
	res := site.LoginAs(u).Get("/")
	webtest.WantBody(t, res, "Awa DIALLO", `href="/dashboard"`, `<form method="post" action="/accounts/logout">`, "Se déconnecter")
	webtest.WantNoBody(t, res, "Se connecter")
}

func TestLayout_ShowsTheStateIdentityOnlyWhenConfigured(t *testing.T) {
	for _, want := range []bool{true, false} {
		site := newSite(t, func(c *config.Config) { c.StateIdentity = want })
		body := site.Browser().Get("/").Body
		if got := strings.Contains(body, "République<br>Française"); got != want {
			t.Errorf("state identity %v: Marianne block shown = %v", want, got)
		}
	}
}

func TestLayout_ShowsTheFlashMessageAsAStatus(t *testing.T) {
	site := newSite(t)
	b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
	res := b.Follow(b.Post("/accounts/logout", url.Values{}))
	webtest.WantBody(t, res, `role="status"><p>Vous êtes déconnecté.</p>`)
}

func TestNotFound_IsTheFrenchErrorPage(t *testing.T) {
	res := newSite(t).Browser().Get("/cette-page-n-existe-pas")
	webtest.WantStatus(t, res, http.StatusNotFound)
	webtest.WantBody(t, res, "La page que vous cherchez est introuvable", `lang="fr"`)
}

func TestLegalPages_AreServedInFrench(t *testing.T) {
	b := newSite(t).Browser()
	for target, want := range map[string]string{
		"/mentions-legales":     "Directeur de la publication",
		"/accessibilite":        "non conforme",
		"/donnees-personnelles": "30&nbsp;jours avant",
		"/cgu":                  "Droit applicable",
		"/aide":                 "Je suis candidat",
	} {
		res := b.Get(target)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, want)
		if n := strings.Count(res.Body, "<h1"); n != 1 {
			t.Errorf("%s has %d h1, want 1", target, n)
		}
	}
}

// TestShellPages_LinkOnlyToPagesThatExist follows every internal link of the frame's pages.
func TestShellPages_LinkOnlyToPagesThatExist(t *testing.T) {
	b := newSite(t).Browser()
	href := regexp.MustCompile(`(?:href|action)="(/[^"#]*)"`)
	checked := map[string]bool{}
	for _, page := range []string{"/", "/aide", "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/cgu", "/introuvable"} {
		for _, m := range href.FindAllStringSubmatch(b.Get(page).Body, -1) {
			link := m[1]
			if checked[link] || strings.HasPrefix(link, "/static/") || link == "/accounts/logout" {
				continue // assets are checked by the static tests; logout is a POST form
			}
			checked[link] = true
			if res := b.Get(link); res.StatusCode == http.StatusNotFound {
				t.Errorf("%s links to %s, which is not found", page, link)
			}
		}
	}
}

func TestHealthz_ReportsTheDatabase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := webtest.New(t, d).Browser()
		webtest.WantStatus(t, b.Get("/healthz"), http.StatusOK)
		d.Close()
		webtest.WantStatus(t, b.Get("/healthz"), http.StatusServiceUnavailable)
	})
}
