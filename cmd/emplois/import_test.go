package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"emplois/internal/convention"
	"emplois/internal/geo"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/importfile"
)

// importCLI runs `emplois import ARGS` against the database of DATABASE_URL.
func importCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, _, err := importCLIWithHelp(t, args...)
	return out, err
}

func importCLIWithHelp(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	c, ok := find("import")
	if !ok {
		t.Fatal("import command not registered")
	}
	var out, errOut bytes.Buffer
	err = runImport(context.Background(), c, args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommand_LoadsFilesAndRefusesABadLineWhole(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			t.Setenv("DATABASE_URL", url)
			dir := t.TempDir()
			writeFile(t, dir, "regions.csv", "code,name,chef_lieu_insee_code,zone\n84,Auvergne-Rhône-Alpes,69123,metro\n")
			writeFile(t, dir, "departments.csv", "code,name,region_code,chef_lieu_insee_code,zone\n42,Loire,84,42218,metro\n")
			header := "insee_code,name,department_code,postal_codes,latitude,longitude,population\n"
			good := writeFile(t, dir, "good.csv", header+"42218,Saint-Étienne,42,42000,45.4241,4.3665,173136\n")
			bad := writeFile(t, t.TempDir(), "communes.csv", header+"42207,Saint-Chamond,42,42400,45.4757,4.5143,35646\n42187,Roanne,42,42300,95.2,4.0748,35409\n")

			_, err := importCLI(t, "communes", "--file", good)
			if err == nil || !strings.Contains(err.Error(), "importez d'abord les départements") {
				t.Fatalf("communes before départements: %v", err)
			}
			out, err := importCLI(t, "all", "--dir", dir)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "regions:") || !strings.Contains(out, "departments:") || strings.Contains(out, "communes:") {
				t.Errorf("import all output:\n%s", out)
			}
			if out, err = importCLI(t, "communes", "--file", good, "--format", "csv"); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "communes:") || !strings.Contains(out, "1 rows read:      1 added,      0 updated, in ") {
				t.Errorf("output:\n%s", out)
			}
			_, err = importCLI(t, "communes", "--file", bad)
			var errs importfile.Errors
			if !errors.As(err, &errs) || err.Error() != "communes.csv : ligne 3, champ latitude : « 95.2 » n'est pas une latitude valide (entre -90 et 90)" {
				t.Errorf("bad file: %v", err)
			}

			d, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, _, n, _ := geo.NewStore(d).Counts(context.Background()); n != 1 {
				t.Errorf("%d communes, want the 1 of the good file", n)
			}
		})
	}
}

func TestImportCommand_ExplainsItsOptionsAndRefusesMisuse(t *testing.T) {
	t.Setenv("DATABASE_URL", dbtest.URL(t, db.SQLite))
	_, help, err := importCLIWithHelp(t, "-h")
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	for _, want := range []string{"-file", "-format", "-dir", "geo.api.gouv.fr", "rome-appellations", "file communes.csv, columns: insee_code,name,department_code",
		"asp-communes", "columns: insee_code,name,start_date,end_date,ignored"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "missing KIND"},
		{[]string{"cities", "--file", "x.csv"}, `unknown KIND "cities"`},
		{[]string{"communes"}, "import communes needs --file PATH"},
		{[]string{"all", "--file", "x.csv"}, "import all needs --dir DIR"},
		{[]string{"communes", "--file", "x.csv", "--format", "xml"}, "format « xml » inconnu : csv ou json"},
		{[]string{"regions", "--file", "x.json", "--format", "json"}, "impossible d'ouvrir x.json"},
		{[]string{"all", "--dir", t.TempDir()}, "aucun fichier de référence dans ce dossier"},
	}
	for _, tt := range tests {
		if _, err := importCLI(t, tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("import %q: %v, want %q", tt.args, err, tt.want)
		}
	}
}

func TestImportCommand_LoadsTheASPReferenceAndRefusesABadLineWhole(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			t.Setenv("DATABASE_URL", url)
			out, err := importCLI(t, "asp-departments", "--file", filepath.Join("..", "..", "internal", "asp", "data", "asp_departments.csv"))
			if err != nil || !strings.Contains(out, "asp-departments:") || !strings.Contains(out, "112 rows read:    112 added") {
				t.Fatalf("asp-departments: %v\n%s", err, out)
			}
			dir := t.TempDir()
			good := writeFile(t, dir, "asp_communes.csv", "insee_code,name,start_date,end_date\n42218,Saint-Étienne,1900-01-01,\n")
			if _, err := importCLI(t, "asp-communes", "--file", good); err != nil {
				t.Fatal(err)
			}
			bad := writeFile(t, dir, "bad.csv", "insee_code,name,start_date,end_date\n42207,Saint-Chamond,1900-01-01,\n42218,Saint-Étienne,1950-01-01,\n")
			_, err = importCLI(t, "asp-communes", "--file", bad)
			if err == nil || err.Error() != "bad.csv : ligne 3, champ insee_code : la période de « 42218 » chevauche celle qui commence le 1900-01-01 (déjà chargée) : deux périodes d'un même code ne peuvent se chevaucher" {
				t.Errorf("overlap: %v", err)
			}
			if out, err = importCLI(t, "asp-countries", "--file", writeFile(t, dir, "c.csv", "code,name,group\n99100,France,1\n")); err != nil || !strings.Contains(out, "1 added") {
				t.Errorf("asp-countries: %v\n%s", err, out)
			}
			d, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if n, err := d.NewSelect().TableExpr("asp_commune").Count(context.Background()); err != nil || n != 1 {
				t.Errorf("%d ASP communes, want the 1 of the good file: %v", n, err)
			}
		})
	}
}

func TestImportASPStructures_IsADryRunUnlessWetRunIsGiven(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			t.Setenv("DATABASE_URL", dbtest.URL(t, engine))
			dir := "../../internal/convention/testdata/"
			args := []string{"asp-structures", "--structures", dir + "fluxIAE_Structure_07102022_085817.csv",
				"--annexes", dir + "fluxIAE_AnnexeFinanciere_07102022_063002.csv"}
			out, err := importCLI(t, args...)
			if !errors.Is(err, convention.ErrDryRun) || !strings.Contains(out, "structures have been created") {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			out, err = importCLI(t, append(args, "--wet-run")...)
			if err != nil || !strings.Contains(out, "All done!") {
				t.Fatalf("wet run: %v\n%s", err, out)
			}
			if _, err := importCLI(t, "asp-structures", "--structures", dir+"fluxIAE_Structure_07102022_085817.csv"); err == nil {
				t.Error("a run without --annexes started")
			}
		})
	}
}
