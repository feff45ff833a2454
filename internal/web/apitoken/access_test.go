package apitoken_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/apitoken"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
	"emplois/internal/web/webtest"
)

var keyShown = regexp.MustCompile(`id="api-token-key" type="text" readonly value="([0-9a-f]{40})"`)

func newSite(t *testing.T, d *db.DB) *webtest.Site {
	return webtest.New(t, d, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1", "::1"} }).WithDemoCommunes()
}

func post(b *webtest.Browser, form url.Values) *webtest.Response {
	return b.Post(apitoken.AccessPath, form)
}

func securityMails(site *webtest.Site) []mail.OutboxMail {
	var out []mail.OutboxMail
	for _, m := range site.Mails() {
		if m.Subject == apitoken.NewTokenSubject {
			out = append(out, m)
		}
	}
	return out
}

func TestAccess_TheAdminCreatesATokenShownOnceAndMailed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.Company(org.ACI, "Jardins de Lyon")
		admin := site.EmployerOf(co, "admin@example.org")
		b := site.LoginAs(admin)
		res := b.Get(apitoken.AccessPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Accès aux APIs", "Vous n’avez pas encore de token d’API", "Créer un token d’API", co.UID)
		if !strings.Contains(b.Get("/dashboard").Body, `id="dashboard-api-link"`) {
			t.Error("the dashboard does not link to « Accès aux APIs »")
		}

		res = post(b, nil)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Votre nouveau token a été créé avec succès.", "Votre nouveau token ne sera affiché qu’une seule fois")
		m := keyShown.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no key shown:\n%s", res.Body)
		}
		key := m[1]
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
		}
		mails := securityMails(site)
		if len(mails) != 1 || mails[0].To != admin.Email {
			t.Fatalf("mails: %+v", mails)
		}
		body, _ := mail.Get(t.Context(), d, mails[0].ID)
		if !strings.Contains(body.Text, "127.0.0.1") {
			t.Errorf("the mail does not give the client address:\n%s", body.Text)
		}
		if res := b.Get("/api/v1/siaes/?departement=69", "Authorization", "Token "+key); res.StatusCode != http.StatusOK {
			t.Errorf("the key does not open the API: %d %s", res.StatusCode, res.Body)
		}

		// Again: the same single token, masked, no second mail.
		res = post(b, nil)
		webtest.WantBody(t, res, "Votre token d’API se termine par", strings.Repeat("*", 37)+key[37:])
		webtest.WantNoBody(t, res, key, "avec succès")
		if res := b.Get(apitoken.AccessPath); strings.Contains(res.Body, key) {
			t.Error("the key is shown again")
		}
		if n := len(securityMails(site)); n != 1 {
			t.Errorf("%d mails", n)
		}
	})
}

func TestAccess_RegeneratingAndDeletingRevokeTheOldKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.Company(org.EI, "Bâtir")
		b := site.LoginAs(site.EmployerOf(co, "admin@example.org"))
		first := keyShown.FindStringSubmatch(post(b, nil).Body)[1]
		res := post(b, url.Values{"action": {"regenerate"}, "confirm": {"1"}})
		webtest.WantBody(t, res, "Votre token a été regénéré avec succès.")
		m := keyShown.FindStringSubmatch(res.Body)
		if m == nil || m[1] == first {
			t.Fatalf("no new key:\n%s", res.Body)
		}
		old := b.Get("/api/v1/siaes/?departement=69", "Authorization", "Token "+first)
		if old.StatusCode != http.StatusUnauthorized || old.Body != `{"detail":"Token non valide."}`+"\n" {
			t.Errorf("old key: %d %s", old.StatusCode, old.Body)
		}
		if n := len(securityMails(site)); n != 2 {
			t.Errorf("%d mails", n)
		}
		res = post(b, url.Values{"action": {"revoke"}, "confirm": {"1"}})
		webtest.WantBody(t, res, "Votre token d’API a été supprimé", "Vous n’avez pas encore de token d’API")
		if res := b.Get("/api/v1/siaes/?departement=69", "Authorization", "Token "+m[1]); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("deleted key: %d", res.StatusCode)
		}
		if !strings.Contains(site.AuditActions(), apitoken.ActionRevoked) {
			t.Errorf("audit: %s", site.AuditActions())
		}
	})
}

func TestAccess_OnlyTheAdminOfTheCurrentCompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.Company(org.ACI, "Jardins de Lyon")
		site.EmployerOf(co, "admin@example.org")
		member := site.Member(org.TypeCompany, co.ID, "member@example.org", "Marc", "Membre")
		b := site.LoginAs(member)
		webtest.WantStatus(t, b.Get(apitoken.AccessPath), http.StatusForbidden)
		webtest.WantStatus(t, post(b, nil), http.StatusForbidden)
		if strings.Contains(b.Get("/dashboard").Body, `id="dashboard-api-link"`) {
			t.Error("a non-admin sees the link")
		}
		p := site.Prescriber(org.ML, "Mission locale", true)
		webtest.WantStatus(t, site.LoginAs(site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "P")).Get(apitoken.AccessPath), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(site.CreateJobSeeker("js@example.org")).Get(apitoken.AccessPath), http.StatusForbidden)
		if res := site.Browser().Get(apitoken.AccessPath); res.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous: %d", res.StatusCode)
		}
		var n int
		d.NewRaw("SELECT COUNT(*) FROM api_token").Scan(t.Context(), &n)
		if n != 0 {
			t.Errorf("%d tokens", n)
		}
	})
}

func TestAccess_ListsEveryCompanyOfTheViewerWithItsRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		first := site.Company(org.ACI, "Job insertion 90")
		u := site.EmployerOf(first, "admin@example.org")
		branded := site.StoredCompany(org.EI, func(c *org.Company) { c.Brand = "Emploi CAPITAL Mais pas que" })
		site.Member(org.TypeCompany, branded.ID, "boss@example.org", "B", "B")
		if _, err := site.Services.Orgs.AddMember(t.Context(), actor.Actor{UserID: u.ID}, org.TypeCompany, branded.ID, u.ID, false); err != nil {
			t.Fatal(err)
		}
		b := site.LoginAs(u)
		b.Post("/dashboard/switch-organization", url.Values{"organization": {string(org.TypeCompany) + "-" + first.UID}})
		res := b.Get(apitoken.AccessPath)
		webtest.WantStatus(t, res, http.StatusOK)
		text := res.Text()
		for _, row := range []string{
			"<td>Job insertion 90</td><td><code>" + first.UID + "</code></td><td>oui</td>",
			"<td>Emploi CAPITAL Mais pas que</td><td><code>" + branded.UID + "</code></td><td>non</td>",
		} {
			if !strings.Contains(text, row) {
				t.Errorf("missing row %s in:\n%s", row, res.Body)
			}
		}
	})
}
