package account

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// What the staff back office does with accounts (actors.md §20): find them, turn them off and on.

// ActionUserReactivated is the audit action of ReactivateUser (ActionUserDeactivated serves both
// the command line and the back office; details.via tells them apart).
const ActionUserReactivated = "user_reactivated"

var (
	// ErrStaffOnly refuses a back-office action to an account that is not active staff.
	ErrStaffOnly = fault.Forbidden("Cette action est réservée à l'équipe des emplois de l'inclusion.")
	// ErrDeactivateSelf: staff may not lock themselves out.
	ErrDeactivateSelf = fault.Conflict("Vous ne pouvez pas désactiver votre propre compte.")
)

// UserSearch is a back-office search: words matched in the e-mail, first or last name (each word
// somewhere, case-insensitive), or a public id; optionally one kind only.
type UserSearch struct {
	Text string
	Kind Kind // "" for every kind
}

// MaxSearchWords bounds the words of a search (each adds three LIKE conditions).
const MaxSearchWords = 5

// SearchUsers returns one page of the accounts matching the search, by last then first name,
// and how many match in all: two queries, whatever the page size.
func (s *Service) SearchUsers(ctx context.Context, in UserSearch, offset, limit int) ([]User, int, error) {
	text := strings.TrimSpace(in.Text)
	if text == "" {
		return nil, 0, nil
	}
	where := func(q *bun.SelectQuery) *bun.SelectQuery {
		if _, err := uuid.Parse(text); err == nil {
			q = q.Where("public_id = ?", strings.ToLower(text))
		} else {
			words := strings.Fields(strings.ToLower(text))
			if len(words) > MaxSearchWords {
				words = words[:MaxSearchWords]
			}
			for _, w := range words {
				like := "%" + likeEscape(w) + "%"
				q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
					return q.Where(`email LIKE ? ESCAPE '\'`, like).
						WhereOr(`lower(first_name) LIKE ? ESCAPE '\'`, like).
						WhereOr(`lower(last_name) LIKE ? ESCAPE '\'`, like)
				})
			}
		}
		if in.Kind != "" {
			q = q.Where("kind = ?", in.Kind)
		}
		return q
	}
	n, err := where(s.db.NewSelect().Model((*User)(nil))).Count(ctx)
	total := int(n)
	if err != nil {
		return nil, 0, fmt.Errorf("account: count search: %w", err)
	}
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	var users []User
	err = where(s.db.NewSelect().Model(&users)).
		OrderExpr("lower(last_name), lower(first_name), id").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("account: search: %w", err)
	}
	return users, total, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// DeactivateUser turns an account off from the back office: it can no longer log in and its open
// sessions end at their next request (the session version moves). Only active staff may, never
// on their own account. Deactivating an inactive account changes nothing.
func (s *Service) DeactivateUser(ctx context.Context, a actor.Actor, publicID string) (*User, error) {
	return s.setActive(ctx, a, publicID, false)
}

// ReactivateUser turns a deactivated account back on (staff only): its owner may log in again.
func (s *Service) ReactivateUser(ctx context.Context, a actor.Actor, publicID string) (*User, error) {
	return s.setActive(ctx, a, publicID, true)
}

func (s *Service) setActive(ctx context.Context, a actor.Actor, publicID string, active bool) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		staff, err := userBy(ctx, tx, "id", a.UserID)
		if errors.Is(err, ErrNotFound) || err == nil && (staff.Kind != Staff || !staff.IsActive) {
			return ErrStaffOnly
		}
		if err != nil {
			return err
		}
		if u, err = userBy(ctx, tx, "public_id", publicID); err != nil {
			return err
		}
		if u.ID == staff.ID && !active {
			return ErrDeactivateSelf
		}
		if u.IsActive == active {
			return nil
		}
		u.IsActive = active
		action := ActionUserReactivated
		if !active {
			u.SessionVersion++ // every open session of the account ends
			action = ActionUserDeactivated
		}
		if err := updateUser(ctx, tx, u, "is_active", "session_version"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, action, u.AuditObject(), map[string]any{"via": "staff"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
