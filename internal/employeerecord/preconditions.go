package employeerecord

import (
	"emplois/internal/platform/fault"
)

// Person is what the preconditions of a fiche read of the employee (§2.15).
type Person struct {
	Title            string // civilité: M or MME
	EducationLevel   string
	NIR              string
	NIROfSomeoneElse bool // the profile's NIR is flagged « associé à quelqu'un d'autre »
	NTT              string
	Address          Address
	BirthCountryCode string
	HasBirthdate     bool
}

// ErrNIROfSomeoneElse blocks every screen of a fiche until the support team fixes the NIR (§2.15).
var ErrNIROfSomeoneElse = fault.Forbidden("Le numéro de sécurité sociale de ce salarié est associé à une autre personne : " +
	"contactez le support pour le corriger avant de compléter sa fiche salarié.")

// CreationProblems are the French errors that refuse to create or change a fiche (§2.15), by
// the field of the wizard that fixes each.
func CreationProblems(p Person) error {
	if p.NIROfSomeoneElse {
		return ErrNIROfSomeoneElse
	}
	var errs fault.Fields
	if p.Title == "" {
		errs.Add("title", "Indiquez la civilité du salarié.")
	}
	if p.EducationLevel == "" {
		errs.Add("education_level", "Indiquez le niveau de formation du salarié.")
	}
	if problem := NTTFieldProblem(p.NIR, p.NTT); problem != "" {
		errs.Add("ntt", problem)
	}
	for field, problem := range AddressProblems(p.Address) {
		errs.Add(field, problem)
	}
	return errs.Err()
}

// SendingProblems adds what the ASP needs to take the fiche: the birth country and the
// address's commune (§2.15).
func SendingProblems(p Person) error {
	if err := CreationProblems(p); err != nil {
		return err
	}
	var errs fault.Fields
	if !p.HasBirthdate {
		errs.Add("birthdate", "Indiquez la date de naissance du salarié.")
	}
	if p.BirthCountryCode == "" {
		errs.Add("birth_country", "Indiquez le pays de naissance du salarié.")
	}
	if p.Address.CommuneCode == "" {
		errs.Add("hexa_commune", "Indiquez l'adresse du salarié au format de l'ASP.")
	}
	return errs.Err()
}
