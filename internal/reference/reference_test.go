package reference_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"emplois/internal/geo"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/importfile"
	"emplois/internal/reference"
	"emplois/internal/reference/referencetest"
	"emplois/internal/rome"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportDir_ImportsTheFilesFoundInDependencyOrder(t *testing.T) {
	// Written in reverse dependency order to show that ImportDir orders them itself.
	dir := writeFiles(t, map[string]string{
		"rome_appellations.csv": "code,label,rome_code\n10688,Agent / Agente d'entretien/propreté de locaux,K2204\n",
		"rome_codes.csv":        "code,label\nK2204,Nettoyage de locaux\n",
		"communes.csv":          "insee_code,name,department_code,postal_codes,latitude,longitude,population\n42218,Saint-Étienne,42,42000,45.4241,4.3665,173136\n",
		"departments.csv":       "code,name,region_code,chef_lieu_insee_code,zone\n42,Loire,84,42218,metro\n",
		"regions.csv":           "code,name,chef_lieu_insee_code,zone\n84,Auvergne-Rhône-Alpes,69123,metro\n",
		"zrr.csv":               "insee_code,status\n42218,NC\n",
	})
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		var done []string
		err := reference.ImportDirFunc(context.Background(), d, dir, func(k reference.Kind, res importfile.Result) {
			done = append(done, k.Name)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(done, ","); got != "regions,departments,communes,rome-codes,rome-appellations" {
			t.Errorf("imported %s", got)
		}
		if _, err := geo.NewStore(d).Commune(context.Background(), "42218"); err != nil {
			t.Errorf("commune: %v", err)
		}
		if _, err := rome.NewStore(d).Appellation(context.Background(), "10688"); err != nil {
			t.Errorf("appellation: %v", err)
		}
	})
}

func TestImportDir_StopsAtARefusedFileNamingIt(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"regions.csv":     "code,name,chef_lieu_insee_code,zone\n84,Auvergne-Rhône-Alpes,69123,metro\n",
		"departments.csv": "code,name,region_code,chef_lieu_insee_code,zone\n42,Loire,99,42218,metro\n",
	})
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		err := reference.ImportDir(context.Background(), d, dir)
		want := "departments.csv : ligne 2, champ region_code : « 99 » n'est pas une région connue : importez d'abord les régions"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v, want %s", err, want)
		}
		var errs importfile.Errors
		if !errors.As(err, &errs) || errs[0].Line != 2 {
			t.Errorf("err does not wrap the file's problems: %#v", err)
		}
	})
}

func TestImportDir_RefusesAFolderWithoutReferenceFiles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		err := reference.ImportDir(context.Background(), d, t.TempDir())
		if !errors.Is(err, reference.ErrNoFile) {
			t.Errorf("err = %v, want ErrNoFile", err)
		}
	})
}

func TestKindImport_AcceptsJSONForCommunesOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		k, _ := reference.KindNamed("regions")
		_, err := k.Import(context.Background(), d, strings.NewReader("[]"), importfile.FormatJSON)
		if err == nil || !strings.Contains(err.Error(), "json n'est accepté que pour les communes") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLoadDemo_LoadsGeographyAndJobs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		if list, err := geo.NewStore(d).SearchCities(ctx, "villeurbanne"); err != nil || len(list) != 1 {
			t.Errorf("villeurbanne: %v, %v", list, err)
		}
		if list, err := rome.NewStore(d).SearchAppellations(ctx, "agent entretien"); err != nil || len(list) == 0 {
			t.Errorf("agent entretien: %v, %v", list, err)
		}
	})
}

// TestImportDir_LoadsTheFullData imports ../shared/data whole (skipped when absent). Its time
// is measured by BenchmarkImportDir, not judged here.
func TestImportDir_LoadsTheFullData(t *testing.T) {
	dir := referencetest.DataDir(t)
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		err := reference.ImportDirFunc(context.Background(), d, dir, func(k reference.Kind, res importfile.Result) {
			t.Logf("%-18s %6d rows in %v", k.Name, res.Rows, res.Duration)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, _, communes, _ := geo.NewStore(d).Counts(context.Background())
		if communes != 34969 {
			t.Errorf("%d communes, want 34,969", communes)
		}
	})
}

// BenchmarkImportDir imports ../shared/data whole on each engine and reports the seconds of the
// communes and appellations together (budget: 10 s on SQLite; `make bench-import`).
func BenchmarkImportDir(b *testing.B) {
	dir := referencetest.DataDir(b)
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				d := dbtest.Open(b, engine)
				b.StartTimer()
				var communesAndAppellations float64
				err := reference.ImportDirFunc(context.Background(), d, dir, func(k reference.Kind, res importfile.Result) {
					if k.Name == "communes" || k.Name == "rome-appellations" {
						communesAndAppellations += res.Duration.Seconds()
					}
				})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(communesAndAppellations, "s/communes+appellations")
			}
		})
	}
}
