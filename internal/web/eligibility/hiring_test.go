package eligibility_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// Scenario 5 and edge case 45: a job seeker with no diagnosis applies alone to an EI; the EI
// ticks only two level-2 criteria and the form refuses, writing nothing; with three it
// succeeds, goes on to the acceptance, and the diagnosis lasts 92 days.
func TestAcceptStep_AnEINeedsThreeLevel2CriteriaAndItsDiagnosisLasts92Days(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		app := w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.ei, w.jobSeeker)
		b := w.site.LoginAs(w.eiMember)
		path := eligibility.AcceptStepPath(app.PublicID)
		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		wantText(t, res, "Éligibilité IAE de Julie CANDIDATE", "au moins trois critères de niveau 2")

		res = b.Post(path, w.keys("CAP_BEP", eligibility.ASE))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		wantText(t, res, eligibility.MsgCriteriaNumber)
		webtest.WantBody(t, res, `href="#id_criteria"`, `id="id_criteria"`)
		if n := w.count("eligibility_diagnosis", "1 = 1") + w.count("audit_event", "object_type LIKE ?", "%eligibility%"); n != 0 {
			t.Fatalf("%d rows written by a refused form", n)
		}

		res = b.Post(path, w.keys("CAP_BEP", eligibility.ASE, eligibility.QPV))
		webtest.WantRedirect(t, res, eligibility.AcceptPath(app.PublicID))
		diag := w.lastDiagnosis(w.jobSeeker)
		today := w.site.Services.Eligibility.Today()
		if diag.AuthorKind != eligibility.AuthorEmployer || *diag.AuthorCompanyID != w.ei.ID || !diag.ExpiresAt.Equal(today.AddDate(0, 0, 92)) {
			t.Errorf("diagnosis %+v", diag.DiagnosisBase)
		}
		// Now a diagnosis is usable: the step goes on at once.
		webtest.WantRedirect(t, b.Get(path), eligibility.AcceptPath(app.PublicID))
	})
}

// Scenario 6: an ETTI may hire with two level-2 criteria.
func TestAcceptStep_AnETTIHiresWithTwoLevel2Criteria(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		app := w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.etti, w.jobSeeker)
		b := w.site.LoginAs(w.ettiMember)
		res := b.Get(eligibility.AcceptStepPath(app.PublicID))
		wantText(t, res, "au moins deux critères de niveau 2")
		res = b.Post(eligibility.AcceptStepPath(app.PublicID), w.keys(eligibility.SENIOR, eligibility.DELD))
		webtest.WantRedirect(t, res, eligibility.AcceptPath(app.PublicID))
		if n := w.count("eligibility_diagnosis", "author_company_id = ?", w.etti.ID); n != 1 {
			t.Fatalf("%d diagnoses of the ETTI", n)
		}
	})
}

// The step is the receiving SIAE's only: another SIAE, an OPCS (no eligibility, §2.1), a
// prescriber or the job seeker get 404 or 403, and a valid PASS needs no step.
func TestAcceptStep_OtherCompaniesAndKindsCannotReachIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		app := w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.aci, w.jobSeeker)
		toEA := w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.opcs, w.jobSeeker)
		path := eligibility.AcceptStepPath(app.PublicID)
		for name, tt := range map[string]struct {
			b    *webtest.Browser
			path string
			want int
		}{
			"employer of another SIAE":    {w.site.LoginAs(w.eiMember), path, http.StatusNotFound},
			"OPCS on its own candidature": {w.site.LoginAs(w.opcsMember), eligibility.AcceptStepPath(toEA.PublicID), http.StatusNotFound},
			"GEIQ on the IAE step":        {w.site.LoginAs(w.geiqMember), path, http.StatusNotFound},
			"prescriber":                  {w.site.LoginAs(w.prescriber), path, http.StatusForbidden},
			"job seeker":                  {w.site.LoginAs(w.jobSeeker), path, http.StatusForbidden},
		} {
			if res := tt.b.Get(tt.path); res.StatusCode != tt.want {
				t.Errorf("%s: GET %d, want %d", name, res.StatusCode, tt.want)
			}
			if res := tt.b.Post(tt.path, w.keys(eligibility.RSA)); res.StatusCode != tt.want {
				t.Errorf("%s: POST %d, want %d", name, res.StatusCode, tt.want)
			}
		}
		if n := w.count("eligibility_diagnosis", "1 = 1"); n != 0 {
			t.Fatalf("%d diagnoses written by refused viewers", n)
		}
	})
}

