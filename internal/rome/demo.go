package rome

import (
	"context"
	"embed"
	"fmt"

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
	err := importfile.ImportFS(ctx, demoFS, []importfile.Step{
		{File: "demo/rome_codes.csv", Load: s.ImportCodes},
		{File: "demo/rome_appellations.csv", Load: s.ImportAppellations},
		{File: "demo/naf_codes.csv", Load: s.ImportNaf},
	})
	if err != nil {
		return fmt.Errorf("rome: demo %w", err)
	}
	return nil
}
