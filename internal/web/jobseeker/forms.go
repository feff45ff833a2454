package jobseeker

import (
	"net/http"
	"strings"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

// input is one control of a profile form as the "inputs" partial renders it.
type input struct {
	Kind     string // field, select, radio, checkbox, combobox
	Field    *page.Field
	Options  []jobseeker.Choice
	Combobox *page.Combobox
	Checked  bool
	// Locked: shown read-only (given by FranceConnect).
	Locked bool
}

// Field names of the profile forms: those of the service's refusals.
var (
	identityNames = []string{"title", "first_name", "last_name", "birthdate", "birth_country", "birth_place", "nir", "lack_of_nir_reason"}
	contactNames  = []string{"phone", "address_line_1", "address_line_2", "post_code", "city"}
)

var labels = map[string]string{
	"title": "Civilité", "first_name": "Prénom", "last_name": "Nom", "birthdate": "Date de naissance",
	"birth_country": "Pays de naissance", "birth_place": "Commune de naissance", "nir": "Numéro de sécurité sociale",
	"lack_of_nir_reason": "Pas de numéro de sécurité sociale ?", "email": "Adresse e-mail", "phone": "Téléphone",
	"address_line_1": "Adresse", "address_line_2": "Complément d'adresse", "post_code": "Code postal", "city": "Ville",
	"pole_emploi_id": "Identifiant France Travail", "lack_of_pole_emploi_id_reason": "Pas d'identifiant France Travail ?",
	"education_level": "Niveau de formation", "pole_emploi_since": "Inscrit à France Travail depuis",
	"unemployed_since": "Sans emploi depuis", "has_rsa_allocation": "Bénéficiaire du RSA",
	"rsa_allocation_since": "Allocataire du RSA depuis", "ass_allocation_since": "Allocataire de l'ASS depuis",
	"aah_allocation_since": "Allocataire de l'AAH depuis", "are_allocation_since": "Allocataire de l'ARE depuis",
	"activity_bonus_since": "Bénéficiaire de la prime d'activité depuis",
}

// newProfileForm is a form of the given field names (and the situation's check boxes when
// flags).
func newProfileForm(names []string, flags bool) *page.Form {
	var fields []*page.Field
	for _, n := range names {
		f := &page.Field{Name: n, Label: labels[n]}
		switch n {
		case "title", "first_name", "last_name", "birthdate", "email", "address_line_1", "post_code", "city":
			f.Required = true
		}
		switch n {
		case "birthdate":
			f.Type, f.Hint = "date", "Format attendu : JJ/MM/AAAA."
		case "email":
			f.Type, f.Autocomplete = "email", "off"
		case "phone":
			f.Type, f.Autocomplete = "tel", "off"
		case "nir":
			f.Hint = "15 caractères, par exemple 2 69 05 49 588 157 80 (les espaces sont acceptés)."
		case "post_code":
			f.Hint = "5 chiffres."
		case "pole_emploi_id":
			// The identifier or the reason for having none is asked for (actors.md §2.2).
			f.Hint = "7 chiffres suivis d'une lettre ou d'un chiffre, ou 11 chiffres. Sans identifiant, indiquez pourquoi dans le champ suivant."
		}
		fields = append(fields, f)
	}
	if flags {
		for _, fl := range jobseeker.SituationFlags {
			fields = append(fields, &page.Field{Name: fl.Name, Label: fl.Label, Type: "checkbox"})
		}
	}
	return page.NewForm(fields...)
}

// readForm reads the posted values of the form's fields; check boxes read "on".
func readForm(r *http.Request, f *page.Form) {
	for name, fld := range f.Fields {
		fld.Value = strings.TrimSpace(r.PostForm.Get(name))
	}
}

func val(f *page.Form, name string) string {
	if fld, ok := f.Fields[name]; ok {
		return fld.Value
	}
	return ""
}

func set(f *page.Form, name, v string) {
	if fld, ok := f.Fields[name]; ok {
		fld.Value = v
	}
}

// identityIn reads the identity part of a posted form; the communes are the picked codes, or
// the typed text when nothing was picked (the service resolves it).
func identityIn(r *http.Request, f *page.Form) jobseeker.IdentityInput {
	place := r.PostForm.Get("birth_place_code")
	if place == "" {
		place = val(f, "birth_place")
	}
	return jobseeker.IdentityInput{Title: account.Title(val(f, "title")), FirstName: val(f, "first_name"), LastName: val(f, "last_name"),
		Birthdate: val(f, "birthdate"), BirthCountry: val(f, "birth_country"), BirthPlace: strings.TrimSpace(place),
		NIR: val(f, "nir"), LackOfNIRReason: jobseeker.LackOfNIRReason(val(f, "lack_of_nir_reason"))}
}

func contactIn(r *http.Request, f *page.Form) jobseeker.ContactInput {
	return jobseeker.ContactInput{Phone: val(f, "phone"), AddressLine1: val(f, "address_line_1"), AddressLine2: val(f, "address_line_2"),
		PostCode: val(f, "post_code"), City: val(f, "city"), CityCode: strings.TrimSpace(r.PostForm.Get("city_code"))}
}

func situationIn(f *page.Form) jobseeker.SituationInput {
	return jobseeker.SituationFrom(func(n string) string { return val(f, n) })
}

// fill shows stored or kept values in the form.
func fillIdentity(f *page.Form, in jobseeker.IdentityInput) {
	set(f, "title", string(in.Title))
	set(f, "first_name", in.FirstName)
	set(f, "last_name", in.LastName)
	set(f, "birthdate", in.Birthdate)
	set(f, "birth_country", in.BirthCountry)
	set(f, "birth_place", in.BirthPlace)
	set(f, "nir", in.NIR)
	set(f, "lack_of_nir_reason", string(in.LackOfNIRReason))
}

func fillContact(f *page.Form, in jobseeker.ContactInput) {
	set(f, "phone", in.Phone)
	set(f, "address_line_1", in.AddressLine1)
	set(f, "address_line_2", in.AddressLine2)
	set(f, "post_code", in.PostCode)
	set(f, "city", in.City)
}

func fillSituation(f *page.Form, in jobseeker.SituationInput) {
	for _, n := range jobseeker.SituationFields {
		set(f, n, in.Get(n))
	}
	for _, fl := range jobseeker.SituationFlags {
		set(f, fl.Name, in.Get(fl.Name))
	}
}

var titleChoices = []jobseeker.Choice{{Value: string(account.Madame), Label: "Madame"}, {Value: string(account.Monsieur), Label: "Monsieur"}}

func countryChoices() []jobseeker.Choice {
	var out []jobseeker.Choice
	for _, c := range jobseeker.Countries() {
		out = append(out, jobseeker.Choice{Value: c.Code, Label: c.Name})
	}
	return out
}

// inputs lays the form's fields out as controls, in the form's order.
func inputs(f *page.Form, names []string, flags bool, locked []string, birthPlaceCode, cityCode string) []input {
	isLocked := func(n string) bool {
		for _, l := range locked {
			if l == n {
				return true
			}
		}
		return false
	}
	var out []input
	for _, n := range names {
		fld := f.Fields[n]
		in := input{Kind: "field", Field: fld, Locked: isLocked(n)}
		switch n {
		case "title":
			in.Kind, in.Options = "radio", titleChoices
		case "birth_country":
			in.Kind, in.Options = "select", countryChoices()
		case "lack_of_nir_reason":
			in.Kind, in.Options = "select", jobseeker.LackOfNIRReasons()
		case "lack_of_pole_emploi_id_reason":
			in.Kind, in.Options = "select", jobseeker.LackOfFTIDReasons()
		case "education_level":
			in.Kind, in.Options = "select", jobseeker.EducationLevels()
		case "has_rsa_allocation":
			in.Kind, in.Options = "select", jobseeker.RSAChoices()
		case "pole_emploi_since", "unemployed_since", "rsa_allocation_since", "ass_allocation_since", "aah_allocation_since",
			"are_allocation_since", "activity_bonus_since":
			in.Kind, in.Options = "select", jobseeker.Durations()
		case "birth_place":
			fld.Hint = "Uniquement pour une personne née en France. Tapez au moins 2 caractères et choisissez dans la liste."
			in.Kind, in.Combobox = "combobox", &page.Combobox{Field: fld, HiddenName: "birth_place_code", HiddenValue: birthPlaceCode,
				Endpoint: "/autocomplete/cities", ListID: "birth-place-options"}
		case "city":
			fld.Hint = "Tapez au moins 2 caractères et choisissez dans la liste."
			in.Kind, in.Combobox = "combobox", &page.Combobox{Field: fld, HiddenName: "city_code", HiddenValue: cityCode,
				Endpoint: "/autocomplete/cities", ListID: "city-options"}
		}
		out = append(out, in)
	}
	if flags {
		for _, fl := range jobseeker.SituationFlags {
			out = append(out, input{Kind: "checkbox", Field: f.Fields[fl.Name], Checked: val(f, fl.Name) != ""})
		}
	}
	return out
}
