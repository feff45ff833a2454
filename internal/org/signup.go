package org

import (
	"context"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// What the invitation and signup packages need from organizations (actors.md §7, §10): lookups
// by internal id, membership changes inside their own transaction, and the prescriber
// organizations a prescriber signing up may ask to join.

// ErrMembersChanged: the organization's active member count is no longer the one expected (an
// employer signup link, valid only while nobody joined since it was sent, actors.md §10.5).
var ErrMembersChanged = fault.Conflict("Un collaborateur a rejoint cette structure depuis l'envoi du lien.")

// RefByID returns the organization of family t with this id, or ErrNotFound.
func (s *Service) RefByID(ctx context.Context, t Type, id int64) (Ref, error) {
	return refByID(ctx, s.db, t, id, s.now())
}

// Lock serializes the membership and invitation changes of one organization until tx ends (see
// lockOrganization).
func (s *Service) Lock(ctx context.Context, tx bun.IDB, t Type, id int64) error {
	return lockOrganization(ctx, s.db, tx, t, id)
}

// AddMemberTx is AddMember inside the caller's transaction (accepting an invitation marks it
// accepted in the same transaction).
func (s *Service) AddMemberTx(ctx context.Context, tx bun.IDB, actor actor.Actor, t Type, orgID, userID int64, forceAdmin bool) (*Membership, error) {
	return s.addMember(ctx, tx, actor, t, orgID, userID, forceAdmin)
}

// AddMemberIfCount adds the user as AddMember does, provided the organization still has exactly
// wantMembers active members once locked; else ErrMembersChanged and nothing changes.
func (s *Service) AddMemberIfCount(ctx context.Context, actor actor.Actor, t Type, orgID, userID int64, wantMembers int) (*Membership, error) {
	var m *Membership
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := lockOrganization(ctx, s.db, tx, t, orgID); err != nil {
			return err
		}
		members, _, err := memberCounts(ctx, tx, t, orgID)
		if err != nil {
			return err
		}
		if members != wantMembers {
			return ErrMembersChanged
		}
		m, err = s.addMember(ctx, tx, actor, t, orgID, userID, false)
		return err
	})
	return m, err
}

// PrescriberMatch is a prescriber organization a prescriber signing up may belong to, with its
// active member count (0: nobody to ask for an invitation).
type PrescriberMatch struct {
	*PrescriberOrganization
	ActiveMembers int
	// SameSIRET: the organization has the SIRET typed (else only its SIREN, in the department).
	SameSIRET bool
}

// PrescribersForSignup returns what a prescriber signing up with this SIRET in this department
// may already find registered (actors.md §10.3): the organizations with that SIRET, then those of
// the same SIREN in the department that have active members. Two queries.
func (s *Service) PrescribersForSignup(ctx context.Context, siret, department string) ([]PrescriberMatch, error) {
	list, err := prescribersForSignup(ctx, s.db, siret, department)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	counts, err := s.ActiveMemberCounts(ctx, TypePrescriber, ids)
	if err != nil {
		return nil, err
	}
	matches := make([]PrescriberMatch, len(list))
	for i, p := range list {
		matches[i] = PrescriberMatch{PrescriberOrganization: p, ActiveMembers: counts[p.ID], SameSIRET: p.SIRET == siret}
	}
	return matches, nil
}

// habilitationRequestMail tells support that a prescriber registered an organization whose
// habilitation waits for validation (actors.md §5.2).
func habilitationRequestMail(to, baseURL string, p *PrescriberOrganization) mail.Message {
	paragraphs := []string{
		"Une organisation prescriptrice vient de s'inscrire et attend la validation de son habilitation.",
		"Nom : " + p.Name + "\nType : " + p.Kind.Label() + "\nSIRET : " + p.SIRET + "\nDépartement : " + p.Department,
	}
	if p.Kind == OtherKind {
		paragraphs = append(paragraphs, "L'organisation, de type « Autre », déclare être habilitée par un arrêté préfectoral : elle doit en envoyer la copie.")
	}
	return mail.Compose(to, "Habilitation à valider : "+p.Name, mail.Body{
		Greeting:   "Bonjour,",
		Paragraphs: paragraphs,
		Action:     &mail.Action{Label: "Voir l'organisation", URL: baseURL + OverviewPath(p.UID)},
	})
}
