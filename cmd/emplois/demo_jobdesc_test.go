package main

import (
	"context"
	"io"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestLoadDemo_GivesEveryDemoEmployerKindFichesDePoste(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cfg, err := config.Load(func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
		ctx := context.Background()
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), io.Discard); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		err = d.NewRaw(`SELECT DISTINCT c.kind FROM job_description jd JOIN company c ON c.id = jd.company_id
			WHERE jd.is_active ORDER BY c.kind`).Scan(ctx, &kinds)
		if err != nil {
			t.Fatal(err)
		}
		if len(kinds) != 7 {
			t.Fatalf("demo kinds with open fiches de poste: %v, want the 7 kinds", kinds)
		}
		before, _ := d.NewSelect().Table("job_description").Count(ctx)
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), io.Discard); err != nil {
			t.Fatal(err)
		}
		if after, _ := d.NewSelect().Table("job_description").Count(ctx); after != before {
			t.Fatalf("second demo load: %d fiches, then %d", before, after)
		}
	})
}
