package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

// jobdescSite is a test site with the demo reference data, whose fiches de poste service runs on
// the site's clock.
func jobdescSite(t *testing.T, d *db.DB) *testSite {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	site := newTestSite(t, d)
	site.Server.jobdescs.Now = site.Clock.Now
	return site
}

var companySeq int

// testCompany stores an active company of this kind (SIAE get an active convention).
func (ts *testSite) testCompany(kind org.CompanyKind, change ...func(*org.Company)) *org.Company {
	ts.t.Helper()
	ctx := context.Background()
	companySeq++
	now := time.Now().UTC()
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("987654321%05d", companySeq), Kind: kind,
		Name: fmt.Sprintf("Les Jardins %d", companySeq), Source: org.SourceASP, IsSearchable: true, Department: "69",
		Description: "Chantier d'insertion en maraîchage biologique.", Email: "contact@jardins.example.org",
		Phone: "04 72 00 00 00", CreatedAt: now, UpdatedAt: now,
		Address: org.Address{AddressLine1: "12 rue des Serres", PostCode: "69003", CityName: "Lyon", CommuneCode: "69123"}}
	switch kind {
	case org.GEIQ:
		co.Source = org.SourceGEIQ
	case org.OPCS, org.EA, org.EATT, org.Reserved:
		co.Source = org.SourceStaffCreated
	}
	if kind.IsSIAE() {
		conv := &org.Convention{Kind: kind, SiretSignature: co.SIRET, IsActive: true, ASPID: int64(1000 + companySeq), CreatedAt: now, UpdatedAt: now}
		if _, err := ts.DB.NewInsert().Model(conv).Exec(ctx); err != nil {
			ts.t.Fatal(err)
		}
		co.ConventionID = &conv.ID
	}
	for _, c := range change {
		c(co)
	}
	if _, err := ts.DB.NewInsert().Model(co).Exec(ctx); err != nil {
		ts.t.Fatal(err)
	}
	return co
}

