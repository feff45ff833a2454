package geo

import (
	"context"
	"embed"
	"fmt"
	"io"

	"emplois/internal/platform/db"
	"emplois/internal/platform/importfile"
)

// demoFS holds a small real extract of the reference files: the régions and départements of
// Lyon, Saint-Étienne, Lille and Marseille, 40 communes around them (with their coordinates
// from communes.csv) and Lyon's arrondissements.
//
//go:embed demo/*.csv
var demoFS embed.FS

// LoadDemo imports the demo geography through the same importers as the real files.
// It is idempotent.
func LoadDemo(ctx context.Context, d *db.DB) error {
	s := NewStore(d)
	err := importfile.ImportFS(ctx, demoFS, []importfile.Step{
		{File: "demo/regions.csv", Load: s.ImportRegions},
		{File: "demo/departments.csv", Load: s.ImportDepartments},
		{File: "demo/communes.csv", Load: func(ctx context.Context, r io.Reader) (importfile.Result, error) {
			return s.ImportCommunes(ctx, r, importfile.FormatCSV)
		}},
		{File: "demo/arrondissements_municipaux.csv", Load: s.ImportArrondissements},
	})
	if err != nil {
		return fmt.Errorf("geo: demo %w", err)
	}
	return nil
}
