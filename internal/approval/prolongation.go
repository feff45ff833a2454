package approval

import (
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// ProlongationReason is why a PASS is prolonged (§2.11).
type ProlongationReason string

const (
	SeniorCDI              ProlongationReason = "SENIOR_CDI"
	CompleteTraining       ProlongationReason = "COMPLETE_TRAINING"
	RQTH                   ProlongationReason = "RQTH"
	Senior                 ProlongationReason = "SENIOR"
	ParticularDifficulties ProlongationReason = "PARTICULAR_DIFFICULTIES"
	HealthContext          ProlongationReason = "HEALTH_CONTEXT" // retired since 2021-12-01
)

// ProlongationRule is one line of the table of §2.11.
type ProlongationRule struct {
	Label string
	// MaxDays is the longest declaration; CapDays the most all prolongations of the PASS may
	// add up to before this reason is refused (0: no cap).
	MaxDays, CapDays int
	// NeedsPrescriber: a habilitated prescriber grants it (a request), else it applies at once.
	NeedsPrescriber bool
	// Kinds are the companies that may declare it, nil for every SIAE; empty for nobody.
	Kinds []org.CompanyKind
}

// ProlongationRules is the table of §2.11, line by line.
var ProlongationRules = map[ProlongationReason]ProlongationRule{
	SeniorCDI:        {Label: "CDI conclu avec une personne de plus de 57 ans", MaxDays: 3650},
	CompleteTraining: {Label: "Fin d'une formation", MaxDays: 365},
	RQTH:             {Label: "RQTH - Reconnaissance de la qualité de travailleur handicapé", MaxDays: 365, CapDays: 1095, NeedsPrescriber: true},
	Senior:           {Label: "50 ans et plus", MaxDays: 365, CapDays: 1825, NeedsPrescriber: true},
	ParticularDifficulties: {Label: "Difficultés particulièrement importantes dont l'absence de prise en charge ferait obstacle à son insertion professionnelle",
		MaxDays: 365, CapDays: 1095, NeedsPrescriber: true, Kinds: []org.CompanyKind{org.AI, org.ACI}},
	HealthContext: {Label: "Contexte sanitaire", MaxDays: 365, CapDays: 365, Kinds: []org.CompanyKind{}},
}

// ProlongationReasons are the reasons in form order.
var ProlongationReasons = []ProlongationReason{SeniorCDI, CompleteTraining, RQTH, Senior, ParticularDifficulties, HealthContext}

// Label is the French name of the reason.
func (r ProlongationReason) Label() string {
	if rule, ok := ProlongationRules[r]; ok {
		return rule.Label
	}
	return string(r)
}

// NeedsPrescriber: the reason makes a request for a habilitated prescriber.
func (r ProlongationReason) NeedsPrescriber() bool { return ProlongationRules[r].NeedsPrescriber }

// hasReport: the reasons that may carry a report file and contact details.
func (r ProlongationReason) hasReport() bool {
	return r == RQTH || r == Senior || r == ParticularDifficulties
}

// AllowedFor: a company of kind may declare the reason (edge case 22).
func (r ProlongationReason) AllowedFor(kind org.CompanyKind) bool {
	rule, ok := ProlongationRules[r]
	if !ok || !kind.IsSIAE() {
		return false
	}
	if rule.Kinds == nil {
		return true
	}
	for _, k := range rule.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Prolongation window (§2.11, edge case 17).
const (
	windowMonthsBefore = 12
	windowMonthsAfter  = 6
)

// OpenToProlongation: today lies in [end − 12 months, end + 6 months].
func OpenToProlongation(end, today time.Time) bool {
	return !today.Before(localtime.AddMonths(end, -windowMonthsBefore)) && !today.After(localtime.AddMonths(end, windowMonthsAfter))
}

// CapMaxEnd is the model-level maximum end of a prolongation starting on start: only the
// cumulative cap when the reason has one, else the per-declaration maximum (§2.11's reference
// values). used is the days of the PASS's existing prolongations.
func CapMaxEnd(reason ProlongationReason, start time.Time, used int) time.Time {
	rule := ProlongationRules[reason]
	if rule.CapDays > 0 {
		return addDays(start, max(rule.CapDays-used, 0))
	}
	return addDays(start, rule.MaxDays)
}

// ProlongationMaxEnd is the latest end of one declaration: min(start + per-declaration max,
// start + (cap − used)) (§7: both limits in the domain).
func ProlongationMaxEnd(reason ProlongationReason, start time.Time, used int) time.Time {
	byDeclaration := addDays(start, ProlongationRules[reason].MaxDays)
	if capped := CapMaxEnd(reason, start, used); capped.Before(byDeclaration) {
		return capped
	}
	return byDeclaration
}

// Messages of the prolongation form.
const (
	msgProlongationReason   = "Ce motif de prolongation n'est pas proposé à votre structure."
	msgProlongationCapUsed  = "La durée totale des prolongations de ce PASS IAE atteint déjà le maximum pour ce motif."
	msgProlongationStart    = "La prolongation doit commencer le jour de fin du PASS IAE (%s)."
	msgProlongationMinimum  = "La date de fin de la prolongation doit être postérieure à sa date de début."
	msgProlongationTooLong  = "La durée de la prolongation est trop longue : sa date de fin doit être au plus tard le %s."
	msgProlongationReport   = "Un fichier bilan n'est possible que pour les motifs RQTH, 50 ans et plus et difficultés particulières."
	msgProlongationReportAI = "Le fichier bilan ne concerne que les associations intermédiaires (AI)."
	msgProlongationContact  = "L'adresse e-mail et le téléphone de contact sont obligatoires pour un entretien téléphonique."
	msgProlongationNoContct = "Les coordonnées de contact ne sont possibles que pour les motifs RQTH, 50 ans et plus et difficultés particulières."
	msgProlongationPhoneLen = "Le numéro de téléphone ne doit pas dépasser 20 caractères."
	msgProlongationOverlap  = "Les dates de cette prolongation chevauchent une prolongation existante de ce PASS IAE."
)

// ProlongationInput is a prolongation as the employer declares it.
type ProlongationInput struct {
	EndAt                 time.Time
	Reason                ProlongationReason
	ReasonExplanation     string
	ReportFileKey         string
	RequirePhoneInterview bool
	ContactEmail          string
	ContactPhone          string
	// For a request: the e-mail of the habilitated prescriber and, when they belong to several
	// habilitated organizations, the chosen one.
	PrescriberEmail          string
	PrescriberOrganizationID int64
}

// CheckProlongation validates a declaration by a company of kind starting on start (the PASS's
// end) when the PASS's prolongations add up to used days (§2.11, edge cases 20–25).
func CheckProlongation(in ProlongationInput, kind org.CompanyKind, start time.Time, used int) error {
	var f fault.Fields
	if !in.Reason.AllowedFor(kind) {
		f.Add(fieldReason, msgProlongationReason)
	} else if rule := ProlongationRules[in.Reason]; rule.CapDays > 0 && used >= rule.CapDays {
		f.Add(fieldReason, msgProlongationCapUsed)
	}
	if !f.Has(fieldReason) {
		switch maxEnd := ProlongationMaxEnd(in.Reason, start, used); {
		case !in.EndAt.After(start):
			f.Add(fieldEnd, msgProlongationMinimum)
		case in.EndAt.After(maxEnd):
			f.Add(fieldEnd, fmtDate(msgProlongationTooLong, maxEnd))
		}
	}
	switch {
	case in.ReportFileKey != "" && !in.Reason.hasReport():
		f.Add("report_file", msgProlongationReport)
	case in.ReportFileKey != "" && kind != org.AI:
		f.Add("report_file", msgProlongationReportAI)
	}
	switch {
	case !in.Reason.hasReport() && (in.RequirePhoneInterview || in.ContactEmail != "" || in.ContactPhone != ""):
		f.Add("contact_email", msgProlongationNoContct)
	case in.RequirePhoneInterview && (in.ContactEmail == "" || in.ContactPhone == ""):
		f.Add("contact_email", msgProlongationContact)
	case len(in.ContactPhone) > 20:
		f.Add("contact_phone", msgProlongationPhoneLen)
	}
	return f.Err()
}

// prolongationFields are the columns a Prolongation and a ProlongationRequest share (§1.9).
type prolongationFields struct {
	ID                       int64              `bun:"id,pk,autoincrement"`
	ApprovalID               int64              `bun:"approval_id,notnull"`
	StartAt                  time.Time          `bun:"start_at,type:date,notnull"`
	EndAt                    time.Time          `bun:"end_at,type:date,notnull"`
	Reason                   ProlongationReason `bun:"reason,notnull"`
	ReasonExplanation        string             `bun:"reason_explanation,notnull"`
	DeclaredByID             *int64             `bun:"declared_by_id"`
	DeclaredByCompanyID      *int64             `bun:"declared_by_company_id"`
	PrescriberOrganizationID *int64             `bun:"prescriber_organization_id"`
	ReportFileKey            string             `bun:"report_file_key,notnull"`
	RequirePhoneInterview    bool               `bun:"require_phone_interview,notnull"`
	ContactEmail             string             `bun:"contact_email,notnull"`
	ContactPhone             string             `bun:"contact_phone,notnull"`
	CreatedByID              *int64             `bun:"created_by_id"`
	UpdatedByID              *int64             `bun:"updated_by_id"`
	CreatedAt                time.Time          `bun:"created_at,notnull"`
	UpdatedAt                time.Time          `bun:"updated_at,notnull"`
}

// Days is the duration [start, end): what the prolongation adds to the PASS (§7).
func (p *prolongationFields) Days() int { return daysBetween(p.StartAt, p.EndAt) }

// Dates is the prolongation as a half-open period [Start, End).
func (p *prolongationFields) Dates() Period { return Period{Start: p.StartAt, End: p.EndAt} }

// Prolongation extends a PASS (§1.9); its end is exclusive.
type Prolongation struct {
	bun.BaseModel `bun:"table:prolongation"`
	prolongationFields
	RequestID     *int64 `bun:"request_id"`
	ValidatedByID *int64 `bun:"validated_by_id"`
}

// RequestStatus is the state of a prolongation request (§3.2).
type RequestStatus string

const (
	RequestPending RequestStatus = "PENDING" // « À traiter »
	RequestGranted RequestStatus = "GRANTED" // « Acceptée »
	RequestDenied  RequestStatus = "DENIED"  // « Refusée »
)

// Label is the French name of the status.
func (s RequestStatus) Label() string {
	switch s {
	case RequestPending:
		return "À traiter"
	case RequestGranted:
		return "Acceptée"
	case RequestDenied:
		return "Refusée"
	}
	return string(s)
}

// ProlongationRequest waits for a habilitated prescriber (§1.9, §3.2).
type ProlongationRequest struct {
	bun.BaseModel `bun:"table:prolongation_request"`
	prolongationFields
	Status         RequestStatus `bun:"status,notnull"`
	AssignedToID   *int64        `bun:"assigned_to_id"`
	ProcessedAt    *time.Time    `bun:"processed_at"`
	ProcessedByID  *int64        `bun:"processed_by_id"`
	ReminderSentAt *time.Time    `bun:"reminder_sent_at"`
}

// halfOpenOverlap: [a.Start, a.End) and [b.Start, b.End) share a day.
func halfOpenOverlap(a, b Period) bool { return a.Start.Before(b.End) && b.Start.Before(a.End) }

// DenyReason is why a prescriber refuses a request (§1.9).
type DenyReason string

const (
	DenyIAE      DenyReason = "IAE"
	DenySIAE     DenyReason = "SIAE"
	DenyDuration DenyReason = "DURATION"
	DenyReasonOf DenyReason = "REASON"
)

var denyLabels = map[DenyReason]string{
	DenyIAE:      "L'IAE ne correspond plus aux besoins / à la situation de la personne",
	DenySIAE:     "La typologie de SIAE ne correspond plus aux besoins / à la situation de la personne",
	DenyDuration: "La durée de prolongation demandée n'est pas adaptée à la situation du candidat",
	DenyReasonOf: "Le motif de prolongation demandé n'est pas adapté à la situation du candidat",
}

// Label is the French name of the deny reason.
func (r DenyReason) Label() string {
	if l, ok := denyLabels[r]; ok {
		return l
	}
	return string(r)
}

// ProposedAction is what a prescriber proposes instead of a prolongation.
type ProposedAction string

const (
	ActionExitIAE       ProposedAction = "EXIT_IAE"
	ActionSocialPartner ProposedAction = "SOCIAL_PARTNER"
	ActionOther         ProposedAction = "OTHER"
)

var actionLabels = map[ProposedAction]string{
	ActionExitIAE:       "Sortie de l'IAE vers l'emploi",
	ActionSocialPartner: "Accompagnement par un partenaire social",
	ActionOther:         "Autre",
}

// ProposedActions are the actions in form order.
var ProposedActions = []ProposedAction{ActionExitIAE, ActionSocialPartner, ActionOther}

// Label is the French name of the proposed action.
func (a ProposedAction) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// DenyReasons are the refusal reasons in form order.
var DenyReasons = []DenyReason{DenyIAE, DenySIAE, DenyDuration, DenyReasonOf}

// DenyInput is a refusal as the prescriber submits it.
type DenyInput struct {
	Reason                     DenyReason
	ReasonExplanation          string
	ProposedActions            []ProposedAction
	ProposedActionsExplanation string
}

// Messages of the refusal wizard.
const (
	msgDenyReason      = "Choisissez le motif du refus."
	msgDenyExplanation = "Expliquez le motif du refus."
	msgDenyActions     = "Choisissez au moins une action proposée."
	msgDenyActionsText = "Précisez les actions proposées."
	msgDenyNoActions   = "Les actions proposées ne concernent que le motif « IAE »."
)

// CheckDeny validates a refusal: the reason and its explanation always; the proposed actions
// and their explanation for reason IAE only, never an empty list (§2.11, edge case 28).
func CheckDeny(in DenyInput) error {
	var f fault.Fields
	if _, ok := denyLabels[in.Reason]; !ok {
		f.Add("reason", msgDenyReason)
	}
	if in.ReasonExplanation == "" {
		f.Add("reason_explanation", msgDenyExplanation)
	}
	if in.Reason == DenyIAE {
		if len(in.ProposedActions) == 0 {
			f.Add("proposed_actions", msgDenyActions)
		}
		for _, a := range in.ProposedActions {
			if a != ActionExitIAE && a != ActionSocialPartner && a != ActionOther {
				f.Add("proposed_actions", msgDenyActions)
			}
		}
		if in.ProposedActionsExplanation == "" {
			f.Add("proposed_actions_explanation", msgDenyActionsText)
		}
	} else if len(in.ProposedActions) > 0 || in.ProposedActionsExplanation != "" {
		f.Add("proposed_actions", msgDenyNoActions)
	}
	return f.Err()
}

// ReasonChoice is a prolongation reason as the form shows it: a reason whose cap is used up
// is shown disabled (§2.11, scenario 21).
type ReasonChoice struct {
	Reason   ProlongationReason
	Disabled bool
}

// ProlongationReasonsFor are the reasons offered to a company of kind on a PASS whose
// prolongations add up to used days, in form order (scenarios 20–21).
func ProlongationReasonsFor(kind org.CompanyKind, used int) []ReasonChoice {
	var cs []ReasonChoice
	for _, r := range ProlongationReasons {
		if !r.AllowedFor(kind) {
			continue
		}
		rule := ProlongationRules[r]
		cs = append(cs, ReasonChoice{Reason: r, Disabled: rule.CapDays > 0 && used >= rule.CapDays})
	}
	return cs
}
