package savedsearch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Service saves, lists and deletes the saved searches of a user.
type Service struct {
	db  *db.DB
	Now func() time.Time
}

// NewService returns the service over d.
func NewService(d *db.DB) *Service { return &Service{db: d, Now: time.Now} }

// Save stores a search of the user under name. Refusals are *Error: a bad or taken name, or
// MaxPerUser searches already saved. Two saves racing for the 20th place may both pass: the
// limit keeps lists short, it guards nothing.
func (s *Service) Save(ctx context.Context, userID int64, name, path, query string) (*SavedSearch, error) {
	name, err := CleanName(name)
	if err != nil {
		return nil, err
	}
	if !validPath(path) || len(query) > MaxQueryLength {
		return nil, errNotSearch
	}
	saved := &SavedSearch{UID: uuid.NewString(), UserID: userID, Name: name, Path: path, Query: query, CreatedAt: s.Now().UTC()}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*SavedSearch)(nil)).Where("ss.user_id = ?", userID).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxPerUser {
			return &Error{Message: MsgTooMany}
		}
		_, err = tx.NewInsert().Model(saved).Exec(ctx)
		if db.IsUniqueViolation(err) {
			return &Error{Field: FieldName, Message: MsgNameTaken}
		}
		return err
	})
	var refused *Error
	if errors.As(err, &refused) {
		return nil, refused
	}
	if err != nil {
		return nil, fmt.Errorf("savedsearch: save: %w", err)
	}
	return saved, nil
}

// List returns the user's saved searches, oldest first.
func (s *Service) List(ctx context.Context, userID int64) ([]SavedSearch, error) {
	var list []SavedSearch
	err := s.db.NewSelect().Model(&list).Where("ss.user_id = ?", userID).Order("ss.created_at", "ss.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("savedsearch: list: %w", err)
	}
	return list, nil
}

// Delete removes the user's saved search uid and returns it; ErrNotFound when the user has none
// with that uid (another user's included).
func (s *Service) Delete(ctx context.Context, userID int64, uid string) (*SavedSearch, error) {
	saved := new(SavedSearch)
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(saved).Where("ss.uid = ? AND ss.user_id = ?", uid, userID).Scan(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model(saved).WherePK().Exec(ctx)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("savedsearch: delete: %w", err)
	}
	return saved, nil
}
