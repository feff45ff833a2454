package eligibility

import (
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// AuthorKind is who wrote a diagnosis (§1.1).
type AuthorKind string

const (
	AuthorPrescriber AuthorKind = "prescriber"
	AuthorEmployer   AuthorKind = "employer"
	AuthorGEIQ       AuthorKind = "geiq"
)

// Label is the French name of the author kind.
func (k AuthorKind) Label() string {
	switch k {
	case AuthorPrescriber:
		return "Prescripteur habilité"
	case AuthorEmployer:
		return "Employeur"
	case AuthorGEIQ:
		return "GEIQ"
	}
	return string(k)
}

// Validity periods of §2.4.
const (
	// prescriberValidityMonths: a prescriber's IAE diagnosis, and any GEIQ diagnosis.
	prescriberValidityMonths = 6
	// EmployerValidityDays: an SIAE's own diagnosis lasts as long as its supporting documents.
	EmployerValidityDays = 92
)

// Day is the calendar day of t in Europe/Paris, as a UTC midnight (how dates are stored).
func Day(t time.Time) time.Time { return localtime.Day(t) }

// ExpiresAt is the first day on which a diagnosis created on createdDay (its day in Paris) by
// an author of kind is expired (§2.4): +6 months for prescribers and GEIQ, +92 days for an SIAE.
func ExpiresAt(kind AuthorKind, createdDay time.Time) time.Time {
	day := Day(createdDay)
	if kind == AuthorEmployer {
		return day.AddDate(0, 0, EmployerValidityDays)
	}
	return localtime.AddMonths(day, prescriberValidityMonths)
}

// IsValid reports whether a diagnosis expiring at expiresAt is valid on today (§2.4: expires_at
// is exclusive).
func IsValid(expiresAt, today time.Time) bool { return Day(expiresAt).After(Day(today)) }

// CriteriaField is the form field of the criteria as a whole.
const CriteriaField = "criteria"

// Messages of the criteria forms (§2.3, §2.6).
const (
	MsgCriteriaNumber       = "Vous devez sélectionner au moins un critère administratif de niveau 1 ou le cumul d'au moins trois critères de niveau 2."
	MsgCriteriaNumberAIETTI = "Vous devez sélectionner au moins un critère administratif de niveau 1 ou le cumul d'au moins deux critères de niveau 2."
	MsgGEIQCriteriaNeeded   = "Vous devez sélectionner au moins un critère administratif."
	MsgFTRegistration       = "Choisissez une seule durée d'inscription à France Travail."
)

// level2Needed is N of §2.3: the level-2 criteria an SIAE needs without a level-1 one.
func level2Needed(kind org.CompanyKind) int {
	if kind == org.AI || kind == org.ETTI {
		return 2
	}
	return 3
}

// incompatible is a pair of criteria that cannot be ticked together, with its message.
type incompatible struct {
	a, b    Kind
	message string
}

// iaeIncompatible are forbidden for every author (§2.3).
var iaeIncompatible = []incompatible{
	{SENIOR, JEUNE, "Vous ne pouvez pas sélectionner en même temps les critères Senior (+50 ans) et Jeune (-26 ans)."},
	{DETLD, DELD, "Vous ne pouvez pas sélectionner en même temps les critères DETLD (+24 mois) et DELD (12-24 mois)."},
}

// geiqIncompatible are the incompatible ticks of the GEIQ form (§2.6).
var geiqIncompatible = []incompatible{
	{QPV, ZRR, "Vous ne pouvez pas sélectionner en même temps les critères Résident QPV et Résident ZRR/ZFRR."},
	{JEUNE, SENIOR, "Vous ne pouvez pas sélectionner en même temps les critères Jeune (- de 26 ans) et Senior (+ de 50 ans)."},
	{JEUNE, DE45, "Vous ne pouvez pas sélectionner en même temps les critères Jeune (- de 26 ans) et Demandeur d'emploi de 45 ans et plus."},
	{SENIOR, ASE, "Vous ne pouvez pas sélectionner en même temps les critères Senior (+ de 50 ans) et Aide sociale à l'enfance."},
	{DE45, ASE, "Vous ne pouvez pas sélectionner en même temps les critères Demandeur d'emploi de 45 ans et plus et Aide sociale à l'enfance."},
	{REFDA, RSPSDA, "Vous ne pouvez pas sélectionner en même temps les critères Réfugié statutaire et Demandeur d'asile."},
}

// ftRegistration is the France Travail registration length of the GEIQ form: one choice (§2.6).
var ftRegistration = []Kind{DELD12, DELD, DETLD}

// checkIncompatible adds an error on the second criterion of every pair ticked together; key
// is the form field of a ticked kind.
func checkIncompatible(errs *fault.Fields, pairs []incompatible, key map[Kind]string) {
	for _, p := range pairs {
		if key[p.a] != "" && key[p.b] != "" {
			errs.Add(key[p.b], p.message)
		}
	}
}

// CheckIAECriteria checks the criteria of an IAE diagnosis (§2.3): an authorized prescriber
// may tick none; an SIAE needs one level-1 criterion or N level-2 ones (2 for AI and ETTI, 3
// otherwise); SENIOR with JEUNE and DETLD with DELD are refused for everybody.
func CheckIAECriteria(author AuthorKind, companyKind org.CompanyKind, selected []Criterion) fault.Fields {
	var errs fault.Fields
	key := make(map[Kind]string, len(selected))
	level1, level2 := 0, 0
	for _, c := range selected {
		key[c.Kind] = c.Key()
		switch c.Level {
		case Level1:
			level1++
		case Level2:
			level2++
		}
	}
	if author == AuthorEmployer && level1 == 0 && level2 < level2Needed(companyKind) {
		msg := MsgCriteriaNumber
		if level2Needed(companyKind) == 2 {
			msg = MsgCriteriaNumberAIETTI
		}
		errs.Add(CriteriaField, msg)
	}
	checkIncompatible(&errs, iaeIncompatible, key)
	return errs
}

// CheckGEIQCriteria checks the criteria of a GEIQ diagnosis (§2.2, §2.6): a GEIQ author ticks
// at least one; the incompatible pairs are refused, and the France Travail registration
// length is a single choice.
func CheckGEIQCriteria(author AuthorKind, selected []GEIQCriterion) fault.Fields {
	var errs fault.Fields
	if author == AuthorGEIQ && len(selected) == 0 {
		errs.Add(CriteriaField, MsgGEIQCriteriaNeeded)
	}
	key := make(map[Kind]string, len(selected))
	for _, c := range selected {
		key[c.Kind] = c.Key()
	}
	checkIncompatible(&errs, geiqIncompatible, key)
	ft := 0
	for _, k := range ftRegistration {
		if key[k] != "" {
			ft++
		}
	}
	if ft > 1 {
		errs.Add(CriteriaField, MsgFTRegistration)
	}
	return errs
}

// The GEIQ State allowance amounts in euros (§2.6).
const (
	AllowanceNone    = 0
	AllowanceAnnex1  = 814
	AllowanceFull    = 1400
	level2ForFullAid = 2
)

// GEIQAllowance is the State allowance a GEIQ diagnosis opens (§2.6, edge case 48): the full
// amount for a prescriber's diagnosis, or for one level-1 or two level-2 criteria; 814 € for a
// criterion of annex 1 (a "1+2" criterion counts as annex 1 and as level 2); nothing otherwise.
func GEIQAllowance(author AuthorKind, selected []GEIQCriterion) int {
	if author == AuthorPrescriber {
		return AllowanceFull
	}
	level1, level2, annex1 := 0, 0, false
	for _, c := range selected {
		switch c.Level {
		case Level1:
			level1++
		case Level2:
			level2++
		}
		annex1 = annex1 || c.Annex.inAnnex1()
	}
	switch {
	case level1 >= 1 || level2 >= level2ForFullAid:
		return AllowanceFull
	case annex1:
		return AllowanceAnnex1
	}
	return AllowanceNone
}

// Requirement is what a company kind asks of a job seeker's eligibility to hire them (§2.1).
type Requirement int

const (
	// NoEligibility: EA, EATT, OPCS and any other kind hire without a diagnosis.
	NoEligibility Requirement = iota
	// IAEEligibility: an SIAE hires with a valid IAE diagnosis or a valid PASS IAE.
	IAEEligibility
	// GEIQEligibility: a GEIQ may hire without a diagnosis; its GEIQ diagnosis only decides the
	// State allowance.
	GEIQEligibility
)

// RequirementOf is the eligibility a company of this kind needs to hire (§2.1).
func RequirementOf(kind org.CompanyKind) Requirement {
	switch {
	case kind.IsSIAE():
		return IAEEligibility
	case kind == org.GEIQ:
		return GEIQEligibility
	}
	return NoEligibility
}
