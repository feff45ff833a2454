package web

import (
	"encoding/json"
	"net/http"

	"emplois/internal/account"
)

// The professional signup journeys (actors.md §10.2-10.5): a password signup when professionals
// may use a password (signup_pro.go), then the prescriber (signup_prescriber.go), France Travail
// agent (signup_france_travail.go) and employer (signup_employer.go) journeys, for a logged-in
// professional. Each journey keeps what the previous steps chose in its own session key, bound
// to the user: a later step reached without it answers 403 (§10.3).

func (s *Server) proSignupRoutes() {
	s.handle("GET /signup/professional/password", Public, s.proPasswordSignupPage)
	s.handle("POST /signup/professional/password", Public, s.proPasswordSignup)
	s.handle("GET /signup/professional/password/sent", Public, s.proPasswordSignupSent)

	s.handle("GET /signup/prescriber", professionalAccount, s.prescriberStartPage)
	s.handle("POST /signup/prescriber", professionalAccount, s.prescriberStart)
	s.handle("GET /signup/prescriber/existing", professionalAccount, s.prescriberExistingPage)
	s.handle("POST /signup/prescriber/request-invitation", professionalAccount, s.prescriberRequestInvitation)
	s.handle("GET /signup/prescriber/kind", professionalAccount, s.prescriberKindPage)
	s.handle("POST /signup/prescriber/kind", professionalAccount, s.prescriberKind)
	s.handle("GET /signup/prescriber/authorization", professionalAccount, s.prescriberAuthorizationPage)
	s.handle("POST /signup/prescriber/authorization", professionalAccount, s.prescriberAuthorization)
	s.handle("GET /signup/prescriber/organization", professionalAccount, s.prescriberOrganizationPage)
	s.handle("POST /signup/prescriber/organization", professionalAccount, s.prescriberOrganization)

	s.handle("GET /signup/france-travail", professionalAccount, s.franceTravailPage)
	s.handle("POST /signup/france-travail", professionalAccount, s.franceTravail)
	s.handle("GET /signup/france-travail/confirm", professionalAccount, s.franceTravailConfirmPage)
	s.handle("POST /signup/france-travail/confirm", professionalAccount, s.franceTravailConfirm)

	s.handle("GET /signup/employer", professionalAccount, s.employerStartPage)
	s.handle("POST /signup/employer", professionalAccount, s.employerStart)
	s.handle("GET /signup/employer/select", professionalAccount, s.employerSelectPage)
	s.handle("POST /signup/employer/select", professionalAccount, s.employerSelect)
	s.handle("POST /signup/employer/request-invitation", professionalAccount, s.employerRequestInvitation)
	s.handle("GET /signup/employer/sent", professionalAccount, s.employerSentPage)
	s.handle("GET /signup/employer/join/{company}/{token}", Public, s.employerJoinPage)
	s.handle("POST /signup/employer/join/{company}/{token}", professionalAccount, s.employerJoin)
}

// Session keys of the journeys.
const (
	sessionSignupPrescriber    = "signup.prescriber"
	sessionSignupEmployer      = "signup.employer"
	sessionSignupFranceTravail = "signup.france_travail"
)

// journeyOwner binds a journey's state to the user who started it.
type journeyOwner struct{ UserID int64 }

func (o journeyOwner) owner() int64 { return o.UserID }

// saveJourney stores a journey's state in the session.
func (s *Server) saveJourney(r *http.Request, key string, state any) error {
	b, err := json.Marshal(state)
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), key, string(b))
	return nil
}

// loadJourney reads a journey's state into state; false when there is none for this user.
func (s *Server) loadJourney(r *http.Request, key string, state interface{ owner() int64 }) bool {
	raw := s.sessions.GetString(r.Context(), key)
	if raw == "" || json.Unmarshal([]byte(raw), state) != nil {
		return false
	}
	return state.owner() == viewerFrom(r.Context()).UserID
}

// Password signup (development and demo)

func proPasswordSignupForm() *Form {
	f := newForm(append([]*Field{
		{Name: "first_name", Label: "Prénom", Autocomplete: "given-name", Required: true},
		{Name: "last_name", Label: "Nom", Autocomplete: "family-name", Required: true},
		emailField("email"),
	}, newPasswordFields()...)...)
	f.Fields["email"].Hint = "Votre adresse e-mail professionnelle. Vous recevrez un lien pour la confirmer."
	return f
}

// proPasswordTitle tells this step from the start of the professional signup (RGAA 8.6).
const proPasswordTitle = "Inscription professionnel : compte avec mot de passe"

type proPasswordData struct {
	Form *Form
	Next string
}

// proPasswordSignupPage offers the password signup of professionals, when they may use a
// password (EMPLOIS_PRO_PASSWORD_LOGIN); else 404: ProConnect is the way in.
func (s *Server) proPasswordSignupPage(w http.ResponseWriter, r *http.Request) {
	if !s.passwordSignupAllowed() {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if v := viewerFrom(r.Context()); v.Authenticated() {
		http.Redirect(w, r, "/signup/professional/kind", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signup/professional_password.html", proPasswordTitle,
		proPasswordData{Form: proPasswordSignupForm(), Next: r.URL.Query().Get("next")})
}

func (s *Server) proPasswordSignup(w http.ResponseWriter, r *http.Request) {
	if !s.passwordSignupAllowed() {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	form := proPasswordSignupForm()
	if !s.parseForm(w, r, form) {
		return
	}
	d := proPasswordData{Form: form, Next: r.PostForm.Get("next")}
	f := form.Fields
	_, err := s.accounts.SignUpProfessional(r.Context(), account.ProfessionalSignUpInput{
		FirstName: f["first_name"].Value, LastName: f["last_name"].Value, Email: f["email"].Value,
		Password: f["password1"].Value, PasswordConfirm: f["password2"].Value,
	}, s.clientIP.Of(r))
	if err != nil {
		if !showRefusal(form, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, refusalStatus(w, err), "signup/professional_password.html", proPasswordTitle, d)
		return
	}
	if d.Next != "" {
		s.kit.RememberSignupNext(r.Context(), d.Next)
	}
	http.Redirect(w, r, "/signup/professional/password/sent", http.StatusSeeOther)
}

func (s *Server) proPasswordSignupSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signup/sent.html", "Vérifiez votre boîte mail", map[string]any{"Form": newForm(emailField("email"))})
}
