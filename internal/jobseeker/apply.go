package jobseeker

import (
	"context"

	"github.com/uptrace/bun"

	"emplois/internal/account"
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

// ApplyInfo is what the check step of an apply tunnel asks when the profile lacks it
// (applications.md §3.1-3, §3.2-3): the birth date, the France Travail identifier or the reason
// for having none, and the phone.
type ApplyInfo struct {
	Birthdate                string
	PoleEmploiID             string
	LackOfPoleEmploiIDReason LackOfFTIDReason
	Phone                    string
}

// CompleteForApply saves ApplyInfo into the profile of the job seeker publicID, leaving the
// rest as it is: the same people as for the profile form may (the person, the professionals
// who see the personal data), with the same checks of these fields (the birth date against a
// known NIR too); the birth date is only asked when the profile has none.
func (s *Service) CompleteForApply(ctx context.Context, a actor.Actor, publicID string, in ApplyInfo) error {
	j, role, rel, err := s.view(ctx, s.db, a, "public_id", publicID)
	if err != nil {
		return err
	}
	if !CanEdit(role, rel) {
		return ErrForbidden
	}
	u, p := j.User, j.Profile
	var errs fault.Fields
	if p.Birthdate == nil {
		birth, problem := checkBirthdate(in.Birthdate, s.today(), true)
		if problem == "" && p.NIR != nil {
			_, problem = NIRConsistency(*p.NIR, u.Title, birth)
		}
		if problem != "" {
			errs.Add("birthdate", problem)
		}
		p.Birthdate = birth
	}
	situation := SituationOf(p)
	situation.PoleEmploiID, situation.LackOfPoleEmploiIDReason = in.PoleEmploiID, in.LackOfPoleEmploiIDReason
	situation, serrs := CheckSituation(situation)
	errs = append(errs, serrs...)
	phone := NormalizePhone(in.Phone)
	if phone != "" {
		if problem := PhoneProblem(phone); problem != "" {
			errs.Add("phone", problem)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	situation.apply(&p)
	p.UserID = u.ID
	now := s.now()
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if phone != "" {
			u.Phone = phone
			if err := account.UpdateColumns(ctx, tx, u, "phone"); err != nil {
				return err
			}
		}
		if err := saveProfile(ctx, tx, &p, s.key, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionProfileUpdated, u.AuditObject(), map[string]any{"by_self": rel.Self, "for": "apply"})
	})
}
