package approval

import (
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// SuspensionReason is why a PASS is suspended (§1.8).
type SuspensionReason string

const (
	ContractSuspended         SuspensionReason = "CONTRACT_SUSPENDED"
	ContractBroken            SuspensionReason = "CONTRACT_BROKEN"
	FinishedContract          SuspensionReason = "FINISHED_CONTRACT"
	ApprovalBetweenCTAMembers SuspensionReason = "APPROVAL_BETWEEN_CTA_MEMBERS"
	ContratPasserelle         SuspensionReason = "CONTRAT_PASSERELLE"
	// Legacy reasons: shown, never chosen, never lifted.
	Sickness        SuspensionReason = "SICKNESS"
	Maternity       SuspensionReason = "MATERNITY"
	Incarceration   SuspensionReason = "INCARCERATION"
	TrialOutsideIAE SuspensionReason = "TRIAL_OUTSIDE_IAE"
	Detoxification  SuspensionReason = "DETOXIFICATION"
	ForceMajeure    SuspensionReason = "FORCE_MAJEURE"
)

var suspensionLabels = map[SuspensionReason]string{
	ContractSuspended:         "Contrat de travail suspendu depuis plus de 15 jours",
	ContractBroken:            "Contrat de travail rompu",
	FinishedContract:          "Contrat de travail terminé",
	ApprovalBetweenCTAMembers: "Situation faisant l'objet d'un accord entre les acteurs membres du CTA (Comité technique d'animation)",
	ContratPasserelle:         "Bascule dans l'expérimentation contrat passerelle",
	Sickness:                  "Arrêt pour cause de maladie",
	Maternity:                 "Congé de maternité",
	Incarceration:             "Incarcération",
	TrialOutsideIAE:           "Période d'essai auprès d'un employeur ne relevant pas de l'insertion par l'activité économique",
	Detoxification:            "Période de cure pour désintoxication",
	ForceMajeure:              "Raison de force majeure conduisant le salarié à quitter son emploi ou à suspendre son contrat de travail",
}

// Label is the French name of the reason.
func (r SuspensionReason) Label() string {
	if l, ok := suspensionLabels[r]; ok {
		return l
	}
	return string(r)
}

// Liftable: a new hire ends a suspension of this reason (the five selectable ones, §2.10).
func (r SuspensionReason) Liftable() bool {
	switch r {
	case ContractSuspended, ContractBroken, FinishedContract, ApprovalBetweenCTAMembers, ContratPasserelle:
		return true
	}
	return false
}

// SuspensionReasonsFor are the reasons a company of kind may choose, in form order:
// CONTRAT_PASSERELLE last and only for ACI and EI (edge case 38).
func SuspensionReasonsFor(kind org.CompanyKind) []SuspensionReason {
	rs := []SuspensionReason{ContractSuspended, ContractBroken, FinishedContract, ApprovalBetweenCTAMembers}
	if kind == org.ACI || kind == org.EI {
		rs = append(rs, ContratPasserelle)
	}
	return rs
}

// Suspension rules of §2.10.
const (
	// MaxBackdateDays: a suspension starts at most this many days before the referent date.
	MaxBackdateDays = 365
	// MaxSuspensionMonths: a suspension ends at most start + 36 months − 1 day.
	MaxSuspensionMonths = 36
)

// Suspension is a pause of a PASS (§1.8); both ends included.
type Suspension struct {
	bun.BaseModel `bun:"table:suspension"`

	ID                int64            `bun:"id,pk,autoincrement"`
	ApprovalID        int64            `bun:"approval_id,notnull"`
	StartAt           time.Time        `bun:"start_at,type:date,notnull"`
	EndAt             time.Time        `bun:"end_at,type:date,notnull"`
	CompanyID         *int64           `bun:"company_id"`
	Reason            SuspensionReason `bun:"reason,notnull"`
	ReasonExplanation string           `bun:"reason_explanation,notnull"`
	CreatedByID       *int64           `bun:"created_by_id"`
	UpdatedByID       *int64           `bun:"updated_by_id"`
	CreatedAt         time.Time        `bun:"created_at,notnull"`
	UpdatedAt         time.Time        `bun:"updated_at,notnull"`
}

// Dates is the suspension as a period.
func (s *Suspension) Dates() Period { return Period{Start: s.StartAt, End: s.EndAt} }

// Delta is what the suspension adds to the PASS: end − start days, not + 1 (§7).
func (s *Suspension) Delta() int { return daysBetween(s.StartAt, s.EndAt) }

// SuspensionMaxEnd is the latest end of a suspension starting on start (2024-01-15 → 2027-01-14).
func SuspensionMaxEnd(start time.Time) time.Time {
	return addDays(localtime.AddMonths(start, MaxSuspensionMonths), -1)
}

// SuspensionMinStart is the earliest start of a suspension (§2.10, edge case 36): the last
// SIAE hiring start, or the day after an earlier suspension that ended since, never before
// referent − 365 days (referent: today, or the suspension's creation day when editing). An
// unknown hiring start gives referent − 365 days.
func SuspensionMinStart(lastHiringStart, previousSuspensionEnd *time.Time, referent time.Time) time.Time {
	floor := addDays(referent, -MaxBackdateDays)
	min := floor
	if lastHiringStart != nil {
		min = *lastHiringStart
	}
	if previousSuspensionEnd != nil && !previousSuspensionEnd.Before(min) {
		min = addDays(*previousSuspensionEnd, 1)
	}
	if min.Before(floor) {
		return floor
	}
	return min
}

// Messages of the suspension form.
const (
	msgSuspensionFuture      = "La date de début de la suspension ne peut pas être dans le futur."
	msgSuspensionOutside     = "La suspension doit commencer pendant la durée de validité du PASS IAE."
	msgSuspensionTooEarly    = "La date de début de la suspension ne peut pas être antérieure au %s."
	msgSuspensionEndBefore   = "La date de fin de la suspension doit être postérieure ou égale à sa date de début."
	msgSuspensionTooLong     = "La suspension ne peut pas dépasser 36 mois : sa date de fin doit être au plus tard le %s."
	msgSuspensionOverlap     = "Une autre suspension de ce PASS IAE couvre déjà une partie de ces dates."
	msgSuspensionReason      = "Choisissez un motif de suspension proposé."
	msgReturnDate            = "La date de retour doit être postérieure au début de la suspension et antérieure à sa fin."
	fieldStart, fieldEnd     = "start_at", "end_at"
	fieldReason, fieldReturn = "reason", "first_day_back"
)

// SuspensionInput is a suspension as the employer submits it.
type SuspensionInput struct {
	StartAt, EndAt time.Time
	Reason         SuspensionReason
}

// CheckSuspension validates dates and reason of a suspension of pass for a company of kind;
// minStart comes from SuspensionMinStart; others are the PASS's other suspensions (§2.10,
// edge cases 32–34).
func CheckSuspension(in SuspensionInput, kind org.CompanyKind, pass Period, minStart, today time.Time, others []Period) error {
	var f fault.Fields
	offered := false
	for _, r := range SuspensionReasonsFor(kind) {
		offered = offered || r == in.Reason
	}
	if !offered {
		f.Add(fieldReason, msgSuspensionReason)
	}
	switch {
	case in.StartAt.After(today):
		f.Add(fieldStart, msgSuspensionFuture)
	case !pass.Covers(in.StartAt):
		f.Add(fieldStart, msgSuspensionOutside)
	case in.StartAt.Before(minStart):
		f.Add(fieldStart, fmtDate(msgSuspensionTooEarly, minStart))
	}
	switch {
	case in.EndAt.Before(in.StartAt):
		f.Add(fieldEnd, msgSuspensionEndBefore)
	case in.EndAt.After(SuspensionMaxEnd(in.StartAt)):
		f.Add(fieldEnd, fmtDate(msgSuspensionTooLong, SuspensionMaxEnd(in.StartAt)))
	}
	if len(f) == 0 {
		mine := Period{Start: in.StartAt, End: in.EndAt}
		for _, o := range others {
			if overlaps(mine, o) {
				f.Add("", msgSuspensionOverlap)
			}
		}
	}
	return f.Err()
}

// overlaps: two periods with both ends included share a day.
func overlaps(a, b Period) bool { return !a.Start.After(b.End) && !b.Start.After(a.End) }

// ProposedReturn is the first day back proposed when ending a suspension: today, or start + 1
// when the suspension started today (edge case 39).
func ProposedReturn(s Period, today time.Time) time.Time {
	if next := addDays(s.Start, 1); next.After(today) {
		return next
	}
	return today
}

// EndOnReturn is the new end of a suspension when the person is back at work on firstDayBack:
// the day before, with start < firstDayBack < end (edge case 39).
func EndOnReturn(s Period, firstDayBack time.Time) (time.Time, error) {
	if !firstDayBack.After(s.Start) || !firstDayBack.Before(s.End) {
		return time.Time{}, fault.InvalidField(fieldReturn, msgReturnDate)
	}
	return addDays(firstDayBack, -1), nil
}

// Lift says what a new hire starting on hiringStart does to a suspension (§2.8-7, edge case 37).
type Lift int

const (
	LiftNone   Lift = iota // the suspension stays as it is
	LiftEnd                // it ends the day before the hire
	LiftDelete             // the hire starts on its first day: it is deleted
)

// LiftOnHire decides the fate of a suspension when the person is hired from hiringStart:
// legacy reasons stay, as does a suspension that has ended before the hire.
func LiftOnHire(reason SuspensionReason, s Period, hiringStart time.Time) (Lift, time.Time) {
	if !reason.Liftable() || hiringStart.After(s.End) {
		return LiftNone, time.Time{}
	}
	if !hiringStart.After(s.Start) {
		return LiftDelete, time.Time{}
	}
	return LiftEnd, addDays(hiringStart, -1)
}
