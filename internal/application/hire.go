package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
)

// ErrNoDirectHire: direct hire is for SIAE and GEIQ employers, for the company they act for (§3.4).
var ErrNoDirectHire = fault.Forbidden("Votre structure ne peut pas déclarer d'embauche : ce service est réservé aux SIAE et aux GEIQ.")

// HiresDirectly reports whether an employer of this kind registers candidatures for their own
// company and declares hires (§3.3, §3.4): SIAE and GEIQ only.
func HiresDirectly(kind org.CompanyKind) bool { return kind.IsSIAE() || kind == org.GEIQ }

// DirectHirePath is the start of « Déclarer une embauche » for the company acted for;
// NotificationsPath the professional's mail settings (§2.4).
const (
	DirectHirePath    = "/apply/hire"
	NotificationsPath = "/dashboard/notifications"
)

// PreviousWithin is how far back the direct hire lists the job seeker's previous candidatures to
// the company (§3.4-3).
const PreviousWithin = 12 // months

// DirectHireInput is what « Déclarer une embauche » collects (§3.4): the job seeker found by the
// identity search, then the contract of the acceptance (§3.5-3).
type DirectHireInput struct {
	JobSeekerPublicID string
	AcceptInput
}

// Previous is an earlier candidature of the job seeker to the company, as the direct hire lists it.
type Previous struct {
	PublicID  string
	State     State
	CreatedAt time.Time
}

// HireStart is what the direct hire shows before the contract step: the contract step's choices,
// as the acceptance wizard's, and the earlier candidatures.
type HireStart struct {
	*HiringChoices
	// Previous are the candidatures of the last 12 months to this company, accepted ones left
	// out, newest first; Recent: the newest is less than 24 hours old, which blocks (§3.4-3).
	Previous []Previous
	Recent   bool
}

// DirectHireStart checks that the actor may declare a hire of this job seeker in the company they
// act for, and returns what the tunnel shows.
func (s *Service) DirectHireStart(ctx context.Context, a actor.Actor, jobSeekerPublicID string) (*HireStart, error) {
	sub, err := s.checkHirer(ctx, s.db, a, jobSeekerPublicID)
	if err != nil {
		return nil, err
	}
	hc, err := s.hiringChoices(ctx, sub.company, sub.jobSeeker)
	if err != nil {
		return nil, err
	}
	if err := s.hiringEligibility(ctx, hc, sub.jobSeeker.ID, nil); err != nil {
		return nil, err
	}
	out := &HireStart{HiringChoices: hc}
	var prev []*Application
	now := s.now()
	err = s.db.NewSelect().Model(&prev).Where("ja.job_seeker_id = ?", sub.jobSeeker.ID).Where("ja.to_company_id = ?", sub.company.ID).
		Where("ja.state <> ?", Accepted).Where("ja.created_at > ?", now.AddDate(0, -PreviousWithin, 0)).
		OrderExpr("ja.created_at DESC, ja.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: previous candidatures: %w", err)
	}
	for _, p := range prev {
		out.Previous = append(out.Previous, Previous{PublicID: p.PublicID, State: p.State, CreatedAt: p.CreatedAt})
	}
	if len(prev) > 0 {
		out.Recent = now.Sub(prev[0].CreatedAt) < ResubmitAfter
	}
	return out, nil
}

// checkHirer is the guard of §3.4-1: a member acting for an SIAE or a GEIQ that takes
// candidatures, hiring an existing job seeker into that company.
func (s *Service) checkHirer(ctx context.Context, idb bun.IDB, a actor.Actor, jobSeekerPublicID string) (*submission, error) {
	co := companyOf(a)
	if co == 0 || a.Kind != actor.Professional {
		return nil, ErrNoDirectHire
	}
	company, err := companyByID(ctx, idb, co)
	if err != nil {
		return nil, err
	}
	sub, err := s.checkSubmitter(ctx, idb, a, company.UID, jobSeekerPublicID)
	if errors.Is(err, ErrNoAutoPrescription) {
		return nil, ErrNoDirectHire
	}
	return sub, err
}

// errDryRun rolls back a direct hire that was only checked.
var errDryRun = errors.New("application: dry run")

// DirectHire is « Déclarer une embauche » (§3.4, R37): in one transaction it creates the
// candidature (sent by the employer for their own company, no « Nouvelle candidature » mails),
// runs process then accept — the acceptance of Accept, with its checks, its obsolescence of the
// job seeker's other pending candidatures and its mails — and records the assignment (HIRE). A
// previous candidature to the company less than 24 hours old blocks it, on the server too
// (§3.4-3); a second POST within 10 seconds returns the first hire. With dryRun nothing is kept:
// the confirmation page shows what would be done, checked by the very same code.
func (s *Service) DirectHire(ctx context.Context, a actor.Actor, in DirectHireInput, dryRun bool) (*Application, error) {
	var out *Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sub, err := s.checkHirer(ctx, tx, a, in.JobSeekerPublicID)
		if err != nil {
			return err
		}
		if err := s.lockRow(ctx, tx, "users", sub.jobSeeker.ID); err != nil {
			return err
		}
		now := s.now()
		last, err := latestTo(ctx, tx, sub.jobSeeker.ID, sub.company.ID)
		if err != nil {
			return err
		}
		if last != nil && last.State == Accepted && IsDoubleSubmission(&last.CreatedAt, now) &&
			last.SenderID != nil && *last.SenderID == a.UserID && !dryRun {
			out = last
			return nil
		}
		if last != nil && last.State != Accepted && now.Sub(last.CreatedAt) < ResubmitAfter {
			return ErrRecentProxy
		}
		app := &Application{PublicID: uuid.NewString(), JobSeekerID: sub.jobSeeker.ID, ToCompanyID: sub.company.ID,
			SenderID: &sub.sender.ID, SenderKind: SenderEmployer, SenderCompanyID: &sub.company.ID, State: New,
			Origin: OriginDefault, CreatedAt: now, UpdatedAt: now, CreateEmployeeRecord: true}
		if err := s.insert(ctx, tx, a, app, nil); err != nil {
			return err
		}
		st := &step{app: app, company: sub.company, by: sub.sender, from: New}
		if err := s.finish(ctx, tx, a, st, TProcess); err != nil {
			return err
		}
		st = &step{app: app, company: sub.company, by: sub.sender, from: Processing}
		if err := s.accept(ctx, tx, a, st, in.AcceptInput, "HIRE"); err != nil {
			return err
		}
		if err := s.finish(ctx, tx, a, st, TAccept); err != nil {
			return err
		}
		out = app
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
