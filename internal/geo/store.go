package geo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// ErrNotFound is returned when a région, département or commune does not exist.
var ErrNotFound = fault.NotFound("Cette commune ou ce département est inconnu.")

// Store reads and writes the geography tables.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Commune returns the commune (or arrondissement) with an INSEE code.
func (s *Store) Commune(ctx context.Context, inseeCode string) (Commune, error) {
	var c Commune
	err := s.db.NewSelect().Model(&c).Where("c.insee_code = ?", inseeCode).Scan(ctx)
	return c, found(err, "commune "+inseeCode)
}

// CommuneBySlug returns the commune with a slug ("saint-etienne-42").
func (s *Store) CommuneBySlug(ctx context.Context, slug string) (Commune, error) {
	var c Commune
	err := s.db.NewSelect().Model(&c).Where("c.slug = ?", slug).Scan(ctx)
	return c, found(err, "commune "+slug)
}

// Arrondissements returns the municipal arrondissements of a commune (Paris, Lyon, Marseille),
// by INSEE code; none for the other communes.
func (s *Store) Arrondissements(ctx context.Context, parentCode string) ([]Commune, error) {
	var list []Commune
	err := s.db.NewSelect().Model(&list).Where("c.parent_code = ?", parentCode).Order("c.insee_code").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("geo: arrondissements of %s: %w", parentCode, err)
	}
	return list, nil
}

// Department returns the département with a code.
func (s *Store) Department(ctx context.Context, code string) (Department, error) {
	var d Department
	err := s.db.NewSelect().Model(&d).Where("d.code = ?", code).Scan(ctx)
	return d, found(err, "department "+code)
}

// Departments returns every département, by code.
func (s *Store) Departments(ctx context.Context) ([]Department, error) {
	var list []Department
	if err := s.db.NewSelect().Model(&list).Order("d.code").Scan(ctx); err != nil {
		return nil, fmt.Errorf("geo: departments: %w", err)
	}
	return list, nil
}

// Regions returns every région, by code.
func (s *Store) Regions(ctx context.Context) ([]Region, error) {
	var list []Region
	if err := s.db.NewSelect().Model(&list).Order("r.code").Scan(ctx); err != nil {
		return nil, fmt.Errorf("geo: regions: %w", err)
	}
	return list, nil
}

// Counts returns how many régions, départements and communes (arrondissements excluded) are loaded.
func (s *Store) Counts(ctx context.Context) (regions, departments, communes int64, err error) {
	if regions, err = s.db.NewSelect().Model((*Region)(nil)).Count(ctx); err != nil {
		return
	}
	if departments, err = s.db.NewSelect().Model((*Department)(nil)).Count(ctx); err != nil {
		return
	}
	communes, err = s.db.NewSelect().Model((*Commune)(nil)).Where("c.parent_code IS NULL").Count(ctx)
	return
}

func found(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("geo: %s: %w", what, err)
	}
	return nil
}