// The direct hire's step: the SIAE ticks its criteria and goes back to the hire.
func TestHireStep_TheSIAETicksItsCriteriaThenGoesOnWithTheHire(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.site.LoginAs(w.aciMember)
		path := eligibility.HireStepPath(w.jobSeeker.PublicID)
		webtest.WantStatus(t, b.Get(path), http.StatusOK)
		res := b.Post(path, w.keys("PM"))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		wantText(t, res, eligibility.MsgCriteriaNumber)
		res = b.Post(path, w.keys(eligibility.RSA))
		webtest.WantRedirect(t, res, eligibility.HirePath(w.jobSeeker.PublicID))
		if n := w.count("eligibility_diagnosis", "author_company_id = ?", w.aci.ID); n != 1 {
			t.Fatalf("%d diagnoses of the ACI", n)
		}
		webtest.WantStatus(t, w.site.LoginAs(w.opcsMember).Get(path), http.StatusForbidden)
	})
}

// Scenario 7 side: a GEIQ accepting may record its own GEIQ diagnosis (allowance shown) or go
// on without one; an SIAE gets 404 on that step.
func TestGEIQStep_TheGEIQRecordsItsDiagnosisOrGoesOnWithout(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		app := w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.geiq, w.jobSeeker)
		b := w.site.LoginAs(w.geiqMember)
		path := eligibility.GEIQStepPath(app.PublicID)
		// From the candidature page.
		res := b.Get(application.DetailsPath(app.PublicID))
		wantText(t, res, "Éligibilité GEIQ", "Aucun diagnostic d'éligibilité GEIQ valide")
		webtest.WantBody(t, res, `href="`+path+`" id="eligibility-action"`)
		res = b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="geiq-skip"`, `href="`+eligibility.AcceptPath(app.PublicID)+`"`)
		res = b.Post(path, url.Values{})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		wantText(t, res, eligibility.MsgGEIQCriteriaNeeded)
		res = b.Post(path, w.geiqKeys(eligibility.SENIOR, "PM"))
		webtest.WantRedirect(t, res, eligibility.AcceptPath(app.PublicID))
		var id int64
		if err := w.site.DB.NewSelect().Table("geiq_eligibility_diagnosis").Column("id").Where("author_geiq_id = ?", w.geiq.ID).Scan(t.Context(), &id); err != nil {
			t.Fatal(err)
		}
		wantText(t, b.Get(application.DetailsPath(app.PublicID)), "Diagnostic d'éligibilité GEIQ valide", "Montant de l'aide de l'État : 1 400 €")
		res = b.Get(eligibility.GEIQDiagnosisPath(id))
		wantText(t, res, "Montant de l'aide de l'État", "1 400 €")
		webtest.WantBody(t, res, `id="diagnosis-update"`)
		// Its update: the author GEIQ only.
		res = b.Post(eligibility.GEIQUpdatePath(id, ""), w.geiqKeys(eligibility.SENIOR))
		webtest.WantRedirect(t, res, eligibility.GEIQDiagnosisPath(id))
		wantText(t, b.Get(eligibility.GEIQDiagnosisPath(id)), "0 € (aucune aide de l'État)")
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Get(eligibility.GEIQDiagnosisPath(id)), http.StatusNotFound)
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Get(eligibility.GEIQUpdatePath(id, "")), http.StatusNotFound)
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Get(path), http.StatusNotFound)
	})
}

// A habilitated prescriber's GEIQ diagnosis opens the full allowance; an orienteur may not
// write one; an SIAE may not either.
func TestGEIQPage_PrescriberCreatesAndOthersAreRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		path := eligibility.GEIQPath(w.jobSeeker.PublicID, "")
		webtest.WantStatus(t, w.site.LoginAs(w.orienteur).Get(path), http.StatusForbidden)
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Get(path), http.StatusForbidden)
		webtest.WantStatus(t, w.site.LoginAs(w.jobSeeker).Get(path), http.StatusForbidden)
		b := w.site.LoginAs(w.prescriber)
		res := b.Post(path, w.geiqKeys(eligibility.QPV, eligibility.ZRR))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		wantText(t, res, "Vous ne pouvez pas sélectionner en même temps les critères Résident QPV et Résident ZRR/ZFRR.")
		res = b.Post(path, url.Values{})
		wantLocation(t, res, "/eligibility/geiq-diagnoses/")
		wantText(t, b.Follow(res), "1 400 €", "Prescripteur habilité")
		// A valid one is visible: no second (§2.6).
		webtest.WantStatus(t, b.Get(path), http.StatusConflict)
	})
}

// applications.md §3.4-6: a GEIQ declaring a hire without a valid GEIQ diagnosis is offered
// the optional step of the acceptance; it records the diagnosis or goes on without one.
func TestHireStep_AGEIQIsOfferedItsOptionalDiagnosisThenHires(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.site.LoginAs(w.geiqMember)
		js := w.jobSeeker.PublicID
		step := eligibility.GEIQHireStepPath(js)
		webtest.WantRedirect(t, b.Get(eligibility.HirePath(js)), step)
		res := b.Get(step)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `href="`+strings.ReplaceAll(eligibility.HireWithoutGEIQPath(js), "&", "&amp;")+`" id="geiq-skip"`,
			"Ce diagnostic est facultatif", `aria-live="polite"`, "Montant de l'aide : 0 €")
		// « Continuer sans diagnostic »: the contract step, no longer sent back to the step.
		webtest.WantStatus(t, b.Get(eligibility.HireWithoutGEIQPath(js)), http.StatusOK)
		if n := w.count("geiq_eligibility_diagnosis", "job_seeker_id = ?", w.jobSeeker.ID); n != 0 {
			t.Fatalf("%d GEIQ diagnoses after a skip", n)
		}

		res = b.Post(step, url.Values{})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		wantText(t, res, eligibility.MsgGEIQCriteriaNeeded)
		webtest.WantRedirect(t, b.Post(step, w.geiqKeys(eligibility.RSA)), eligibility.HirePath(js))
		if n := w.count("geiq_eligibility_diagnosis", "author_geiq_id = ?", w.geiq.ID); n != 1 {
			t.Fatalf("%d diagnoses of the GEIQ", n)
		}
		// With a valid diagnosis, the hire goes straight to its contract step, and so does the step.
		webtest.WantStatus(t, b.Get(eligibility.HirePath(js)), http.StatusOK)
		webtest.WantRedirect(t, b.Get(step), eligibility.HirePath(js))

		// An SIAE has no GEIQ step; an OPCS declares no hire.
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Get(step), http.StatusNotFound)
		webtest.WantStatus(t, w.site.LoginAs(w.opcsMember).Get(step), http.StatusForbidden)
	})
}

// §2.6, edge case 48: the amount the GEIQ criteria form shows as criteria are ticked.
func TestGEIQAllowance_TheFormsLiveAmountFollowsTheTickedCriteria(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		const path = "/eligibility/geiq-allowance"
		for _, c := range []struct {
			name  string
			who   *account.User
			kinds []eligibility.Kind
			want  string
		}{
			{"a prescriber, whatever the criteria", w.prescriber, nil, "1 400 €"},
			{"a GEIQ, one level-1", w.geiqMember, []eligibility.Kind{eligibility.RSA}, "1 400 €"},
			{"a GEIQ, two level-2", w.geiqMember, []eligibility.Kind{eligibility.SENIOR, eligibility.ASE}, "1 400 €"},
			{"a GEIQ, one level-2", w.geiqMember, []eligibility.Kind{eligibility.SENIOR}, "0 €"},
			{"a GEIQ, annex 1 only", w.geiqMember, []eligibility.Kind{"MINIMA"}, "814 €"},
			{"a GEIQ, nothing", w.geiqMember, nil, "0 €"},
		} {
			res := w.site.LoginAs(c.who).Post(path, w.geiqKeys(c.kinds...))
			webtest.WantStatus(t, res, http.StatusOK)
			if got := strings.TrimSpace(res.Body); !strings.HasPrefix(got, "Montant de l'aide : "+c.want) {
				t.Errorf("%s: the fragment answers %q, want the amount %s", c.name, got, c.want)
			}
		}
		webtest.WantStatus(t, w.site.LoginAs(w.aciMember).Post(path, url.Values{}), http.StatusForbidden)
		webtest.WantStatus(t, w.site.LoginAs(w.orienteur).Post(path, url.Values{}), http.StatusForbidden)
		// The form posts its changes to the fragment, into a polite live region.
		res := w.site.LoginAs(w.prescriber).Get(eligibility.GEIQPath(w.jobSeeker.PublicID, ""))
		webtest.WantBody(t, res, `hx-post="`+path+`" hx-trigger="change" hx-target="#geiq-allowance"`,
			`id="geiq-allowance" aria-live="polite">Montant de l'aide : 1 400 €`)
	})
}
