package jobseeker

import (
	"context"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// SetOwnNIR records the NIR a job seeker without one types in the apply tunnel (applications.md
// §3.1-2): checked as on the profile (actors.md §2.4: format, key, the illustrative number,
// consistency with the civilité and the birth date), one person per NIR (a NIR held by another
// account is refused naming its redacted e-mail); it clears the reason for having none.
func (s *Service) SetOwnNIR(ctx context.Context, a actor.Actor, nir string) error {
	j, err := s.Self(ctx, a)
	if err != nil {
		return err
	}
	nir = NormalizeNIR(nir)
	if p := NIRProblem(nir); p != "" {
		return fault.InvalidField("nir", p)
	}
	if _, msg := NIRConsistency(nir, j.User.Title, j.Profile.Birthdate); msg != "" {
		return fault.InvalidField("nir", msg)
	}
	if holder, err := holderOfNIR(ctx, s.db, nir, j.User.ID); err != nil {
		return err
	} else if holder != nil {
		return nirTakenError(holder)
	}
	p := j.Profile
	p.UserID, p.NIR, p.LackOfNIRReason = j.User.ID, &nir, ""
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := saveProfile(ctx, tx, &p, s.key, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionProfileUpdated, j.User.AuditObject(), map[string]any{"by_self": true, "nir": "set"})
	})
	return s.explainNIRTaken(ctx, err, nir, j.User.ID)
}
