package jobdesc_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/application"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// newSite is a test site with the demo reference data (ROME appellations, communes), which the
// fiches de poste are checked against.
func newSite(t *testing.T, d *db.DB) *webtest.Site {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return webtest.New(t, d)
}

func ficheForm(appellation, contract string) url.Values {
	return url.Values{"appellation": {appellation}, "contract_type": {contract}, "open_positions": {"2"},
		"hours_per_week": {"26"}, "description": {"Entretien des bureaux"}, "profile_description": {"Débutant accepté"}}
}

func ficheUIDs(site *webtest.Site, co *org.Company) []string {
	site.T.Helper()
	var uids []string
	err := site.DB.NewSelect().Table("job_description").Column("uid").Where("company_id = ?", co.ID).
		OrderExpr("ui_rank, id").Scan(context.Background(), &uids)
	if err != nil {
		site.T.Fatal(err)
	}
	return uids
}

func TestJobdescPages_EmployerCreatesAFicheWithoutJavaScriptAndSeesItListed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.ACI)
		b := site.LoginAs(site.EmployerOf(co, "karim@example.org"))

		page := b.Get("/company/job_description/new")
		if page.StatusCode != http.StatusOK {
			t.Fatalf("new form: %d", page.StatusCode)
		}
		for _, want := range []string{"CDD insertion", "Contrat de mission intérimaire", `name="appellation"`, `name="location"`} {
			if !strings.Contains(page.Text(), want) {
				t.Errorf("form lacks %q", want)
			}
		}
		if strings.Contains(page.Text(), `value="PERMANENT"`) || strings.Contains(page.Text(), "market_context_description") {
			t.Error("the form offers what an ACI may not publish")
		}

		// Typed label, no autocomplete pick: read as the appellation; the commune typed as shown.
		form := ficheForm("Auxiliaire de vie", "FIXED_TERM_I")
		form.Set("location", "Villeurbanne (69)")
		res := b.Post("/company/job_description/new", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), jobdesc.ListPath) {
			t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
		}
		list := b.Follow(res)
		for _, want := range []string{"Auxiliaire de vie", "Villeurbanne (69)", "CDD insertion", "est publiée", "Ouvert"} {
			if !strings.Contains(list.Text(), want) {
				t.Errorf("list lacks %q", want)
			}
		}
	})
}

func TestJobdescPages_RefusedFormKeepsTheInputWithFrenchErrorsAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.GEIQ)
		b := site.LoginAs(site.EmployerOf(co, "marc@example.org"))
		form := ficheForm("Astronaute lunaire", "FIXED_TERM_I")
		form.Set("custom_name", "Poste du matin")
		res := b.Post("/company/job_description/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.StatusCode)
		}
		for _, want := range []string{"n'existe pas dans le répertoire ROME", "n'est pas proposé aux structures de ce type",
			`value="Poste du matin"`, `aria-invalid="true"`, "id_appellation_error"} {
			if !strings.Contains(res.Text(), want) {
				t.Errorf("refused form lacks %q", want)
			}
		}
		if uids := ficheUIDs(site, co); len(uids) != 0 {
			t.Fatalf("%d fiches written", len(uids))
		}
	})
}

