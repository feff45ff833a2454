package eligibility

import (
	"net/http"
	"strconv"

	"emplois/internal/eligibility"
	"emplois/internal/platform/actor"
)

// geiqData is what geiq.html shows: the GEIQ criteria form, to create or update a diagnosis.
type geiqData struct {
	JobSeeker string
	Heading   string
	Criteria  *criteriaForm
	Action    string
	Back      string
	// Skip is the « Continuer sans diagnostic » address of a GEIQ's acceptance ("" elsewhere).
	Skip string
}

// geiqHeading is the title of the GEIQ criteria pages.
const geiqHeading = "Éligibilité GEIQ"

// geiqPage creates a GEIQ diagnosis: an authorized prescriber or a GEIQ member (§2.2), while
// no valid one is visible to them (§2.6).
func (h *Handler) geiqPage(w http.ResponseWriter, r *http.Request) {
	js, next, ok := h.loadGEIQ(w, r)
	if !ok {
		return
	}
	cat, err := h.eligibility.Catalog(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderGEIQ(w, r, http.StatusOK, geiqData{JobSeeker: js, Criteria: geiqCriteria(cat, nil),
		Action: eligibility.GEIQPath(r.PathValue("job_seeker"), next), Back: h.geiqBack(r, next)})
}

func (h *Handler) geiq(w http.ResponseWriter, r *http.Request) {
	js, next, ok := h.loadGEIQ(w, r)
	if !ok || !h.kit.ParsePost(w, r) {
		return
	}
	ctx, a := r.Context(), h.kit.ActorOf(r)
	cat, err := h.eligibility.Catalog(ctx)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := geiqCriteria(cat, nil)
	d, err := h.eligibility.CreateGEIQ(ctx, a, r.PathValue("job_seeker"), form.read(r))
	if err != nil {
		if !form.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderGEIQ(w, r, http.StatusUnprocessableEntity, geiqData{JobSeeker: js, Criteria: form,
			Action: eligibility.GEIQPath(r.PathValue("job_seeker"), next), Back: h.geiqBack(r, next)})
		return
	}
	h.redirect(w, r, cmpOr(next, eligibility.GEIQDiagnosisPath(d.ID)), geiqSaved(d))
}

func geiqSaved(d *eligibility.GEIQDiagnosis) string {
	return "Le diagnostic d'éligibilité GEIQ est enregistré : aide de l'État de " + allowanceLabel(d.Allowance()) + "."
}

// loadGEIQ checks the viewer may create a GEIQ diagnosis of the job seeker of the URL.
func (h *Handler) loadGEIQ(w http.ResponseWriter, r *http.Request) (name, next string, ok bool) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	publicID := r.PathValue("job_seeker")
	err := h.eligibility.MayAuthorGEIQ(ctx, a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return "", "", false
	}
	js, err := h.jobSeekers.ByPublicID(ctx, a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return "", "", false
	}
	return js.Name(), eligibility.SafeNext(r.URL.Query().Get("next")), true
}

func (h *Handler) geiqBack(r *http.Request, next string) string {
	return cmpOr(next, jobSeekerDetailsPath(r.PathValue("job_seeker")))
}

func (h *Handler) renderGEIQ(w http.ResponseWriter, r *http.Request, status int, d geiqData) {
	if d.Heading == "" {
		d.Heading = geiqHeading + " de " + d.JobSeeker
	}
	h.tpl.Render(w, r, status, "geiq.html", geiqHeading, d)
}

// geiqDiagnosis shows a GEIQ diagnosis with its allowance (a GEIQ never sees another GEIQ's).
func (h *Handler) geiqDiagnosis(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadGEIQDiagnosis(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	author, err := h.eligibility.AuthorOf(ctx, &d.DiagnosisBase, d.AuthorGEIQID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := geiqView(d, author, h.eligibility.Today())
	if v.Valid && d.AuthorKind == eligibility.AuthorGEIQ && d.AuthorGEIQID != nil && viewerCompany(h.kit.ActorOf(r)) == *d.AuthorGEIQID {
		v.UpdateURL = eligibility.GEIQUpdatePath(d.ID, "")
	}
	const title = "Diagnostic d'éligibilité GEIQ"
	h.tpl.Render(w, r, http.StatusOK, "diagnosis.html", title, diagnosisData{Diagnosis: v, GEIQ: true, Title: title})
}

func viewerCompany(a actor.Actor) int64 {
	if o := a.Organization; o != nil && o.Type == "company" {
		return o.ID
	}
	return 0
}

func (h *Handler) loadGEIQDiagnosis(w http.ResponseWriter, r *http.Request) (*eligibility.GEIQDiagnosis, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.kit.Fail(w, r, eligibility.ErrNotFound)
		return nil, false
	}
	d, err := h.eligibility.GEIQDiagnosisByID(r.Context(), h.kit.ActorOf(r), id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	return d, true
}

// geiqUpdatePage changes the criteria of a GEIQ's own valid diagnosis (§2.2).
func (h *Handler) geiqUpdatePage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadGEIQDiagnosis(w, r)
	if !ok {
		return
	}
	if err := mayUpdateGEIQ(d, viewerCompany(h.kit.ActorOf(r)), h.eligibility); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	cat, err := h.eligibility.Catalog(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	var keys []string
	for _, c := range d.Criteria {
		keys = append(keys, c.Criterion.Key())
	}
	h.renderGEIQ(w, r, http.StatusOK, h.geiqUpdateData(r, d, geiqCriteria(cat, keys)))
}

func (h *Handler) geiqUpdate(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadGEIQDiagnosis(w, r)
	if !ok || !h.kit.ParsePost(w, r) {
		return
	}
	ctx, a := r.Context(), h.kit.ActorOf(r)
	cat, err := h.eligibility.Catalog(ctx)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := geiqCriteria(cat, nil)
	updated, err := h.eligibility.UpdateGEIQ(ctx, a, d.ID, form.read(r))
	if err != nil {
		if !form.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderGEIQ(w, r, http.StatusUnprocessableEntity, h.geiqUpdateData(r, d, form))
		return
	}
	next := eligibility.SafeNext(r.URL.Query().Get("next"))
	h.redirect(w, r, cmpOr(next, eligibility.GEIQDiagnosisPath(updated.ID)), geiqSaved(updated))
}

func (h *Handler) geiqUpdateData(r *http.Request, d *eligibility.GEIQDiagnosis, form *criteriaForm) geiqData {
	next := eligibility.SafeNext(r.URL.Query().Get("next"))
	return geiqData{Heading: "Modifier le diagnostic d'éligibilité GEIQ", Criteria: form,
		Action: eligibility.GEIQUpdatePath(d.ID, next), Back: cmpOr(next, eligibility.GEIQDiagnosisPath(d.ID))}
}

// mayUpdateGEIQ: only the GEIQ author, while the diagnosis is valid (the service checks it
// again when saving).
func mayUpdateGEIQ(d *eligibility.GEIQDiagnosis, companyID int64, svc *eligibility.Service) error {
	if d.AuthorKind != eligibility.AuthorGEIQ || d.AuthorGEIQID == nil || *d.AuthorGEIQID != companyID {
		return eligibility.ErrNotGEIQUpdater
	}
	if !d.IsValid(svc.Today()) {
		return eligibility.ErrExpired
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
