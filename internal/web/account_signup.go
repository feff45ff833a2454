package web

import (
	"net/http"

	"emplois/internal/account"
)

// signupChoice asks who is signing up (actors.md §10): a job seeker signs up here; professionals
// will sign up through ProConnect; institutions are joined by invitation only.
func (s *Server) signupChoice(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signup/choose.html", "Inscription", nil)
}

// signupData is what signup/job_seeker.html shows.
type signupData struct {
	Form   *Form
	Titles []titleChoice
}

type titleChoice struct {
	Value, Label string
	Checked      bool
}

func newSignupData(f *Form) signupData {
	d := signupData{Form: f}
	for _, t := range []account.Title{account.Madame, account.Monsieur} {
		d.Titles = append(d.Titles, titleChoice{Value: string(t), Label: t.Label(), Checked: f.Fields["title"].Value == string(t)})
	}
	return d
}

func (s *Server) signupJobSeekerPage(w http.ResponseWriter, r *http.Request) {
	if viewerFrom(r.Context()).Authenticated() {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signup/job_seeker.html", "Inscription candidat", newSignupData(signupForm()))
}

// signupJobSeeker creates the account and its verification mail, then sends the visitor to the
// "check your mailbox" page.
func (s *Server) signupJobSeeker(w http.ResponseWriter, r *http.Request) {
	form := signupForm()
	if !s.parseForm(w, r, form) {
		return
	}
	f := form.Fields
	_, err := s.accounts.SignUpJobSeeker(r.Context(), account.SignUpInput{
		Title: account.Title(f["title"].Value), FirstName: f["first_name"].Value, LastName: f["last_name"].Value,
		Email: f["email"].Value, Password: f["password1"].Value, PasswordConfirm: f["password2"].Value,
	}, s.clientIP.Of(r))
	if err != nil {
		if !showRefusal(form, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, refusalStatus(w, err), "signup/job_seeker.html", "Inscription candidat", newSignupData(form))
		return
	}
	http.Redirect(w, r, "/signup/job_seeker/sent", http.StatusSeeOther)
}

func (s *Server) signupSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signup/sent.html", "Vérifiez votre boîte mail",
		map[string]any{"Form": newForm(emailField("email"))})
}
