package application

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// ErrPriorActionsFrozen: prior actions cannot change once the candidature is accepted (R32).
var ErrPriorActionsFrozen = fault.Forbidden("Les actions préalables à l’embauche ne peuvent plus être modifiées une fois la candidature acceptée.")

// ErrNotGEIQ: prior actions exist only for GEIQ (R32).
var ErrNotGEIQ = fault.Forbidden("Les actions préalables à l’embauche sont réservées aux GEIQ.")

// PriorActionInput is the prior action form (§1.2).
type PriorActionInput struct {
	Action  PriorActionKind
	StartAt *time.Time
	EndAt   *time.Time
}

// IsPriorActionKind says whether k is one of the kinds of §1.2.
func IsPriorActionKind(k PriorActionKind) bool {
	for _, g := range PriorActionGroups {
		for _, x := range g.Kinds {
			if x == k {
				return true
			}
		}
	}
	return false
}

// check validates the form: a kind of the list, both dates, the end not before the start.
func (in PriorActionInput) check() error {
	var errs fault.Fields
	if !IsPriorActionKind(in.Action) {
		errs.Add("action", "Choisissez une action de la liste.")
	}
	if in.StartAt == nil {
		errs.Add("start_at", "Ce champ est obligatoire.")
	}
	if in.EndAt == nil {
		errs.Add("end_at", "Ce champ est obligatoire.")
	}
	if in.StartAt != nil && in.EndAt != nil && Day(*in.EndAt).Before(Day(*in.StartAt)) {
		errs.Add("end_at", "La date de fin doit être postérieure à la date de début.")
	}
	return errs.Err()
}

// priorActionsOf locks a candidature of a GEIQ the actor is a member of and refuses the change
// once accepted (R32).
func (s *Service) priorActionsOf(ctx context.Context, tx bun.Tx, a actor.Actor, publicID string) (*Application, error) {
	app, err := s.memberOf(ctx, tx, a, publicID, true)
	if err != nil {
		return nil, err
	}
	co, err := companyByID(ctx, tx, app.ToCompanyID)
	if err != nil {
		return nil, err
	}
	if co.Kind != org.GEIQ {
		return nil, ErrNotGEIQ
	}
	if app.State == Accepted {
		return nil, ErrPriorActionsFrozen
	}
	return app, nil
}

// AddPriorAction records a GEIQ prior action; the first one moves the candidature to
// prior_to_hire (T4, R32), in the same transaction.
func (s *Service) AddPriorAction(ctx context.Context, a actor.Actor, publicID string, in PriorActionInput) (*PriorAction, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *PriorAction
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.priorActionsOf(ctx, tx, a, publicID)
		if err != nil {
			return err
		}
		pa := &PriorAction{PublicID: uuid.NewString(), JobApplicationID: app.ID, Action: in.Action,
			StartAt: Day(*in.StartAt), EndAt: Day(*in.EndAt), CreatedAt: s.now()}
		if _, err := tx.NewInsert().Model(pa).Exec(ctx); err != nil {
			return fmt.Errorf("application: add prior action: %w", err)
		}
		out = pa
		if app.State != PriorToHire {
			st, err := s.begin(ctx, tx, a, app, TMoveToPriorToHire, needs{})
			if err != nil {
				return err
			}
			st.details = map[string]any{"prior_action": pa.PublicID}
			if err := s.finish(ctx, tx, a, st, TMoveToPriorToHire); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, a, ActionPriorAction, object(app.PublicID),
			map[string]any{"op": "add", "prior_action": pa.PublicID, "action": pa.Action})
	})
	return out, err
}

// UpdatePriorAction changes the kind or the dates of a prior action (not once accepted).
func (s *Service) UpdatePriorAction(ctx context.Context, a actor.Actor, publicID, actionID string, in PriorActionInput) (*PriorAction, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *PriorAction
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.priorActionsOf(ctx, tx, a, publicID)
		if err != nil {
			return err
		}
		pa, err := priorAction(ctx, tx, app.ID, actionID)
		if err != nil {
			return err
		}
		pa.Action, pa.StartAt, pa.EndAt = in.Action, Day(*in.StartAt), Day(*in.EndAt)
		if _, err := tx.NewUpdate().Model(pa).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("application: update prior action: %w", err)
		}
		out = pa
		return audit.Record(ctx, tx, a, ActionPriorAction, object(app.PublicID),
			map[string]any{"op": "update", "prior_action": pa.PublicID, "action": pa.Action})
	})
	return out, err
}

// DeletePriorAction removes a prior action; removing the last one while in prior_to_hire moves
// the candidature back to processing (T5, R32).
func (s *Service) DeletePriorAction(ctx context.Context, a actor.Actor, publicID, actionID string) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.priorActionsOf(ctx, tx, a, publicID)
		if err != nil {
			return err
		}
		pa, err := priorAction(ctx, tx, app.ID, actionID)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(pa).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("application: delete prior action: %w", err)
		}
		left, err := tx.NewSelect().Model((*PriorAction)(nil)).Where("job_application_id = ?", app.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("application: count prior actions: %w", err)
		}
		if left == 0 && app.State == PriorToHire {
			st, err := s.begin(ctx, tx, a, app, TCancelPriorToHire, needs{})
			if err != nil {
				return err
			}
			if err := s.finish(ctx, tx, a, st, TCancelPriorToHire); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, a, ActionPriorAction, object(app.PublicID),
			map[string]any{"op": "delete", "prior_action": pa.PublicID, "action": pa.Action})
	})
}

// PriorActions lists the prior actions of a candidature, by start date, for the receiving
// company's members.
func (s *Service) PriorActions(ctx context.Context, a actor.Actor, publicID string) ([]PriorAction, error) {
	app, err := s.memberOf(ctx, s.db, a, publicID, false)
	if err != nil {
		return nil, err
	}
	return priorActions(ctx, s.db, app.ID)
}

// priorActions reads the prior actions of a candidature by start date.
func priorActions(ctx context.Context, idb bun.IDB, appID int64) ([]PriorAction, error) {
	var rows []PriorAction
	err := idb.NewSelect().Model(&rows).Where("job_application_id = ?", appID).OrderExpr("start_at, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: prior actions: %w", err)
	}
	return rows, nil
}

func priorAction(ctx context.Context, tx bun.Tx, appID int64, publicID string) (*PriorAction, error) {
	pa := new(PriorAction)
	err := tx.NewSelect().Model(pa).Where("public_id = ?", publicID).Where("job_application_id = ?", appID).Scan(ctx)
	if err != nil {
		return nil, fault.NotFound("Cette action préalable à l’embauche n'existe pas.")
	}
	return pa, nil
}
