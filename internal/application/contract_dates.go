package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// LogContractDates is the timeline line of an edit of the contract dates (§3.7): not a
// transition (the state stays), its details hold the old and new dates.
const LogContractDates TransitionName = "edit_contract_dates"

// ErrDatesFrozen: the contract already started, or the candidature is neither accepted nor
// postponed (CanUpdateHiringStart, §1.4).
var ErrDatesFrozen = fault.Conflict("Les dates de ce contrat ne peuvent plus être modifiées : il a déjà commencé ou la candidature n'est pas acceptée.")

// ContractDates is what the edit page shows of a candidature's contract.
type ContractDates struct {
	PublicID      string
	JobSeeker     string
	HiringStartAt *time.Time
	HiringEndAt   *time.Time
	// Editable: CanUpdateHiringStart holds today.
	Editable bool
}

// editDates is the permission of the contract dates' page: an employer member of the receiving
// company, like the single-item screens of §2.1.
var editDates = Transition{Name: LogContractDates, Who: ByEmployer}

// ContractDatesOf returns the contract of a candidature for its company's members.
func (s *Service) ContractDatesOf(ctx context.Context, a actor.Actor, publicID string) (*ContractDates, error) {
	app, err := s.byPublicID(ctx, s.db, publicID, false)
	if err != nil {
		return nil, err
	}
	if err := s.mayAct(ctx, s.db, a, app, editDates, needs{}); err != nil {
		return nil, err
	}
	js, err := personByID(ctx, s.db, app.JobSeekerID)
	if err != nil {
		return nil, err
	}
	return &ContractDates{PublicID: app.PublicID, JobSeeker: js.FullName(), HiringStartAt: app.HiringStartAt,
		HiringEndAt: app.HiringEndAt, Editable: CanUpdateHiringStart(app.State, app.HiringStartAt, s.now())}, nil
}

// EditContractDates moves the contract dates of an accepted or postponed candidature whose
// contract has not started yet (§3.7, R33): the new start within [today, today + 30 days], the
// end not before it; the PASS IAE of the hire bounds the new start when it has started, and
// follows it when it has not (approvals domain). The timeline and the audit trail keep the old
// and new dates.
func (s *Service) EditContractDates(ctx context.Context, a actor.Actor, publicID string, start, end *time.Time) (*Application, error) {
	var out *Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.byPublicID(ctx, tx, publicID, true)
		if err != nil {
			return err
		}
		if err := s.mayAct(ctx, tx, a, app, editDates, needs{}); err != nil {
			return err
		}
		now := s.now()
		if !CanUpdateHiringStart(app.State, app.HiringStartAt, now) {
			return ErrDatesFrozen
		}
		if err := CheckEditedContractDates(start, end, now).Err(); err != nil {
			return err
		}
		details := map[string]any{"old_start": dayText(app.HiringStartAt), "old_end": dayText(app.HiringEndAt)}
		newStart := Day(*start)
		if app.ApprovalID != nil {
			err := s.Approvals.FollowHiringStart(ctx, tx, a, *app.ApprovalID, newStart)
			if errors.Is(err, approval.ErrHiringAfterEnd) {
				return ErrHiringAfterPASS
			}
			if err != nil {
				return err
			}
		}
		app.HiringStartAt, app.HiringEndAt = &newStart, nil
		if end != nil {
			e := Day(*end)
			app.HiringEndAt = &e
		}
		details["new_start"], details["new_end"] = dayText(app.HiringStartAt), dayText(app.HiringEndAt)
		app.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(app).Column("hiring_start_at", "hiring_end_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("application: contract dates %s: %w", publicID, err)
		}
		e := &LogEntry{JobApplicationID: app.ID, Transition: LogContractDates, FromState: app.State, ToState: app.State,
			UserID: &a.UserID, CreatedAt: now, Details: jsonText(details)}
		if err := writeLog(ctx, tx, e); err != nil {
			return err
		}
		out = app
		return audit.Record(ctx, tx, a, ActionDatesEdited, object(publicID), details)
	})
	return out, err
}

// dayText is a contract date as the log keeps it: "2006-01-02", "" for none.
func dayText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// ContractDatesChange is how the timeline tells an edit of the contract dates (a LogContractDates
// line, its JSON details): « Dates du contrat modifiées : début le 05/12/2026 (au lieu du
// 01/12/2026), fin le 04/12/2027 ». It is empty for another line.
func ContractDatesChange(e LogEntry) string {
	if e.Transition != LogContractDates {
		return ""
	}
	var d struct {
		OldStart string `json:"old_start"`
		NewStart string `json:"new_start"`
		NewEnd   string `json:"new_end"`
	}
	if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
		return "Dates du contrat modifiées"
	}
	fr := func(s string) string {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return s
		}
		return t.Format("02/01/2006")
	}
	out := "Dates du contrat modifiées : début le " + fr(d.NewStart)
	if d.OldStart != "" && d.OldStart != d.NewStart {
		out += " (au lieu du " + fr(d.OldStart) + ")"
	}
	if d.NewEnd != "" {
		out += ", fin le " + fr(d.NewEnd)
	}
	return out
}
