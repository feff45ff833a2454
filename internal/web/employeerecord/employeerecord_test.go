package employeerecord_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/asp"
	"emplois/internal/employeerecord"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// world is an ACI with an admin, a member who is not admin, and a fiche of one of its hires.
type world struct {
	site          *webtest.Site
	aci           *org.Company
	admin, member *account.User
	fiche         *employeerecord.Record
}

// hired is a new job seeker named last, complete for a fiche, hired by co with a PASS IAE;
// it returns the candidature's public id.
func hired(t *testing.T, site *webtest.Site, co *org.Company, last string) string {
	t.Helper()
	js := site.CreateUser(account.JobSeeker, strings.ToLower(last)+"@example.org", "Prénom", last)
	pass := webtest.SeedPASS(t, site.DB, js.ID, webtest.PASSSeed{Start: time.Now().AddDate(0, -1, 0)})
	if _, err := site.DB.NewRaw(`UPDATE users SET title = 'MME' WHERE id = ?`, js.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := site.DB.NewRaw(`UPDATE job_seeker_profile SET nir = ?, education_level = '40' WHERE user_id = ?`,
		"2900575123"+strings.Repeat("0", 4)+string(rune('0'+js.ID%10)), js.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return site.Candidature(js, co, "accepted", pass)
}

func newWorld(t *testing.T, d *db.DB) *world {
	site := webtest.New(t, d).WithDemoCommunes()
	w := &world{site: site, aci: site.Company(org.ACI, "La Recyclerie")}
	w.admin = site.EmployerOf(w.aci, "rh@recyclerie.example")
	w.member = site.Member(org.TypeCompany, w.aci.ID, "equipe@recyclerie.example", "Marc", "Membre")
	var err error
	w.fiche, err = site.Services.EmployeeRecords.Create(context.Background(), webtest.EmployerActor(w.admin, w.aci), hired(t, site, w.aci, "Dupont"), "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestList_TheAdminSeesNewAndRejectedFichesByDefaultAndActsOnThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.site.LoginAs(w.admin)
		res := b.Get(employeerecord.ListPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Fiches salarié ASP", "Prénom Dupont", w.fiche.ApprovalNumber, "Nouvelle", `id="er-status-NEW" name="status" value="NEW" checked`,
			`id="er-status-REJECTED" name="status" value="REJECTED" checked`)
		webtest.WantNoBody(t, res, "er-siret-warning")

		res = b.Post(employeerecord.ActionPath(w.fiche.PublicID, "disable"), url.Values{})
		webtest.WantRedirect(t, res, employeerecord.ListPath+"?status=DISABLED")
		res = b.Get(employeerecord.ListPath + "?status=DISABLED")
		webtest.WantBody(t, res, "La fiche salarié est désactivée", "Désactivée", "Réactiver")
		res = b.Get(employeerecord.ListPath)
		webtest.WantBody(t, res, "Aucune fiche salarié dans ces statuts.")
		// Twice: the table refuses, in French, and nothing changes.
		res = b.Post(employeerecord.ActionPath(w.fiche.PublicID, "disable"), url.Values{})
		webtest.WantStatus(t, res, http.StatusConflict)
		webtest.WantBody(t, res, "ne peut pas être désactivée")

		res = b.Post(employeerecord.ActionPath(w.fiche.PublicID, "enable"), url.Values{})
		webtest.WantRedirect(t, res, employeerecord.ListPath+"?status=NEW")
	})
}

func TestList_OnlyTheCompanysAdminsAndOnlyItsFiches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		res := w.site.LoginAs(w.member).Get(employeerecord.ListPath)
		webtest.WantStatus(t, res, http.StatusForbidden)

		other := w.site.Company(org.EI, "Autre SIAE")
		intruder := w.site.LoginAs(w.site.EmployerOf(other, "rh@autre.example"))
		webtest.WantStatus(t, intruder.Post(employeerecord.ActionPath(w.fiche.PublicID, "disable"), url.Values{}), http.StatusNotFound)
		webtest.WantNoBody(t, intruder.Get(employeerecord.ListPath+"?status=NEW"), "Dupont")

		geiq := w.site.Company(org.GEIQ, "GEIQ du Rhône")
		res = w.site.LoginAs(w.site.EmployerOf(geiq, "rh@geiq.example")).Get(employeerecord.ListPath)
		webtest.WantStatus(t, res, http.StatusForbidden)

		fiche, err := w.site.Services.EmployeeRecords.Get(context.Background(), webtest.EmployerActor(w.admin, w.aci), w.fiche.PublicID)
		if err != nil || fiche.Status != employeerecord.StatusNew {
			t.Errorf("the fiche changed: %+v %v", fiche, err)
		}
	})
}

