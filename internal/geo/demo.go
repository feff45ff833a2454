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
	steps := []struct {
		file string
		load func(*Store, context.Context, io.Reader) (importfile.Result, error)
	}{
		{"regions.csv", (*Store).ImportRegions},
		{"departments.csv", (*Store).ImportDepartments},
		{"communes.csv", func(s *Store, ctx context.Context, r io.Reader) (importfile.Result, error) {
			return s.ImportCommunes(ctx, r, importfile.FormatCSV)
		}},
		{"arrondissements_municipaux.csv", (*Store).ImportArrondissements},
	}
	for _, step := range steps {
		f, err := demoFS.Open("demo/" + step.file)
		if err != nil {
			return err
		}
		_, err = step.load(s, ctx, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("geo: demo %s: %w", step.file, err)
		}
	}
	return nil
}
