package jobseeker

import (
	"net/http"
	"net/url"
	"strings"

	"emplois/internal/jobseeker"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The identity search (applications.md §3.2-2, R38): a NIR first; then, once a NIR was tried,
// an e-mail; then the creation wizard. The tunnel that needs a job seeker starts it with
// /job-seekers/search?next=<local path> and gets back to next with job_seeker_public_id=<id>.

// DetailsPath is the page of a job seeker for professionals.
func DetailsPath(publicID string) string { return "/job-seekers/details/" + url.PathEscape(publicID) }

// continueURL is where a found or created job seeker goes on: next with the job seeker's public
// id added to its query, or their page when the search had no next.
func continueURL(next, publicID string) string {
	next = httpx.LocalTarget(next, "")
	if next == "" {
		return DetailsPath(publicID)
	}
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	return next + sep + "job_seeker_public_id=" + url.QueryEscape(publicID)
}

// card is the preview of a found job seeker.
type card struct {
	Name, Email, Birthdate string
	PersonalData, Followed bool
	ContinueURL            string
}

func newCard(j *jobseeker.JobSeeker, next string) *card {
	c := &card{Name: j.Name(), PersonalData: j.PersonalData, Followed: j.CreatedByViewer, ContinueURL: continueURL(next, j.PublicID())}
	if j.PersonalData {
		c.Email = j.User.Email
		if j.Profile.Birthdate != nil {
			c.Birthdate = localtime.Date(*j.Profile.Birthdate)
		}
	}
	return c
}

type searchData struct {
	Form *page.Form
	Next string
	Key  string
	// Tried: a NIR was tried, so the page offers to go on without one.
	Tried bool
	Card  *card
	// AttachNIR is the NIR typed at the NIR search, offered for the found job seeker who has
	// none (applications.md §3.2-2b); PublicID is that job seeker's.
	AttachNIR, PublicID string
}

func nirForm() *page.Form {
	return page.NewForm(&page.Field{Name: "nir", Label: "Numéro de sécurité sociale du candidat", Required: true,
		Hint: "15 caractères, les espaces sont acceptés."})
}

func emailForm() *page.Form {
	return page.NewForm(&page.Field{Name: "email", Label: "Adresse e-mail personnelle du candidat", Type: "email", Required: true,
		Autocomplete: "off", Hint: "Format attendu : nom@domaine.fr."})
}

const searchTitle = "Rechercher un candidat"

func (h *Handler) searchNIRPage(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r) {
		return
	}
	next := httpx.LocalTarget(r.URL.Query().Get("next"), "")
	h.tpl.Render(w, r, http.StatusOK, "search_nir.html", searchTitle, searchData{Form: nirForm(), Next: next})
}

// allowed answers 403 to the professionals who may not search job seekers (institutions
// through a shared route, actors.md §9).
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request) bool {
	role, err := h.jobseekers.RoleOf(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.ServerError(w, r, err)
		return false
	}
	if !jobseeker.CanSearchAndCreate(role) {
		h.kit.Fail(w, r, jobseeker.ErrForbidden)
		return false
	}
	return true
}

func (h *Handler) searchNIR(w http.ResponseWriter, r *http.Request) {
	form := nirForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	a := h.kit.ActorOf(r)
	next := httpx.LocalTarget(r.PostForm.Get("next"), "")
	data := searchData{Form: form, Next: next, Tried: true}
	if r.PostForm.Get("action") == "skip" {
		h.startWizard(w, r, next, "")
		return
	}
	found, err := h.jobseekers.FindByNIR(r.Context(), a, form.Fields["nir"].Value)
	if err != nil {
		if !form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, page.RefusalStatus(w, err), "search_nir.html", searchTitle, data)
		return
	}
	if found == nil {
		h.startWizard(w, r, next, form.Fields["nir"].Value)
		return
	}
	data.Card = newCard(found, next)
	h.tpl.Render(w, r, http.StatusOK, "search_nir.html", searchTitle, data)
}

