package jobdesc

import "emplois/internal/org"

// ContractType is the kind of contract a fiche de poste offers (actors.md §4.6). The codes are
// les-emplois' own, so that exports and the API keep their values.
type ContractType string

const (
	Permanent            ContractType = "PERMANENT"
	PermanentI           ContractType = "PERMANENT_I"
	FixedTerm            ContractType = "FIXED_TERM"
	FixedTermUsage       ContractType = "FIXED_TERM_USAGE"
	FixedTermI           ContractType = "FIXED_TERM_I"
	FixedTermIPHC        ContractType = "FIXED_TERM_I_PHC"
	FixedTermICVG        ContractType = "FIXED_TERM_I_CVG"
	FixedTermTremplin    ContractType = "FIXED_TERM_TREMPLIN"
	Apprenticeship       ContractType = "APPRENTICESHIP"
	ProfessionalTraining ContractType = "PROFESSIONAL_TRAINING"
	Temporary            ContractType = "TEMPORARY"
	BusinessCreation     ContractType = "BUSINESS_CREATION"
	Other                ContractType = "OTHER"
)

// ContractTypes lists every contract type in the order les-emplois shows them.
var ContractTypes = []ContractType{
	Permanent, PermanentI, FixedTerm, FixedTermUsage, FixedTermI, FixedTermIPHC, FixedTermICVG,
	FixedTermTremplin, Apprenticeship, ProfessionalTraining, Temporary, BusinessCreation, Other,
}

var contractLabels = map[ContractType]string{
	Permanent:            "CDI",
	PermanentI:           "CDI inclusion",
	FixedTerm:            "CDD",
	FixedTermUsage:       "CDD d'usage",
	FixedTermI:           "CDD insertion",
	FixedTermIPHC:        "CDD-I PHC",
	FixedTermICVG:        "CDD-I CVG",
	FixedTermTremplin:    "CDD Tremplin",
	Apprenticeship:       "Contrat d'apprentissage",
	ProfessionalTraining: "Contrat de professionalisation", // sic: the label les-emplois shows
	Temporary:            "Contrat de mission intérimaire",
	BusinessCreation:     "Accompagnement à la création d'entreprise",
	Other:                "Autre type de contrat",
}

// Label is the French name shown to users ("CDD insertion").
func (c ContractType) Label() string {
	if l, ok := contractLabels[c]; ok {
		return l
	}
	return string(c)
}

// Valid reports whether c is a known contract type.
func (c ContractType) Valid() bool {
	_, ok := contractLabels[c]
	return ok
}

// contractsByKind are the contract types each company kind may offer (actors.md §4.6). Kinds
// absent from the map (EA, EATT, RESERVED) cannot publish fiches de poste here.
var contractsByKind = map[org.CompanyKind][]ContractType{
	org.AI:   {FixedTermI, FixedTermUsage, Temporary, ProfessionalTraining, Other},
	org.ACI:  {FixedTermI, FixedTermUsage, Temporary, ProfessionalTraining, Other},
	org.EI:   {FixedTermI, FixedTermUsage, Temporary, ProfessionalTraining, Other},
	org.ETTI: {FixedTermI, FixedTermUsage, Temporary, ProfessionalTraining, Other},
	org.EITI: {BusinessCreation, Other},
	org.GEIQ: {Apprenticeship, ProfessionalTraining, Other},
	org.OPCS: {Permanent, FixedTerm, Apprenticeship, ProfessionalTraining, Other},
}

// convergenceContracts are added for an ACI of the "Convergence/PHC" list (actors.md §4.1), before
// "Autre type de contrat".
var convergenceContracts = []ContractType{FixedTermIPHC, FixedTermICVG}

// AllowedContractTypes returns the contract types a company of this kind may offer, in display
// order; convergence is true for an ACI of the Convergence/PHC list.
func AllowedContractTypes(kind org.CompanyKind, convergence bool) []ContractType {
	base := contractsByKind[kind]
	if kind != org.ACI || !convergence {
		return append([]ContractType(nil), base...)
	}
	out := append([]ContractType(nil), base[:len(base)-1]...)
	out = append(out, convergenceContracts...)
	return append(out, Other)
}

// ContractAllowed reports whether a company of this kind may offer contract c.
func ContractAllowed(kind org.CompanyKind, convergence bool, c ContractType) bool {
	for _, a := range AllowedContractTypes(kind, convergence) {
		if a == c {
			return true
		}
	}
	return false
}