func TestJobdescPages_OnlyMembersActingForTheCompanyManageItsFiches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co, other := site.StoredCompany(org.EI), site.StoredCompany(org.ACI)
		owner := site.LoginAs(site.EmployerOf(co, "sophie@example.org"))
		if res := owner.Post("/company/job_description/new", ficheForm("10688", "FIXED_TERM_I")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		uid := ficheUIDs(site, co)[0]

		intruder := site.LoginAs(site.EmployerOf(other, "intrus@example.org"))
		for _, res := range []*webtest.Response{
			intruder.Get("/company/job_description/" + uid + "/edit"),
			intruder.Post("/company/job_description/"+uid+"/edit", ficheForm("10688", "FIXED_TERM_USAGE")),
			intruder.Post("/company/job_description/"+uid+"/status", url.Values{"open": {"0"}}),
			intruder.Post("/company/job_description/"+uid+"/refresh", nil),
			intruder.Post("/company/job_description/"+uid+"/move", url.Values{"direction": {"up"}}),
		} {
			if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s by another company's member: %d", res.Request.Method, res.Request.URL.Path, res.StatusCode)
			}
		}
		// The intruder's own list does not show it.
		if list := intruder.Get(jobdesc.ListPath); list.StatusCode != http.StatusOK || strings.Contains(list.Text(), uid) {
			t.Errorf("intruder's list: %d, shows the fiche: %v", list.StatusCode, strings.Contains(list.Text(), uid))
		}
		seeker := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		if res := seeker.Get(jobdesc.ListPath); res.StatusCode != http.StatusForbidden {
			t.Errorf("job seeker on the list: %d", res.StatusCode)
		}
		if res := site.Browser().Get(jobdesc.ListPath); res.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous on the list: %d", res.StatusCode)
		}
		var active bool
		if err := d.NewRaw("SELECT is_active FROM job_description WHERE uid = ?", uid).Scan(context.Background(), &active); err != nil || !active {
			t.Fatalf("fiche changed by refused requests: active %v, %v", active, err)
		}
	})
}

func TestJobdescPages_CloseReopenRefreshMoveAndTheReminderBanner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.ETTI)
		u := site.EmployerOf(co, "etti@example.org")
		b := site.LoginAs(u)
		for _, code := range []string{"10688", "10579"} {
			if res := b.Post("/company/job_description/new", ficheForm(code, "TEMPORARY")); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
			}
		}
		uids := ficheUIDs(site, co)
		first, second := uids[0], uids[1]

		res := b.Post("/company/job_description/"+first+"/status", url.Values{"open": {"0"}})
		if page := b.Follow(res); !strings.Contains(page.Text(), "est fermée") {
			t.Fatalf("closing: %d\n%s", res.StatusCode, page.Body)
		}
		b.Post("/company/job_description/"+second+"/move", url.Values{"direction": {"up"}})
		if got := ficheUIDs(site, co); got[0] != second {
			t.Fatalf("move up: order %v", got)
		}

		site.Clock.Advance(61 * 24 * time.Hour)
		b = site.LoginAs(u) // the session's absolute lifetime ran out meanwhile
		list := b.Get(jobdesc.ListPath)
		if !strings.Contains(list.Text(), "Vos recrutements sont-ils toujours d'actualité ?") || !strings.Contains(list.Text(), "À actualiser avant le") {
			t.Fatal("no reminder banner on day 61")
		}
		b.Post("/company/job_description/"+second+"/refresh", nil)
		if list := b.Get(jobdesc.ListPath); strings.Contains(list.Text(), "Vos recrutements sont-ils toujours d'actualité ?") {
			t.Fatal("banner still shown after Actualiser (the closed fiche needs none)")
		}
		res = b.Post("/company/job_description/"+first+"/status", url.Values{"open": {"1"}})
		if page := b.Follow(res); !strings.Contains(page.Text(), "est ouverte") {
			t.Fatal("reopening failed")
		}

		res = b.Post("/company/spontaneous_applications", url.Values{"action": {"open"}})
		if page := b.Follow(res); !strings.Contains(page.Text(), "Ouvertes") || !strings.Contains(page.Text(), "Fermer les candidatures spontanées") {
			t.Fatalf("spontaneous applications not shown open:\n%s", page.Body)
		}
		site.Clock.Advance(60 * 24 * time.Hour)
		b = site.LoginAs(u)
		if list := b.Get(jobdesc.ListPath); !strings.Contains(list.Text(), "Vos candidatures spontanées n'ont pas été actualisées") {
			t.Fatal("no spontaneous reminder on day 60")
		}
	})
}

