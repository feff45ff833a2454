// Package invitation holds the invitations to join an organization (actors.md §7): a member
// invites colleagues by e-mail, the invitee follows the mailed link (or simply logs in) and
// becomes a member. Three types, one per organization family: prescriber, employer and
// labor_inspector (institutions, joined only this way, §6). The rules are plain functions
// (rules.go); Service is what members and invitees may do; the web layer never touches the table.
package invitation

import (
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

// Kind is the type of an invitation, tied to the family of its organization.
type Kind string

const (
	Prescriber     Kind = "prescriber"
	Employer       Kind = "employer"
	LaborInspector Kind = "labor_inspector"
)

// KindOf is the type of the invitations to an organization of family t.
func KindOf(t org.Type) Kind {
	switch t {
	case org.TypeCompany:
		return Employer
	case org.TypePrescriber:
		return Prescriber
	}
	return LaborInspector
}

// OrgType is the family of the organizations invitations of kind k lead to.
func (k Kind) OrgType() org.Type {
	switch k {
	case Employer:
		return org.TypeCompany
	case Prescriber:
		return org.TypePrescriber
	}
	return org.TypeInstitution
}

// Invitation is one invitation (actors.md §7). Exactly one target column is set, the one of its
// kind. ExpiresAt is computed at sending (see ExpiresAt) and brought forward to the moment the
// invitation is cancelled or expired by a deactivation.
type Invitation struct {
	bun.BaseModel `bun:"table:invitation,alias:inv"`

	ID                       int64      `bun:"id,pk,autoincrement"`
	UID                      string     `bun:"uid,notnull"`
	Kind                     Kind       `bun:"kind,notnull"`
	Email                    string     `bun:"email,notnull"`
	FirstName                string     `bun:"first_name,notnull"`
	LastName                 string     `bun:"last_name,notnull"`
	ValidityDays             int        `bun:"validity_days,notnull"`
	SenderID                 *int64     `bun:"sender_id"`
	CompanyID                *int64     `bun:"company_id"`
	PrescriberOrganizationID *int64     `bun:"prescriber_organization_id"`
	InstitutionID            *int64     `bun:"institution_id"`
	CreatedAt                time.Time  `bun:"created_at,notnull"`
	SentAt                   time.Time  `bun:"sent_at,notnull"`
	ExpiresAt                time.Time  `bun:"expires_at,notnull"`
	AcceptedAt               *time.Time `bun:"accepted_at"`
	CancelledAt              *time.Time `bun:"cancelled_at"`
}

// OrgID is the id of the organization the invitation leads to.
func (i *Invitation) OrgID() int64 {
	for _, id := range []*int64{i.CompanyID, i.PrescriberOrganizationID, i.InstitutionID} {
		if id != nil {
			return *id
		}
	}
	return 0
}

// setTarget points the invitation at the organization of family t with this id.
func (i *Invitation) setTarget(t org.Type, id int64) {
	i.Kind = KindOf(t)
	switch t {
	case org.TypeCompany:
		i.CompanyID = &id
	case org.TypePrescriber:
		i.PrescriberOrganizationID = &id
	default:
		i.InstitutionID = &id
	}
}

// DisplayName is "Firstname LASTNAME" of the invitee, or the e-mail.
func (i *Invitation) DisplayName() string {
	if i.FirstName == "" && i.LastName == "" {
		return i.Email
	}
	return strings.TrimSpace(i.FirstName + " " + strings.ToUpper(i.LastName))
}

// StatusAt is the state of the invitation at now.
func (i *Invitation) StatusAt(now time.Time) Status {
	return StatusOf(i.AcceptedAt, i.CancelledAt, i.ExpiresAt, now)
}

// Errors whose text is shown to the user as is.
var (
	ErrNotFound = fault.NotFound("Cette invitation n'existe pas. Vérifiez que le lien est complet, ou demandez une nouvelle invitation.")
	ErrAccepted = fault.Conflict("Cette invitation a déjà été acceptée : connectez-vous pour accéder à votre organisation.")
	ErrExpired  = fault.Conflict("Cette invitation n'est plus valable : elle a expiré. Demandez à la personne qui vous a invité de vous envoyer une nouvelle invitation.")
	ErrCanceled = fault.Conflict("Cette invitation a été annulée. Demandez à un membre de l'organisation de vous envoyer une nouvelle invitation.")
	// ErrWrongAccount: the logged-in account is not the one invited.
	ErrWrongAccount = fault.Forbidden("Cette invitation est adressée à une autre adresse e-mail que celle de votre compte.")
	// ErrNotProfessional: job seeker and staff accounts cannot join organizations.
	ErrNotProfessional = fault.Conflict("Cette adresse e-mail est celle d'un compte qui n'est pas un compte professionnel : elle ne peut pas rejoindre une organisation. Contactez le support.")
	// ErrOrganizationInactive: an employer invitation leads to a company that is no longer active
	// (actors.md §4.3).
	ErrOrganizationInactive = fault.Conflict("La structure qui vous a invité n'est plus active sur les emplois de l'inclusion : l'invitation ne peut pas être acceptée.")
	// ErrNoContact: an invitation cannot be requested from an organization without active member.
	ErrNoContact = fault.Conflict("Cette organisation n'a aucun membre actif à qui demander une invitation : contactez le support.")
	// ErrAlreadyMember: the requester already belongs to the organization.
	ErrAlreadyMember = fault.Conflict("Vous êtes déjà membre de cette organisation.")
)

// TooManyError refuses invitations that would take an organization past MaxPending pending ones;
// nothing is sent.
type TooManyError struct {
	Pending int // pending invitations now
}

func (e *TooManyError) Error() string {
	left := max(MaxPending-e.Pending, 0)
	return fmt.Sprintf("Votre organisation a déjà %d invitations en attente, pour %d au maximum : vous pouvez encore en envoyer %d. "+
		"Attendez que certaines soient acceptées ou expirent, ou annulez-en depuis la page des collaborateurs.", e.Pending, MaxPending, left)
}
