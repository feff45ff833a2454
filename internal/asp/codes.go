// Package asp holds the ASP reference data: the codes the State's payment agency (Agence de
// services et de paiement) expects in fiches salarié, and the communes, départements and
// countries it knows, the first two with their validity periods (approvals.md §2.16).
//
// The fixed code lists are Go values with their French labels; the geography lives in the
// asp_commune, asp_department and asp_country tables, loaded by `emplois import asp-…` from
// the CSV files of internal/asp/data (embedded, for the demo and tests) or, for the communes,
// from the reference communes of ../shared/data.
package asp

import (
	"emplois/internal/jobseeker"
	"emplois/internal/org"
)

// Choice is one code with its French label, in the order forms list them.
type Choice = jobseeker.Choice

// The person's situation codes are those of the job seeker profile, which already stores them
// in the ASP's own values: one definition, read here under the ASP's names.
type (
	// EducationLevel is the « niveau de formation » (00, 01, 10 … 70).
	EducationLevel = jobseeker.EducationLevel
	// AllocationDuration is a « depuis » code: 01 less than 6 months … 04 24 months and more.
	AllocationDuration = jobseeker.Duration
	// RSAAllocation is NON, OUI-M (majoré) or OUI-NM (non majoré).
	RSAAllocation = jobseeker.RSA
)

// Measure is the ASP « mesure » of a company: its kind and its financing scheme.
type Measure string

const (
	MeasureACI  Measure = "ACI_DC"
	MeasureAI   Measure = "AI_DC"
	MeasureEI   Measure = "EI_DC"
	MeasureEITI Measure = "EITI_DC"
	MeasureETTI Measure = "ETTI_DC"
	// The ASP also knows these, which no company kind of ours is ever given.
	MeasureACIPenitentiary Measure = "ACI_MP"
	MeasureEIPenitentiary  Measure = "EI_MP"
	MeasureFDI             Measure = "FDI_DC"
)

var measures = []Choice{
	{Value: string(MeasureACI), Label: "Atelier et chantier d'insertion (droit commun)"},
	{Value: string(MeasureAI), Label: "Association intermédiaire (droit commun)"},
	{Value: string(MeasureEI), Label: "Entreprise d'insertion (droit commun)"},
	{Value: string(MeasureEITI), Label: "Entreprise d'insertion par le travail indépendant (droit commun)"},
	{Value: string(MeasureETTI), Label: "Entreprise de travail temporaire d'insertion (droit commun)"},
	{Value: string(MeasureACIPenitentiary), Label: "Atelier et chantier d'insertion (milieu pénitentiaire)"},
	{Value: string(MeasureEIPenitentiary), Label: "Entreprise d'insertion (milieu pénitentiaire)"},
	{Value: string(MeasureFDI), Label: "Fonds départemental pour l'insertion (droit commun)"},
}

// Measures lists every measure.
func Measures() []Choice { return measures }

// Label is the French label, "" for an unknown code.
func (m Measure) Label() string { return jobseeker.LabelOf(measures, string(m)) }

// MeasureOf returns the measure of a company kind; only the five SIAE kinds that make fiches
// salarié have one.
func MeasureOf(kind org.CompanyKind) (Measure, bool) {
	switch kind {
	case org.ACI:
		return MeasureACI, true
	case org.AI:
		return MeasureAI, true
	case org.EI:
		return MeasureEI, true
	case org.EITI:
		return MeasureEITI, true
	case org.ETTI:
		return MeasureETTI, true
	}
	return "", false
}

// EmployerType is the kind of the employer of a person already in work (salarieTypeEmployeur).
type EmployerType string

const (
	EmployerEI    EmployerType = "01"
	EmployerETTI  EmployerType = "02"
	EmployerAI    EmployerType = "03"
	EmployerACI   EmployerType = "04"
	EmployerESAT  EmployerType = "05"
	EmployerEA    EmployerType = "06"
	EmployerOther EmployerType = "07"
)

var employerTypes = []Choice{
	{Value: string(EmployerEI), Label: "Entreprise d'insertion"},
	{Value: string(EmployerETTI), Label: "Entreprise de travail temporaire d'insertion"},
	{Value: string(EmployerAI), Label: "Association intermédiaire"},
	{Value: string(EmployerACI), Label: "Atelier chantier d'insertion"},
	{Value: string(EmployerESAT), Label: "Etablissement et service d'aide par le travail"},
	{Value: string(EmployerEA), Label: "Entreprise adaptée"},
	{Value: string(EmployerOther), Label: "Autre"},
}

