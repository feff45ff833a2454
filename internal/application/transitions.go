package application

import (
	"slices"

	"emplois/internal/platform/fault"
)

// TransitionName names a transition of the state machine (applications.md §2.1).
type TransitionName string

const (
	TProcess           TransitionName = "process"
	TPostpone          TransitionName = "postpone"
	TAddToPool         TransitionName = "add_to_pool"
	TMoveToPriorToHire TransitionName = "move_to_prior_to_hire"
	TCancelPriorToHire TransitionName = "cancel_prior_to_hire"
	TAccept            TransitionName = "accept"
	TRefuse            TransitionName = "refuse"
	TCancel            TransitionName = "cancel"
	TRenderObsolete    TransitionName = "render_obsolete"
	TTransfer          TransitionName = "transfer"
	TExternalTransfer  TransitionName = "external_transfer"
	TReset             TransitionName = "reset"
)

// Who says which kind of actor may fire a transition: a bit set.
type Who uint8

const (
	ByEmployer Who = 1 << iota // an active member of the receiving company
	ByStaff                    // the support team (admin)
	BySystem                   // the service itself (a periodic job, a side effect)
)

// Has reports whether w includes every bit of o.
func (w Who) Has(o Who) bool { return w&o == o }

// Transition is one line of the table of §2.1: its name, the states it leaves, the state it
// reaches and who may fire it.
type Transition struct {
	Name  TransitionName
	Label string // the button ("Étudier") or, for implicit ones, what happens
	From  []State
	To    State
	Who   Who
}

// exceptAccepted is "every state except accepted".
var exceptAccepted = []State{New, Processing, Postponed, PriorToHire, Pool, Refused, Cancelled, Obsolete}

// Transitions is the state machine, line by line as the table of §2.1 (T1–T12). The service reads
// it before any change; transitions_test compares it with the spec's table.
var Transitions = []Transition{
	{TProcess, "Étudier", []State{New, Pool}, Processing, ByEmployer | ByStaff},
	{TPostpone, "Mettre en attente", []State{New, Pool, Processing, PriorToHire}, Postponed, ByEmployer},
	{TAddToPool, "Ajouter au vivier", []State{New, Processing, Postponed, Cancelled, Obsolete}, Pool, ByEmployer},
	{TMoveToPriorToHire, "Ajouter une action préalable à l’embauche",
		[]State{New, Pool, Processing, Postponed, Obsolete, Refused, Cancelled}, PriorToHire, ByEmployer},
	{TCancelPriorToHire, "Supprimer la dernière action préalable à l’embauche", []State{PriorToHire}, Processing, ByEmployer},
	{TAccept, "Accepter", exceptAccepted, Accepted, ByEmployer | ByStaff},
	{TRefuse, "Décliner", []State{New, Pool, Processing, PriorToHire, Postponed}, Refused, ByEmployer | BySystem},
	{TCancel, "Annuler l'embauche", []State{Accepted}, Cancelled, ByEmployer | ByStaff},
	{TRenderObsolete, "Embauché ailleurs", []State{New, Processing, Postponed}, Obsolete, BySystem},
	{TTransfer, "Transférer vers", exceptAccepted, New, ByEmployer},
	{TExternalTransfer, "Transférer vers un autre employeur", []State{Refused}, Refused, ByEmployer},
	{TReset, "Réinitialiser", []State{Obsolete}, New, ByStaff},
}

// TransitionByName returns the line of the table named n.
func TransitionByName(n TransitionName) (Transition, bool) {
	for _, t := range Transitions {
		if t.Name == n {
			return t, true
		}
	}
	return Transition{}, false
}

// Allows reports whether the transition may leave state from.
func (t Transition) Allows(from State) bool { return slices.Contains(t.From, from) }

// CanFire reports whether transition n may leave state from.
func CanFire(n TransitionName, from State) bool {
	t, ok := TransitionByName(n)
	return ok && t.Allows(from)
}

// ErrAlreadyDone is the conflict of a transition tried from a state it does not leave: another
// member (or another tab) changed the candidature first (§2.1, "Action déjà effectuée.").
var ErrAlreadyDone = fault.Conflict("Action déjà effectuée.")

// stateConflict is the French refusal of n from state from: the same words as the refusal
// wizard's toast for a refusal, the generic "Action déjà effectuée." otherwise.
func stateConflict(n TransitionName, from State) error {
	switch n {
	case TRefuse:
		return fault.Conflict("La candidature ne peut pas être refusée car elle est au statut « " + from.Label() + " ».")
	case TAccept:
		if from == Accepted {
			return fault.Conflict("Cette candidature a déjà été acceptée.")
		}
	case TCancel:
		return fault.Conflict("Vous ne pouvez pas annuler cette embauche.")
	case TExternalTransfer:
		return fault.Conflict("Seule une candidature déclinée peut être transférée à un autre employeur.")
	case TTransfer:
		if from == Accepted {
			return fault.Conflict("Une candidature acceptée ne peut pas être transférée.")
		}
	}
	return ErrAlreadyDone
}

// processedAtAfter says what a transition does to processed_at (§2.1 cross-cutting hooks):
// set (accept, refuse, cancel, render_obsolete), cleared (the others), or untouched (external
// transfer). It follows from the target state, except for the self-loop.
func processedAtAfter(n TransitionName) (set, clear bool) {
	if n == TExternalTransfer {
		return false, false
	}
	t, _ := TransitionByName(n)
	if t.To.IsProcessed() {
		return true, false
	}
	return false, true
}

// unarchives reports whether the transition takes the candidature out of the archives: all but
// the external transfer do (R28).
func unarchives(n TransitionName) bool { return n != TExternalTransfer }
