package signup

import (
	"errors"
	"net/http"
	"net/url"

	"emplois/internal/account"
	"emplois/internal/web/page"
)

// The start of the professional signup (actors.md §10.2): ProConnect first (or a password, when
// professionals may use one), then the choice of the kind of organization.

func (h *Handler) professionalPage(w http.ResponseWriter, r *http.Request) {
	d := map[string]string{"Authorize": "/proconnect/authorize?next=" + url.QueryEscape("/signup/professional/kind")}
	if h.accounts.ProfessionalPasswordAllowed() {
		d["PasswordSignup"] = "/signup/professional/password"
	}
	h.tpl.Render(w, r, http.StatusOK, "professional.html", "Inscription professionnel : choix de la connexion", d)
}

// professionalKind is one choice of the kind page.
type professionalKind struct {
	ID, Label, Description, Href string
	// Available is false while the signup page of this kind is not served yet: the choice is
	// shown as text, never as a dead link.
	Available bool
}

// professionalKindPage asks what the professional's organization is: prescriber or orienteur,
// inclusive employer, and France Travail for France Travail e-mails.
func (h *Handler) professionalKindPage(w http.ResponseWriter, r *http.Request) {
	kinds := []professionalKind{
		{ID: "prescriber", Label: "Prescripteur / Orienteur", Href: "/signup/prescriber",
			Description: "Vous accompagnez des personnes dans leur parcours d'insertion (association, CCAS, mission locale, Cap emploi, département…)."},
		{ID: "employer", Label: "Employeur inclusif", Href: "/signup/employer",
			Description: "Vous recrutez au sein d'une structure d'insertion par l'activité économique (SIAE), d'un GEIQ ou d'une entreprise adaptée."},
	}
	if account.IsFranceTravailEmail(page.ViewerOf(r).Email) {
		kinds = append(kinds, professionalKind{ID: "france-travail", Label: "France Travail", Href: "/signup/france-travail",
			Description: "Vous êtes agent France Travail et rejoignez votre agence."})
	}
	for i := range kinds {
		kinds[i].Available = h.kit.Serves(kinds[i].Href)
	}
	h.tpl.Render(w, r, http.StatusOK, "professional_kind.html", "Votre organisation", map[string]any{"Kinds": kinds})
}

// Password signup (development, demo, and instances without ProConnect).

func passwordSignupForm() *page.Form {
	email := page.EmailField("email")
	email.Hint = "Votre adresse e-mail professionnelle. Vous recevrez un lien pour la confirmer."
	return page.NewForm(append([]*page.Field{
		{Name: "first_name", Label: "Prénom", Autocomplete: "given-name", Required: true},
		{Name: "last_name", Label: "Nom", Autocomplete: "family-name", Required: true},
		email,
	}, page.NewPasswordFields()...)...)
}

// passwordTitle tells this step from the start of the professional signup (RGAA 8.6).
const passwordTitle = "Inscription professionnel : compte avec mot de passe"

type passwordData struct {
	Form *page.Form
	Next string
}

// passwordSignupPage offers the password signup of professionals when they may use a password;
// else 404: ProConnect is the way in.
func (h *Handler) passwordSignupPage(w http.ResponseWriter, r *http.Request) {
	if !h.accounts.ProfessionalPasswordAllowed() {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	if page.ViewerOf(r).Authenticated() {
		http.Redirect(w, r, "/signup/professional/kind", http.StatusSeeOther)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "professional_password.html", passwordTitle,
		passwordData{Form: passwordSignupForm(), Next: r.URL.Query().Get("next")})
}

func (h *Handler) passwordSignup(w http.ResponseWriter, r *http.Request) {
	if !h.accounts.ProfessionalPasswordAllowed() {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	form := passwordSignupForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	d := passwordData{Form: form, Next: r.PostForm.Get("next")}
	f := form.Fields
	_, err := h.accounts.SignUpProfessional(r.Context(), account.ProfessionalSignUpInput{
		FirstName: f["first_name"].Value, LastName: f["last_name"].Value, Email: f["email"].Value,
		Password: f["password1"].Value, PasswordConfirm: f["password2"].Value,
	}, h.kit.ClientIP(r))
	switch {
	case errors.Is(err, account.ErrThrottled): // too many signups from this client or for this address
		form.Error = err.Error()
		h.tpl.Render(w, r, page.RefusalStatus(w, err), "professional_password.html", passwordTitle, d)
		return
	case err != nil && form.Show(err):
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "professional_password.html", passwordTitle, d)
		return
	case err != nil:
		h.kit.ServerError(w, r, err)
		return
	}
	if d.Next != "" {
		h.kit.RememberSignupNext(r.Context(), d.Next)
	}
	http.Redirect(w, r, "/signup/professional/password/sent", http.StatusSeeOther)
}

func (h *Handler) passwordSignupSent(w http.ResponseWriter, r *http.Request) {
	h.kit.MailSent(w, r)
}
