package account

import (
	"net/http"

	"emplois/internal/account"
	"emplois/internal/web/page"
)

// signupChoice asks who is signing up (actors.md §10): a job seeker signs up here; professionals
// sign up through ProConnect; institutions are joined by invitation only.
func (h *Handler) signupChoice(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "signup/choose.html", "Inscription", nil)
}

// signupData is what signup/job_seeker.html shows.
type signupData struct {
	Form   *page.Form
	Titles []titleChoice
}

type titleChoice struct {
	Value, Label string
	Checked      bool
}

func newSignupData(f *page.Form) signupData {
	d := signupData{Form: f}
	for _, t := range []account.Title{account.Madame, account.Monsieur} {
		d.Titles = append(d.Titles, titleChoice{Value: string(t), Label: t.Label(), Checked: f.Fields["title"].Value == string(t)})
	}
	return d
}

const signupTitle = "Inscription candidat"

func (h *Handler) signupJobSeekerPage(w http.ResponseWriter, r *http.Request) {
	if page.ViewerOf(r).Authenticated() {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "signup/job_seeker.html", signupTitle, newSignupData(signupForm()))
}

// signupJobSeeker creates the account and its verification mail, then sends the visitor to the
// "check your mailbox" page.
func (h *Handler) signupJobSeeker(w http.ResponseWriter, r *http.Request) {
	form := signupForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	f := form.Fields
	_, err := h.accounts.SignUpJobSeeker(r.Context(), account.SignUpInput{
		Title: account.Title(f["title"].Value), FirstName: f["first_name"].Value, LastName: f["last_name"].Value,
		Email: f["email"].Value, Password: f["password1"].Value, PasswordConfirm: f["password2"].Value,
	}, h.kit.ClientIP(r))
	if err != nil {
		if !showRefusal(form, err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, page.RefusalStatus(w, err), "signup/job_seeker.html", signupTitle, newSignupData(form))
		return
	}
	http.Redirect(w, r, "/signup/job_seeker/sent", http.StatusSeeOther)
}

// formData is what the pages of one form show.
type formData struct {
	Form *page.Form
}

func (h *Handler) signupSent(w http.ResponseWriter, r *http.Request) {
	h.kit.MailSent(w, r)
}