// EmployerTypes lists every employer type.
func EmployerTypes() []Choice { return employerTypes }

// Label is the French label, "" for an unknown code.
func (e EmployerType) Label() string { return jobseeker.LabelOf(employerTypes, string(e)) }

// EmployerTypeOf returns the employer type of a company kind: the four historical SIAE kinds
// have their own code, every other kind is « Autre » (EITI and EA included, as the ASP's
// upstream mapping does; asp.md §5.4).
func EmployerTypeOf(kind org.CompanyKind) EmployerType {
	switch kind {
	case org.EI:
		return EmployerEI
	case org.ETTI:
		return EmployerETTI
	case org.AI:
		return EmployerAI
	case org.ACI:
		return EmployerACI
	}
	return EmployerOther
}

// PrescriberType is the « orienteur »: who sent the person to the SIAE.
type PrescriberType string

const (
	PrescriberML         PrescriberType = "01"
	PrescriberCapEmploi  PrescriberType = "02"
	PrescriberFT         PrescriberType = "03"
	PrescriberPLIE       PrescriberType = "04"
	PrescriberDept       PrescriberType = "05"
	PrescriberOther      PrescriberType = "06" // an authorized organization of a kind without a code
	PrescriberSpontan    PrescriberType = "07" // the job seeker or an employer
	PrescriberUnauth     PrescriberType = "08" // a prescriber without an authorized organization
	PrescriberSPIP       PrescriberType = "09"
	PrescriberPJJ        PrescriberType = "10"
	PrescriberCCAS       PrescriberType = "11"
	PrescriberCHRS       PrescriberType = "12"
	PrescriberCIDFF      PrescriberType = "13"
	PrescriberPrevention PrescriberType = "14"
	PrescriberAFPA       PrescriberType = "15"
	PrescriberPIJBIJ     PrescriberType = "16"
	PrescriberCAF        PrescriberType = "17"
	PrescriberCADA       PrescriberType = "18"
	PrescriberASE        PrescriberType = "19"
	PrescriberCAVA       PrescriberType = "20"
	PrescriberCPH        PrescriberType = "21"
	PrescriberCHU        PrescriberType = "22"
	PrescriberOACAS      PrescriberType = "23"
	PrescriberUnknown    PrescriberType = "99"
)

var prescriberTypes = []Choice{
	{Value: string(PrescriberML), Label: "Mission locale"},
	{Value: string(PrescriberCapEmploi), Label: "Cap emploi"},
	{Value: string(PrescriberFT), Label: "France Travail"},
	{Value: string(PrescriberPLIE), Label: "Plan local pour l'insertion et l'emploi (PLIE)"},
	{Value: string(PrescriberDept), Label: "Service départemental"},
	{Value: string(PrescriberOther), Label: "Autre prescripteur habilité"},
	{Value: string(PrescriberSpontan), Label: "Candidature spontanée"},
	{Value: string(PrescriberUnauth), Label: "Orienteur (prescripteur non habilité)"},
	{Value: string(PrescriberSPIP), Label: "Service pénitentiaire d'insertion et de probation (SPIP)"},
	{Value: string(PrescriberPJJ), Label: "Protection judiciaire de la jeunesse (PJJ)"},
	{Value: string(PrescriberCCAS), Label: "Centre communal ou intercommunal d'action sociale (CCAS, CIAS)"},
	{Value: string(PrescriberCHRS), Label: "Centre d'hébergement et de réinsertion sociale (CHRS)"},
	{Value: string(PrescriberCIDFF), Label: "Centre d'information sur les droits des femmes et des familles (CIDFF)"},
	{Value: string(PrescriberPrevention), Label: "Service ou club de prévention"},
	{Value: string(PrescriberAFPA), Label: "AFPA"},
	{Value: string(PrescriberPIJBIJ), Label: "Point ou bureau information jeunesse (PIJ, BIJ)"},
	{Value: string(PrescriberCAF), Label: "Caisse d'allocations familiales (CAF)"},
	{Value: string(PrescriberCADA), Label: "Centre d'accueil de demandeurs d'asile (CADA)"},
	{Value: string(PrescriberASE), Label: "Aide sociale à l'enfance (ASE)"},
	{Value: string(PrescriberCAVA), Label: "Centre d'adaptation à la vie active (CAVA)"},
	{Value: string(PrescriberCPH), Label: "Centre provisoire d'hébergement (CPH)"},
	{Value: string(PrescriberCHU), Label: "Centre d'hébergement d'urgence (CHU)"},
	{Value: string(PrescriberOACAS), Label: "Organisme d'accueil communautaire et d'activité solidaire (OACAS)"},
	{Value: string(PrescriberUnknown), Label: "Non connu"},
}

