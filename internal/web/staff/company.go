package staff

import (
	"net/http"
	"regexp"
	"strings"

	"emplois/internal/web/page"

	"emplois/internal/geo"
	"emplois/internal/org"
)

// "Créer une entreprise": staff create a company (source STAFF_CREATED, actors.md §4.1, §20).

// companyData is the company creation page.
type companyData struct {
	Form  *page.Form
	Kinds []option
	// City is the commune input completed by the cities autocomplete; CommuneCode the INSEE code
	// picked in it.
	City        *page.Field
	CommuneCode string
}

func companyForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "siret", Label: "Numéro SIRET", Required: true, Hint: "14 chiffres."},
		&page.Field{Name: "kind", Label: "Type de structure", Required: true},
		&page.Field{Name: "name", Label: "Raison sociale", Required: true},
		&page.Field{Name: "brand", Label: "Enseigne", Hint: "Nom sous lequel la structure est connue, s'il diffère de la raison sociale."},
		&page.Field{Name: "address_line_1", Label: "Adresse", Autocomplete: "off", Required: true},
		&page.Field{Name: "address_line_2", Label: "Complément d'adresse", Autocomplete: "off"},
		&page.Field{Name: "post_code", Label: "Code postal", Autocomplete: "off", Hint: "5 chiffres. Facultatif si la commune est choisie dans la liste ou donnée par son code INSEE."},
		&page.Field{Name: "city", Label: "Commune", Required: true,
			Hint: "Tapez au moins 2 caractères et choisissez dans la liste, ou saisissez le code INSEE de la commune. Les coordonnées de la structure sont celles de la commune."},
		&page.Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "off", Hint: "Affiché sur la fiche publique de la structure."},
		&page.Field{Name: "auth_email", Label: "E-mail d'authentification", Type: "email", Autocomplete: "off",
			Hint: "Adresse officielle de la structure : le lien d'inscription du premier employeur y est envoyé."},
		&page.Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "off", Hint: "Format attendu : 0122334455"},
		&page.Field{Name: "website", Label: "Site web", Type: "url", Autocomplete: "off", Hint: "Format attendu : https://www.exemple.fr"},
	)
}

func (h *Handler) renderCompany(w http.ResponseWriter, r *http.Request, status int, f *page.Form, communeCode string) {
	d := companyData{Form: f, City: f.Fields["city"], CommuneCode: communeCode}
	for _, k := range org.CompanyKinds {
		d.Kinds = append(d.Kinds, option{Value: string(k), Label: string(k) + " - " + k.Label(), Selected: string(k) == f.Fields["kind"].Value})
	}
	h.tpl.Render(w, r, status, "company_new.html", "Créer une entreprise", d)
}

func (h *Handler) companyPage(w http.ResponseWriter, r *http.Request) {
	h.renderCompany(w, r, http.StatusOK, companyForm(), "")
}

// departmentSuffix is the " (69)" the cities autocomplete appends to a commune's name.
var departmentSuffix = regexp.MustCompile(`\s*\((\d[\dAB]|\d{3})\)$`)

// address reads the address: the commune picked in the autocomplete (its INSEE code), or an
// INSEE code typed in the commune field, or else the post code and the commune's name.
func address(f *page.Form, communeCode string) org.AddressInput {
	v := func(name string) string { return f.Fields[name].Value }
	in := org.AddressInput{Line1: v("address_line_1"), Line2: v("address_line_2"), PostCode: v("post_code")}
	city := strings.TrimSpace(v("city"))
	switch {
	case communeCode != "":
		in.CommuneCode = communeCode
	case geo.ValidInseeCode(strings.ToUpper(city)):
		in.CommuneCode = strings.ToUpper(city)
	default:
		in.City = departmentSuffix.ReplaceAllString(city, "")
	}
	return in
}

func (h *Handler) createCompany(w http.ResponseWriter, r *http.Request) {
	f := companyForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	communeCode := strings.TrimSpace(r.PostForm.Get("commune_code"))
	if !geo.ValidInseeCode(communeCode) {
		communeCode = ""
	}
	if !f.Require("siret", "kind", "name", "address_line_1", "city") {
		h.renderCompany(w, r, http.StatusUnprocessableEntity, f, communeCode)
		return
	}
	v := func(name string) string { return f.Fields[name].Value }
	c, err := h.orgs.CreateCompany(r.Context(), h.kit.ActorOf(r), org.CompanyInput{
		SIRET: v("siret"), Kind: org.CompanyKind(v("kind")), Name: v("name"), Brand: v("brand"), AuthEmail: v("auth_email"),
		Contact: org.Contact{Email: v("email"), Phone: v("phone"), Website: v("website")},
		Address: address(f, communeCode),
	})
	if err != nil {
		if f.Show(err) {
			h.renderCompany(w, r, http.StatusUnprocessableEntity, f, communeCode)
			return
		}
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "La structure « "+c.DisplayName()+" » est créée.")
	http.Redirect(w, r, orgPath(c.UID), http.StatusSeeOther)
}
