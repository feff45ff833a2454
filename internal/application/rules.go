package application

import (
	"strings"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

// Durations of the rules (applications.md §3.0, §3.9, §5).
const (
	// ResubmitAfter is the 24-hour rule (R2): a new candidature of the same job seeker to the same
	// company must wait this long after the previous one, except in auto-prescription.
	ResubmitAfter = 24 * time.Hour
	// DoubleSubmitWithin is the double-click guard (R3): two submissions within this time create one.
	DoubleSubmitWithin = 10 * time.Second
	// AutoRejectAfter (R30) and AutoArchiveAfter (R29) count from the last update.
	AutoRejectAfter  = 60 * 24 * time.Hour
	AutoArchiveAfter = 180 * 24 * time.Hour
	// ReminderAfter: members are reminded of candidatures waiting longer than this.
	ReminderAfter = 15 * 24 * time.Hour
	// MaxResumeBytes is the CV size limit (R9).
	MaxResumeBytes = 5 << 20
	// MaxCommentLength is the limit of an internal comment (§1.3).
	MaxCommentLength = 2000
	// MaxHiringDelayMonths: no contract may start later than this after today (R12).
	MaxHiringDelayMonths = 6
	// MaxEditedStartDays bounds a new start date after acceptance (R33).
	MaxEditedStartDays = 30
	// VisibleYears: employers do not see received candidatures older than this unless accepted (R31).
	VisibleYears = 2
)

// Tunnel is the submission journey (§3.0).
type Tunnel string

const (
	TunnelJobSeeker        Tunnel = "JOB_SEEKER"
	TunnelPrescription     Tunnel = "PRESCRIPTION"
	TunnelAutoPrescription Tunnel = "AUTO_PRESCRIPTION"
)

// DetectTunnel is the tunnel of a submission (§3.0): an employer applying to the company they act
// for is an auto-prescription; a job seeker applies alone; anyone else (a prescriber, an employer
// applying to another company) prescribes.
func DetectTunnel(isJobSeeker bool, actingCompanyID, targetCompanyID int64) Tunnel {
	switch {
	case isJobSeeker:
		return TunnelJobSeeker
	case actingCompanyID != 0 && actingCompanyID == targetCompanyID:
		return TunnelAutoPrescription
	}
	return TunnelPrescription
}

// BlockedByRecentApplication is the 24-hour rule (R2): a candidature of the same job seeker to
// the same company created less than 24 hours before now blocks a new one, except in
// auto-prescription. last is the latest such candidature's creation (nil: none).
func BlockedByRecentApplication(tunnel Tunnel, last *time.Time, now time.Time) bool {
	if tunnel == TunnelAutoPrescription || last == nil {
		return false
	}
	return now.Sub(*last) < ResubmitAfter
}

// IsDoubleSubmission is the double-click guard (R3): a submission less than 10 seconds after the
// previous candidature of the same (job seeker, company) is the same submission.
func IsDoubleSubmission(last *time.Time, now time.Time) bool {
	return last != nil && now.Sub(*last) < DoubleSubmitWithin && !now.Before(*last)
}

// VisibleToEmployer reports whether the receiving company still sees a candidature (R31): created
// less than 2 years ago, or accepted.
func VisibleToEmployer(state State, createdAt, now time.Time) bool {
	return state == Accepted || createdAt.After(VisibleSince(now))
}

// VisibleSince is the creation time after which employers see non-accepted candidatures (R31).
func VisibleSince(now time.Time) time.Time { return now.AddDate(-VisibleYears, 0, 0) }

// ArchivableByHand reports whether an employer may archive the candidature (R28).
func CanArchive(state State, archived bool) bool { return !archived && state.In(ArchivableByHand) }

// ShouldAutoArchive is the 180-day rule (R29).
func ShouldAutoArchive(state State, archived bool, updatedAt, now time.Time) bool {
	return !archived && state.In(ArchivableAuto) && !now.Before(updatedAt.Add(AutoArchiveAfter))
}

// ShouldAutoReject is the 60-day rule (R30).
func ShouldAutoReject(state State, archived bool, updatedAt, now time.Time) bool {
	return !archived && state.In(AutoRejectable) && !now.Before(updatedAt.Add(AutoRejectAfter))
}

// Day is a calendar day (midnight UTC), the unit of contract dates.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Messages of the contract-date rules.
const (
	msgStartRequired  = "Ce champ est obligatoire."
	msgBackdated      = "Il n'est pas possible d'antidater un contrat. Indiquez une date dans le futur."
	msgTooFarAhead    = "La date de début du contrat ne doit pas être postérieure à 6 mois."
	msgEndBeforeStart = "La date de fin du contrat doit être postérieure à la date de début."
	msgEditedStart    = "La date de début du contrat doit être comprise entre aujourd'hui et dans 30 jours."
)

// CheckHiringDates checks the contract dates of an acceptance (R12, §3.5-3): the start is
// required, not before today (GEIQ excepted), not more than 6 months ahead; the end, when set,
// is not before the start. PASS IAE bounds belong to the approvals domain.
func CheckHiringDates(kind org.CompanyKind, start, end *time.Time, today time.Time) fault.Fields {
	var errs fault.Fields
	today = Day(today)
	if start == nil {
		errs.Add("hiring_start_at", msgStartRequired)
		return errs
	}
	s := Day(*start)
	if kind != org.GEIQ && s.Before(today) {
		errs.Add("hiring_start_at", msgBackdated)
	}
	if s.After(today.AddDate(0, MaxHiringDelayMonths, 0)) {
		errs.Add("hiring_start_at", msgTooFarAhead)
	}
	if end != nil && Day(*end).Before(s) {
		errs.Add("hiring_end_at", msgEndBeforeStart)
	}
	return errs
}

// CanUpdateHiringStart reports whether the contract dates may still be edited (§1.4): the start
// is in the future and the candidature is accepted or postponed.
func CanUpdateHiringStart(state State, start *time.Time, today time.Time) bool {
	return start != nil && Day(*start).After(Day(today)) && (state == Accepted || state == Postponed)
}

// CheckEditedContractDates checks new contract dates after acceptance (R33): the start within
// [today, today + 30 days], the end not before it.
func CheckEditedContractDates(start, end *time.Time, today time.Time) fault.Fields {
	var errs fault.Fields
	today = Day(today)
	if start == nil {
		errs.Add("hiring_start_at", msgStartRequired)
		return errs
	}
	s := Day(*start)
	if s.Before(today) || s.After(today.AddDate(0, 0, MaxEditedStartDays)) {
		errs.Add("hiring_start_at", msgEditedStart)
	}
	if end != nil && Day(*end).Before(s) {
		errs.Add("hiring_end_at", msgEndBeforeStart)
	}
	return errs
}

// ContractType is the GEIQ contract (§1.1).
type ContractType string

const (
	ContractNone                 ContractType = ""
	ContractApprenticeship       ContractType = "APPRENTICESHIP"
	ContractProfessionalTraining ContractType = "PROFESSIONAL_TRAINING"
	ContractOther                ContractType = "OTHER"
)

// Label is the French name of the contract type.
func (c ContractType) Label() string {
	switch c {
	case ContractApprenticeship:
		return "Contrat d'apprentissage"
	case ContractProfessionalTraining:
		return "Contrat de professionalisation"
	case ContractOther:
		return "Autre type de contrat"
	}
	return string(c)
}

// QualificationType and QualificationLevel are the GEIQ qualification aimed at (§1.1).
type QualificationType string
type QualificationLevel string

const (
	QualificationStateDiploma QualificationType = "STATE_DIPLOMA"
	QualificationCQP          QualificationType = "CQP"
	QualificationCCN          QualificationType = "CCN"

	Level3           QualificationLevel = "LEVEL_3"
	Level4           QualificationLevel = "LEVEL_4"
	Level5           QualificationLevel = "LEVEL_5"
	LevelNotRelevant QualificationLevel = "NOT_RELEVANT"
)

// Label is the French name of the qualification type.
func (q QualificationType) Label() string {
	switch q {
	case QualificationStateDiploma:
		return "Diplôme d'état ou titre homologué"
	case QualificationCQP:
		return "CQP"
	case QualificationCCN:
		return "Positionnement de CCN"
	}
	return string(q)
}

// Label is the French name of the qualification level.
func (q QualificationLevel) Label() string {
	switch q {
	case Level3:
		return "Niveau 3 (CAP, BEP)"
	case Level4:
		return "Niveau 4 (BP, Bac général, Techno ou Pro, BT)"
	case Level5:
		return "Niveau 5 ou + (Bac+2 ou +)"
	case LevelNotRelevant:
		return "Non concerné"
	}
	return string(q)
}

// GEIQContract is what a GEIQ fills in at acceptance (§3.5-3).
type GEIQContract struct {
	ContractType         ContractType
	ContractTypeDetails  string
	NbHoursPerWeek       *int
	QualificationType    QualificationType
	QualificationLevel   QualificationLevel
	PlannedTrainingHours *int
	InvertedVAEContract  *bool
}

// IsZero reports whether nothing was filled in (the only valid value for other kinds, §1.1-6).
func (g GEIQContract) IsZero() bool {
	return g.ContractType == "" && strings.TrimSpace(g.ContractTypeDetails) == "" && g.NbHoursPerWeek == nil &&
		g.QualificationType == "" && g.QualificationLevel == "" && g.PlannedTrainingHours == nil &&
		g.InvertedVAEContract == nil
}

// CheckGEIQContract checks the contract fields for a company of this kind (§1.1-5 and 6,
// §3.5-3): for a GEIQ all are required, details iff "Autre", hours 1–48, NOT_RELEVANT never with
// a state diploma, the VAE flag only for professional training (and then forced to a bool); for
// other kinds everything must be empty. It returns the normalized value.
func CheckGEIQContract(kind org.CompanyKind, g GEIQContract) (GEIQContract, fault.Fields) {
	var errs fault.Fields
	if kind != org.GEIQ {
		if !g.IsZero() {
			errs.Add("contract_type", "Les informations de contrat GEIQ ne concernent que les GEIQ.")
		}
		return GEIQContract{}, errs
	}
	g.ContractTypeDetails = strings.TrimSpace(g.ContractTypeDetails)
	switch g.ContractType {
	case ContractApprenticeship, ContractProfessionalTraining:
		g.ContractTypeDetails = ""
	case ContractOther:
		if g.ContractTypeDetails == "" {
			errs.Add("contract_type_details", "Les précisions sont nécessaires pour ce type de contrat.")
		} else if len([]rune(g.ContractTypeDetails)) > 255 {
			errs.Add("contract_type_details", "Les précisions ne doivent pas dépasser 255 caractères.")
		}
	case "":
		errs.Add("contract_type", msgStartRequired)
	default:
		errs.Add("contract_type", "Choisissez un type de contrat de la liste.")
	}
	if g.NbHoursPerWeek == nil {
		errs.Add("nb_hours_per_week", msgStartRequired)
	} else if *g.NbHoursPerWeek < 1 || *g.NbHoursPerWeek > 48 {
		errs.Add("nb_hours_per_week", "Le nombre d'heures par semaine doit être compris entre 1 et 48.")
	}
	switch g.QualificationType {
	case QualificationStateDiploma, QualificationCQP, QualificationCCN:
	case "":
		errs.Add("qualification_type", msgStartRequired)
	default:
		errs.Add("qualification_type", "Choisissez un type de qualification de la liste.")
	}
	switch g.QualificationLevel {
	case Level3, Level4, Level5:
	case LevelNotRelevant:
		if g.QualificationType == QualificationStateDiploma {
			errs.Add("qualification_level", "Un diplôme d'état ne peut pas être « Non concerné ».")
		}
	case "":
		errs.Add("qualification_level", msgStartRequired)
	default:
		errs.Add("qualification_level", "Choisissez un niveau de qualification de la liste.")
	}
	if g.PlannedTrainingHours == nil {
		errs.Add("planned_training_hours", msgStartRequired)
	} else if *g.PlannedTrainingHours < 0 || *g.PlannedTrainingHours > 32767 {
		errs.Add("planned_training_hours", "Le nombre d'heures de formation doit être positif.")
	}
	if g.ContractType == ContractProfessionalTraining {
		v := g.InvertedVAEContract != nil && *g.InvertedVAEContract
		g.InvertedVAEContract = &v
	} else {
		g.InvertedVAEContract = nil
	}
	return g, errs
}

// PriorActionKind is a GEIQ "action préalable à l’embauche" (§1.2).
type PriorActionKind string

const (
	ActionPMSMP              PriorActionKind = "PMSMP"
	ActionMRS                PriorActionKind = "MRS"
	ActionStage              PriorActionKind = "STAGE"
	ActionOtherSituation     PriorActionKind = "OTHER_SITUATION"
	ActionRegionalOrSectoral PriorActionKind = "DRS"
	ActionAFPR               PriorActionKind = "AFPR"
	ActionPOE                PriorActionKind = "POE"
	ActionOtherQualification PriorActionKind = "OTHER_QUALIFICATION"
)

// PriorActionGroup gathers the kinds as the form's option groups.
type PriorActionGroup struct {
	Label string
	Kinds []PriorActionKind
}

// PriorActionGroups are the two groups of §1.2, in the form's order.
var PriorActionGroups = []PriorActionGroup{
	{"Mise en situation professionnelle", []PriorActionKind{ActionPMSMP, ActionMRS, ActionStage, ActionOtherSituation}},
	{"Pré-qualification", []PriorActionKind{ActionRegionalOrSectoral, ActionAFPR, ActionPOE, ActionOtherQualification}},
}

var priorActionLabels = map[PriorActionKind]string{
	ActionPMSMP: "PMSMP", ActionMRS: "MRS", ActionStage: "STAGE", ActionOtherSituation: "Autre",
	ActionRegionalOrSectoral: "Dispositif régional ou sectoriel", ActionAFPR: "AFPR", ActionPOE: "POE",
	ActionOtherQualification: "Autre",
}

// Label is the French name of the action.
func (k PriorActionKind) Label() string {
	if l, ok := priorActionLabels[k]; ok {
		return l
	}
	return string(k)
}

// Group is the label of the group the action belongs to.
func (k PriorActionKind) Group() string {
	for _, g := range PriorActionGroups {
		for _, kk := range g.Kinds {
			if kk == k {
				return g.Label
			}
		}
	}
	return ""
}

// CheckPriorAction checks a prior action's kind and dates (end ≥ start, both required).
func CheckPriorAction(kind PriorActionKind, start, end *time.Time) fault.Fields {
	var errs fault.Fields
	if kind.Group() == "" {
		errs.Add("action", "Choisissez une action de la liste.")
	}
	if start == nil {
		errs.Add("start_at", msgStartRequired)
	}
	if end == nil {
		errs.Add("end_at", msgStartRequired)
	}
	if start != nil && end != nil && Day(*end).Before(Day(*start)) {
		errs.Add("end_at", "La date de fin prévisionnelle doit être postérieure à la date de début.")
	}
	return errs
}
