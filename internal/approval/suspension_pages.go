package approval

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"emplois/internal/platform/actor"
)

// SuspensionChoices is what the suspension forms show the last SIAE hirer: the reasons its
// kind may choose (edge case 38), the earliest start (edge case 36) and, for an ongoing
// suspension, the proposed first day back (edge case 39) and what deleting it costs.
type SuspensionChoices struct {
	Approval *Approval
	Reasons  []SuspensionReason
	MinStart time.Time
	Today    time.Time
	// Suspension is the ongoing suspension managed (edit, end, delete), nil for a new one.
	Suspension *Suspension
	// ProposedReturn is the first day back proposed when ending it; LostDays what its deletion
	// takes from the remainder (today − start + 1, §2.10).
	ProposedReturn time.Time
	LostDays       int
}

// SuspensionChoices returns the form of a new suspension of the PASS: for the last SIAE hirer
// of a PASS in progress and not suspended (else the refusal Suspend would give).
func (s *Service) SuspensionChoices(ctx context.Context, a actor.Actor, publicID string) (*SuspensionChoices, error) {
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return nil, err
	}
	_, kind, hiringStart, err := suspender(ctx, s.db, a, ap)
	if err != nil {
		return nil, err
	}
	today := s.today()
	if err := suspendable(ap, today); err != nil {
		return nil, err
	}
	return &SuspensionChoices{Approval: ap, Reasons: SuspensionReasonsFor(kind), MinStart: minStart(ap, hiringStart, nil, today), Today: today}, nil
}

// Suspension returns an ongoing suspension with its forms' choices to the last SIAE hirer of
// its PASS; another company gets not found (edge case 40), an earlier hirer the refusal of
// scenario 11, a suspension over or to come ErrSuspensionNotInProgress.
func (s *Service) Suspension(ctx context.Context, a actor.Actor, suspensionID int64) (*SuspensionChoices, error) {
	var approvalID int64
	err := s.db.NewSelect().Table("suspension").Column("approval_id").Where("id = ?", suspensionID).Scan(ctx, &approvalID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("approval: suspension %d: %w", suspensionID, err)
	}
	ap, err := load(ctx, s.db, "id = ?", approvalID)
	if err != nil {
		return nil, err
	}
	_, kind, hiringStart, err := suspender(ctx, s.db, a, ap)
	if err != nil {
		return nil, err
	}
	var sus *Suspension
	for _, x := range ap.Suspensions {
		if x.ID == suspensionID {
			sus = x
		}
	}
	today := s.today()
	if sus == nil {
		return nil, ErrNotFound
	}
	if !sus.Dates().Covers(today) {
		return nil, ErrSuspensionNotInProgress
	}
	return &SuspensionChoices{Approval: ap, Reasons: SuspensionReasonsFor(kind), MinStart: minStart(ap, hiringStart, sus, Today(sus.CreatedAt)),
		Today: today, Suspension: sus, ProposedReturn: ProposedReturn(sus.Dates(), today), LostDays: daysBetween(sus.StartAt, today) + 1}, nil
}
