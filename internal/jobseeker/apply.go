package jobseeker

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	nir, err = s.newNIR(ctx, nir, j.User, j.Profile.Birthdate)
	if err != nil {
		return err
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

// newNIR checks a NIR typed for the account u that has none: as on the profile (actors.md §2.4:
// format, key, the illustrative number, consistency with the civilité and the birth date), one
// person per NIR (a NIR held by another account is refused naming its redacted e-mail).
func (s *Service) newNIR(ctx context.Context, typed string, u *account.User, birth *time.Time) (string, error) {
	nir := NormalizeNIR(typed)
	if p := NIRProblem(nir); p != "" {
		return "", fault.InvalidField("nir", p)
	}
	if _, msg := NIRConsistency(nir, u.Title, birth); msg != "" {
		return "", fault.InvalidField("nir", msg)
	}
	if holder, err := holderOfNIR(ctx, s.db, nir, u.ID); err != nil {
		return "", err
	} else if holder != nil {
		return "", nirTakenError(holder)
	}
	return nir, nil
}

// ApplyInfo is what the check step of an apply tunnel asks when the profile lacks it
// (applications.md §3.1-3, §3.2-3): the birth date, the France Travail identifier or the reason
// for having none, and the phone; the information step of a hire (§3.4-4, §3.5-2) also asks
// the NIR, which the PASS IAE needs (approvals.md §2.8).
type ApplyInfo struct {
	NIR                      string
	Birthdate                string
	PoleEmploiID             string
	LackOfPoleEmploiIDReason LackOfFTIDReason
	Phone                    string
}

// HireGaps is what a hire's information step asks of a profile: each field the PASS IAE
// decision reads and the profile lacks, and whether the viewer may fill them.
type HireGaps struct {
	NIR, Birthdate, FranceTravail bool
	Editable                      bool
}

// Any reports whether something is missing.
func (g HireGaps) Any() bool { return g.NIR || g.Birthdate || g.FranceTravail }

// HireGapsOf says what the profile of the job seeker publicID lacks for a hire, seen by a.
func (s *Service) HireGapsOf(ctx context.Context, a actor.Actor, publicID string) (HireGaps, error) {
	j, role, rel, err := s.view(ctx, s.db, a, "public_id", publicID)
	if err != nil {
		return HireGaps{}, err
	}
	p := j.Profile
	return HireGaps{NIR: p.NIR == nil || *p.NIR == "", Birthdate: p.Birthdate == nil,
		FranceTravail: p.PoleEmploiID == "" && p.LackOfPoleEmploiIDReason == "", Editable: CanEdit(role, rel)}, nil
}

// IdentityCheckable: France Travail can find the person, by NIR or identifier, or knows they
// are not registered (§2.8-5); otherwise the PASS is delivered by hand (§2.8-6).
func IdentityCheckable(ctx context.Context, idb bun.IDB, jobSeekerID int64) (bool, error) {
	ok, err := idb.NewSelect().Table("job_seeker_profile").Where("user_id = ?", jobSeekerID).
		Where("(nir IS NOT NULL AND nir <> '') OR pole_emploi_id <> '' OR lack_of_pole_emploi_id_reason = ?", FTNotRegistered).
		Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("jobseeker: identity of %d: %w", jobSeekerID, err)
	}
	return ok, nil
}

// CompleteForApply saves ApplyInfo into the profile of the job seeker publicID, leaving the
// rest as it is: the same people as for the profile form may (the person, the professionals
// who see the personal data), with the same checks of these fields (the birth date against a
// known NIR too); the birth date is only asked when the profile has none, and a NIR typed is
// only taken when it has none either (checked as on the profile, one person per NIR).
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
	if strings.TrimSpace(in.NIR) != "" && (p.NIR == nil || *p.NIR == "") {
		nir, err := s.newNIR(ctx, in.NIR, u, p.Birthdate)
		if fe := fault.FieldsOf(err); fe != nil {
			errs = append(errs, fe...)
		} else if err != nil {
			return err
		}
		p.NIR, p.LackOfNIRReason = &nir, ""
	}
	situation := SituationOf(p)
	if in.PoleEmploiID != "" || in.LackOfPoleEmploiIDReason != "" || situation.PoleEmploiID == "" && situation.LackOfPoleEmploiIDReason == "" {
		// A step that does not ask them (the profile has one) keeps them.
		situation.PoleEmploiID, situation.LackOfPoleEmploiIDReason = in.PoleEmploiID, in.LackOfPoleEmploiIDReason
	}
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
