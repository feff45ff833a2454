package account

import (
	"net/http"

	"emplois/internal/web/page"
)

// signupChoice asks who is signing up (actors.md §10): a job seeker goes to the self-signup
// steps (web/jobseeker); professionals sign up through ProConnect; institutions are joined by
// invitation only.
func (h *Handler) signupChoice(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "signup/choose.html", "Inscription", nil)
}

// formData is what the pages of one form show.
type formData struct {
	Form *page.Form
}

func (h *Handler) signupSent(w http.ResponseWriter, r *http.Request) {
	h.kit.MailSent(w, r)
}
