package web

import (
	"net/http"
	"net/url"

	"emplois/internal/account"
)

// proSignupStartRoutes: the start of the professional signup (actors.md §10.2), ProConnect first
// (its login is served by internal/web/account).
func (s *Server) proSignupStartRoutes() {
	s.handle("GET /signup/professional", Public, s.signupProfessional)
	s.handle("GET /signup/professional/kind", professionalAccount, s.signupProfessionalKind)
}

// signupProfessional is the start of the professional signup (actors.md §10.2): ProConnect first,
// then the choice of the kind of organization.
func (s *Server) signupProfessional(w http.ResponseWriter, r *http.Request) {
	d := map[string]string{"Authorize": "/proconnect/authorize?next=" + url.QueryEscape("/signup/professional/kind")}
	if s.passwordSignupAllowed() { // signup_pro.go
		d["PasswordSignup"] = "/signup/professional/password"
	}
	s.render(w, r, http.StatusOK, "signup/professional.html", "Inscription professionnel : choix de la connexion", d)
}

// professionalKind is one choice of the kind page.
type professionalKind struct {
	ID, Label, Description, Href string
	// Available is false while the signup page of this kind is not served yet: the choice is
	// shown as text, never as a dead link.
	Available bool
}

// signupProfessionalKind asks what the professional's organization is (actors.md §10.2):
// prescriber or orienteur, inclusive employer, and France Travail for France Travail e-mails.
func (s *Server) signupProfessionalKind(w http.ResponseWriter, r *http.Request) {
	kinds := []professionalKind{
		{ID: "prescriber", Label: "Prescripteur / Orienteur", Href: "/signup/prescriber",
			Description: "Vous accompagnez des personnes dans leur parcours d'insertion (association, CCAS, mission locale, Cap emploi, département…)."},
		{ID: "employer", Label: "Employeur inclusif", Href: "/signup/employer",
			Description: "Vous recrutez au sein d'une structure d'insertion par l'activité économique (SIAE), d'un GEIQ ou d'une entreprise adaptée."},
	}
	if account.IsFranceTravailEmail(viewerFrom(r.Context()).Email) {
		kinds = append(kinds, professionalKind{ID: "france-travail", Label: "France Travail", Href: "/signup/france-travail",
			Description: "Vous êtes agent France Travail et rejoignez votre agence."})
	}
	for i := range kinds {
		kinds[i].Available = s.kit.Serves(kinds[i].Href)
	}
	s.render(w, r, http.StatusOK, "signup/professional_kind.html", "Votre organisation", map[string]any{"Kinds": kinds})
}
