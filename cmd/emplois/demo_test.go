package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestLoadDemo_PrintsEachLoginAndRunsTwiceSafely(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cfg, err := config.Load(func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
		ctx := context.Background()
		var first, second bytes.Buffer
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &first); err != nil {
			t.Fatal(err)
		}
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &second); err != nil {
			t.Fatalf("second demo load: %v", err)
		}
		logins := func(out string) []string {
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "demo login: ") {
					lines = append(lines, l)
				}
			}
			return lines
		}
		got := logins(first.String())
		if len(got) < 2 || !strings.HasPrefix(got[0], "demo login: staff ") {
			t.Fatalf("demo logins = %q", got)
		}
		for _, l := range got {
			if len(strings.Fields(strings.TrimPrefix(l, "demo login: "))) != 3 {
				t.Errorf("%q is not `demo login: ROLE EMAIL PASSWORD`", l)
			}
		}
		if strings.Join(logins(second.String()), "\n") != strings.Join(got, "\n") {
			t.Errorf("second run printed other logins:\n%s", second.String())
		}
		if strings.Contains(second.String(), "reference data loaded") {
			t.Error("reference data was loaded again into a non-empty database")
		}
		n, err := d.NewSelect().Table("commune").Count(ctx)
		if err != nil || n < 20 {
			t.Errorf("demo communes = %d, %v", n, err)
		}
	})
}
