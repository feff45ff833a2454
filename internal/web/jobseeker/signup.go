package jobseeker

import (
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The self-signup of a job seeker (actors.md §10.1), in its five steps: start (advice to get a
// counsellor), situation (is the service suited), criteria (the eligibility criteria),
// identity, then credentials (a read-only recap and a password, or FranceConnect). The steps
// before the identity carry nothing; the identity travels from the identity step to the
// credentials step in the credentials form itself (hidden fields, checked again there), so
// that two tabs keep two signups and nothing is kept on the server before the account exists.
// Only the NIR waits in the session for FranceConnect's callback (page.Kit.KeepSignupNIR).

const (
	signupStartPath       = "/signup/job_seeker/start"
	signupSituationPath   = "/signup/job_seeker/situation"
	signupCriteriaPath    = "/signup/job_seeker/criteria"
	signupIdentityPath    = "/signup/job_seeker"
	signupCredentialsPath = "/signup/job_seeker/credentials"
	// signupSentPath is the account room's « check your mailbox » page.
	signupSentPath = "/signup/job_seeker/sent"
)

const signupTitle = "Inscription candidat"

// signupSteps are the steps of the self-signup: their template and title.
var signupSteps = []struct{ Template, Title string }{
	{"signup_start.html", "Avant de commencer"},
	{"signup_situation.html", "Votre situation"},
	{"signup_criteria.html", "Les critères d'éligibilité"},
	{"signup_identity.html", "Votre identité"},
	{"signup_credentials.html", "Vos identifiants"},
}

// renderSignup renders step i (0-based) of the self-signup, with its stepper.
func (h *Handler) renderSignup(w http.ResponseWriter, r *http.Request, status, i int, d signupData) {
	d.Step, d.StepCount, d.StepTitle = i+1, len(signupSteps), signupSteps[i].Title
	if i+1 < len(signupSteps) {
		d.NextTitle = signupSteps[i+1].Title
	}
	h.tpl.Render(w, r, status, signupSteps[i].Template, signupSteps[i].Title+" – "+signupTitle, d)
}

// situations are the answers of the situation step (the people the service is for).
var situations = []struct{ Name, Label string }{
	{"rsa", "Je suis bénéficiaire du RSA (revenu de solidarité active)"},
	{"ass", "Je reçois l'ASS (allocation de solidarité spécifique)"},
	{"aah", "Je reçois l'AAH (allocation aux adultes handicapés)"},
	{"long_term", "Je suis inscrit à France Travail depuis 12 mois ou plus"},
	{"other", "Je suis dans une autre situation qui m'éloigne de l'emploi"},
}

// MsgSituationRequired refuses a situation step with nothing ticked.
const MsgSituationRequired = "Cochez au moins une situation."

func situationForm() *page.Form {
	var fields []*page.Field
	for _, s := range situations {
		fields = append(fields, &page.Field{Name: s.Name, Label: s.Label, Type: "checkbox"})
	}
	return page.NewForm(fields...)
}

// signupIdentityNames are the fields of the identity step.
var signupIdentityNames = []string{"title", "first_name", "last_name", "email", "birthdate", "birth_country", "birth_place", "nir", "lack_of_nir_reason"}

func signupIdentityForm() *page.Form {
	f := newProfileForm(signupIdentityNames, false)
	// The person types their own data: the browser may fill it (RGAA 11.13).
	f.Fields["first_name"].Autocomplete = "given-name"
	f.Fields["last_name"].Autocomplete = "family-name"
	f.Fields["birthdate"].Autocomplete = "bday"
	f.Fields["email"].Autocomplete = "email"
	f.Fields["email"].Hint = "Format attendu : nom@domaine.fr. Vous recevrez un lien pour confirmer cette adresse."
	f.Fields["nir"].Hint = "15 caractères, sur votre carte Vitale (les espaces sont acceptés). Si vous n'en avez pas, choisissez une raison ci-dessous."
	return f
}

// signupCredentialsForm is the identity (carried in hidden fields) and the password twice.
func signupCredentialsForm() *page.Form {
	id := signupIdentityForm()
	var fields []*page.Field
	for _, n := range signupIdentityNames {
		fields = append(fields, id.Fields[n])
	}
	return page.NewForm(append(fields, page.NewPasswordFields()...)...)
}

// identityFormOf is the identity step's form with the values of the credentials form.
func identityFormOf(credentials *page.Form) *page.Form {
	f := signupIdentityForm()
	for _, n := range signupIdentityNames {
		f.Fields[n].Value = val(credentials, n)
	}
	return f
}

// signupData is what the signup pages show.
type signupData struct {
	// The stepper: step Step of StepCount, its title and the next one's.
	Step, StepCount      int
	StepTitle, NextTitle string

	Form   *page.Form
	Inputs []input
	// OnlyOther: at the situation step, the visitor ticked no situation of the service's public.
	OnlyOther bool
	// Recap and Hidden are the identity shown and carried by the credentials step.
	Recap  page.Facts
	Hidden []hiddenValue
}

type hiddenValue struct{ Name, Value string }

// loggedOut sends a logged-in visitor to their dashboard: a signup is for people without an
// account.
func loggedOut(w http.ResponseWriter, r *http.Request) bool {
	if page.ViewerOf(r).Authenticated() {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return false
	}
	return true
}

func (h *Handler) signupStart(w http.ResponseWriter, r *http.Request) {
	if loggedOut(w, r) {
		h.renderSignup(w, r, http.StatusOK, 0, signupData{})
	}
}

func (h *Handler) signupSituationPage(w http.ResponseWriter, r *http.Request) {
	if loggedOut(w, r) {
		h.renderSituation(w, r, http.StatusOK, situationForm())
	}
}

func (h *Handler) renderSituation(w http.ResponseWriter, r *http.Request, status int, form *page.Form) {
	var in []input
	for _, s := range situations {
		in = append(in, input{Kind: "checkbox", Field: form.Fields[s.Name], Checked: form.Fields[s.Name].Value != ""})
	}
	h.renderSignup(w, r, status, 1, signupData{Form: form, Inputs: in})
}

// signupSituation goes on to the criteria; ticking only « another situation » says there that
// the service may not suit and a counsellor would know.
func (h *Handler) signupSituation(w http.ResponseWriter, r *http.Request) {
	if !loggedOut(w, r) || !h.kit.ParsePost(w, r) {
		return
	}
	form := situationForm()
	readForm(r, form)
	var ticked []string
	for _, s := range situations {
		if val(form, s.Name) != "" {
			ticked = append(ticked, s.Name)
		}
	}
	if len(ticked) == 0 {
		form.Error = MsgSituationRequired
		h.renderSituation(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	target := signupCriteriaPath
	if len(ticked) == 1 && ticked[0] == "other" {
		target += "?situation=other"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (h *Handler) signupCriteria(w http.ResponseWriter, r *http.Request) {
	if loggedOut(w, r) {
		h.renderSignup(w, r, http.StatusOK, 2, signupData{OnlyOther: r.URL.Query().Get("situation") == "other"})
	}
}

func (h *Handler) signupIdentityPage(w http.ResponseWriter, r *http.Request) {
	if loggedOut(w, r) {
		h.renderIdentity(w, r, http.StatusOK, signupIdentityForm(), "")
	}
}

func (h *Handler) renderIdentity(w http.ResponseWriter, r *http.Request, status int, form *page.Form, birthPlaceCode string) {
	h.renderSignup(w, r, status, 3, signupData{Form: form, Inputs: inputs(form, signupIdentityNames, false, nil, birthPlaceCode, "")})
}

// signupIdentity checks the identity (jobseeker.Service.CheckSignUpIdentity: the rules of
// actors.md §2.2–2.4, the e-mail and the NIR not taken) and shows the credentials step.
func (h *Handler) signupIdentity(w http.ResponseWriter, r *http.Request) {
	if !loggedOut(w, r) || !h.kit.ParsePost(w, r) {
		return
	}
	form := signupCredentialsForm() // the identity's values, shown again by either step
	readForm(r, form)
	id := identityIn(r, form)
	if err := h.jobseekers.CheckSignUpIdentity(r.Context(), val(form, "email"), id, h.kit.ClientIP(r)); err != nil {
		h.identityRefused(w, r, form, id.BirthPlace, err)
		return
	}
	h.kit.KeepSignupNIR(r, jobseeker.NormalizeNIR(id.NIR), string(id.LackOfNIRReason))
	h.renderCredentials(w, r, http.StatusOK, form, id)
}

// identityRefused shows the identity step again with the refusal on its fields.
func (h *Handler) identityRefused(w http.ResponseWriter, r *http.Request, form *page.Form, birthPlaceCode string, err error) {
	if !showSignupRefusal(form, err) {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderIdentity(w, r, page.RefusalStatus(w, err), form, birthPlaceCode)
}

// showSignupRefusal puts a refusal on the form: field errors, and the signup throttle.
func showSignupRefusal(form *page.Form, err error) bool {
	if form.Show(err) {
		return true
	}
	if errors.Is(err, account.ErrThrottled) {
		form.Error = err.Error()
		return true
	}
	return false
}

func (h *Handler) renderCredentials(w http.ResponseWriter, r *http.Request, status int, form *page.Form, id jobseeker.IdentityInput) {
	d := signupData{Form: form}
	for _, n := range signupIdentityNames {
		d.Hidden = append(d.Hidden, hiddenValue{n, val(form, n)})
	}
	d.Hidden = append(d.Hidden, hiddenValue{"birth_place_code", id.BirthPlace})
	f := &d.Recap
	f.ID = "signup-recap"
	f.Add("Civilité", id.Title.Label())
	f.Add("Prénom", val(form, "first_name"))
	f.Add("Nom", val(form, "last_name"))
	f.Add("Adresse e-mail", account.NormalizeEmail(val(form, "email")))
	if d, ok := jobseeker.ParseDate(id.Birthdate); ok {
		f.Add("Date de naissance", localtime.Date(d))
	}
	f.Add("Pays de naissance", jobseeker.CountryName(id.BirthCountry))
	f.Add("Commune de naissance", val(form, "birth_place"))
	if nir := jobseeker.NormalizeNIR(id.NIR); nir != "" {
		f.Add("Numéro de sécurité sociale", nir)
	} else {
		f.Add("Numéro de sécurité sociale", id.LackOfNIRReason.Label())
	}
	h.renderSignup(w, r, status, 4, d)
}

// signupCredentialsPage has nothing to show without the identity step's form: back to it.
func (h *Handler) signupCredentialsPage(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, signupIdentityPath, http.StatusSeeOther)
}

// signupCredentials creates the account with its profile (jobseeker.Service.SignUp) and its
// verification mail, then sends the visitor to check their mailbox. « Modifier » goes back to
// the identity step with what was typed; a refused identity (a NIR taken meanwhile) goes back
// there too, with the refusal on its field.
func (h *Handler) signupCredentials(w http.ResponseWriter, r *http.Request) {
	if !loggedOut(w, r) || !h.kit.ParsePost(w, r) {
		return
	}
	form := signupCredentialsForm()
	readForm(r, form)
	id := identityIn(r, form)
	if r.PostForm.Get("action") == "edit" {
		idForm := identityFormOf(form)
		h.renderIdentity(w, r, http.StatusOK, idForm, id.BirthPlace)
		return
	}
	_, err := h.jobseekers.SignUp(r.Context(), jobseeker.SignUpInput{Email: val(form, "email"), Identity: id,
		Password: r.PostForm.Get("password1"), PasswordConfirm: r.PostForm.Get("password2")}, h.kit.ClientIP(r))
	if err == nil {
		http.Redirect(w, r, signupSentPath, http.StatusSeeOther)
		return
	}
	var identityErrs fault.Fields
	for _, fe := range fault.FieldsOf(err) {
		if fe.Field != "password1" && fe.Field != "password2" {
			identityErrs.Add(fe.Field, fe.Message)
		}
	}
	if len(identityErrs) > 0 {
		idForm := identityFormOf(form)
		h.identityRefused(w, r, idForm, id.BirthPlace, identityErrs.Err())
		return
	}
	if !showSignupRefusal(form, err) {
		h.kit.Fail(w, r, err)
		return
	}
	form.Fields["password1"].Value, form.Fields["password2"].Value = "", ""
	h.renderCredentials(w, r, page.RefusalStatus(w, err), form, id)
}
