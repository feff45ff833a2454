// Package employeerecord holds the fiches salarié (approvals.md §1.10, §2.15, §3.3–3.4): what an
// SIAE declares to the ASP for each employee hired on a PASS IAE, their state machine, and the
// « M » notifications of a PASS whose dates changed after its fiche was sent.
package employeerecord

import (
	"slices"

	"emplois/internal/platform/fault"
)

// Status is the state of a fiche salarié (§3.3).
type Status string

const (
	StatusNew       Status = "NEW"
	StatusReady     Status = "READY"
	StatusSent      Status = "SENT"
	StatusRejected  Status = "REJECTED"
	StatusProcessed Status = "PROCESSED"
	StatusDisabled  Status = "DISABLED"
	StatusArchived  Status = "ARCHIVED"
)

// Statuses are the states in the order of the employer's filters; ARCHIVED is not offered
// there (§3.3).
var Statuses = []Status{StatusNew, StatusReady, StatusSent, StatusRejected, StatusProcessed, StatusDisabled}

// Label is the state's French name (§3.3).
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "Nouvelle"
	case StatusReady:
		return "Complétée"
	case StatusSent:
		return "Envoyée"
	case StatusRejected:
		return "En erreur"
	case StatusProcessed:
		return "Intégrée"
	case StatusDisabled:
		return "Désactivée"
	case StatusArchived:
		return "Archivée"
	}
	return string(s)
}

// TransitionName names a line of the state machine (§3.3).
type TransitionName string

const (
	TReady              TransitionName = "ready"
	TWaitForASPResponse TransitionName = "wait_for_asp_response"
	TProcess            TransitionName = "process"
	TReject             TransitionName = "reject"
	TDisable            TransitionName = "disable"
	TEnable             TransitionName = "enable"
	TArchive            TransitionName = "archive"
	TUnarchiveNew       TransitionName = "unarchive_new"
	TUnarchiveProcessed TransitionName = "unarchive_processed"
	TUnarchiveRejected  TransitionName = "unarchive_rejected"
)

// Who says who fires a transition: a bit set.
type Who uint8

const (
	ByEmployer Who = 1 << iota // an admin of the company, from its pages
	BySystem                   // the ASP exchange jobs, the nightly archive, the sanitizer
	ByStaff                    // the support team
)

// Has reports whether w includes every bit of o.
func (w Who) Has(o Who) bool { return w&o == o }

// Transition is one line of the table of §3.3.
type Transition struct {
	Name TransitionName
	From []Status
	To   Status
	Who  Who
}

// readyFrom are the states a fiche may be completed (again) from, and so the states in which
// its wizard's steps are open (§2.15): re-sending a PROCESSED fiche is allowed.
var readyFrom = []Status{StatusNew, StatusRejected, StatusDisabled, StatusProcessed}

// Transitions is the state machine, line by line as the table of §3.3. The service reads it
// before any change; status_test compares it with the spec's table.
var Transitions = []Transition{
	{TReady, readyFrom, StatusReady, ByEmployer | ByStaff},
	{TWaitForASPResponse, []Status{StatusReady}, StatusSent, BySystem},
	{TProcess, []Status{StatusSent}, StatusProcessed, BySystem},
	{TReject, []Status{StatusSent}, StatusRejected, BySystem},
	{TDisable, []Status{StatusNew, StatusRejected, StatusProcessed}, StatusDisabled, ByEmployer},
	{TEnable, []Status{StatusDisabled}, StatusNew, ByEmployer},
	{TArchive, []Status{StatusNew, StatusReady, StatusRejected, StatusProcessed, StatusDisabled}, StatusArchived, BySystem},
	{TUnarchiveNew, []Status{StatusArchived}, StatusNew, BySystem | ByStaff},
	{TUnarchiveProcessed, []Status{StatusArchived}, StatusProcessed, BySystem | ByStaff},
	{TUnarchiveRejected, []Status{StatusArchived}, StatusRejected, BySystem | ByStaff},
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

// CanFire reports whether transition n may leave state from.
func CanFire(n TransitionName, from Status) bool {
	t, ok := TransitionByName(n)
	return ok && slices.Contains(t.From, from)
}

// WizardOpen reports whether the wizard's steps may change a fiche in this state (§2.15).
func WizardOpen(s Status) bool { return slices.Contains(readyFrom, s) }

// ErrWrongStatus is the refusal of a transition from a state it does not leave: another admin
// (or another tab) changed the fiche first.
func ErrWrongStatus(n TransitionName, from Status) error {
	switch n {
	case TDisable:
		return fault.Conflict("Une fiche salarié « " + from.Label() + " » ne peut pas être désactivée.")
	case TEnable:
		return fault.Conflict("Seule une fiche salarié désactivée peut être réactivée.")
	case TReady:
		return fault.Conflict("Une fiche salarié « " + from.Label() + " » ne peut pas être modifiée ni envoyée.")
	}
	return fault.Conflict("Action déjà effectuée.")
}

// NotificationStatus is the state of an update notification (§3.4): NEW → SENT → PROCESSED or
// REJECTED; at most one NEW per fiche.
type NotificationStatus string

const (
	NotificationNew       NotificationStatus = "NEW"
	NotificationSent      NotificationStatus = "SENT"
	NotificationProcessed NotificationStatus = "PROCESSED"
	NotificationRejected  NotificationStatus = "REJECTED"
)
