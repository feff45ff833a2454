package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// Page tests of the accessibility audit's findings (issue 8, part 6); the browser suite
// (browsertest) checks focus, reflow and axe-core on the rendered pages.

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

func titleOf(t *testing.T, res *testResponse) string {
	t.Helper()
	m := titleRE.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("%s: no <title>", res.Request.URL.Path)
	}
	return m[1]
}

func TestRefusedLogin_ShowsAFocusedSummaryLinkingEachFieldUnderATitleSayingErreur(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		res := site.browser().post("/accounts/login", url.Values{"email": {""}, "password": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := titleOf(t, res); got != "Erreur : Connexion - Les emplois de l'inclusion" {
			t.Errorf("title %q", got)
		}
		email := `<a href="#id_email">Adresse e-mail : Ce champ est obligatoire.</a>`
		password := `<a href="#id_password">Mot de passe : Ce champ est obligatoire.</a>`
		wantBody(t, res, `id="error-summary" tabindex="-1" autofocus>`, "<p>Le formulaire contient des erreurs.</p>", email, password)
		if strings.Index(res.Body, email) > strings.Index(res.Body, password) {
			t.Error("the summary does not list the fields in the order of the form")
		}
		if ok := site.browser().get("/accounts/login"); strings.Contains(ok.Body, "error-summary") || titleOf(t, ok) != "Connexion - Les emplois de l'inclusion" {
			t.Error("the login page shows an error before any submission")
		}
	})
}

func TestFicheForm_LeavesTheChecksToTheServerAndItsFrenchMessages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := jobdescSite(t, d)
		co := site.testCompany(org.ACI)
		b := site.loginAs(site.employerOf(co, "aci@example.org"))
		wantBody(t, b.get("/company/job_description/new"), `id="jobdesc-form" novalidate>`)
		res := b.post("/company/job_description/new", url.Values{})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, `id="error-summary"`, `<a href="#id_contract_type">`)
	})
}

func TestPageTitles_TellTheOrganizationPagesAndTheSignupStepsApart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		c := site.company(org.ACI, "Atelier du Rhône")
		admin := site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		titles := map[string]string{
			"organization":  titleOf(t, site.loginAs(admin).get(org.OverviewPath(c.UID))),
			"public card":   titleOf(t, site.browser().get("/company/"+c.UID+"/card")),
			"staff page":    titleOf(t, site.loginAs(site.staff).get(staffOrgPath(c.UID))),
			"signup start":  titleOf(t, site.browser().get("/signup/professional")),
			"signup step 2": titleOf(t, site.browser().get("/signup/professional/password")),
		}
		seen := map[string]string{}
		for page, title := range titles {
			if other, ok := seen[title]; ok {
				t.Errorf("the %s and the %s share the title %q", page, other, title)
			}
			seen[title] = page
		}
		if !strings.HasPrefix(titles["public card"], "Atelier du Rhône") {
			t.Errorf("the public card's title %q does not start with the company's name", titles["public card"])
		}
	})
}

func TestCompanyCard_TheLoginLinkBringsTheJobSeekerBackToTheCard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ACI, "Atelier du Rhône")
		site.createJobSeeker("seeker@example.org")
		card := "/company/" + c.UID + "/card"
		b := site.browser()
		res := b.get(card)
		m := regexp.MustCompile(`href="(/accounts/login\?next=[^"]*)">Se connecter pour postuler`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("the card has no login link:\n%s", res.Body)
		}
		if strings.Contains(m[1], "%25") {
			t.Errorf("the login link %s encodes its next twice", m[1])
		}
		login := b.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		wantBody(t, login, `name="next" value="`+card+`"`)
		res = b.post("/accounts/login", url.Values{"email": {"seeker@example.org"}, "password": {testPassword}, "next": {card}})
		wantRedirect(t, res, card)
	})
}
