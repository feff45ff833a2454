package eligibility_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/webtest"
)

func TestIAEPage_OnlyHabilitatedPrescribersReachIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		path := eligibility.IAEPath(w.jobSeeker.PublicID, "")
		tests := []struct {
			name string
			b    *webtest.Browser
			want int
		}{
			{"habilitated prescriber", w.site.LoginAs(w.prescriber), http.StatusOK},
			{"orienteur", w.site.LoginAs(w.orienteur), http.StatusForbidden},
			{"job seeker", w.site.LoginAs(w.jobSeeker), http.StatusForbidden},
			{"SIAE employer", w.site.LoginAs(w.aciMember), http.StatusForbidden},
			{"anonymous", w.site.Browser(), http.StatusSeeOther},
		}
		for _, tt := range tests {
			res := tt.b.Get(path)
			if res.StatusCode != tt.want {
				t.Errorf("%s: GET %d, want %d", tt.name, res.StatusCode, tt.want)
			}
			if tt.want != http.StatusOK {
				res = tt.b.Post(path, w.keys(eligibility.RSA))
				if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusSeeOther {
					t.Errorf("%s: POST %d", tt.name, res.StatusCode)
				}
			}
		}
		if n := w.count("eligibility_diagnosis", "1 = 1"); n != 0 {
			t.Fatalf("%d diagnoses written by refused viewers", n)
		}
		res := w.site.LoginAs(w.prescriber).Get(eligibility.IAEPath("not-a-job-seeker", ""))
		webtest.WantStatus(t, res, http.StatusNotFound)
	})
}

// Edge case 46 through the page: incompatible criteria re-render the form with the French
// error next to the criterion, and nothing is written.
func TestIAEPage_IncompatibleCriteriaReRenderWithFrenchErrorsAndWriteNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.site.LoginAs(w.prescriber)
		path := eligibility.IAEPath(w.jobSeeker.PublicID, "")
		res := b.Get(path)
		webtest.WantBody(t, res, "Valider l'éligibilité IAE de Julie CANDIDATE", "Critères administratifs de niveau 1",
			"Critères administratifs de niveau 2", "Bénéficiaire du RSA")
		res = b.Post(path, w.keys(eligibility.SENIOR, eligibility.JEUNE, eligibility.RSA))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		wantText(t, res, "Vous ne pouvez pas sélectionner en même temps les critères Senior (+50 ans) et Jeune (-26 ans).")
		webtest.WantBody(t, res, `id="error-summary"`, `aria-invalid="true"`)
		if !strings.HasPrefix(res.Title(t), "Erreur") {
			t.Errorf("title %q", res.Title(t))
		}
		if n := w.count("eligibility_diagnosis", "1 = 1") + w.count("audit_event", "object_type LIKE ?", "%eligibility%"); n != 0 {
			t.Fatalf("%d rows written by a refused form", n)
		}
	})
}

// Scenario 31 and edge case 44: the prescriber validates, then renews: a new diagnosis replaces
// the old one, which expires today; submitting without opening the criteria changes nothing.
func TestIAEPage_PrescriberValidatesThenRenewsAndTheOldDiagnosisExpiresToday(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.site.LoginAs(w.prescriber)
		path := eligibility.IAEPath(w.jobSeeker.PublicID, "")
		res := b.Post(path, url.Values{}) // no criterion: allowed for a prescriber (edge case 46)
		wantLocation(t, res, "/eligibility/diagnoses/")
		first := w.lastDiagnosis(w.jobSeeker)
		res = b.Follow(res)
		webtest.WantStatus(t, res, http.StatusOK)
		wantText(t, res, "Paula Prescriptrice", "Mission locale de Lille", "Prescripteur habilité",
			"Valide jusqu'au "+localtime.Date(first.ExpiresAt.AddDate(0, 0, -1)), "entretien socio-professionnel")

		res = b.Get(path)
		webtest.WantBody(t, res, "Mettre à jour l'éligibilité IAE", "Diagnostic en cours", `name="reveal"`)
		res = b.Post(path, w.keys(eligibility.RSA)) // the criteria were not opened
		wantLocation(t, res, eligibility.DiagnosisPath(first.ID))
		if n := w.count("eligibility_diagnosis", "1 = 1"); n != 1 {
			t.Fatalf("%d diagnoses after a shrouded submission", n)
		}

		form := w.keys(eligibility.RSA, eligibility.QPV)
		form.Set("reveal", "1")
		res = b.Post(path, form)
		wantLocation(t, res, "/eligibility/diagnoses/")
		second := w.lastDiagnosis(w.jobSeeker)
		if second.ID == first.ID {
			t.Fatal("no new diagnosis")
		}
		today := w.site.Services.Eligibility.Today()
		var old eligibility.Diagnosis
		if err := w.site.DB.NewSelect().Model(&old).Where("ed.id = ?", first.ID).Scan(t.Context()); err != nil {
			t.Fatal(err)
		}
		if !old.ExpiresAt.Equal(today) || old.IsValid(today) {
			t.Errorf("old diagnosis expires %s, want today %s", old.ExpiresAt, today)
		}
		if !second.ExpiresAt.Equal(eligibility.ExpiresAt(eligibility.AuthorPrescriber, today)) {
			t.Errorf("new diagnosis expires %s", second.ExpiresAt)
		}
		res = b.Follow(res)
		wantText(t, res, "Bénéficiaire du RSA", "Résident QPV")
		if got := w.site.AuditActions(); !strings.Contains(got, "eligibility_diagnosis_expired") || strings.Count(got, "eligibility_diagnosis_created") != 2 {
			t.Errorf("audit %q", got)
		}
	})
}

