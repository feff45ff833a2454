package rome

import (
	"context"
	"embed"
	"fmt"
	"io"

	"emplois/internal/platform/db"
	"emplois/internal/platform/importfile"
)

// demoFS holds a small real extract of the reference files: 5 ROME codes (among them K2204
// "Nettoyage de locaux") with their 100 appellations, and the NAF codes of cleaning, catering,
// storage and home care.
//
//go:embed demo/*.csv
var demoFS embed.FS

// LoadDemo imports the demo job referentials through the same importers as the real files.
// It is idempotent.
func LoadDemo(ctx context.Context, d *db.DB) error {
	s := NewStore(d)
	steps := []struct {
		file string
		load func(*Store, context.Context, io.Reader) (importfile.Result, error)
	}{
		{"rome_codes.csv", (*Store).ImportCodes},
		{"rome_appellations.csv", (*Store).ImportAppellations},
		{"naf_codes.csv", (*Store).ImportNaf},
	}
	for _, step := range steps {
		f, err := demoFS.Open("demo/" + step.file)
		if err != nil {
			return err
		}
		_, err = step.load(s, ctx, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("rome: demo %s: %w", step.file, err)
		}
	}
	return nil
}
