// Package org holds the organizations professionals act for (actors.md §3-8, §12): companies
// (employers) with their SIAE conventions and antennas, prescriber organizations and their
// habilitation, institutions, the memberships of the three families, and the organization a
// professional currently acts for. The rules are plain functions (rules_*.go); Service is what
// users and staff may do; the web layer never touches these tables.
package org

import (
	"strings"

	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// Type is one of the three organization families (actors.md §3).
type Type string

const (
	TypeCompany     Type = "company"
	TypePrescriber  Type = "prescriber"
	TypeInstitution Type = "institution"
)

// Types lists the families in the order the switcher shows them (actors.md §8).
var Types = []Type{TypeCompany, TypePrescriber, TypeInstitution}

// Label is the French name of the family.
func (t Type) Label() string {
	switch t {
	case TypeCompany:
		return "Employeur"
	case TypePrescriber:
		return "Organisation prescriptrice"
	case TypeInstitution:
		return "Institution partenaire"
	}
	return string(t)
}

// Valid reports whether t is one of the three families.
func (t Type) Valid() bool {
	return t == TypeCompany || t == TypePrescriber || t == TypeInstitution
}

// table is the organization table of the family; membershipTable its membership table. Both are
// constants chosen here, never user input, so they may be spliced into SQL as identifiers.
func (t Type) table() string {
	switch t {
	case TypeCompany:
		return "company"
	case TypePrescriber:
		return "prescriber_organization"
	case TypeInstitution:
		return "institution"
	}
	panic("org: unknown type " + string(t))
}

// object is the organization of uid as the object of an audit event.
func (t Type) object(uid string) audit.Object { return audit.Object{Type: t.table(), ID: uid} }

func (t Type) membershipTable() string {
	switch t {
	case TypeCompany:
		return "company_membership"
	case TypePrescriber:
		return "prescriber_membership"
	case TypeInstitution:
		return "institution_membership"
	}
	panic("org: unknown type " + string(t))
}

// Ref identifies an organization of any family with what lists and permission checks need.
type Ref struct {
	Type Type
	ID   int64
	UID  string
	Name string // display name: the brand (enseigne) when a company has one
	Kind string // CompanyKind, PrescriberKind or InstitutionKind code

	// Companies: whether the company may be used (actors.md §4.3), and whether only thanks to the
	// 30-day grace period.
	Active        bool
	InGracePeriod bool
	// Prescriber organizations: the habilitation status.
	AuthorizationStatus AuthorizationStatus
}

// KindLabel is the French label of the organization's kind.
func (r Ref) KindLabel() string { return KindLabel(r.Type, r.Kind) }

// KindLabel is the French label of a kind code of the family t.
func KindLabel(t Type, kind string) string {
	switch t {
	case TypeCompany:
		return CompanyKind(kind).Label()
	case TypePrescriber:
		return PrescriberKind(kind).Label()
	case TypeInstitution:
		return InstitutionKind(kind).Label()
	}
	return kind
}

// Errors whose text may be shown to the user as is.
var (
	ErrNotFound  = fault.NotFound("Organisation introuvable.")
	ErrForbidden = fault.Forbidden("Vous n'avez pas les droits nécessaires pour cette action.")
	// ErrSelf refuses an administration action on one's own membership (actors.md §12).
	ErrSelf = fault.Forbidden("Vous ne pouvez pas modifier votre propre rattachement.")
	// ErrMemberNotFound: the user is not an active member of the organization.
	ErrMemberNotFound = fault.NotFound("Ce collaborateur n'est pas membre actif de cette organisation.")
	// ErrGracePeriod: a company whose convention ended is only in grace period, and its members
	// page is closed (actors.md §4.3).
	ErrGracePeriod = fault.Conflict("Votre structure n'est plus conventionnée : la gestion des collaborateurs est fermée pendant la période de grâce.")
)

// LastAdminError asks for an explicit confirmation before the last active admin of an
// organization loses that role (actors.md §12): nothing has changed when it is returned.
type LastAdminError struct {
	Name string // display name of the member concerned
}

func (e *LastAdminError) Error() string {
	return e.Name + " est le dernier administrateur de cette organisation : sans administrateur, plus personne ne pourra gérer les collaborateurs. Confirmez pour continuer."
}

const (
	msgRequired  = "Ce champ est obligatoire."
	msgTooLong   = "Ce champ ne peut pas dépasser %d caractères."
	msgBadEmail  = "Saisissez une adresse e-mail valide."
	msgBadPhone  = "Saisissez un numéro de téléphone à 10 chiffres."
	msgBadURL    = "Saisissez une adresse web commençant par http:// ou https://."
	msgNoCommune = "Aucune commune ne correspond à ce code postal et à cette ville."
)

func clean(s string) string { return strings.TrimSpace(s) }