// startWizard opens the per-tab wizard after a NIR attempt and goes on to the e-mail search.
func (h *Handler) startWizard(w http.ResponseWriter, r *http.Request, next, nir string) {
	wz, err := h.jobseekers.StartProxyWizard(r.Context(), h.kit.ActorOf(r), next, nir)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/job-seekers/search/email?key="+url.QueryEscape(wz.Key), http.StatusSeeOther)
}

func (h *Handler) searchEmailPage(w http.ResponseWriter, r *http.Request) {
	wz, err := h.jobseekers.ProxyWizardOf(r.Context(), h.kit.ActorOf(r), r.URL.Query().Get("key"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "search_email.html", searchTitle, searchData{Form: emailForm(), Key: wz.Key, Next: wz.Next})
}

func (h *Handler) searchEmail(w http.ResponseWriter, r *http.Request) {
	form := emailForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	a, wz, ok := h.postedWizard(w, r)
	if !ok {
		return
	}
	data := searchData{Form: form, Key: wz.Key, Next: wz.Next}
	found, err := h.jobseekers.FindByEmail(r.Context(), a, form.Fields["email"].Value)
	if err != nil {
		if !form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, page.RefusalStatus(w, err), "search_email.html", searchTitle, data)
		return
	}
	if found != nil {
		if err := h.offerNIR(r, wz, found, &data); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusOK, "search_email.html", searchTitle, data)
		return
	}
	wz.Input.Email = form.Fields["email"].Value
	if err := h.jobseekers.SaveProxyWizard(r.Context(), a, wz); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, createPath(wz.Key, "identity"), http.StatusSeeOther)
}

// offerNIR shows the found job seeker and, when they have no NIR, the viewer may attach one and
// typed one at the NIR search, offers to attach it (applications.md §3.2-2b).
func (h *Handler) offerNIR(r *http.Request, wz *jobseeker.ProxyWizard, found *jobseeker.JobSeeker, data *searchData) error {
	data.Card = newCard(found, wz.Next)
	if found.Profile.NIR != nil || wz.NIR == "" {
		return nil
	}
	role, err := h.jobseekers.RoleOf(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		return err
	}
	if jobseeker.CanAttachNIR(role) {
		data.AttachNIR, data.PublicID = wz.NIR, found.PublicID()
	}
	return nil
}

// attachNIR attaches the NIR of the wizard's NIR search to the job seeker found by e-mail,
// then goes on as « Continuer » does; a refusal (a NIR taken, inconsistent) stays on the page
// with the reason, and nothing is saved.
func (h *Handler) attachNIR(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	a, wz, ok := h.postedWizard(w, r)
	if !ok {
		return
	}
	j, err := h.jobseekers.AttachNIR(r.Context(), a, r.PostForm.Get("public_id"), wz.NIR)
	if err == nil {
		h.kit.SetFlash(r, "Le numéro de sécurité sociale est rattaché au compte de "+j.Name()+".")
		http.Redirect(w, r, continueURL(wz.Next, j.PublicID()), http.StatusSeeOther)
		return
	}
	form := emailForm()
	if !form.Show(err) {
		h.kit.Fail(w, r, err)
		return
	}
	found, ferr := h.jobseekers.ByPublicID(r.Context(), a, r.PostForm.Get("public_id"))
	if ferr != nil {
		h.kit.Fail(w, r, ferr)
		return
	}
	form.Fields["email"].Value = found.User.Email
	data := searchData{Form: form, Key: wz.Key, Next: wz.Next}
	data.Card = newCard(found, wz.Next)
	h.tpl.Render(w, r, page.RefusalStatus(w, err), "search_email.html", searchTitle, data)
}

// postedWizard is the viewer's wizard of the posted key; it answers the page itself (a 404)
// when there is none.
func (h *Handler) postedWizard(w http.ResponseWriter, r *http.Request) (actor.Actor, *jobseeker.ProxyWizard, bool) {
	a := h.kit.ActorOf(r)
	wz, err := h.jobseekers.ProxyWizardOf(r.Context(), a, r.PostForm.Get("key"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return a, nil, false
	}
	return a, wz, true
}
