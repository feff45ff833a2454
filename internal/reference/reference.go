// Package reference loads the reference data sets (geography from geo, job referentials from
// rome) by kind, from a file or from a whole folder in dependency order, and the demo extract.
package reference

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"emplois/internal/asp"
	"emplois/internal/geo"
	"emplois/internal/platform/db"
	"emplois/internal/platform/importfile"
	"emplois/internal/rome"
)

// Kind is a reference data set that `emplois import KIND` loads.
type Kind struct {
	Name    string   // command-line name: "communes"
	File    string   // its file in a reference folder such as ../shared/data: "communes.csv"
	Columns []string // CSV header
	JSON    bool     // also accepts the geo.api.gouv.fr JSON list
	About   string   // what it is, for the command help
	load    func(ctx context.Context, d *db.DB, r io.Reader, f importfile.Format) (importfile.Result, error)
}

// Kinds lists the data sets in dependency order: each one's references come before it.
var Kinds = []Kind{
	{Name: "regions", File: "regions.csv", Columns: geo.RegionColumns, About: "régions (and COM)",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return geo.NewStore(d).ImportRegions(ctx, r)
		}},
	{Name: "departments", File: "departments.csv", Columns: geo.DepartmentColumns, About: "départements (and COM); needs the régions",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return geo.NewStore(d).ImportDepartments(ctx, r)
		}},
	{Name: "communes", File: "communes.csv", Columns: geo.CommuneColumns, JSON: true,
		About: "communes (CSV, or the geo.api.gouv.fr JSON list); needs the départements",
		load: func(ctx context.Context, d *db.DB, r io.Reader, f importfile.Format) (importfile.Result, error) {
			return geo.NewStore(d).ImportCommunes(ctx, r, f)
		}},
	{Name: "arrondissements", File: "arrondissements_municipaux.csv", Columns: geo.ArrondissementColumns,
		About: "municipal arrondissements of Paris, Lyon and Marseille; needs the communes",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return geo.NewStore(d).ImportArrondissements(ctx, r)
		}},
	{Name: "rome-codes", File: "rome_codes.csv", Columns: rome.CodeColumns, About: "ROME codes (métiers)",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return rome.NewStore(d).ImportCodes(ctx, r)
		}},
	{Name: "rome-appellations", File: "rome_appellations.csv", Columns: rome.AppellationColumns,
		About: "ROME appellations (job titles); needs the ROME codes",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return rome.NewStore(d).ImportAppellations(ctx, r)
		}},
	{Name: "naf", File: "naf_codes.csv", Columns: rome.NafColumns, About: "NAF rév. 2 activity codes",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return rome.NewStore(d).ImportNaf(ctx, r)
		}},
	{Name: "asp-departments", File: "asp_departments.csv", Columns: asp.DepartmentColumns,
		About: "ASP départements with their validity periods (internal/asp/data)",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return asp.NewStore(d).ImportDepartments(ctx, r)
		}},
	{Name: "asp-countries", File: "asp_countries.csv", Columns: asp.CountryColumns,
		About: "ASP countries with their group (the demo derives them from the profile's countries of birth)",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return asp.NewStore(d).ImportCountries(ctx, r)
		}},
	{Name: "asp-communes", File: "asp_communes.csv", Columns: slices.Concat(asp.CommuneColumns, asp.CommuneOptional),
		About: "ASP communes with their periods (without the period columns, as in communes.csv: current ones)",
		load: func(ctx context.Context, d *db.DB, r io.Reader, _ importfile.Format) (importfile.Result, error) {
			return asp.NewStore(d).ImportCommunes(ctx, r)
		}},
}

// KindNamed returns the kind with a command-line name.
func KindNamed(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// KindNames lists the command-line names, comma-separated.
func KindNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// Import loads a file of this kind, all or nothing (an importfile.Errors names each bad line).
func (k Kind) Import(ctx context.Context, d *db.DB, r io.Reader, format importfile.Format) (importfile.Result, error) {
	if format == importfile.FormatJSON && !k.JSON {
		return importfile.Result{}, fmt.Errorf("le format json n'est accepté que pour les communes ; %s se charge en CSV", k.Name)
	}
	return k.load(ctx, d, r, format)
}

// ImportFile loads the file at path; an empty format is guessed from its extension.
func (k Kind) ImportFile(ctx context.Context, d *db.DB, path string, format importfile.Format) (importfile.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return importfile.Result{}, fmt.Errorf("impossible d'ouvrir %s : %w", path, err)
	}
	defer f.Close()
	if format == "" {
		format = importfile.FormatOf(path)
	}
	res, err := k.Import(ctx, d, f, format)
	if err != nil {
		return res, fmt.Errorf("%s : %w", filepath.Base(path), err)
	}
	return res, nil
}

// ErrNoFile is returned by ImportDir for a folder without any reference file.
var ErrNoFile = errors.New("aucun fichier de référence dans ce dossier")

// ImportDir imports every reference file found in dir (regions.csv, departments.csv,
// communes.csv, arrondissements_municipaux.csv, rome_codes.csv, rome_appellations.csv,
// naf_codes.csv, asp_departments.csv, asp_countries.csv, asp_communes.csv), in dependency order, each in its own transaction. It stops at the first
// refused file.
func ImportDir(ctx context.Context, d *db.DB, dir string) error {
	return ImportDirFunc(ctx, d, dir, nil)
}

// ImportDirFunc is ImportDir calling done after each imported file (for progress output).
func ImportDirFunc(ctx context.Context, d *db.DB, dir string, done func(Kind, importfile.Result)) error {
	found := 0
	for _, k := range Kinds {
		path := filepath.Join(dir, k.File)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			continue
		}
		found++
		res, err := k.ImportFile(ctx, d, path, importfile.FormatCSV)
		if err != nil {
			return err
		}
		if done != nil {
			done(k, res)
		}
	}
	if found == 0 {
		return fmt.Errorf("%s : %w (attendus : %s)", dir, ErrNoFile, fileNames())
	}
	return nil
}

func fileNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = k.File
	}
	return strings.Join(names, ", ")
}

// LoadDemo loads the demo extract of every data set (a few dozen communes around Lyon,
// Saint-Étienne, Lille and Marseille; 5 ROME codes with their 100 appellations; some NAF codes).
func LoadDemo(ctx context.Context, d *db.DB) error {
	if err := geo.LoadDemo(ctx, d); err != nil {
		return err
	}
	return rome.LoadDemo(ctx, d)
}