// Scenario 32: with a valid PASS IAE the page sends the prescriber back, no diagnosis needed.
func TestIAEPage_AValidPASSRedirectsWithNoDiagnosisNeeded(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.pass(w.jobSeeker, time.Now().UTC().AddDate(0, 6, 0))
		b := w.site.LoginAs(w.prescriber)
		next := "/job-seekers/details/" + w.jobSeeker.PublicID
		res := b.Get(eligibility.IAEPath(w.jobSeeker.PublicID, next))
		webtest.WantRedirect(t, res, next)
		res = b.Post(eligibility.IAEPath(w.jobSeeker.PublicID, next), w.keys(eligibility.RSA))
		webtest.WantRedirect(t, res, next)
		if n := w.count("eligibility_diagnosis", "1 = 1"); n != 0 {
			t.Fatalf("%d diagnoses despite a valid PASS", n)
		}
		res = b.Get(next)
		wantText(t, res, "a un PASS IAE valide : aucun diagnostic")
	})
}

// Edge case 43: a diagnosis of SIAE A is invisible to SIAE B; the prescribers' is visible to both.
func TestDiagnosisPage_AnSIAENeverSeesAnotherSIAEsDiagnosis(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := t.Context()
		own, err := w.site.Services.Eligibility.CreateIAE(ctx, webtest.EmployerActor(w.aciMember, w.aci), w.jobSeeker.PublicID,
			w.keyList(eligibility.RSA), eligibility.CreateOptions{ForHiring: true})
		if err != nil {
			t.Fatal(err)
		}
		path := eligibility.DiagnosisPath(own.ID)
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Get(path), http.StatusOK)
		webtest.WantStatus(t, w.site.LoginAs(w.eiMember).Get(path), http.StatusNotFound)
		webtest.WantStatus(t, w.site.LoginAs(w.prescriber).Get(path), http.StatusNotFound)
		webtest.WantStatus(t, w.site.LoginAs(w.jobSeeker).Get(path), http.StatusNotFound)
	})
}

// §2.5: a criterion an API certified shows its badge on the diagnosis page and on the update
// form; one no API has answered about yet shows « Certification en cours ».
func TestDiagnosisPage_ACertifiedCriterionShowsItsBadge(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := t.Context()
		diag, err := w.site.Services.Eligibility.CreateIAE(ctx, webtest.PrescriberActor(w.prescriber, w.prescriberOrg), w.jobSeeker.PublicID,
			w.keyList(eligibility.RSA, eligibility.AAH), eligibility.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if _, err := d.NewRaw(`UPDATE selected_administrative_criteria SET certified_at = ?, certified_from = ?
			WHERE eligibility_diagnosis_id = ? AND administrative_criteria_id = 1`, now, now.AddDate(0, -1, 0), diag.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		b := w.site.LoginAs(w.prescriber)
		res := b.Get(eligibility.DiagnosisPath(diag.ID))
		webtest.WantBody(t, res, `Bénéficiaire du RSA <span class="fr-badge fr-badge--sm fr-badge--info">Certifié</span>`)
		webtest.WantBody(t, res, "Certification en cours") // AAH: no answer yet
		webtest.WantBody(t, b.Get(eligibility.IAEPath(w.jobSeeker.PublicID, "")), `fr-ml-1w">Certifié</span>`)
	})
}

// §2.5 through France Travail: the TH criterion certified by the agent API's RQTH shows
// « Certifié » like API Particulier's criteria, and the job seeker's identity is certified.
func TestDiagnosisPage_THCertifiedByFranceTravailShowsItsBadge(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := t.Context()
		ft := fttest.New()
		t.Cleanup(ft.Close)
		ft.AddUser(fttest.User{FTID: "12345678901", RQTH: fttest.RQTHValid("2020-01-01", francetravail.OpenEnd)})
		w.site.Services.UseFranceTravail(ft.Config())
		diag, err := w.site.Services.Eligibility.CreateIAE(ctx, webtest.PrescriberActor(w.prescriber, w.prescriberOrg), w.jobSeeker.PublicID,
			w.keyList("TH", eligibility.DETLD), eligibility.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, pole_emploi_id, updated_at) VALUES (?, ?, '12345678901', ?)`,
			w.jobSeeker.ID, fmt.Sprintf("%030d", w.jobSeeker.ID), time.Now().UTC()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		b := w.site.LoginAs(w.prescriber)
		// « en cours » until France Travail has answered.
		webtest.WantBody(t, b.Get(eligibility.DiagnosisPath(diag.ID)), "Certification en cours")

		if err := w.site.Services.Certifier.CertifyFT(ctx, false, diag.ID); err != nil {
			t.Fatalf("certify: %v (France Travail: %v)", err, ft.Problems())
		}
		page := b.Get(eligibility.DiagnosisPath(diag.ID))
		webtest.WantBody(t, page, `Travailleur handicapé <span class="fr-badge fr-badge--sm fr-badge--info">Certifié</span>`)
		webtest.WantNoBody(t, page, "Certification en cours")
		if ok, err := w.site.Services.JobSeekers.IdentityCertified(ctx, &jobseeker.JobSeeker{User: w.jobSeeker}); err != nil || !ok {
			t.Errorf("identity certified = %v, %v; want true", ok, err)
		}
	})
}
