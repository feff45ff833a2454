package approval_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// world is a PASS IAE of a job seeker hired by an ACI, with people around it.
type world struct {
	site     *webtest.Site
	js       *account.User
	pass     *approval.Approval
	aci      *org.Company
	employer *account.User
}

func newWorld(t *testing.T, site *webtest.Site) *world {
	t.Helper()
	w := &world{site: site, aci: site.Company(org.ACI, "La Recyclerie")}
	w.js = site.CreateUser(account.JobSeeker, "lea@example.org", "Léa", "Durand")
	w.pass = issuePASS(t, site, w.js, time.Now().UTC().AddDate(0, -1, 0))
	w.employer = site.EmployerOf(w.aci, "rh@recyclerie.example")
	site.Candidature(w.js, w.aci, "accepted", w.pass)
	return w
}

// prescriber is a member of a new prescriber organization, following js or not.
func (w *world) prescriber(t *testing.T, kind org.PrescriberKind, habilitated, follows bool, email string) *account.User {
	t.Helper()
	p := w.site.Prescriber(kind, "Orga "+email, habilitated)
	u := w.site.Member(org.TypePrescriber, p.ID, email, "Paul", "Conseil")
	if follows {
		now := time.Now().UTC()
		if _, err := w.site.DB.NewRaw(`INSERT INTO job_seeker_assignment (job_seeker_id, professional_id, prescriber_organization_id, last_action_kind, created_at, updated_at) VALUES (?, ?, ?, 'APPLY', ?, ?)`,
			w.js.ID, u.ID, p.ID, now, now).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func TestDetailPage_ShowsThePASSOnlyToWhomMaySeeIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		w := newWorld(t, site)
		path := "/approvals/details/" + w.pass.PublicID
		other := site.Company(org.EI, "Autre SIAE")
		geiq := site.Company(org.GEIQ, "Le GEIQ")
		site.Candidature(w.js, geiq, "new", nil)
		staff := site.CreateUser(account.Staff, "staff@example.org", "Sam", "Staff")

		for _, c := range []struct {
			name        string
			who         *account.User
			status      int
			certificate bool
			contracts   bool
		}{
			{"holder", w.js, http.StatusOK, false, false},
			{"another job seeker", site.CreateJobSeeker("autre@example.org"), http.StatusNotFound, false, false},
			{"the hiring SIAE", w.employer, http.StatusOK, true, true},
			{"another SIAE", site.EmployerOf(other, "rh@autre.example"), http.StatusNotFound, false, false},
			{"a GEIQ that received a candidature", site.EmployerOf(geiq, "rh@geiq.example"), http.StatusOK, false, true},
			{"a habilitated prescriber following the person", w.prescriber(t, org.AFPA, true, true, "suit@afpa.example"), http.StatusOK, false, true},
			{"a habilitated prescriber following someone else", w.prescriber(t, org.AFPA, true, false, "autre@afpa.example"), http.StatusNotFound, false, false},
			{"an orienteur following the person", w.prescriber(t, org.Orienteur, false, true, "orienteur@example.org"), http.StatusNotFound, false, false},
			{"staff", staff, http.StatusOK, false, true},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := site.LoginAs(c.who).Get(path)
				webtest.WantStatus(t, res, c.status)
				if c.status != http.StatusOK {
					webtest.WantNoBody(t, res, w.pass.DisplayNumber(), "Durand")
					return
				}
				webtest.WantBody(t, res, "PASS IAE de Léa Durand", w.pass.DisplayNumber(), ">Valide<", "Créé normalement via les emplois")
				if got := contains(res.Body, `id="approval-certificate"`); got != c.certificate {
					t.Errorf("certificate button %v, want %v", got, c.certificate)
				}
				if got := contains(res.Body, `id="approval-contracts"`); got != c.contracts {
					t.Errorf("contracts %v, want %v", got, c.contracts)
				}
			})
		}
		webtest.WantStatus(t, site.Browser().Get(path), http.StatusSeeOther)
		webtest.WantStatus(t, site.LoginAs(staff).Get("/approvals/details/nope"), http.StatusNotFound)
	})
}

func TestDetailPage_OffersTheSuspensionAndProlongationToTheLastHirerOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		w := newWorld(t, site)
		path := "/approvals/details/" + w.pass.PublicID
		res := site.LoginAs(w.employer).Get(path)
		webtest.WantBody(t, res, `href="/approvals/suspend/`+w.pass.PublicID+`"`)

		// A later hire by another SIAE: the first employer is told why it may not suspend
		// (scenario 11); the new one may.
		ei := site.Company(org.EI, "Nouvelle SIAE")
		newcomer := site.EmployerOf(ei, "rh@nouvelle.example")
		site.Clock.Advance(time.Minute)
		site.Candidature(w.js, ei, "accepted", w.pass)
		if _, err := site.DB.NewRaw(`UPDATE job_application SET processed_at = ? WHERE to_company_id = ?`, time.Now().UTC().Add(time.Hour), ei.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		res = site.LoginAs(w.employer).Get(path)
		webtest.WantBody(t, res, approval.ErrNotLastHirer.Error())
		webtest.WantNoBody(t, res, `href="/approvals/suspend/`)
		webtest.WantBody(t, site.LoginAs(newcomer).Get(path), `href="/approvals/suspend/`+w.pass.PublicID+`"`)
		webtest.WantNoBody(t, site.LoginAs(w.js).Get(path), `/approvals/suspend/`, `/approvals/declare_prolongation/`)
	})
}

func contains(body, part string) bool { return strings.Contains(body, part) }

func TestDashboard_ShowsTheHolderTheirPASSAndTheSIAEItsList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		w := newWorld(t, site)
		res := site.LoginAs(w.js).Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Mon PASS IAE", w.pass.DisplayNumber(), ">Valide<", `href="/approvals/details/`+w.pass.PublicID+`"`)
		webtest.WantNoBody(t, site.LoginAs(site.CreateJobSeeker("sanspass@example.org")).Get("/dashboard"), "Mon PASS IAE")
		webtest.WantBody(t, site.LoginAs(w.employer).Get("/dashboard"), `href="/approvals/list"`)
		geiq := site.EmployerOf(site.Company(org.GEIQ, "Le GEIQ"), "rh@geiq.example")
		webtest.WantNoBody(t, site.LoginAs(geiq).Get("/dashboard"), `href="/approvals/list"`)
	})
}