func TestAdd_ListsTheHiresWithoutAFiche(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		hired(t, w.site, w.aci, "Martin")
		res := w.site.LoginAs(w.admin).Get(employeerecord.AddPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Prénom Martin")
		webtest.WantNoBody(t, res, "Prénom Dupont")
	})
}

func TestWizard_TheAdminCompletesAFicheStepByStep(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		if err := asp.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		hire := hired(t, w.site, w.aci, "Martin")
		b := w.site.LoginAs(w.admin)
		webtest.WantBody(t, b.Get(employeerecord.AddPath), `name="application" value="`+hire+`"`, "Créer la fiche")
		res := b.Post("/employee_record/create", url.Values{"application": {hire}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/etat-civil") {
			t.Fatalf("start: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		step := res.Header.Get("Location")
		base := strings.TrimSuffix(step, "etat-civil")
		webtest.WantBody(t, b.Get(step), "Fiche salarié de Prénom Martin", "Étape 1 sur 5", "Pays de naissance")

		// A refused step comes back with its errors, in French.
		res = b.Post(step, url.Values{"title": {"MME"}, "birth_country": {"99100"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Indiquez la commune de naissance")
		next := func(slug string, form url.Values) {
			t.Helper()
			res := b.Post(base+slug, form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", slug, res.StatusCode, res.Text())
			}
		}
		next("etat-civil", url.Values{"title": {"MME"}, "birth_country": {"99350"}})
		webtest.WantBody(t, b.Get(base+"domiciliation"), "Étape 2 sur 5", "Type de voie")
		next("domiciliation", url.Values{"hexa_lane_number": {"12"}, "hexa_lane_type": {"RUE"}, "hexa_lane_name": {"des Serres"},
			"hexa_post_code": {"69003"}, "hexa_commune": {"69123"}})
		next("situation", url.Values{"education_level": {"40"}, "lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"},
			"has_rsa_allocation": {"NON"}, "isolated_parent": {"on"}})
		var annex string
		if err := d.NewRaw("SELECT CAST(id AS TEXT) FROM siae_financial_annex WHERE convention_id = ?", *w.aci.ConventionID).Scan(ctx, &annex); err != nil {
			t.Fatal(err)
		}
		next("annexe", url.Values{"financial_annex": {annex}})
		webtest.WantBody(t, b.Get(base+"validation"), "Étape 5 sur 5", "Valider la fiche salarié", "Maroc", "DES SERRES 69003 69123")
		res = b.Post(base+"validation", url.Values{})
		webtest.WantRedirect(t, res, employeerecord.ListPath+"?status=READY")
		webtest.WantBody(t, b.Get(employeerecord.ListPath+"?status=READY"), "Prénom Martin", "Complétée", "La fiche salarié est complétée")

		// Someone else cannot walk into the journey.
		other := w.site.LoginAs(w.site.EmployerOf(w.aci, "autre.admin@recyclerie.example"))
		webtest.WantStatus(t, other.Get(base+"etat-civil"), http.StatusNotFound)
	})
}
