package web

import (
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/platform/httpx"
)

// loginData is what account/login.html shows.
type loginData struct {
	Form *Form
	Next string
	// Unverified offers to mail the verification link again to Email.
	Unverified bool
	Email      string
}

// loginTarget is where a successful login goes: the local page asked for, else the dashboard.
func loginTarget(next string) string {
	return httpx.LocalTarget(next, "/dashboard")
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if viewerFrom(r.Context()).Authenticated() {
		http.Redirect(w, r, loginTarget(next), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account/login.html", "Connexion", loginData{Form: loginForm(), Next: next})
}

// login checks the credentials; a refusal re-renders the form with a French message: 422, or 429
// with Retry-After when the account or the address is throttled.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	form := loginForm()
	if !s.parseForm(w, r, form) {
		return
	}
	data := loginData{Form: form, Next: r.PostForm.Get("next")}
	if !requireFields(form, "email", "password") {
		s.render(w, r, http.StatusUnprocessableEntity, "account/login.html", "Connexion", data)
		return
	}
	email := form.Fields["email"].Value
	u, err := s.accounts.Authenticate(r.Context(), email, form.Fields["password"].Value, s.clientIP.Of(r))
	if err == nil {
		if err := s.startSession(r.Context(), u); err != nil {
			s.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, loginTarget(data.Next), http.StatusSeeOther)
		return
	}
	if !showRefusal(form, err) {
		s.serverError(w, r, err)
		return
	}
	status := refusalStatus(w, err)
	if errors.Is(err, account.ErrEmailNotVerified) {
		data.Unverified, data.Email = true, email
	}
	s.render(w, r, status, "account/login.html", "Connexion", data)
}

// logout ends the session (new token, nothing kept) and audits it. A session opened with
// ProConnect ends at ProConnect too (actors.md §11).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if v := viewerFrom(r.Context()); v.Authenticated() {
		if err := s.accounts.RecordLogout(r.Context(), s.actorOf(r)); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	endProConnect := s.proconnectLogoutURL(r)
	if err := s.endSession(r.Context(), "Vous êtes déconnecté."); err != nil {
		s.serverError(w, r, err)
		return
	}
	if endProConnect != "" {
		s.proconnectLogout(w, r, endProConnect)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// linkInvalidData is what account/link_invalid.html shows: why the link failed and how to get a
// new one.
type linkInvalidData struct {
	Message string
	Reset   bool  // a password reset link (else an e-mail verification link)
	Form    *Form // the e-mail to send a new verification link to
}

func (s *Server) verifyEmail(w http.ResponseWriter, r *http.Request) {
	u, err := s.accounts.VerifyEmail(r.Context(), r.PathValue("token"), s.clientIP.Of(r))
	if errors.Is(err, account.ErrInvalidToken) {
		s.render(w, r, http.StatusNotFound, "account/link_invalid.html", "Lien invalide",
			linkInvalidData{Message: err.Error(), Form: newForm(emailField("email"))})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setFlash(r, "Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter.")
	http.Redirect(w, r, s.kit.AfterVerificationPath(r.Context(), u), http.StatusSeeOther) // signup_pro.go
}

// resendVerification answers the same whatever the address: the page says a mail was sent if an
// account waits for confirmation.
func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request) {
	form := newForm(emailField("email"))
	if !s.parseForm(w, r, form) {
		return
	}
	if err := s.accounts.ResendVerification(r.Context(), form.Fields["email"].Value, s.clientIP.Of(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setFlash(r, "Si un compte en attente de confirmation existe pour cette adresse, un nouveau lien de confirmation vient de lui être envoyé.")
	http.Redirect(w, r, "/signup/job_seeker/sent", http.StatusSeeOther)
}