// employerOf creates a professional, active member of co.
func (ts *testSite) employerOf(co *org.Company, email string) *account.User {
	ts.t.Helper()
	u := ts.createUser(account.Professional, email, "Karim", "Benali")
	now := time.Now().UTC()
	_, err := ts.DB.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, TRUE, TRUE, ?, ?)`, u.ID, co.ID, now, now, now).Exec(context.Background())
	if err != nil {
		ts.t.Fatal(err)
	}
	return u
}

// text is the page as a reader sees it (HTML entities decoded: "n&#39;existe" is "n'existe").
func text(res *testResponse) string { return html.UnescapeString(res.Body) }

func ficheForm(appellation, contract string) url.Values {
	return url.Values{"appellation": {appellation}, "contract_type": {contract}, "open_positions": {"2"},
		"hours_per_week": {"26"}, "description": {"Entretien des bureaux"}, "profile_description": {"Débutant accepté"}}
}

func (ts *testSite) ficheUIDs(co *org.Company) []string {
	ts.t.Helper()
	var uids []string
	err := ts.DB.NewSelect().Table("job_description").Column("uid").Where("company_id = ?", co.ID).
		OrderExpr("ui_rank, id").Scan(context.Background(), &uids)
	if err != nil {
		ts.t.Fatal(err)
	}
	return uids
}

func TestJobdescPages_EmployerCreatesAFicheWithoutJavaScriptAndSeesItListed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := jobdescSite(t, d)
		co := site.testCompany(org.ACI)
		b := site.loginAs(site.employerOf(co, "karim@example.org"))

		page := b.get("/company/job_description/new")
		if page.StatusCode != http.StatusOK {
			t.Fatalf("new form: %d", page.StatusCode)
		}
		for _, want := range []string{"CDD insertion", "Contrat de mission intérimaire", `name="appellation"`, `name="location"`} {
			if !strings.Contains(text(page), want) {
				t.Errorf("form lacks %q", want)
			}
		}
		if strings.Contains(text(page), `value="PERMANENT"`) || strings.Contains(text(page), "market_context_description") {
			t.Error("the form offers what an ACI may not publish")
		}

		// Typed label, no autocomplete pick: read as the appellation; the commune typed as shown.
		form := ficheForm("Auxiliaire de vie", "FIXED_TERM_I")
		form.Set("location", "Villeurbanne (69)")
		res := b.post("/company/job_description/new", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), jobdesc.ListPath) {
			t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
		}
		list := b.follow(res)
		for _, want := range []string{"Auxiliaire de vie", "Villeurbanne (69)", "CDD insertion", "est publiée", "Ouvert"} {
			if !strings.Contains(text(list), want) {
				t.Errorf("list lacks %q", want)
			}
		}
	})
}

func TestJobdescPages_RefusedFormKeepsTheInputWithFrenchErrorsAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := jobdescSite(t, d)
		co := site.testCompany(org.GEIQ)
		b := site.loginAs(site.employerOf(co, "marc@example.org"))
		form := ficheForm("Astronaute lunaire", "FIXED_TERM_I")
		form.Set("custom_name", "Poste du matin")
		res := b.post("/company/job_description/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.StatusCode)
		}
		for _, want := range []string{"n'existe pas dans le répertoire ROME", "n'est pas proposé aux structures de ce type",
			`value="Poste du matin"`, `aria-invalid="true"`, "id_appellation_error"} {
			if !strings.Contains(text(res), want) {
				t.Errorf("refused form lacks %q", want)
			}
		}
		if uids := site.ficheUIDs(co); len(uids) != 0 {
			t.Fatalf("%d fiches written", len(uids))
		}
	})
}

func TestJobdescPages_OnlyMembersActingForTheCompanyManageItsFiches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := jobdescSite(t, d)
		co, other := site.testCompany(org.EI), site.testCompany(org.ACI)
		owner := site.loginAs(site.employerOf(co, "sophie@example.org"))
		if res := owner.post("/company/job_description/new", ficheForm("10688", "FIXED_TERM_I")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		uid := site.ficheUIDs(co)[0]

		intruder := site.loginAs(site.employerOf(other, "intrus@example.org"))
		for _, res := range []*testResponse{
			intruder.get("/company/job_description/" + uid + "/edit"),
			intruder.post("/company/job_description/"+uid+"/edit", ficheForm("10688", "FIXED_TERM_USAGE")),
			intruder.post("/company/job_description/"+uid+"/status", url.Values{"open": {"0"}}),
			intruder.post("/company/job_description/"+uid+"/refresh", nil),
			intruder.post("/company/job_description/"+uid+"/move", url.Values{"direction": {"up"}}),
		} {
			if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s by another company's member: %d", res.Request.Method, res.Request.URL.Path, res.StatusCode)
			}
		}
		// The intruder's own list does not show it.
		if list := intruder.get(jobdesc.ListPath); list.StatusCode != http.StatusOK || strings.Contains(text(list), uid) {
			t.Errorf("intruder's list: %d, shows the fiche: %v", list.StatusCode, strings.Contains(text(list), uid))
		}
		seeker := site.loginAs(site.createJobSeeker("alice@example.org"))
		if res := seeker.get(jobdesc.ListPath); res.StatusCode != http.StatusForbidden {
			t.Errorf("job seeker on the list: %d", res.StatusCode)
		}
		if res := site.browser().get(jobdesc.ListPath); res.StatusCode != http.StatusSeeOther {
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
		site := jobdescSite(t, d)
		co := site.testCompany(org.ETTI)
		u := site.employerOf(co, "etti@example.org")
		b := site.loginAs(u)
		for _, code := range []string{"10688", "10579"} {
			if res := b.post("/company/job_description/new", ficheForm(code, "TEMPORARY")); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
			}
		}
		uids := site.ficheUIDs(co)
		first, second := uids[0], uids[1]

		res := b.post("/company/job_description/"+first+"/status", url.Values{"open": {"0"}})
		if page := b.follow(res); !strings.Contains(text(page), "est fermée") {
			t.Fatalf("closing: %d\n%s", res.StatusCode, page.Body)
		}
		b.post("/company/job_description/"+second+"/move", url.Values{"direction": {"up"}})
		if got := site.ficheUIDs(co); got[0] != second {
			t.Fatalf("move up: order %v", got)
		}

		site.Clock.Advance(61 * 24 * time.Hour)
		b = site.loginAs(u) // the session's absolute lifetime ran out meanwhile
		list := b.get(jobdesc.ListPath)
		if !strings.Contains(text(list), "Vos recrutements sont-ils toujours d'actualité ?") || !strings.Contains(text(list), "À actualiser avant le") {
			t.Fatal("no reminder banner on day 61")
		}
		b.post("/company/job_description/"+second+"/refresh", nil)
		if list := b.get(jobdesc.ListPath); strings.Contains(text(list), "Vos recrutements sont-ils toujours d'actualité ?") {
			t.Fatal("banner still shown after Actualiser (the closed fiche needs none)")
		}
		res = b.post("/company/job_description/"+first+"/status", url.Values{"open": {"1"}})
		if page := b.follow(res); !strings.Contains(text(page), "est ouverte") {
			t.Fatal("reopening failed")
		}

		res = b.post("/company/spontaneous_applications", url.Values{"action": {"open"}})
		if page := b.follow(res); !strings.Contains(text(page), "Ouvertes") || !strings.Contains(text(page), "Fermer les candidatures spontanées") {
			t.Fatalf("spontaneous applications not shown open:\n%s", page.Body)
		}
		site.Clock.Advance(60 * 24 * time.Hour)
		b = site.loginAs(u)
		if list := b.get(jobdesc.ListPath); !strings.Contains(text(list), "Vos candidatures spontanées n'ont pas été actualisées") {
			t.Fatal("no spontaneous reminder on day 60")
		}
	})
}

func TestJobdescPages_EditShowsTheFicheAndSavesChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := jobdescSite(t, d)
		co := site.testCompany(org.OPCS)
		b := site.loginAs(site.employerOf(co, "opcs@example.org"))
		form := ficheForm("11453", "PERMANENT")
		res := b.post("/company/job_description/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(res), "contexte du marché") {
			t.Fatalf("OPCS without market context: %d", res.StatusCode)
		}
		form.Set("market_context_description", "Marché de rénovation")
		form.Set("is_qpv_mandatory", "on")
		if res := b.post("/company/job_description/new", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
		}
		uid := site.ficheUIDs(co)[0]
		edit := b.get("/company/job_description/" + uid + "/edit")
		for _, want := range []string{`value="Auxiliaire de vie (K1302)"`, `value="11453"`, "Marché de rénovation", `id="id_is_qpv_mandatory" name="is_qpv_mandatory" value="on" checked`} {
			if !strings.Contains(text(edit), want) {
				t.Errorf("edit form lacks %q", want)
			}
		}
		form.Set("appellation", "Auxiliaire de vie (K1302)")
		form.Set("appellation_code", "11453")
		form.Set("custom_name", "Auxiliaire de vie de nuit")
		if res := b.post("/company/job_description/"+uid+"/edit", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d\n%s", res.StatusCode, res.Body)
		}
		card := site.browser().get("/company/job_description/" + uid + "/card")
		for _, want := range []string{"Auxiliaire de vie de nuit", "Contexte du marché", "quartier prioritaire", "CDI"} {
			if !strings.Contains(text(card), want) {
				t.Errorf("card lacks %q", want)
			}
		}
	})
}

func TestPublicCards_ShowOpenFichesOnlyAndHideWhatIsNotPublic(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := jobdescSite(t, d)
		co := site.testCompany(org.ACI)
		b := site.loginAs(site.employerOf(co, "aci@example.org"))
		open, closed := ficheForm("10688", "FIXED_TERM_I"), ficheForm("10675", "FIXED_TERM_I")
		open.Set("custom_name", "Agent de propreté du matin")
		closed.Set("custom_name", "Jardinier fermé")
		b.post("/company/job_description/new", open)
		b.post("/company/job_description/new", closed)
		uids := site.ficheUIDs(co)
		b.post("/company/job_description/"+uids[1]+"/status", url.Values{"open": {"0"}})

		anon := site.browser()
		card := anon.get("/company/" + co.UID + "/card")
		if card.StatusCode != http.StatusOK {
			t.Fatalf("card: %d", card.StatusCode)
		}
		for _, want := range []string{co.Name, "Atelier chantier d'insertion", "maraîchage", "Agent de propreté du matin",
			"Comment postuler ?", "Se connecter pour postuler", "contact@jardins.example.org", "12 rue des Serres, 69003 Lyon"} {
			if !strings.Contains(text(card), want) {
				t.Errorf("company card lacks %q", want)
			}
		}
		if strings.Contains(text(card), "Jardinier fermé") {
			t.Error("company card shows a closed fiche")
		}
		if page := anon.get("/company/job_description/" + uids[1] + "/card"); page.StatusCode != http.StatusOK || !strings.Contains(text(page), "Recrutement fermé") {
			t.Errorf("closed fiche page: %d", page.StatusCode)
		}

		blocked := site.testCompany(org.EI, func(c *org.Company) { c.BlockJobApplications = true })
		site.loginAs(site.employerOf(blocked, "bloque@example.org")).post("/company/job_description/new", ficheForm("10688", "FIXED_TERM_I"))
		if page := anon.get("/company/" + blocked.UID + "/card"); !strings.Contains(text(page), "ne reçoit pas de nouvelles candidatures") ||
			!strings.Contains(text(page), "Candidatures bloquées") {
			t.Error("blocked company card does not say so")
		}

		hidden := site.testCompany(org.GEIQ, func(c *org.Company) { c.IsSearchable = false })
		site.loginAs(site.employerOf(hidden, "cache@example.org")).post("/company/job_description/new", ficheForm("10688", "APPRENTICESHIP"))
		for _, path := range []string{"/company/" + hidden.UID + "/card", "/company/job_description/" + site.ficheUIDs(hidden)[0] + "/card",
			"/company/" + site.testCompany(org.EA).UID + "/card", "/company/" + site.testCompany(org.Reserved).UID + "/card",
			"/company/" + uuid.NewString() + "/card", "/company/job_description/" + uuid.NewString() + "/card"} {
			if res := anon.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.StatusCode)
			}
		}
	})
}
