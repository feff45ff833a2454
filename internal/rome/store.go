package rome

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// ErrNotFound is returned when a ROME code, an appellation or a NAF code does not exist.
var ErrNotFound = fault.NotFound("Ce métier n'existe pas dans le répertoire ROME.")

// Store reads and writes the job referentials.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Appellation returns an appellation with its ROME code.
func (s *Store) Appellation(ctx context.Context, code string) (Appellation, error) {
	var a Appellation
	err := s.db.NewSelect().Model(&a).Relation("Rome").Where("a.code = ?", code).Scan(ctx)
	return a, found(err, "appellation "+code)
}

// Code returns a ROME code.
func (s *Store) Code(ctx context.Context, code string) (Code, error) {
	var c Code
	err := s.db.NewSelect().Model(&c).Where("rc.code = ?", strings.ToUpper(code)).Scan(ctx)
	return c, found(err, "rome code "+code)
}

// Naf returns a NAF code given dotted ("81.21Z") or compact ("8121Z", as in SIRENE data).
func (s *Store) Naf(ctx context.Context, code string) (Naf, error) {
	var n Naf
	code = strings.ToUpper(strings.TrimSpace(code))
	err := s.db.NewSelect().Model(&n).Where("n.code = ? OR n.code_compact = ?", code, code).Limit(1).Scan(ctx)
	return n, found(err, "naf "+code)
}

// Counts returns how many ROME codes, appellations and NAF codes are loaded.
func (s *Store) Counts(ctx context.Context) (codes, appellations, naf int64, err error) {
	if codes, err = s.db.NewSelect().Model((*Code)(nil)).Count(ctx); err != nil {
		return
	}
	if appellations, err = s.db.NewSelect().Model((*Appellation)(nil)).Count(ctx); err != nil {
		return
	}
	naf, err = s.db.NewSelect().Model((*Naf)(nil)).Count(ctx)
	return
}

func found(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("rome: %s: %w", what, err)
	}
	return nil
}
