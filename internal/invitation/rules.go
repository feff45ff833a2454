package invitation

import (
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/localtime"
)

// Invitation rules (actors.md §7).
const (
	// DefaultValidityDays is how long an invitation may be accepted, in days.
	DefaultValidityDays = 14
	// MinValidityDays and MaxValidityDays bound the validity of an invitation.
	MinValidityDays = 1
	MaxValidityDays = 90
	// MaxPending is the most pending invitations an organization may have.
	MaxPending = 50
	// MaxBatch is the most people one invitation form invites at once.
	MaxBatch = 10
)

// Status is the state of an invitation.
type Status string

const (
	StatusPending  Status = "pending"
	StatusAccepted Status = "accepted"
	StatusExpired  Status = "expired"
	StatusCanceled Status = "canceled"
)

// StatusOf is the state of an invitation at now: accepted and cancelled ones stay so; the others
// are pending until they expire.
func StatusOf(acceptedAt, cancelledAt *time.Time, expiresAt, now time.Time) Status {
	switch {
	case acceptedAt != nil:
		return StatusAccepted
	case cancelledAt != nil:
		return StatusCanceled
	case !now.Before(expiresAt):
		return StatusExpired
	}
	return StatusPending
}

// paris is the time zone of "the day" an invitation was sent.
var paris = localtime.Paris

// ExpiresAt is when an invitation sent at sentAt for validityDays stops being valid: it is valid
// while the day it was sent is after today − validityDays (actors.md §7), that is until midnight
// (Paris time) starting the day sentAt + validityDays.
func ExpiresAt(sentAt time.Time, validityDays int) time.Time {
	y, m, d := sentAt.In(paris).Date()
	return time.Date(y, m, d+validityDays, 0, 0, 0, 0, paris).UTC()
}

// ValidityProblem returns why a validity in days is refused, or "".
func ValidityProblem(days int) string {
	if days < MinValidityDays || days > MaxValidityDays {
		return "La durée de validité d'une invitation est comprise entre 1 et 90 jours."
	}
	return ""
}

// Refusals of an invitee.
const (
	MsgNotFranceTravailEmail = "Les agents d'une agence France Travail s'invitent avec leur adresse e-mail professionnelle (@francetravail.fr ou @pole-emploi.fr)."
	MsgNotProfessional       = "Cette adresse e-mail est celle d'un compte candidat ou administrateur : elle ne peut pas rejoindre une organisation."
	MsgInactiveAccount       = "Le compte associé à cette adresse e-mail est désactivé : il ne peut pas rejoindre une organisation."
	MsgAlreadyMember         = "Cette personne est déjà membre de votre organisation."
	MsgDuplicate             = "Cette adresse e-mail apparaît plusieurs fois dans le formulaire."
	MsgNobody                = "Indiquez au moins une personne à inviter."
	MsgTooManyRows           = "Vous pouvez inviter au plus 10 personnes à la fois."
)

// InviteeEmailProblem returns why a (normalized, well-formed) e-mail may not be invited to an
// organization, or "": a France Travail agency invites only France Travail addresses (§5.2).
func InviteeEmailProblem(email string, franceTravailOrg bool) string {
	if franceTravailOrg && !account.IsFranceTravailEmail(email) {
		return MsgNotFranceTravailEmail
	}
	return ""
}

// InviteeAccountProblem returns why the existing account of an invitee may not join, or "": only
// active professional accounts join organizations, and not twice.
func InviteeAccountProblem(kind account.Kind, active, activeMember bool) string {
	switch {
	case kind != account.Professional:
		return MsgNotProfessional
	case !active:
		return MsgInactiveAccount
	case activeMember:
		return MsgAlreadyMember
	}
	return ""
}
