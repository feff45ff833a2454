package account

import (
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/platform/httpx"
	"emplois/internal/web/page"
)

// loginData is what login.html shows.
type loginData struct {
	Form *page.Form
	Next string
	// Unverified offers to mail the verification link again to Email.
	Unverified bool
	Email      string
}

const loginTitle = "Connexion"

// loginTarget is where a successful login goes: the local page asked for, else the dashboard.
func loginTarget(next string) string {
	return httpx.LocalTarget(next, "/dashboard")
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if page.ViewerOf(r).Authenticated() {
		http.Redirect(w, r, loginTarget(next), http.StatusSeeOther)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "login.html", loginTitle, loginData{Form: loginForm(), Next: next})
}

// login checks the credentials; a refusal re-renders the form with a French message: 422, or 429
// with Retry-After when the account or the address is throttled.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	form := loginForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	data := loginData{Form: form, Next: r.PostForm.Get("next")}
	if !form.Require("email", "password") {
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "login.html", loginTitle, data)
		return
	}
	email := form.Fields["email"].Value
	u, err := h.accounts.Authenticate(r.Context(), email, form.Fields["password"].Value, h.kit.ClientIP(r))
	if err == nil {
		if err := h.kit.StartSession(r.Context(), u); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
		http.Redirect(w, r, loginTarget(data.Next), http.StatusSeeOther)
		return
	}
	if !showRefusal(form, err) {
		h.kit.Fail(w, r, err)
		return
	}
	status := page.RefusalStatus(w, err)
	if errors.Is(err, account.ErrEmailNotVerified) {
		data.Unverified, data.Email = true, email
	}
	h.tpl.Render(w, r, status, "login.html", loginTitle, data)
}

// logout ends the session (new token, nothing kept) and audits it. A session opened with
// ProConnect or FranceConnect ends at the provider too (actors.md §11).
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if page.ViewerOf(r).Authenticated() {
		if err := h.accounts.RecordLogout(r.Context(), h.kit.ActorOf(r)); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
	}
	provider, endSession := h.ssoLogoutURL(r)
	if err := h.kit.EndSession(r.Context(), "Vous êtes déconnecté."); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	if provider != nil {
		h.ssoLogout(w, r, provider, endSession)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// linkInvalidData is what link_invalid.html shows: why the link failed and how to get a new one.
type linkInvalidData struct {
	Message string
	Reset   bool       // a password reset link (else an e-mail verification link)
	Form    *page.Form // the e-mail to send a new verification link to
}

func (h *Handler) verifyEmail(w http.ResponseWriter, r *http.Request) {
	u, err := h.accounts.VerifyEmail(r.Context(), r.PathValue("token"), h.kit.ClientIP(r))
	if errors.Is(err, account.ErrInvalidToken) {
		h.tpl.Render(w, r, http.StatusNotFound, "link_invalid.html", "Lien invalide",
			linkInvalidData{Message: err.Error(), Form: emailForm()})
		return
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter.")
	http.Redirect(w, r, h.kit.AfterVerificationPath(r.Context(), u), http.StatusSeeOther)
}

// resendVerification answers the same whatever the address: the page says a mail was sent if an
// account waits for confirmation.
func (h *Handler) resendVerification(w http.ResponseWriter, r *http.Request) {
	form := emailForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	if err := h.accounts.ResendVerification(r.Context(), form.Fields["email"].Value, h.kit.ClientIP(r)); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Si un compte en attente de confirmation existe pour cette adresse, un nouveau lien de confirmation vient de lui être envoyé.")
	http.Redirect(w, r, "/signup/job_seeker/sent", http.StatusSeeOther)
}
