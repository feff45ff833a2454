package approval

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
)

// suspender checks that the actor's company may suspend the locked PASS (§2.10): it hired
// with it (else not found) and made the job seeker's last SIAE hire (else forbidden). It
// returns the company, its kind and that hire's start.
func suspender(ctx context.Context, tx bun.IDB, a actor.Actor, ap *Approval) (int64, org.CompanyKind, *time.Time, error) {
	company, kind := companyOf(a)
	if company == 0 || !kind.IsSIAE() {
		return 0, "", nil, ErrNotFound
	}
	ok, err := hiredWith(ctx, tx, ap.ID, company)
	if err != nil {
		return 0, "", nil, fmt.Errorf("approval: suspend %s: %w", ap.PublicID, err)
	}
	if !ok {
		return 0, "", nil, ErrNotFound
	}
	last, err := lastSIAEHire(ctx, tx, ap.UserID)
	if err != nil {
		return 0, "", nil, fmt.Errorf("approval: suspend %s: %w", ap.PublicID, err)
	}
	if last.CompanyID != company {
		return 0, "", nil, ErrNotLastHirer
	}
	return company, kind, last.HiringStartAt, nil
}

// minStart is the earliest start of a suspension of ap other than except (§2.10).
func minStart(ap *Approval, hiringStart *time.Time, except *Suspension, referent time.Time) time.Time {
	var previous *time.Time
	for _, s := range ap.Suspensions {
		if s != except && s.EndAt.Before(referent) && (previous == nil || s.EndAt.After(*previous)) {
			end := s.EndAt
			previous = &end
		}
	}
	return SuspensionMinStart(hiringStart, previous, referent)
}

func otherSuspensions(ap *Approval, except *Suspension) []Period {
	var ps []Period
	for _, s := range ap.Suspensions {
		if s != except {
			ps = append(ps, s.Dates())
		}
	}
	return ps
}

// suspendable: only a PASS in progress and not suspended is suspended (§2.10).
func suspendable(ap *Approval, today time.Time) error {
	switch ap.State(today) {
	case StateExpired:
		return ErrExpired
	case StateFuture:
		return ErrNotStarted
	case StateSuspended:
		return ErrSuspended
	}
	return nil
}

// MaySuspend tells a page whether the actor may suspend the PASS now: nil, or the refusal
// Suspend would give before reading the form (§2.10's UI reasons).
func (s *Service) MaySuspend(ctx context.Context, a actor.Actor, publicID string) error {
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return err
	}
	if _, _, _, err := suspender(ctx, s.db, a, ap); err != nil {
		return err
	}
	return suspendable(ap, s.today())
}

// Suspend suspends a PASS in progress for the actor's company, the last SIAE to hire the
// person; the PASS end moves by end − start days (§2.10, §7).
func (s *Service) Suspend(ctx context.Context, a actor.Actor, publicID string, in SuspensionInput) (*Suspension, error) {
	var sus *Suspension
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ap, err := lock(ctx, tx, "public_id = ?", publicID)
		if err != nil {
			return err
		}
		company, kind, hiringStart, err := suspender(ctx, tx, a, ap)
		if err != nil {
			return err
		}
		today := s.today()
		if err := suspendable(ap, today); err != nil {
			return err
		}
		in.StartAt, in.EndAt = day(in.StartAt), day(in.EndAt)
		if err := CheckSuspension(in, kind, ap.Dates(), minStart(ap, hiringStart, nil, today), today, otherSuspensions(ap, nil)); err != nil {
			return err
		}
		now := s.now()
		sus = &Suspension{ApprovalID: ap.ID, StartAt: in.StartAt, EndAt: in.EndAt, CompanyID: &company, Reason: in.Reason,
			CreatedByID: userID(a), UpdatedByID: userID(a), CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(sus).Exec(ctx); err != nil {
			return fmt.Errorf("approval: suspend %s: %w", publicID, err)
		}
		if err := s.shiftEnd(ctx, tx, ap, sus.Delta()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionSuspended, object(ap), map[string]any{"reason": string(in.Reason), "days": sus.Delta()})
	})
	if err != nil {
		return nil, err
	}
	return sus, nil
}

