package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"emplois/internal/platform/importfile"
	"emplois/internal/reference"
	"emplois/internal/seed"
)

// scaleOptions are the options of `emplois seed --scale`.
type scaleOptions struct {
	scale        *string
	seed         *uint64
	force        *bool
	referenceDir *string
}

func scaleFlags(fs *flag.FlagSet) *scaleOptions {
	names := make([]string, len(seed.Scales))
	for i, s := range seed.Scales {
		names[i] = s.Name
	}
	return &scaleOptions{
		scale: fs.String("scale", "", "generate the synthetic data set of this size: "+strings.Join(names, " or ")+
			fmt.Sprintf("\n(national: %d employers, %d fiches de poste, %d prescriber organizations, %d job seekers;\nsmall: one hundredth of it)",
				seed.National.Companies, seed.National.JobDescriptions, seed.National.Prescribers, seed.National.JobSeekers)),
		seed: fs.Uint64("seed", seed.DefaultSeed, "with --scale: the seed value; the same seed on the same day gives the same rows"),
		force: fs.Bool("force", false, "with --scale: replace the generated data set already in the database (its rows are\n"+
			"those with an e-mail on "+seed.Domain+") instead of refusing"),
		referenceDir: fs.String("reference-dir", "", "with --scale: import the reference data from this folder first when the database\n"+
			"lacks it (default: EMPLOIS_REFERENCE_DIR)"),
	}
}

func (o *scaleOptions) given() bool { return *o.scale != "" }

// runScaleSeed generates the data set of `seed --scale`, importing the reference data first when
// the database lacks it and a folder is known.
func runScaleSeed(ctx context.Context, o *scaleOptions, out io.Writer) error {
	sc, ok := seed.ScaleNamed(*o.scale)
	if !ok {
		return fmt.Errorf("unknown scale %q: national or small", *o.scale)
	}
	cfg, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := seed.CheckReference(ctx, d); errors.Is(err, seed.ErrReference) {
		dir := *o.referenceDir
		if dir == "" {
			dir = cfg.ReferenceDir
		}
		if dir == "" {
			return err
		}
		fmt.Fprintf(out, "importing the reference data from %s\n", dir)
		err := reference.ImportDirFunc(ctx, d, dir, func(k reference.Kind, res importfile.Result) { printResult(out, k.Name, res) })
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	_, err = seed.Run(ctx, d, seed.Options{Scale: sc, Seed: *o.seed, Force: *o.force, PASSPrefix: cfg.PASSPrefix, Progress: out})
	return err
}
