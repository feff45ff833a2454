package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"emplois/internal/convention"
	"emplois/internal/platform/importfile"
	"emplois/internal/reference"
)

func init() {
	c := command{
		name:    "import",
		usage:   "import KIND --file PATH [--format csv|json]   or   emplois import all --dir DIR   or   emplois import asp-structures --structures FILE --annexes FILE [--wet-run]   or   emplois import geiq --file LIST.xlsx [--wet-run]",
		summary: "Load reference data (régions, départements, communes, ROME, NAF) from CSV files, the SIAE from the ASP's fluxIAE exports, or the list of the GEIQ; a bad line refuses the whole file.",
	}
	c.run = func(ctx context.Context, args []string) error {
		return runImport(ctx, c, args, os.Stdout, os.Stderr)
	}
	register(c)
}

func runImport(ctx context.Context, c command, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "asp-structures" {
		return runImportASP(ctx, c, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "geiq" {
		return runImportGEIQ(ctx, c, args[1:], stdout, stderr)
	}
	fs := newFlagSet(c)
	fs.SetOutput(stderr)
	file := fs.String("file", "", "the file to load (KIND other than all)")
	format := fs.String("format", "", "csv or json; by default guessed from the file name (.json is JSON, anything else CSV).\nJSON is the geo.api.gouv.fr list of communes (fields code, nom, codesPostaux, codeDepartement,\npopulation, centre), for KIND communes only")
	dir := fs.String("dir", "", "with KIND all: the folder holding the reference files, imported in dependency order\n(files that are absent are skipped)")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		w := fs.Output()
		fmt.Fprintln(w, "\nRows are added or updated by their code, so importing a file again is harmless. A file with a\n"+
			"bad line is refused whole, with the line and the field to fix, and the database is left as it was.")
		fmt.Fprintln(w, "\nKinds, in the order their references need (import the first ones first):")
		for _, k := range reference.Kinds {
			fmt.Fprintf(w, "  %-18s %s\n  %-18s file %s, columns: %s\n", k.Name, k.About, "", k.File, strings.Join(k.Columns, ","))
		}
		fmt.Fprintf(w, "  %-18s every file above found in --dir\n", "all")
		fmt.Fprintln(w, "\nExamples:\n  emplois import communes --file ../shared/data/communes.csv\n  emplois import all --dir ../shared/data")
	}
	// KIND comes first (emplois import communes --file …); flags may also come before it.
	kind := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		kind, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if kind == "" && fs.NArg() > 0 {
		kind = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see emplois import -h)", fs.Arg(0))
	}
	if kind == "" {
		fs.Usage()
		return errors.New("missing KIND: " + reference.KindNames() + " or all")
	}

	if kind == "all" {
		if *dir == "" || *file != "" {
			return errors.New("import all needs --dir DIR (and no --file)")
		}
		_, d, err := openDB(ctx)
		if err != nil {
			return err
		}
		defer d.Close()
		start := time.Now()
		err = reference.ImportDirFunc(ctx, d, *dir, func(k reference.Kind, res importfile.Result) {
			printResult(stdout, k.Name, res)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "done in %.2f s\n", time.Since(start).Seconds())
		return nil
	}

	k, ok := reference.KindNamed(kind)
	if !ok {
		return fmt.Errorf("unknown KIND %q: %s or all", kind, reference.KindNames())
	}
	if *file == "" || *dir != "" {
		return fmt.Errorf("import %s needs --file PATH (and no --dir)", kind)
	}
	var f importfile.Format
	if *format != "" {
		var err error
		if f, err = importfile.ParseFormat(*format); err != nil {
			return err
		}
	}
	_, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := k.ImportFile(ctx, d, *file, f)
	if err != nil {
		return err
	}
	printResult(stdout, k.Name, res)
	return nil
}

func printResult(w io.Writer, kind string, res importfile.Result) {
	fmt.Fprintf(w, "%-18s %6d rows read: %6d added, %6d updated, in %.2f s\n",
		kind+":", res.Rows, res.Inserted, res.Updated, res.Duration.Seconds())
}

// runImportASP imports the SIAE, conventions and financial annexes of the ASP's exports
// (asp.md §1): a dry run unless --wet-run.
func runImportASP(ctx context.Context, c command, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(c)
	fs.SetOutput(stderr)
	structures := fs.String("structures", "", "the « Vue Structure » export (fluxIAE_Structure_*.csv.gz; a ZIP named .gz or a plain .csv also do)")
	annexes := fs.String("annexes", "", "the « Vue AF » export (fluxIAE_AnnexeFinanciere_*.csv.gz)")
	wet := fs.Bool("wet-run", false, "apply the changes; without it the whole run is computed and reported, then rolled back")
	dups := fs.Bool("require-duplicates", false, "refuse a Vue AF in which no annex number repeats (a real export always has some: catches truncated files)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *structures == "" || *annexes == "" || fs.NArg() > 0 {
		return errors.New("import asp-structures needs --structures FILE and --annexes FILE (see emplois import -h)")
	}
	cfg, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	_, err = convention.Import(ctx, d, convention.Options{StructuresPath: *structures, AnnexesPath: *annexes, WetRun: *wet,
		RequireDuplicates: *dups, BaseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"), Out: stdout})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "done in %.2f s\n", time.Since(start).Seconds())
	return nil
}

// runImportGEIQ syncs the GEIQ companies with the list of the GEIQ (asp.md §2): a dry run
// unless --wet-run.
func runImportGEIQ(ctx context.Context, c command, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(c)
	fs.SetOutput(stderr)
	file := fs.String("file", "", "the list of the GEIQ: an Excel workbook (.xlsx), first sheet, headers Nom, Rue, Rue (suite), Code Postal, Ville, SIRET, e-mail")
	wet := fs.Bool("wet-run", false, "apply the changes; without it the whole run is computed and reported, then rolled back")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		return errors.New("import geiq needs --file LIST.xlsx (see emplois import -h)")
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	_, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = convention.ImportGEIQ(ctx, d, data, *wet, time.Now(), stdout)
	return err
}