func TestJobdescPages_EditShowsTheFicheAndSavesChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.OPCS)
		b := site.LoginAs(site.EmployerOf(co, "opcs@example.org"))
		form := ficheForm("11453", "PERMANENT")
		res := b.Post("/company/job_description/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text(), "contexte du marché") {
			t.Fatalf("OPCS without market context: %d", res.StatusCode)
		}
		form.Set("market_context_description", "Marché de rénovation")
		form.Set("is_qpv_mandatory", "on")
		if res := b.Post("/company/job_description/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
		}
		uid := ficheUIDs(site, co)[0]
		edit := b.Get("/company/job_description/" + uid + "/edit")
		for _, want := range []string{`value="Auxiliaire de vie (K1302)"`, `value="11453"`, "Marché de rénovation", `id="id_is_qpv_mandatory" name="is_qpv_mandatory" value="on" checked`} {
			if !strings.Contains(edit.Text(), want) {
				t.Errorf("edit form lacks %q", want)
			}
		}
		form.Set("appellation", "Auxiliaire de vie (K1302)")
		form.Set("appellation_code", "11453")
		form.Set("custom_name", "Auxiliaire de vie de nuit")
		if res := b.Post("/company/job_description/"+uid+"/edit", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d\n%s", res.StatusCode, res.Body)
		}
		card := site.Browser().Get("/company/job_description/" + uid + "/card")
		for _, want := range []string{"Auxiliaire de vie de nuit", "Contexte du marché", "quartier prioritaire", "CDI"} {
			if !strings.Contains(card.Text(), want) {
				t.Errorf("card lacks %q", want)
			}
		}
	})
}

func TestPublicCards_ShowOpenFichesOnlyAndHideWhatIsNotPublic(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.ACI)
		b := site.LoginAs(site.EmployerOf(co, "aci@example.org"))
		open, closed := ficheForm("10688", "FIXED_TERM_I"), ficheForm("10675", "FIXED_TERM_I")
		open.Set("custom_name", "Agent de propreté du matin")
		closed.Set("custom_name", "Jardinier fermé")
		b.Post("/company/job_description/new", open)
		b.Post("/company/job_description/new", closed)
		uids := ficheUIDs(site, co)
		b.Post("/company/job_description/"+uids[1]+"/status", url.Values{"open": {"0"}})

		anon := site.Browser()
		card := anon.Get("/company/" + co.UID + "/card")
		if card.StatusCode != http.StatusOK {
			t.Fatalf("card: %d", card.StatusCode)
		}
		for _, want := range []string{co.Name, "Atelier chantier d'insertion", "maraîchage", "Agent de propreté du matin",
			"Comment postuler ?", "Se connecter pour postuler", "contact@jardins.example.org", "12 rue des Serres, 69003 Lyon"} {
			if !strings.Contains(card.Text(), want) {
				t.Errorf("company card lacks %q", want)
			}
		}
		if strings.Contains(card.Text(), "Jardinier fermé") {
			t.Error("company card shows a closed fiche")
		}
		if page := anon.Get("/company/job_description/" + uids[1] + "/card"); page.StatusCode != http.StatusOK || !strings.Contains(page.Text(), "Recrutement fermé") {
			t.Errorf("closed fiche page: %d", page.StatusCode)
		}

		blocked := site.StoredCompany(org.EI, func(c *org.Company) { c.BlockJobApplications = true })
		site.LoginAs(site.EmployerOf(blocked, "bloque@example.org")).Post("/company/job_description/new", ficheForm("10688", "FIXED_TERM_I"))
		if page := anon.Get("/company/" + blocked.UID + "/card"); !strings.Contains(page.Text(), "ne reçoit pas de nouvelles candidatures") ||
			!strings.Contains(page.Text(), "Candidatures bloquées") {
			t.Error("blocked company card does not say so")
		}

		hidden := site.StoredCompany(org.GEIQ, func(c *org.Company) { c.IsSearchable = false })
		site.LoginAs(site.EmployerOf(hidden, "cache@example.org")).Post("/company/job_description/new", ficheForm("10688", "APPRENTICESHIP"))
		for _, path := range []string{"/company/" + hidden.UID + "/card", "/company/job_description/" + ficheUIDs(site, hidden)[0] + "/card",
			"/company/" + site.StoredCompany(org.EA).UID + "/card", "/company/" + site.StoredCompany(org.Reserved).UID + "/card",
			"/company/" + uuid.NewString() + "/card", "/company/job_description/" + uuid.NewString() + "/card"} {
			if res := anon.Get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.StatusCode)
			}
		}
	})
}

