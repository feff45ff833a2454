package account

import (
	"errors"
	"net/http"

	"emplois/internal/account"
)

const (
	resetTitle       = "Mot de passe oublié"
	newPasswordTitle = "Nouveau mot de passe"
	changeTitle      = "Modifier mon mot de passe"
)

func (h *Handler) passwordResetPage(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "password_reset.html", resetTitle, formData{emailForm()})
}

// passwordReset answers the same page whether the address has an account or not (actors.md §11).
func (h *Handler) passwordReset(w http.ResponseWriter, r *http.Request) {
	form := emailForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	if !form.Require("email") {
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "password_reset.html", resetTitle, formData{form})
		return
	}
	if err := h.accounts.RequestPasswordReset(r.Context(), form.Fields["email"].Value, h.kit.ClientIP(r)); err != nil {
		if !showRefusal(form, err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "password_reset.html", resetTitle, formData{form})
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "password_reset_done.html", "Vérifiez votre boîte mail", nil)
}

func (h *Handler) resetLinkInvalid(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusNotFound, "link_invalid.html", "Lien invalide",
		linkInvalidData{Message: account.ErrInvalidToken.Error(), Reset: true})
}

func (h *Handler) passwordResetConfirmPage(w http.ResponseWriter, r *http.Request) {
	err := h.accounts.CheckResetToken(r.Context(), r.PathValue("token"))
	if errors.Is(err, account.ErrInvalidToken) {
		h.resetLinkInvalid(w, r)
		return
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "password_reset_confirm.html", newPasswordTitle, formData{passwordSetForm()})
}

func (h *Handler) passwordResetConfirm(w http.ResponseWriter, r *http.Request) {
	form := passwordSetForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	f := form.Fields
	_, err := h.accounts.ResetPassword(r.Context(), r.PathValue("token"), f["password1"].Value, f["password2"].Value, h.kit.ClientIP(r))
	switch {
	case err == nil:
		h.kit.SetFlash(r, "Votre mot de passe a été modifié. Vous pouvez maintenant vous connecter.")
		http.Redirect(w, r, "/accounts/login", http.StatusSeeOther)
	case errors.Is(err, account.ErrInvalidToken):
		h.resetLinkInvalid(w, r)
	case showRefusal(form, err):
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "password_reset_confirm.html", newPasswordTitle, formData{form})
	default:
		h.kit.Fail(w, r, err)
	}
}

func (h *Handler) passwordChangePage(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "password_change.html", changeTitle, formData{passwordChangeForm()})
}

// passwordChange sets a new password; this session continues under a new token, the account's
// other sessions end (the session version moved).
func (h *Handler) passwordChange(w http.ResponseWriter, r *http.Request) {
	form := passwordChangeForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	f := form.Fields
	u, err := h.accounts.ChangePassword(r.Context(), h.kit.ActorOf(r),
		f["old_password"].Value, f["password1"].Value, f["password2"].Value)
	if err != nil {
		if !showRefusal(form, err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "password_change.html", changeTitle, formData{form})
		return
	}
	if err := h.kit.StartSession(r.Context(), u); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Votre mot de passe a été modifié.")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
