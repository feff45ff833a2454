package eligibility

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// jobSeekerDetailsPath is the job seeker's page of the jobseeker room (where a prescriber comes
// from when no other page is named).
func jobSeekerDetailsPath(publicID string) string { return "/job-seekers/details/" + publicID }

// iaeData is what iae.html shows.
type iaeData struct {
	JobSeeker string
	Update    bool
	Current   *diagnosisView
	Criteria  *criteriaForm
	Action    string
	Back      string
}

// iaePage is « Valider / Mettre à jour l'éligibilité IAE » (§2.2): authorized prescribers only
// (orienteurs 403); a job seeker holding a valid PASS IAE needs none (scenario 32).
func (h *Handler) iaePage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadIAE(w, r)
	if !ok {
		return
	}
	h.renderIAE(w, r, http.StatusOK, d)
}

func (h *Handler) iae(w http.ResponseWriter, r *http.Request) {
	d, ok := h.loadIAE(w, r)
	if !ok || !h.kit.ParsePost(w, r) {
		return
	}
	ctx, a := r.Context(), h.kit.ActorOf(r)
	keys := d.form.read(r)
	if d.form.Shrouded && !d.form.Revealed {
		// The criteria of the valid diagnosis were not opened: nothing changes (§2.2).
		h.redirect(w, r, d.next(d.current.ID), "Le diagnostic d'éligibilité IAE en cours est conservé, sans modification.")
		return
	}
	diag, err := h.eligibility.CreateIAE(ctx, a, d.js.PublicID(), keys, eligibility.CreateOptions{})
	if errors.Is(err, eligibility.ErrValidPASS) {
		h.redirect(w, r, d.back, eligibility.ErrValidPASS.Message)
		return
	}
	if err != nil {
		if !d.form.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderIAE(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	h.redirect(w, r, d.next(diag.ID), "L'éligibilité IAE de "+d.js.Name()+" est validée jusqu'au "+
		localtime.Date(diag.ExpiresAt.AddDate(0, 0, -1))+".")
}

// iaeState is what the prescriber's page reads before showing or saving the form.
type iaeState struct {
	js      *jobseeker.JobSeeker
	current *eligibility.Diagnosis
	view    *diagnosisView
	form    *criteriaForm
	nextURL string // where to go afterwards, "" for the diagnosis page
	back    string
}

func (s *iaeState) next(diagnosisID int64) string {
	if s.nextURL != "" {
		return s.nextURL
	}
	return eligibility.DiagnosisPath(diagnosisID)
}

// loadIAE checks the viewer may author the diagnosis of the job seeker of the URL and builds
// the form: the valid diagnosis's criteria shrouded, else the prefill of §2.3.
func (h *Handler) loadIAE(w http.ResponseWriter, r *http.Request) (*iaeState, bool) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	publicID := r.PathValue("job_seeker")
	s := &iaeState{nextURL: eligibility.SafeNext(r.URL.Query().Get("next"))}
	s.back = s.nextURL
	if s.back == "" {
		s.back = jobSeekerDetailsPath(publicID)
	}
	err := h.eligibility.MayAuthorIAE(ctx, a, publicID, eligibility.CreateOptions{})
	if errors.Is(err, eligibility.ErrValidPASS) {
		h.redirect(w, r, s.back, eligibility.ErrValidPASS.Message)
		return nil, false
	}
	if err == nil {
		s.js, err = h.jobSeekers.ByPublicID(ctx, a, publicID)
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	st, err := h.eligibility.StatusOf(ctx, a, s.js.User.ID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	cat, err := h.eligibility.Catalog(ctx)
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	today := h.eligibility.Today()
	if st.Diagnosis != nil && st.Diagnosis.IsValid(today) {
		s.current, s.view = st.Diagnosis, iaeView(st.Diagnosis, st.Author, today)
		var keys []string
		badges := map[string]string{}
		for _, c := range st.Diagnosis.Criteria {
			keys = append(keys, c.Criterion.Key())
			badges[c.Criterion.Key()] = badge(c, st.Diagnosis.ExpiresAt, today)
		}
		s.form = iaeCriteria(cat, keys, badges)
		s.form.Shrouded = true
		return s, true
	}
	kinds := eligibility.Prefill(eligibility.PrefillInput{Profile: s.js.Profile, LastCheckedAt: s.js.User.LastCheckedAt}, h.eligibility.Now())
	s.form = iaeCriteria(cat, cat.IAEKeys(kinds), nil)
	s.form.Prefilled = len(kinds) > 0
	return s, true
}

func (h *Handler) renderIAE(w http.ResponseWriter, r *http.Request, status int, s *iaeState) {
	title := "Valider l'éligibilité IAE"
	if s.current != nil {
		title = "Mettre à jour l'éligibilité IAE"
	}
	action := eligibility.IAEPath(s.js.PublicID(), s.nextURL)
	h.tpl.Render(w, r, status, "iae.html", title, iaeData{JobSeeker: s.js.Name(), Update: s.current != nil,
		Current: s.view, Criteria: s.form, Action: action, Back: s.back})
}

// diagnosisData is what diagnosis.html shows.
type diagnosisData struct {
	Diagnosis *diagnosisView
	GEIQ      bool
	Title     string
}

// diagnosis shows an IAE diagnosis to whoever may see it (edge case 43: never another SIAE's).
func (h *Handler) diagnosis(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.kit.Fail(w, r, eligibility.ErrNotFound)
		return
	}
	d, err := h.eligibility.IAEDiagnosis(ctx, a, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	author, err := h.eligibility.AuthorOf(ctx, &d.DiagnosisBase, d.AuthorCompanyID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := iaeView(d, author, h.eligibility.Today())
	if v.Valid && page.ViewerOf(r).Organization != nil && page.ViewerOf(r).Organization.FromAuthorizedPrescriber() {
		js, err := h.jobSeekers.Get(ctx, a, d.JobSeekerID)
		if err == nil {
			v.UpdateURL = eligibility.IAEPath(js.PublicID(), "")
		}
	}
	const title = "Diagnostic d'éligibilité IAE"
	h.tpl.Render(w, r, http.StatusOK, "diagnosis.html", title, diagnosisData{Diagnosis: v, Title: title})
}