func TestFicheForm_LeavesTheChecksToTheServerAndItsFrenchMessages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.ACI)
		b := site.LoginAs(site.EmployerOf(co, "aci@example.org"))
		webtest.WantBody(t, b.Get("/company/job_description/new"), `id="jobdesc-form" novalidate>`)
		res := b.Post("/company/job_description/new", url.Values{})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, `id="error-summary"`, `<a href="#id_contract_type">`)
	})
}

func TestCompanyCard_TheLoginLinkBringsTheJobSeekerBackToTheCard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ACI, "Atelier du Rhône")
		site.CreateJobSeeker("seeker@example.org")
		card := jobdesc.CompanyCardPath(c.UID)
		b := site.Browser()
		res := b.Get(card)
		m := regexp.MustCompile(`href="(/accounts/login\?next=[^"]*)">Se connecter pour postuler`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("the card has no login link:\n%s", res.Body)
		}
		if strings.Contains(m[1], "%25") {
			t.Errorf("the login link %s encodes its next twice", m[1])
		}
		login := b.Get(strings.ReplaceAll(m[1], "&amp;", "&"))
		webtest.WantBody(t, login, `name="next" value="`+card+`"`)
		res = b.Post("/accounts/login", url.Values{"email": {"seeker@example.org"}, "password": {webtest.Password}, "next": {card}})
		webtest.WantRedirect(t, res, card)
	})
}

func TestCards_ThePostulerButtonStartsTheTunnelsForThoseWhoMayApply(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		co := site.StoredCompany(org.ACI)
		owner := site.LoginAs(site.EmployerOf(co, "aci@example.org"))
		owner.Post("/company/job_description/new", ficheForm("10688", "FIXED_TERM_I"))
		fiche := ficheUIDs(site, co)[0]
		start := application.StartPath(co.UID)
		p := site.Prescriber(org.ML, "Mission locale", true)
		inst := site.Institution()
		for role, c := range map[string]struct {
			b    *webtest.Browser
			want string // the button's label, "" for none
		}{
			"anonyme":        {site.Browser(), ">Postuler<"},
			"candidat":       {site.LoginAs(site.CreateJobSeeker("seeker@example.org")), ">Postuler<"},
			"prescripteur":   {site.LoginAs(site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "P")), ">Postuler pour un candidat<"},
			"employeur":      {owner, ">Enregistrer une candidature<"},
			"institutionnel": {site.LoginAs(site.Member(org.TypeInstitution, inst.ID, "ddets@example.org", "Inès", "I")), ""},
		} {
			t.Run(role, func(t *testing.T) {
				for path, href := range map[string]string{
					jobdesc.CompanyCardPath(co.UID): start,
					jobdesc.CardPath(fiche):         start + "?job_description_id=" + fiche,
				} {
					res := c.b.Get(path)
					webtest.WantStatus(t, res, http.StatusOK)
					if c.want == "" {
						webtest.WantNoBody(t, res, `id="apply-button"`)
						continue
					}
					webtest.WantBody(t, res, `href="`+href+`" id="apply-button">`, c.want)
				}
			})
		}
		blocked := site.StoredCompany(org.EI, func(c *org.Company) { c.BlockJobApplications = true })
		webtest.WantNoBody(t, site.Browser().Get(jobdesc.CompanyCardPath(blocked.UID)), `id="apply-button"`)
	})
}
