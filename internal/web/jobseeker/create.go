package jobseeker

import (
	"errors"
	"net/http"
	"net/url"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/fault"
	"emplois/internal/web/page"
)

// The creation wizard by proxy (actors.md §10.7): identity, contact and address, situation,
// then a summary that creates the account. Its state is a wizard_session row per tab.

var createSteps = []struct {
	Name, Title string
}{
	{"identity", "Identité"},
	{"contact", "Coordonnées"},
	{"situation", "Situation"},
	{"summary", "Récapitulatif"},
}

func createPath(key, step string) string {
	return "/job-seekers/create/" + url.PathEscape(key) + "/" + step
}

func stepIndex(step string) int {
	for i, s := range createSteps {
		if s.Name == step {
			return i
		}
	}
	return -1
}

type createData struct {
	Form      *page.Form
	Inputs    []input
	Step      int
	StepCount int
	StepTitle string
	NextTitle string
	Action    string
	Back      string
	// Summary rows, and the duplicate confirmation asked.
	Summary          page.Facts
	ConfirmDuplicate bool
}

func stepForm(step string) (*page.Form, []string, bool) {
	switch step {
	case "identity":
		names := append([]string{"email"}, identityNames...)
		return newProfileForm(names, false), names, false
	case "contact":
		return newProfileForm(contactNames, false), contactNames, false
	case "situation":
		return newProfileForm(jobseeker.SituationFields, true), jobseeker.SituationFields, true
	}
	return page.NewForm(), nil, false
}

func (h *Handler) wizardFor(w http.ResponseWriter, r *http.Request) (*jobseeker.ProxyWizard, string, bool) {
	step := r.PathValue("step")
	i := stepIndex(step)
	wz, err := h.jobseekers.ProxyWizardOf(r.Context(), h.kit.ActorOf(r), r.PathValue("key"))
	if err == nil && i < 0 {
		err = jobseeker.ErrWizardNotFound
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, "", false
	}
	if reached := stepIndex(wz.Reached); i > reached+1 {
		http.Redirect(w, r, createPath(wz.Key, createSteps[reached+1].Name), http.StatusSeeOther)
		return nil, "", false
	}
	return wz, step, true
}

func (h *Handler) renderStep(w http.ResponseWriter, r *http.Request, status int, wz *jobseeker.ProxyWizard, step string, form *page.Form, d createData) {
	i := stepIndex(step)
	d.Form, d.Step, d.StepCount, d.StepTitle, d.Action = form, i+1, len(createSteps), createSteps[i].Title, createPath(wz.Key, step)
	if i+1 < len(createSteps) {
		d.NextTitle = createSteps[i+1].Title
	}
	if i > 0 {
		d.Back = createPath(wz.Key, createSteps[i-1].Name)
	}
	if step != "summary" {
		_, names, flags := stepForm(step)
		d.Inputs = inputs(form, names, flags, nil, wz.Input.Identity.BirthPlace, wz.Input.Contact.CityCode)
	} else {
		d.Summary = summary(wz.Input)
	}
	h.tpl.Render(w, r, status, "create_step.html", "Créer le compte candidat : "+createSteps[i].Title, d)
}

func (h *Handler) createStepPage(w http.ResponseWriter, r *http.Request) {
	wz, step, ok := h.wizardFor(w, r)
	if !ok {
		return
	}
	form, _, _ := stepForm(step)
	switch step {
	case "identity":
		set(form, "email", wz.Input.Email)
		fillIdentity(form, wz.Input.Identity)
	case "contact":
		fillContact(form, wz.Input.Contact)
	case "situation":
		fillSituation(form, wz.Input.Situation)
	}
	h.renderStep(w, r, http.StatusOK, wz, step, form, createData{})
}

func (h *Handler) createStep(w http.ResponseWriter, r *http.Request) {
	wz, step, ok := h.wizardFor(w, r)
	if !ok || !h.kit.ParsePost(w, r) {
		return
	}
	a := h.kit.ActorOf(r)
	form, _, _ := stepForm(step)
	readForm(r, form)
	if step == "summary" {
		j, err := h.jobseekers.FinishProxyWizard(r.Context(), a, wz, r.PostForm.Get("confirm_duplicate") != "")
		var dup *jobseeker.DuplicateError
		switch {
		case errors.As(err, &dup):
			form.Error = dup.Error()
			h.renderStep(w, r, http.StatusConflict, wz, step, form, createData{ConfirmDuplicate: true})
			return
		case err != nil:
			if k, _ := fault.KindOf(err); k == fault.KindInvalid {
				// A step's value is refused at the end (a NIR taken meanwhile): show it here.
				form.Error = err.Error()
				h.renderStep(w, r, http.StatusBadRequest, wz, step, form, createData{})
				return
			}
			h.kit.Fail(w, r, err)
			return
		}
		h.kit.SetFlash(r, "Le compte de "+j.Name()+" est créé : un e-mail l'invite à choisir son mot de passe.")
		http.Redirect(w, r, continueURL(wz.Next, j.PublicID()), http.StatusSeeOther)
		return
	}
	switch step {
	case "identity":
		wz.Input.Email = account.NormalizeEmail(val(form, "email"))
		wz.Input.Identity = identityIn(r, form)
	case "contact":
		wz.Input.Contact = contactIn(r, form)
	case "situation":
		wz.Input.Situation = situationIn(form)
	}
	if err := h.jobseekers.CheckProxyStep(r.Context(), a, step, wz.Input); err != nil {
		if !form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderStep(w, r, page.RefusalStatus(w, err), wz, step, form, createData{})
		return
	}
	if stepIndex(wz.Reached) < stepIndex(step) {
		wz.Reached = step
	}
	if err := h.jobseekers.SaveProxyWizard(r.Context(), a, wz); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, createPath(wz.Key, createSteps[stepIndex(step)+1].Name), http.StatusSeeOther)
}

// summary lists what the wizard will create.
func summary(in jobseeker.ProxyInput) page.Facts {
	var f page.Facts
	id := in.Identity
	f.Add("Civilité", id.Title.Label())
	f.Add("Prénom", id.FirstName)
	f.Add("Nom", id.LastName)
	f.Add("Adresse e-mail", in.Email)
	f.Add("Date de naissance", id.Birthdate)
	f.Add("Pays de naissance", jobseeker.CountryName(id.BirthCountry))
	if id.NIR != "" {
		f.Add("Numéro de sécurité sociale", jobseeker.NormalizeNIR(id.NIR))
	} else {
		f.Add("Numéro de sécurité sociale", id.LackOfNIRReason.Label())
	}
	c := in.Contact
	f.Add("Adresse", c.AddressLine1+" "+c.AddressLine2)
	f.Add("Code postal et ville", c.PostCode+" "+c.City)
	f.Add("Téléphone", c.Phone)
	s := in.Situation
	if s.PoleEmploiID != "" {
		f.Add("Identifiant France Travail", s.PoleEmploiID)
	} else {
		f.Add("Identifiant France Travail", s.LackOfPoleEmploiIDReason.Label())
	}
	f.Add("Niveau de formation", s.EducationLevel.Label())
	f.Add("RSA", s.HasRSAAllocation.Label())
	f.ID = "job-seeker-summary"
	return f
}