// PrescriberTypes lists every orienteur code.
func PrescriberTypes() []Choice { return prescriberTypes }

// Label is the French label, "" for an unknown code.
func (p PrescriberType) Label() string { return jobseeker.LabelOf(prescriberTypes, string(p)) }

// prescriberKindTypes are the authorized prescriber kinds with a code of their own.
var prescriberKindTypes = map[org.PrescriberKind]PrescriberType{
	org.ML: PrescriberML, org.CapEmploi: PrescriberCapEmploi, org.FT: PrescriberFT, org.PLIE: PrescriberPLIE,
	org.Dept: PrescriberDept, org.SPIP: PrescriberSPIP, org.PJJ: PrescriberPJJ, org.CCAS: PrescriberCCAS,
	org.CHRS: PrescriberCHRS, org.CIDFF: PrescriberCIDFF, org.Prevention: PrescriberPrevention,
	org.AFPA: PrescriberAFPA, org.PIJBIJ: PrescriberPIJBIJ, org.CAF: PrescriberCAF, org.CADA: PrescriberCADA,
	org.ASE: PrescriberASE, org.CAVA: PrescriberCAVA, org.CPH: PrescriberCPH, org.CHU: PrescriberCHU,
	org.OACAS: PrescriberOACAS,
}

// Sender says who sent the candidature, as the orienteur rule reads it.
type Sender struct {
	// ByPrescriber is true when a prescriber sent it; false for the job seeker or an employer.
	ByPrescriber bool
	// Kind of the prescriber's organization and whether it is authorized (habilitée); an
	// orienteur without an organization has neither.
	Kind       org.PrescriberKind
	Authorized bool
}

// PrescriberTypeOf is the orienteur of a candidature (approvals.md §2.15): spontaneous (07)
// when the job seeker or an employer sent it; 08 for a prescriber whose organization is not
// authorized (or who has none); the kind's own code for an authorized organization, else 06.
func PrescriberTypeOf(s Sender) PrescriberType {
	switch {
	case !s.ByPrescriber:
		return PrescriberSpontan
	case !s.Authorized:
		return PrescriberUnauth
	}
	if t, ok := prescriberKindTypes[s.Kind]; ok {
		return t
	}
	return PrescriberOther
}

// EITIContributions is the social contribution category of an EITI worker (cotisationsTI).
type EITIContributions string

// EITIContributionsUnknown is sent when the fiche leaves the category empty.
const EITIContributionsUnknown EITIContributions = "06"

var eitiContributions = []Choice{
	{Value: "01", Label: "Achat-revente de marchandises"},
	{Value: "02", Label: "Prestations de services commerciales ou artisanales"},
	{Value: "03", Label: "Prestations de services libérales relevant de la CIPAV"},
	{Value: "04", Label: "Prestations de services libérales relevant de la Sécurité sociale des indépendants"},
	{Value: "05", Label: "Location de meublés de tourisme classés"},
	{Value: string(EITIContributionsUnknown), Label: "Non déterminé (contrat établi avant 2025)"},
}

// EITIContributionsChoices lists the categories.
func EITIContributionsChoices() []Choice { return eitiContributions }

// Label is the French label, "" for an unknown code.
func (c EITIContributions) Label() string { return jobseeker.LabelOf(eitiContributions, string(c)) }

// LaneExtension is the standard extension of a lane number: 12 B(is), 12 T(er)…
type LaneExtension string

var laneExtensions = []Choice{
	{Value: "B", Label: "Bis"},
	{Value: "T", Label: "Ter"},
	{Value: "Q", Label: "Quater"},
	{Value: "C", Label: "Quinquies"},
}

// LaneExtensions lists the standard extensions.
func LaneExtensions() []Choice { return laneExtensions }

// Label is the French label, "" for an unknown code.
func (e LaneExtension) Label() string { return jobseeker.LabelOf(laneExtensions, string(e)) }

// LaneExtensionOf reads the extension written after a lane number ("bis", "B", "ter"…).
func LaneExtensionOf(word string) (LaneExtension, bool) {
	w := key(word)
	for _, c := range laneExtensions {
		if w == c.Value || w == key(c.Label) {
			return LaneExtension(c.Value), true
		}
	}
	return "", false
}
