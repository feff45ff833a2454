package eligibility

import (
	"errors"
	"net/http"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/org"
)

// The employer's eligibility steps (§2.2 employer side, §2.3 minimums, applications.md §3.4-6,
// §3.5-4): an SIAE with no usable diagnosis for the job seeker and no valid PASS IAE ticks the
// criteria while accepting a candidature or declaring a hire; a GEIQ may record its own GEIQ
// diagnosis, or go on without one.

// stepData is what step.html shows.
type stepData struct {
	JobSeeker string
	Criteria  *criteriaForm
	Action    string
	Back      string
	// Minimum explains the criteria an SIAE of this kind needs (§2.3).
	Minimum string
}

const stepTitle = "Éligibilité IAE du candidat"

// minimumHint says what an SIAE of this kind must tick (§2.3).
func minimumHint(kind org.CompanyKind) string {
	n := "trois"
	if kind == org.AI || kind == org.ETTI {
		n = "deux"
	}
	return "Pour embaucher ce candidat, sélectionnez au moins un critère administratif de niveau 1, ou au moins " + n + " critères de niveau 2."
}

// candidature reads the candidature of the URL as its receiving company's member sees it: any
// other viewer, or a company of another kind than want allows, gets 404.
func (h *Handler) candidature(w http.ResponseWriter, r *http.Request, want func(org.CompanyKind) bool) (*application.Details, bool) {
	a := h.kit.ActorOf(r)
	d, err := h.applications.Details(r.Context(), a, r.PathValue("id"), application.EmployerPage)
	if err == nil && (d.Side != application.SideEmployer || viewerCompany(a) != d.Company.ID || !want(d.Company.Kind)) {
		err = eligibility.ErrNotFound
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	if !d.CanAccept {
		http.Redirect(w, r, application.DetailsPath(d.App.PublicID), http.StatusSeeOther)
		return nil, false
	}
	return d, true
}

func isGEIQ(k org.CompanyKind) bool { return k == org.GEIQ }

// acceptStepPage is the SIAE's step of the acceptance of a candidature.
func (h *Handler) acceptStepPage(w http.ResponseWriter, r *http.Request) { h.accept(w, r, false) }

func (h *Handler) acceptStep(w http.ResponseWriter, r *http.Request) { h.accept(w, r, true) }

func (h *Handler) accept(w http.ResponseWriter, r *http.Request, post bool) {
	d, ok := h.candidature(w, r, org.CompanyKind.IsSIAE)
	if !ok {
		return
	}
	id := d.App.PublicID
	h.hiringStep(w, r, d.JobSeekerPublicID, d.Company.Kind, eligibility.AcceptStepPath(id), eligibility.AcceptPath(id),
		application.DetailsPath(id), post)
}

// hireStepPage is the SIAE's step of a direct hire (« Déclarer une embauche »).
func (h *Handler) hireStepPage(w http.ResponseWriter, r *http.Request) { h.hire(w, r, false) }

func (h *Handler) hireStep(w http.ResponseWriter, r *http.Request) { h.hire(w, r, true) }

func (h *Handler) hire(w http.ResponseWriter, r *http.Request, post bool) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	jsID := r.URL.Query().Get("job_seeker_public_id")
	if _, err := h.applications.DirectHireStart(ctx, a, jsID); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	kind := org.CompanyKind(a.Organization.Kind)
	if !kind.IsSIAE() {
		h.kit.Fail(w, r, eligibility.ErrNotSIAE)
		return
	}
	h.hiringStep(w, r, jsID, kind, eligibility.HireStepPath(jsID), eligibility.HirePath(jsID), eligibility.HirePath(jsID), post)
}