// manageSuspension runs change on an ongoing suspension of a PASS for the last SIAE hirer, in
// one transaction; change returns the suspension's new dates, or delete.
func (s *Service) manageSuspension(ctx context.Context, a actor.Actor, publicID string, suspensionID int64, action string,
	change func(ap *Approval, sus *Suspension, kind org.CompanyKind, hiringStart *time.Time, today time.Time) (newDates Period, del bool, err error)) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ap, err := lock(ctx, tx, "public_id = ?", publicID)
		if err != nil {
			return err
		}
		var sus *Suspension
		for _, x := range ap.Suspensions {
			if x.ID == suspensionID {
				sus = x
			}
		}
		if sus == nil {
			return ErrNotFound
		}
		_, kind, hiringStart, err := suspender(ctx, tx, a, ap)
		if err != nil {
			return err
		}
		today := s.today()
		if !sus.Dates().Covers(today) {
			return ErrSuspensionNotInProgress
		}
		dates, del, err := change(ap, sus, kind, hiringStart, today)
		if err != nil {
			return err
		}
		return s.applySuspension(ctx, tx, a, ap, sus, dates, del, action)
	})
}

// applySuspension writes a suspension's new dates (or deletes it) and moves the PASS end by
// the change of its delta.
func (s *Service) applySuspension(ctx context.Context, tx bun.IDB, a actor.Actor, ap *Approval, sus *Suspension, dates Period, del bool, action string) error {
	before := sus.Delta()
	after := 0
	if del {
		if _, err := tx.NewDelete().Model(sus).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("approval: delete suspension of %s: %w", ap.PublicID, err)
		}
	} else {
		sus.StartAt, sus.EndAt, sus.UpdatedByID, sus.UpdatedAt = dates.Start, dates.End, userID(a), s.now()
		if _, err := tx.NewUpdate().Model(sus).Column("start_at", "end_at", "reason", "updated_by_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("approval: update suspension of %s: %w", ap.PublicID, err)
		}
		after = sus.Delta()
	}
	if err := s.shiftEnd(ctx, tx, ap, after-before); err != nil {
		return err
	}
	return audit.Record(ctx, tx, a, action, object(ap), map[string]any{"suspension": sus.ID, "days": after - before})
}

// EditSuspension changes the dates and reason of an ongoing suspension (§2.10); the minimum
// start counts from the suspension's creation day.
func (s *Service) EditSuspension(ctx context.Context, a actor.Actor, publicID string, suspensionID int64, in SuspensionInput) error {
	return s.manageSuspension(ctx, a, publicID, suspensionID, ActionSuspensionEdited,
		func(ap *Approval, sus *Suspension, kind org.CompanyKind, hiringStart *time.Time, today time.Time) (Period, bool, error) {
			in.StartAt, in.EndAt = day(in.StartAt), day(in.EndAt)
			referent := Today(sus.CreatedAt)
			if err := CheckSuspension(in, kind, ap.Dates(), minStart(ap, hiringStart, sus, referent), today, otherSuspensions(ap, sus)); err != nil {
				return Period{}, false, err
			}
			sus.Reason = in.Reason
			return Period{Start: in.StartAt, End: in.EndAt}, false, nil
		})
}

// EndSuspension ends an ongoing suspension the day before firstDayBack (edge case 39).
func (s *Service) EndSuspension(ctx context.Context, a actor.Actor, publicID string, suspensionID int64, firstDayBack time.Time) error {
	return s.manageSuspension(ctx, a, publicID, suspensionID, ActionSuspensionEnded,
		func(_ *Approval, sus *Suspension, _ org.CompanyKind, _ *time.Time, _ time.Time) (Period, bool, error) {
			end, err := EndOnReturn(sus.Dates(), day(firstDayBack))
			return Period{Start: sus.StartAt, End: end}, false, err
		})
}

// DeleteSuspension deletes an ongoing suspension; the PASS gets its former end back.
func (s *Service) DeleteSuspension(ctx context.Context, a actor.Actor, publicID string, suspensionID int64) error {
	return s.manageSuspension(ctx, a, publicID, suspensionID, ActionSuspensionDeleted,
		func(*Approval, *Suspension, org.CompanyKind, *time.Time, time.Time) (Period, bool, error) {
			return Period{}, true, nil
		})
}

// LiftForHire ends the ongoing suspension of a PASS when the person is hired from hiringStart,
// in the acceptance's transaction (§2.8-7, edge case 37); it reports what it did.
func (s *Service) LiftForHire(ctx context.Context, tx bun.IDB, a actor.Actor, approvalID int64, hiringStart time.Time) (Lift, error) {
	ap, err := lock(ctx, tx, "id = ?", approvalID)
	if err != nil {
		return LiftNone, err
	}
	sus := ap.OngoingSuspension(s.today())
	if sus == nil {
		return LiftNone, nil
	}
	lift, end := LiftOnHire(sus.Reason, sus.Dates(), day(hiringStart))
	if lift == LiftNone {
		return LiftNone, nil
	}
	return lift, s.applySuspension(ctx, tx, a, ap, sus, Period{Start: sus.StartAt, End: end}, lift == LiftDelete, ActionSuspensionLifted)
}
