package jobseeker

import (
	"net/http"

	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

var profileNames = append(append(append([]string{}, identityNames...), contactNames...), jobseeker.SituationFields...)

type profileData struct {
	Form       *page.Form
	Identity   []input
	Contact    []input
	Situation  []input
	Incomplete bool
}

func (h *Handler) renderProfile(w http.ResponseWriter, r *http.Request, status int, j *jobseeker.JobSeeker, form *page.Form, birthPlace, cityCode string) {
	certified, err := h.jobseekers.IdentityCertified(r.Context(), j)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	locked := jobseeker.LockedFields(j.User, true, certified)
	d := profileData{Form: form, Incomplete: !jobseeker.AddressComplete(j.User),
		Identity:  inputs(form, identityNames, false, locked, birthPlace, cityCode),
		Contact:   inputs(form, contactNames, false, nil, birthPlace, cityCode),
		Situation: inputs(form, jobseeker.SituationFields, true, nil, birthPlace, cityCode)}
	h.tpl.Render(w, r, status, "profile.html", "Mes informations personnelles", d)
}

func (h *Handler) profilePage(w http.ResponseWriter, r *http.Request) {
	j, err := h.jobseekers.Self(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := newProfileForm(profileNames, true)
	id, contact := jobseeker.IdentityOf(j.User, j.Profile), jobseeker.ContactOf(j.User)
	fillIdentity(form, id)
	fillContact(form, contact)
	fillSituation(form, jobseeker.SituationOf(j.Profile))
	h.renderProfile(w, r, http.StatusOK, j, form, id.BirthPlace, contact.CityCode)
}

func (h *Handler) profile(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	j, err := h.jobseekers.Self(r.Context(), a)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	form := newProfileForm(profileNames, true)
	readForm(r, form)
	in := jobseeker.ProfileInput{Identity: identityIn(r, form), Contact: contactIn(r, form), Situation: situationIn(form)}
	if _, err := h.jobseekers.UpdateProfile(r.Context(), a, j.PublicID(), in); err != nil {
		if !form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderProfile(w, r, page.RefusalStatus(w, err), j, form, in.Identity.BirthPlace, in.Contact.CityCode)
		return
	}
	h.kit.SetFlash(r, "Vos informations personnelles sont enregistrées.")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
