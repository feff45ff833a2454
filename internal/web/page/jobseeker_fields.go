package page

import "emplois/internal/jobseeker"

// FranceTravailFields are the France Travail identifier and the reason for having none, as the
// apply tunnel's check step and a hire's information step ask them (partials "field" and
// "select_field").
func FranceTravailFields() []*Field {
	reasons := jobseeker.LackOfFTIDReasons()
	options := make([]Choice, len(reasons))
	for i, r := range reasons {
		options[i] = Choice{Value: r.Value, Label: r.Label}
	}
	return []*Field{
		{Name: "pole_emploi_id", Label: "Identifiant France Travail", Hint: "7 chiffres suivis d'une lettre ou d'un chiffre, ou 11 chiffres."},
		{Name: "lack_of_pole_emploi_id_reason", Label: "Pas d'identifiant France Travail ?", Hint: "À indiquer seulement sans identifiant.", Options: options},
	}
}
