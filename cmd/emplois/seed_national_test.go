package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference/referencetest"
	"emplois/internal/seed"
)

func TestSeedScale_ImportsTheReferenceDataThenRefusesASecondRunWithoutForce(t *testing.T) {
	dir := referencetest.DataDir(t)
	t.Setenv("DATABASE_URL", dbtest.URL(t, db.SQLite))
	t.Setenv("EMPLOIS_REFERENCE_DIR", "")
	ctx := context.Background()
	run := func(args ...string) (string, error) {
		c, _ := find("seed")
		fs := newFlagSet(c)
		opts := scaleFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := runScaleSeed(ctx, opts, &out)
		return out.String(), err
	}
	if _, err := run("--scale", "small"); !errors.Is(err, seed.ErrReference) {
		t.Fatalf("without reference data: %v, want ErrReference", err)
	}
	out, err := run("--scale", "small", "--reference-dir", dir, "--seed", "3")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"importing the reference data from", "communes:", "fiches de poste", "done: small data set (seed 3)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := run("--scale", "small"); !errors.Is(err, seed.ErrAlreadySeeded) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run: %v, want ErrAlreadySeeded mentioning --force", err)
	}
	if out, err := run("--scale", "small", "--force"); err != nil || !strings.Contains(out, "previous data set") {
		t.Fatalf("--force: %v\n%s", err, out)
	}
	if _, err := run("--scale", "huge"); err == nil || !strings.Contains(err.Error(), "unknown scale") {
		t.Errorf("unknown scale: %v", err)
	}
}
