package org

import "emplois/internal/platform/fault"

// Habilitation transitions (actors.md §5.2), decided by staff in the back office.
type HabilitationTransition string

const (
	Validate HabilitationTransition = "validate"
	Refuse   HabilitationTransition = "refuse"
)

// habilitationTransitions is the state machine: from a status, a transition leads to a status.
// Validating is also refused for kind "Autre" (see HabilitationAfter); refusing turns the kind
// into "Autre".
var habilitationTransitions = []struct {
	From       AuthorizationStatus
	Transition HabilitationTransition
	To         AuthorizationStatus
}{
	{AuthorizationNotSet, Validate, AuthorizationValidated},
	{AuthorizationNotSet, Refuse, AuthorizationRefused},
	{AuthorizationValidated, Refuse, AuthorizationRefused},
}

var (
	ErrValidateOther       = fault.Conflict("Impossible de valider l'habilitation d'une organisation de type « Autre » : changez d'abord son type.")
	ErrHabilitationStatus  = fault.Conflict("Cette action n'est pas possible dans l'état actuel de l'habilitation.")
	ErrRefuseFranceTravail = fault.Conflict("L'habilitation d'une agence France Travail ne peut pas être refusée.")
)

// HabilitationAfter returns the status and kind of an organization of kind k and status from
// after the transition, or why it is refused.
func HabilitationAfter(k PrescriberKind, from AuthorizationStatus, t HabilitationTransition) (AuthorizationStatus, PrescriberKind, error) {
	if t == Validate && k == OtherKind {
		return from, k, ErrValidateOther
	}
	if t == Refuse && k == FT {
		return from, k, ErrRefuseFranceTravail
	}
	for _, tr := range habilitationTransitions {
		if tr.From == from && tr.Transition == t {
			if t == Refuse {
				return tr.To, OtherKind, nil
			}
			return tr.To, k, nil
		}
	}
	return from, k, ErrHabilitationStatus
}

// StatusAfterKindChange is the habilitation status once staff change the kind from `from` to `to`:
// becoming "Autre" needs no habilitation; leaving "Autre" needs one to be validated; otherwise
// the status stays (actors.md §5.2).
func StatusAfterKindChange(from, to PrescriberKind, status AuthorizationStatus) AuthorizationStatus {
	switch {
	case from == to:
		return status
	case to == OtherKind:
		return AuthorizationNotRequired
	case from == OtherKind:
		return AuthorizationNotSet
	}
	return status
}

// InitialAuthorizationStatus is the status of an organization registered by a prescriber:
// a known kind waits for staff validation; "Autre" needs none unless the organization says it is
// habilitated by a prefectoral order, in which case staff check the proof (actors.md §10.3).
func InitialAuthorizationStatus(k PrescriberKind, claimsHabilitation bool) AuthorizationStatus {
	if k == OtherKind && !claimsHabilitation {
		return AuthorizationNotRequired
	}
	return AuthorizationNotSet
}

// ForcedBRSA reports whether an organization must be flagged "conventionné pour le suivi des
// BRSA": a validated ODC always is (actors.md §5.2).
func ForcedBRSA(k PrescriberKind, status AuthorizationStatus) bool {
	return k == ODC && status == AuthorizationValidated
}
