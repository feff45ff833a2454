package web

import (
	"errors"
	"net/http"

	"emplois/internal/account"
)

type accountFormData struct {
	Form *Form
}

func (s *Server) passwordResetPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account/password_reset.html", "Mot de passe oublié", accountFormData{passwordResetForm()})
}

// passwordReset answers the same page whether the address has an account or not (actors.md §11).
func (s *Server) passwordReset(w http.ResponseWriter, r *http.Request) {
	form := passwordResetForm()
	if !s.parseForm(w, r, form) {
		return
	}
	if !requireFields(form, "email") {
		s.render(w, r, http.StatusUnprocessableEntity, "account/password_reset.html", "Mot de passe oublié", accountFormData{form})
		return
	}
	if err := s.accounts.RequestPasswordReset(r.Context(), form.Fields["email"].Value, s.clientIP.Of(r)); err != nil {
		if !showRefusal(form, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "account/password_reset.html", "Mot de passe oublié", accountFormData{form})
		return
	}
	s.render(w, r, http.StatusOK, "account/password_reset_done.html", "Vérifiez votre boîte mail", nil)
}

func (s *Server) resetLinkInvalid(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "account/link_invalid.html", "Lien invalide",
		linkInvalidData{Message: account.ErrInvalidToken.Error(), Reset: true})
}

func (s *Server) passwordResetConfirmPage(w http.ResponseWriter, r *http.Request) {
	err := s.accounts.CheckResetToken(r.Context(), r.PathValue("token"))
	if errors.Is(err, account.ErrInvalidToken) {
		s.resetLinkInvalid(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account/password_reset_confirm.html", "Nouveau mot de passe", accountFormData{passwordSetForm()})
}

func (s *Server) passwordResetConfirm(w http.ResponseWriter, r *http.Request) {
	form := passwordSetForm()
	if !s.parseForm(w, r, form) {
		return
	}
	f := form.Fields
	_, err := s.accounts.ResetPassword(r.Context(), r.PathValue("token"), f["password1"].Value, f["password2"].Value, s.clientIP.Of(r))
	switch {
	case err == nil:
		s.setFlash(r, "Votre mot de passe a été modifié. Vous pouvez maintenant vous connecter.")
		http.Redirect(w, r, "/accounts/login", http.StatusSeeOther)
	case errors.Is(err, account.ErrInvalidToken):
		s.resetLinkInvalid(w, r)
	case showRefusal(form, err):
		s.render(w, r, http.StatusUnprocessableEntity, "account/password_reset_confirm.html", "Nouveau mot de passe", accountFormData{form})
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) passwordChangePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account/password_change.html", "Modifier mon mot de passe", accountFormData{passwordChangeForm()})
}

// passwordChange sets a new password; this session continues under a new token, the account's
// other sessions end (the session version moved).
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) {
	form := passwordChangeForm()
	if !s.parseForm(w, r, form) {
		return
	}
	f := form.Fields
	u, err := s.accounts.ChangePassword(r.Context(), s.actorOf(r),
		f["old_password"].Value, f["password1"].Value, f["password2"].Value)
	if err != nil {
		if !showRefusal(form, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "account/password_change.html", "Modifier mon mot de passe", accountFormData{form})
		return
	}
	if err := s.startSession(r.Context(), u); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setFlash(r, "Votre mot de passe a été modifié.")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
