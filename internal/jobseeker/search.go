package jobseeker

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// Refusals of the identity search by e-mail (applications.md R38).
const (
	MsgSearchProfessionalEmail = "Cette adresse e-mail est celle d'un professionnel de l'inclusion : un candidat ne peut pas l'utiliser. Demandez au candidat son adresse personnelle."
	MsgSearchInactive          = "Le compte associé à cette adresse e-mail est désactivé : contactez le support pour le réactiver plutôt que d'en créer un autre."
	MsgSearchFTEmail           = "Les adresses e-mail France Travail (ou Pôle emploi) sont réservées aux agents : demandez au candidat son adresse personnelle."
)

// searchActor checks that the actor may search job seekers by identity (actors.md §9).
func (s *Service) searchActor(ctx context.Context, a actor.Actor) (Role, error) {
	role, err := roleOf(ctx, s.db, a)
	if err != nil {
		return role, err
	}
	if !CanSearchAndCreate(role) {
		return role, ErrForbidden
	}
	return role, nil
}

// found is the job seeker an identity search found, as the actor may see them.
func (s *Service) found(ctx context.Context, a actor.Actor, role Role, u *account.User, how string) (*JobSeeker, error) {
	p, err := profileOf(ctx, s.db, u.ID)
	if err != nil {
		return nil, err
	}
	rel, err := relation(ctx, s.db, a, role, u)
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, s.db, a, ActionIdentitySearch, u.AuditObject(), map[string]any{"by": how}); err != nil {
		return nil, err
	}
	return &JobSeeker{User: u, Profile: p, PersonalData: CanSeePersonalData(role, rel), CreatedByViewer: rel.CreatedByViewer}, nil
}

// FindByNIR is the first identity search of a professional (applications.md §3.2-2a): the job
// seeker holding this NIR, masked for orienteurs who did not create the account, or nil when
// none does. A malformed NIR is refused on the field "nir".
func (s *Service) FindByNIR(ctx context.Context, a actor.Actor, nir string) (*JobSeeker, error) {
	role, err := s.searchActor(ctx, a)
	if err != nil {
		return nil, err
	}
	nir = NormalizeNIR(nir)
	if nir == "" {
		return nil, fault.InvalidField("nir", MsgRequired)
	}
	if p := NIRProblem(nir); p != "" {
		return nil, fault.InvalidField("nir", p)
	}
	holder, err := holderOfNIR(ctx, s.db, nir, 0)
	if err != nil || holder == nil {
		return nil, err
	}
	if holder.Kind != account.JobSeeker || !holder.IsActive {
		return nil, fault.InvalidField("nir", MsgSearchInactive)
	}
	return s.found(ctx, a, role, holder, "nir")
}

// FindByEmail is the second identity search (applications.md §3.2-2b), which the pages offer
// only after a NIR attempt: the job seeker with this e-mail (any case), or nil. France Travail
// addresses, professionals' and staff's addresses and deactivated accounts are refused on the
// field "email" (R38): creating an account there would make a duplicate or a mix-up.
func (s *Service) FindByEmail(ctx context.Context, a actor.Actor, email string) (*JobSeeker, error) {
	role, err := s.searchActor(ctx, a)
	if err != nil {
		return nil, err
	}
	email = account.NormalizeEmail(email)
	if p := account.EmailProblem(email); p != "" {
		return nil, fault.InvalidField("email", p)
	}
	if account.IsFranceTravailEmail(email) {
		return nil, fault.InvalidField("email", MsgSearchFTEmail)
	}
	u, err := account.UserByEmail(ctx, s.db, email)
	if errors.Is(err, account.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	switch {
	case u.Kind != account.JobSeeker:
		return nil, fault.InvalidField("email", MsgSearchProfessionalEmail)
	case !u.IsActive:
		return nil, fault.InvalidField("email", MsgSearchInactive)
	}
	return s.found(ctx, a, role, u, "email")
}

// ActionNIRAttached is the audit action of AttachNIR.
const ActionNIRAttached = "job_seeker_nir_attached"

// Refusals of AttachNIR.
const (
	MsgAttachHasNIR   = "Ce candidat a déjà un numéro de sécurité sociale : il n'a pas été modifié."
	MsgAttachNIRTaken = "Ce numéro de sécurité sociale est déjà associé à un autre candidat : il n'a pas été rattaché. Vérifiez le numéro, ou contactez le support."
)

// AttachNIR attaches the NIR typed at the identity search to the job seeker publicID, found by
// e-mail without one (applications.md §3.2-2b): only an employer or an authorized prescriber
// may, the NIR must be valid (actors.md §2.4) and consistent with the person's civilité and
// birth date, and held by nobody; any refusal is on the field "nir" and writes nothing.
func (s *Service) AttachNIR(ctx context.Context, a actor.Actor, publicID, nir string) (*JobSeeker, error) {
	j, role, _, err := s.view(ctx, s.db, a, "public_id", publicID)
	if err != nil {
		return nil, err
	}
	if !CanAttachNIR(role) {
		return nil, ErrForbidden
	}
	if j.Profile.NIR != nil {
		return nil, fault.InvalidField("nir", MsgAttachHasNIR)
	}
	nir = NormalizeNIR(nir)
	if p := NIRProblem(nir); p != "" {
		return nil, fault.InvalidField("nir", p)
	}
	if _, msg := NIRConsistency(nir, j.User.Title, j.Profile.Birthdate); msg != "" {
		return nil, fault.InvalidField("nir", msg)
	}
	if holder, err := holderOfNIR(ctx, s.db, nir, j.User.ID); err != nil {
		return nil, err
	} else if holder != nil {
		return nil, fault.InvalidField("nir", MsgAttachNIRTaken)
	}
	p := j.Profile
	p.NIR, p.LackOfNIRReason = &nir, ""
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := saveProfile(ctx, tx, &p, s.key, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionNIRAttached, j.User.AuditObject(), map[string]any{"role": string(role)})
	})
	if errors.Is(err, errNIRTaken) {
		return nil, fault.InvalidField("nir", MsgAttachNIRTaken)
	}
	if err != nil {
		return nil, err
	}
	j.Profile = p
	return j, nil
}
