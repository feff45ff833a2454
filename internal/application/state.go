// Package application holds the candidatures (applications.md): their states and the transition
// table, the submission tunnels and their guards, the employer's processing (accept, refuse,
// postpone, pool, transfers, archives, GEIQ prior actions, comments), the lists and exports, the
// e-mails of every transition and the periodic jobs (auto-reject, auto-archive, reminders).
// Eligibility diagnoses and PASS IAE are the approval and eligibility domains; an acceptance asks
// them which diagnosis counts and which PASS IAE the hire gets (pass.go).
package application

import "slices"

// State is the state of a candidature (applications.md §1.2).
type State string

const (
	New          State = "new"
	Processing   State = "processing"
	Postponed    State = "postponed"
	PriorToHire  State = "prior_to_hire"
	Pool         State = "pool"
	Accepted     State = "accepted"
	Refused      State = "refused"
	Cancelled    State = "cancelled"
	Obsolete     State = "obsolete"
	stateUnknown State = ""
)

// States lists every state in the order of the spec (and of the state filter).
var States = []State{New, Processing, Postponed, PriorToHire, Pool, Accepted, Refused, Cancelled, Obsolete}

var stateLabels = map[State]string{
	New:         "Nouvelle candidature",
	Processing:  "Candidature à l'étude",
	Postponed:   "Candidature en attente",
	PriorToHire: "Action préalable à l’embauche",
	Pool:        "Vivier de candidatures",
	Accepted:    "Candidature acceptée",
	Refused:     "Candidature déclinée",
	Cancelled:   "Embauche annulée",
	Obsolete:    "Embauché ailleurs",
}

// Label is the French name of the state.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// Badge is the text of the state's badge in lists: the label, except "Vivier" for the pool.
func (s State) Badge() string {
	if s == Pool {
		return "Vivier"
	}
	return s.Label()
}

// Valid reports whether s is one of the nine states.
func (s State) Valid() bool { _, ok := stateLabels[s]; return ok }

// Derived sets of applications.md §1.2.
var (
	Pending          = []State{New, Processing, Postponed}
	Processed        = []State{Accepted, Refused, Cancelled, Obsolete}
	ArchivableAuto   = []State{New, Processing, Postponed, Refused, Cancelled, Obsolete}
	ArchivableByHand = []State{Refused, Cancelled, Obsolete}
	AutoRejectable   = []State{New, Processing}
)

// In reports whether s is one of set.
func (s State) In(set []State) bool { return slices.Contains(set, s) }

// IsPending reports whether the candidature waits for the employer's answer.
func (s State) IsPending() bool { return s.In(Pending) }

// IsProcessed reports whether processed_at is set in this state (§1.1 invariant 8).
func (s State) IsProcessed() bool { return s.In(Processed) }

// SenderKind is who sent a candidature (§1.2).
type SenderKind string

const (
	SenderJobSeeker  SenderKind = "job_seeker"
	SenderPrescriber SenderKind = "prescriber"
	SenderEmployer   SenderKind = "employer"
)

// Label is the French name of the kind.
func (k SenderKind) Label() string {
	switch k {
	case SenderJobSeeker:
		return "Demandeur d'emploi"
	case SenderPrescriber:
		return "Prescripteur"
	case SenderEmployer:
		return "Employeur"
	}
	return string(k)
}

// FranceTravailCode is the origin code France Travail knows the kind by.
func (k SenderKind) FranceTravailCode() string {
	switch k {
	case SenderJobSeeker:
		return "DEMA"
	case SenderPrescriber:
		return "PRES"
	case SenderEmployer:
		return "EMPL"
	}
	return ""
}

// DisplayedSenderKind is the sender's kind as shown: "Orienteur" for a prescriber whose
// organization is not authorized (or who had none), "Prescripteur habilité" for an authorized
// one, "Employeur" for employers and "Demandeur d'emploi" for the job seeker.
func DisplayedSenderKind(k SenderKind, authorizedOrg bool) string {
	switch k {
	case SenderPrescriber:
		if authorizedOrg {
			return "Prescripteur habilité"
		}
		return "Orienteur"
	case SenderEmployer:
		return "Employeur"
	}
	return k.Label()
}

// Origin says how a candidature came to exist (§1.1).
type Origin string

const (
	OriginDefault    Origin = "default"
	OriginPEApproval Origin = "pe_approval"
	OriginAIStock    Origin = "ai_stock"
	OriginAdmin      Origin = "admin"
)

// Label is the French name of the origin.
func (o Origin) Label() string {
	switch o {
	case OriginDefault:
		return "Créée normalement via les emplois"
	case OriginPEApproval:
		return "Créée lors d'un import d'agrément Pole Emploi"
	case OriginAIStock:
		return "Créée lors de l'import du stock AI"
	case OriginAdmin:
		return "Créée depuis l'admin"
	}
	return string(o)
}

// DeliveryMode is how an SIAE hire got its PASS IAE (approvals.md §2.8): automatic, or manual
// when the support team must deliver it by hand; other kinds need none (""). "pending" is only
// a value of the schema.
type DeliveryMode string

const (
	DeliveryNone      DeliveryMode = ""
	DeliveryAutomatic DeliveryMode = "automatic"
	DeliveryManual    DeliveryMode = "manual"
)
