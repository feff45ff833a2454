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
	// Allowance is the State allowance of the criteria ticked, which the form updates as they
	// change (geiqAllowance).
	Allowance string
}

// geiqHeading is the title of the GEIQ criteria pages.
const geiqHeading = "Éligibilité GEIQ"

// geiqPage creates a GEIQ diagnosis: an authorized prescriber or a GEIQ member (§2.2), while
// no valid one is visible to them (§2.6).
func (h *Handler) geiqPage(w http.ResponseWriter, r *http.Request) { h.geiqCreate(w, r, false) }

func (h *Handler) geiq(w http.ResponseWriter, r *http.Request) { h.geiqCreate(w, r, true) }

func (h *Handler) geiqCreate(w http.ResponseWriter, r *http.Request, post bool) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	publicID := r.PathValue("job_seeker")
	err := h.eligibility.MayAuthorGEIQ(ctx, a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	js, err := h.jobSeekers.ByPublicID(ctx, a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	next := eligibility.SafeNext(r.URL.Query().Get("next"))
	d := geiqData{JobSeeker: js.Name(), Action: eligibility.GEIQPath(publicID, next),
		Back: cmpOr(next, jobSeekerDetailsPath(publicID))}
	h.geiqForm(w, r, post, d, nil, next, func(keys []string) (*eligibility.GEIQDiagnosis, error) {
		return h.eligibility.CreateGEIQ(ctx, a, publicID, keys)
	})
}

// geiqForm shows the GEIQ criteria form with the criteria of checked ticked, or saves the
// criteria posted with save: a refusal re-renders the form with its errors; a success goes
// to next, or to the diagnosis page.
func (h *Handler) geiqForm(w http.ResponseWriter, r *http.Request, post bool, d geiqData, checked []string, next string,
	save func(keys []string) (*eligibility.GEIQDiagnosis, error)) {
	cat, err := h.eligibility.Catalog(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d.Criteria = geiqCriteria(cat, checked)
	if d.Heading == "" {
		d.Heading = geiqHeading + " de " + d.JobSeeker
	}
	if !post {
		if d.Allowance, err = h.allowance(r, checked); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusOK, "geiq.html", geiqHeading, d)
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	keys := d.Criteria.read(r)
	g, err := save(keys)
	if err != nil {
		if !d.Criteria.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		if d.Allowance, err = h.allowance(r, keys); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "geiq.html", geiqHeading, d)
		return
	}
	h.redirect(w, r, cmpOr(next, eligibility.GEIQDiagnosisPath(g.ID)),
		"Le diagnostic d'éligibilité GEIQ est enregistré : aide de l'État de "+eligibility.AllowanceLabel(g.Allowance())+".")
}

// allowance is the French amount of the State allowance the criteria of keys would open in a
// diagnosis by the viewer (§2.6).
func (h *Handler) allowance(r *http.Request, keys []string) (string, error) {
	euros, err := h.eligibility.GEIQAllowanceFor(r.Context(), h.kit.ActorOf(r), keys)
	if err != nil {
		return "", err
	}
	return eligibility.AllowanceLabel(euros), nil
}

// geiqAllowance answers the GEIQ criteria form's live amount (an htmx fragment, on every
// change of the form) for the criteria it posts; nothing is saved.
func (h *Handler) geiqAllowance(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	cat, err := h.eligibility.Catalog(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	amount, err := h.allowance(r, geiqCriteria(cat, nil).read(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Fragment(w, r, http.StatusOK, "geiq.html", "geiq_allowance", "", amount)
}

// geiqDiagnosis shows a GEIQ diagnosis with its allowance (a GEIQ never sees another GEIQ's).
func (h *Handler) geiqDiagnosis(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadGEIQDiagnosis(w, r)
	if !ok {
		return
	}
	author, err := h.eligibility.AuthorOf(r.Context(), &d.DiagnosisBase, d.AuthorGEIQID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := geiqView(d, author, h.eligibility.Today())
	if mayUpdateGEIQ(d, viewerCompany(h.kit.ActorOf(r)), h.eligibility) == nil {
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
	h.geiqUpdateForm(w, r, false)
}

func (h *Handler) geiqUpdate(w http.ResponseWriter, r *http.Request) { h.geiqUpdateForm(w, r, true) }

func (h *Handler) geiqUpdateForm(w http.ResponseWriter, r *http.Request, post bool) {
	d, ok := h.loadGEIQDiagnosis(w, r)
	if !ok {
		return
	}
	a := h.kit.ActorOf(r)
	if err := mayUpdateGEIQ(d, viewerCompany(a), h.eligibility); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	var keys []string
	for _, c := range d.Criteria {
		keys = append(keys, c.Criterion.Key())
	}
	next := eligibility.SafeNext(r.URL.Query().Get("next"))
	data := geiqData{Heading: "Modifier le diagnostic d'éligibilité GEIQ", Action: eligibility.GEIQUpdatePath(d.ID, next),
		Back: cmpOr(next, eligibility.GEIQDiagnosisPath(d.ID))}
	h.geiqForm(w, r, post, data, keys, next, func(keys []string) (*eligibility.GEIQDiagnosis, error) {
		return h.eligibility.UpdateGEIQ(r.Context(), a, d.ID, keys)
	})
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
