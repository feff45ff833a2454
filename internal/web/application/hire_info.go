package application

import (
	"net/http"
	"net/url"
	"strings"

	"emplois/internal/application"
	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

// The information step of a hire in an SIAE (applications.md §3.4-4, §3.5-2): the NIR, the birth
// date and the France Travail identifier (or the reason for having none) that the profile lacks
// and the PASS IAE needs (approvals.md §2.8: without them the support team delivers it by
// hand). Shown before the contract to the employers who may complete the profile; they may go on
// without.

func (h *Handler) hireInfoRoutes(rt *page.Router) {
	rt.Handle("GET /apply/{id}/accept/info", employersOrStaff, h.acceptInfoPage)
	rt.Handle("POST /apply/{id}/accept/info", employersOrStaff, h.acceptInfo)
	rt.Handle("GET "+application.DirectHirePath+"/info", directHirers, h.hireInfoPage)
	rt.Handle("POST "+application.DirectHirePath+"/info", directHirers, h.hireInfo)
}

// infoDone marks the wizard's address once the step is behind (done or passed).
const infoDone = "info=done"

func acceptInfoPath(id string) string { return acceptPath(id) + "/info" }

func hireInfoPath(jsID string) string {
	return application.DirectHirePath + "/info?job_seeker_public_id=" + url.QueryEscape(jsID)
}

func hireNextPath(jsID string) string {
	return application.DirectHirePath + "?job_seeker_public_id=" + url.QueryEscape(jsID) + "&" + infoDone
}

// infoStep is what hire_info.html shows.
type infoStep struct {
	Form      *page.Form
	Gaps      jobseeker.HireGaps
	Name      string
	Action    string
	Next      string // « Continuer sans compléter »
	FTReasons []jobseeker.Choice
}

func infoForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "nir", Label: "Numéro de sécurité sociale", Hint: "15 caractères, les espaces sont acceptés."},
		&page.Field{Name: "birthdate", Label: "Date de naissance", Type: "date", Hint: "Format attendu : JJ/MM/AAAA."},
		&page.Field{Name: "pole_emploi_id", Label: "Identifiant France Travail", Hint: "7 chiffres suivis d'une lettre ou d'un chiffre, ou 11 chiffres."},
		&page.Field{Name: "lack_of_pole_emploi_id_reason", Label: "Pas d'identifiant France Travail ?"},
	)
}

// needsInfo reports whether the hire of the job seeker jsID should stop at the information
// step first: the profile lacks what the PASS IAE needs and the viewer may fill it in.
func (h *Handler) needsInfo(r *http.Request, jsID string) (bool, error) {
	if r.URL.Query().Get("info") == "done" {
		return false, nil
	}
	gaps, err := h.jobSeekers.HireGapsOf(r.Context(), h.kit.ActorOf(r), jsID)
	return gaps.Any() && gaps.Editable && (gaps.NIR || gaps.FranceTravail), err
}

func (h *Handler) acceptInfoPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if js, ok := h.acceptJobSeeker(w, r, id); ok {
		h.renderInfo(w, r, http.StatusOK, js, infoForm(), acceptInfoPath(id), acceptPath(id)+"?"+infoDone)
	}
}

func (h *Handler) acceptInfo(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if js, ok := h.acceptJobSeeker(w, r, id); ok {
		h.saveInfo(w, r, js, acceptInfoPath(id), acceptPath(id)+"?"+infoDone)
	}
}

func (h *Handler) hireInfoPage(w http.ResponseWriter, r *http.Request) {
	jsID := r.URL.Query().Get("job_seeker_public_id")
	if _, err := h.applications.DirectHireStart(r.Context(), h.kit.ActorOf(r), jsID); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderInfo(w, r, http.StatusOK, jsID, infoForm(), hireInfoPath(jsID), hireNextPath(jsID))
}

func (h *Handler) hireInfo(w http.ResponseWriter, r *http.Request) {
	jsID := r.URL.Query().Get("job_seeker_public_id")
	if _, err := h.applications.DirectHireStart(r.Context(), h.kit.ActorOf(r), jsID); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.saveInfo(w, r, jsID, hireInfoPath(jsID), hireNextPath(jsID))
}

// acceptJobSeeker is the job seeker of candidature id, once the actor may accept it.
func (h *Handler) acceptJobSeeker(w http.ResponseWriter, r *http.Request, id string) (string, bool) {
	if _, err := h.applications.HiringChoices(r.Context(), h.kit.ActorOf(r), id); err != nil {
		h.afterAction(w, r, err, "")
		return "", false
	}
	d, err := h.applications.Details(r.Context(), h.kit.ActorOf(r), id, application.EmployerPage)
	if err != nil {
		h.kit.Fail(w, r, err)
		return "", false
	}
	return d.JobSeekerPublicID, true
}

func (h *Handler) renderInfo(w http.ResponseWriter, r *http.Request, status int, jsID string, f *page.Form, action, next string) {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	gaps, err := h.jobSeekers.HireGapsOf(ctx, a, jsID)
	if err == nil && !gaps.Editable {
		err = jobseeker.ErrForbidden
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	j, err := h.jobSeekers.ByPublicID(ctx, a, jsID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := infoStep{Form: f, Gaps: gaps, Name: j.User.DisplayName(), Action: action, Next: next, FTReasons: jobseeker.LackOfFTIDReasons()}
	h.tpl.Render(w, r, status, "hire_info.html", "Informations du candidat", d)
}

// saveInfo completes the profile with what the step shows, then goes on to the contract.
func (h *Handler) saveInfo(w http.ResponseWriter, r *http.Request, jsID, action, next string) {
	f := infoForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	for _, fl := range f.Fields {
		fl.Value = strings.TrimSpace(r.PostForm.Get(fl.Name))
	}
	in := jobseeker.ApplyInfo{NIR: f.Fields["nir"].Value, Birthdate: f.Fields["birthdate"].Value,
		PoleEmploiID: f.Fields["pole_emploi_id"].Value, LackOfPoleEmploiIDReason: jobseeker.LackOfFTIDReason(f.Fields["lack_of_pole_emploi_id_reason"].Value)}
	err := h.jobSeekers.CompleteForApply(r.Context(), h.kit.ActorOf(r), jsID, in)
	switch {
	case err == nil:
		http.Redirect(w, r, next, http.StatusSeeOther)
	case f.Show(err):
		h.renderInfo(w, r, http.StatusUnprocessableEntity, jsID, f, action, next)
	default:
		h.kit.Fail(w, r, err)
	}
}