// hiringStep shows or saves the SIAE's criteria for the job seeker, then goes on to next; when
// no diagnosis is needed (one is usable, or a PASS IAE is valid) it goes on at once.
func (h *Handler) hiringStep(w http.ResponseWriter, r *http.Request, jsPublicID string, kind org.CompanyKind, action, next, back string, post bool) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	hiring := eligibility.CreateOptions{ForHiring: true}
	err := h.eligibility.MayAuthorIAE(ctx, a, jsPublicID, hiring)
	if errors.Is(err, eligibility.ErrAlreadyEligible) {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	js, err := h.jobSeekers.ByPublicID(ctx, a, jsPublicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	cat, err := h.eligibility.Catalog(ctx)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := iaeCriteria(cat, nil, nil)
	d := stepData{JobSeeker: js.Name(), Criteria: form, Action: action, Back: back, Minimum: minimumHint(kind)}
	if !post {
		kinds := eligibility.Prefill(eligibility.PrefillInput{Profile: js.Profile, LastCheckedAt: js.User.LastCheckedAt}, h.eligibility.Now())
		d.Criteria = iaeCriteria(cat, cat.IAEKeys(kinds), nil)
		d.Criteria.Prefilled = len(kinds) > 0
		h.tpl.Render(w, r, http.StatusOK, "step.html", stepTitle, d)
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	if _, err := h.eligibility.CreateIAE(ctx, a, jsPublicID, form.read(r), hiring); err != nil {
		if !form.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "step.html", stepTitle, d)
		return
	}
	h.redirect(w, r, next, "Les critères d'éligibilité de "+js.Name()+" sont enregistrés.")
}

// geiqStepPage is the GEIQ's optional step of the acceptance: its valid GEIQ diagnosis, or the
// criteria form with « Continuer sans diagnostic » (§2.6, applications.md §3.5-4).
func (h *Handler) geiqStepPage(w http.ResponseWriter, r *http.Request) { h.geiqAccept(w, r, false) }

func (h *Handler) geiqStep(w http.ResponseWriter, r *http.Request) { h.geiqAccept(w, r, true) }

func (h *Handler) geiqAccept(w http.ResponseWriter, r *http.Request, post bool) {
	d, ok := h.candidature(w, r, isGEIQ)
	if !ok {
		return
	}
	id := d.App.PublicID
	h.geiqHiringStep(w, r, post, d.JobSeekerPublicID, eligibility.AcceptPath(id), geiqData{JobSeeker: d.JobSeekerName,
		Action: eligibility.GEIQStepPath(id), Back: application.DetailsPath(id), Skip: eligibility.AcceptPath(id)})
}

// geiqHireStepPage is the same optional step of a GEIQ's direct hire (applications.md §3.4-6):
// « Continuer sans diagnostic » goes on to the contract step, which no longer offers it.
func (h *Handler) geiqHireStepPage(w http.ResponseWriter, r *http.Request) { h.geiqHire(w, r, false) }

func (h *Handler) geiqHireStep(w http.ResponseWriter, r *http.Request) { h.geiqHire(w, r, true) }

func (h *Handler) geiqHire(w http.ResponseWriter, r *http.Request, post bool) {
	jsID := r.URL.Query().Get("job_seeker_public_id")
	start, err := h.applications.DirectHireStart(r.Context(), h.kit.ActorOf(r), jsID)
	if err == nil && !start.IsGEIQ() {
		err = eligibility.ErrNotFound
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.geiqHiringStep(w, r, post, jsID, eligibility.HirePath(jsID), geiqData{JobSeeker: start.JobSeekerName,
		Action: eligibility.GEIQHireStepPath(jsID), Back: application.DirectHirePath, Skip: eligibility.HireWithoutGEIQPath(jsID)})
}

// geiqHiringStep shows or saves the GEIQ's criteria for the job seeker hired, then goes on to
// next; with a valid GEIQ diagnosis already, it goes on at once.
func (h *Handler) geiqHiringStep(w http.ResponseWriter, r *http.Request, post bool, jsPublicID, next string, data geiqData) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	err := h.eligibility.MayAuthorGEIQ(ctx, a, jsPublicID)
	if errors.Is(err, eligibility.ErrGEIQExists) {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.geiqForm(w, r, post, data, nil, next, func(keys []string) (*eligibility.GEIQDiagnosis, error) {
		return h.eligibility.CreateGEIQ(ctx, a, jsPublicID, keys)
	})
}
