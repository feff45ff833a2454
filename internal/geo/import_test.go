package geo_test

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
	"emplois/internal/reference/referencetest"
)

const regionsCSV = `code,name,chef_lieu_insee_code,zone
84,Auvergne-Rhône-Alpes,69123,metro
`

const departmentsCSV = `code,name,region_code,chef_lieu_insee_code,zone
42,Loire,84,42218,metro
69,Rhône,84,69123,metro
`

const communesCSV = `insee_code,name,department_code,postal_codes,latitude,longitude,population
42218,Saint-Étienne,42,42000 42100 42230,45.4241,4.3665,173136
42219,Saint-Étienne-le-Molard,42,42130,45.743,4.0997,1033
69123,Lyon,69,69001 69002 69003 69004 69005 69006 69007 69008 69009,45.758,4.8351,519127
69266,Villeurbanne,69,69100,45.7719,4.8898,163684
`

// withDepartments returns a store whose régions and départements 42 and 69 are loaded.
func withDepartments(t *testing.T, d *db.DB) *geo.Store {
	t.Helper()
	s := geo.NewStore(d)
	ctx := context.Background()
	if _, err := s.ImportRegions(ctx, strings.NewReader(regionsCSV)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportDepartments(ctx, strings.NewReader(departmentsCSV)); err != nil {
		t.Fatal(err)
	}
	return s
}

// importErrors asserts that err lists file problems and returns them.
func importErrors(t *testing.T, err error) importfile.Errors {
	t.Helper()
	var errs importfile.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want importfile.Errors", err)
	}
	return errs
}

func communeCount(t *testing.T, d *db.DB) int64 {
	t.Helper()
	n, err := d.NewSelect().TableExpr("commune").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCommunes_LoadsAndCountsRows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		res, err := s.ImportCommunes(context.Background(), strings.NewReader(communesCSV), importfile.FormatCSV)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 4 || res.Inserted != 4 || res.Updated != 0 {
			t.Errorf("result = %+v, want 4 rows, 4 inserted", res)
		}
		c, err := s.Commune(context.Background(), "42218")
		if err != nil {
			t.Fatal(err)
		}
		want := geo.Commune{InseeCode: "42218", Name: "Saint-Étienne", SearchName: "saint etienne", Slug: "saint-etienne-42",
			DepartmentCode: "42", PostalCodes: geo.PostalCodes{"42000", "42100", "42230"}, Latitude: 45.4241, Longitude: 4.3665, Population: 173136}
		if c.InseeCode != want.InseeCode || c.Name != want.Name || c.SearchName != want.SearchName || c.Slug != want.Slug ||
			c.DepartmentCode != want.DepartmentCode || strings.Join(c.PostalCodes, " ") != "42000 42100 42230" ||
			c.Latitude != want.Latitude || c.Longitude != want.Longitude || c.Population != want.Population || c.ParentCode != "" {
			t.Errorf("commune = %+v\nwant %+v", c, want)
		}
		if got, err := s.CommuneBySlug(context.Background(), "villeurbanne-69"); err != nil || got.InseeCode != "69266" {
			t.Errorf("CommuneBySlug = %+v, %v", got, err)
		}
		if _, err := s.Commune(context.Background(), "99999"); !errors.Is(err, geo.ErrNotFound) {
			t.Errorf("unknown commune: err = %v, want ErrNotFound", err)
		}
	})
}

func TestImportCommunes_IsIdempotentAndUpdatesNames(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		ctx := context.Background()
		if _, err := s.ImportCommunes(ctx, strings.NewReader(communesCSV), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportCommunes(ctx, strings.NewReader(communesCSV), importfile.FormatCSV)
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 0 || res.Updated != 4 || communeCount(t, d) != 4 {
			t.Errorf("second import = %+v with %d communes, want 0 inserted, 4 updated, 4 communes", res, communeCount(t, d))
		}
		renamed := strings.Replace(communesCSV, "Villeurbanne,69,69100", "Villeurbanne-sur-Rhône,69,69100 69101", 1)
		if _, err := s.ImportCommunes(ctx, strings.NewReader(renamed), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		if got := searchCodes(t, s, "villeurbanne rhone"); strings.Join(got, ",") != "69266" {
			t.Errorf("search of the new name = %v, want 69266", got)
		}
		if got := searchCodes(t, s, "69101"); strings.Join(got, ",") != "69266" {
			t.Errorf("search of the new postal code = %v, want 69266", got)
		}
		if got := searchCodes(t, s, "saint etienne"); len(got) != 2 {
			t.Errorf("re-import duplicated or lost words: saint etienne = %v, want 2 communes", got)
		}
	})
}

func TestImportCommunes_RejectsWholeFileOnBadLatitude(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		ctx := context.Background()
		if _, err := s.ImportCommunes(ctx, strings.NewReader(communesCSV), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		// A renamed commune on line 2, a new one on line 4, then a bad latitude on line 6.
		bad := `insee_code,name,department_code,postal_codes,latitude,longitude,population
42218,Saint-Étienne-Nouveau,42,42000,45.4241,4.3665,173136
42219,Saint-Étienne-le-Molard,42,42130,45.743,4.0997,1033
69264,Villefranche-sur-Saône,69,69400,45.9875,4.7262,37185
69123,Lyon,69,69001,45.758,4.8351,519127
69266,Villeurbanne,69,69100,95.2,4.8898,163684
`
		_, err := s.ImportCommunes(ctx, strings.NewReader(bad), importfile.FormatCSV)
		errs := importErrors(t, err)
		want := "ligne 6, champ latitude : « 95.2 » n'est pas une latitude valide (entre -90 et 90)"
		if len(errs) != 1 || errs[0].Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
		if n := communeCount(t, d); n != 4 {
			t.Errorf("%d communes after a refused file, want the 4 of before", n)
		}
		if c, _ := s.Commune(ctx, "42218"); c.Name != "Saint-Étienne" {
			t.Errorf("commune renamed to %q by a refused file", c.Name)
		}
	})
}

func TestImportCommunes_NamesTheLineAndFieldOfEachProblem(t *testing.T) {
	header := "insee_code,name,department_code,postal_codes,latitude,longitude,population\n"
	tests := []struct {
		name, file, want string
	}{
		{"missing column", "insee_code,name,department_code,postal_codes,latitude,population\n42218,Saint-Étienne,42,42000,45.4,173136\n",
			"ligne 1 : colonne manquante dans l'en-tête : « longitude » (en-tête attendu : insee_code,name,department_code,postal_codes,latitude,longitude,population)"},
		{"missing field", header + "42218,Saint-Étienne,42,42000,45.4,4.3\n",
			"ligne 2 : 6 champs au lieu de 7 (une colonne manque ou une virgule est en trop)"},
		{"unknown département", header + "42218,Saint-Étienne,42,42000,45.4,4.3,1\n13055,Marseille,13,13001,43.29,5.37,870000\n",
			"ligne 3, champ department_code : « 13 » n'est pas un département connu : importez d'abord les départements"},
		{"bad INSEE code", header + "4221,Saint-Étienne,42,42000,45.4,4.3,1\n",
			"ligne 2, champ insee_code : « 4221 » n'est pas un code INSEE de commune (5 caractères, par exemple 01001 ou 2A004)"},
		{"empty name", header + "42218,,42,42000,45.4,4.3,1\n", "ligne 2, champ name : valeur manquante"},
		{"bad postal code", header + "42218,Saint-Étienne,42,4200,45.4,4.3,1\n",
			"ligne 2, champ postal_codes : « 4200 » n'est pas un code postal (5 chiffres)"},
		{"bad longitude", header + "42218,Saint-Étienne,42,42000,45.4,est,1\n",
			"ligne 2, champ longitude : « est » n'est pas une longitude valide (entre -180 et 180)"},
		{"negative population", header + "42218,Saint-Étienne,42,42000,45.4,4.3,-5\n",
			"ligne 2, champ population : « -5 » n'est pas une population valide (nombre entier, 0 ou plus)"},
		{"code twice", header + "42218,Saint-Étienne,42,42000,45.4,4.3,1\n42218,Roanne,42,42300,46.0,4.0,1\n",
			"ligne 3, champ insee_code : « 42218 » figure déjà ligne 2"},
		{"broken quote", header + "42218,\"Saint-Étienne,42,42000,45.4,4.3,1\n",
			"ligne 2 : guillemet « \" » manquant ou en trop dans un champ entre guillemets"},
		{"header only", header, "ligne 2 : aucune ligne de données après l'en-tête"},
		{"empty file", "", "ligne 1 : le fichier est vide ; en-tête attendu : insee_code,name,department_code,postal_codes,latitude,longitude,population"},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		for _, tt := range tests {
			_, err := s.ImportCommunes(context.Background(), strings.NewReader(tt.file), importfile.FormatCSV)
			if err == nil || err.Error() != tt.want {
				t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
			}
		}
		if n := communeCount(t, d); n != 0 {
			t.Errorf("%d communes written by refused files", n)
		}
	})
}

func TestImportCommunes_ListsSeveralProblemsAtOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		file := "insee_code,name,department_code,postal_codes,latitude,longitude,population\n" +
			"42218,Saint-Étienne,42,42000,145.4,4.3,1\n" +
			"42207,Roanne,42,42300,46.0,4.0,1\n" +
			"42147,Montbrison,42,42600,45.6,400,1\n"
		_, err := s.ImportCommunes(context.Background(), strings.NewReader(file), importfile.FormatCSV)
		errs := importErrors(t, err)
		if len(errs) != 2 || errs[0].Line != 2 || errs[0].Field != "latitude" || errs[1].Line != 4 || errs[1].Field != "longitude" {
			t.Errorf("errors = %v, want latitude on line 2 and longitude on line 4", err)
		}
	})
}

func TestImportCommunes_AcceptsSemicolonsByteOrderMarkAndDecimalCommas(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		file := "\xef\xbb\xbfinsee_code;name;department_code;postal_codes;latitude;longitude;population\n" +
			"42218;Saint-Étienne;42;42000 42100;45,4241;4,3665;173136\n"
		if _, err := s.ImportCommunes(context.Background(), strings.NewReader(file), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Commune(context.Background(), "42218"); c.Latitude != 45.4241 || c.Longitude != 4.3665 {
			t.Errorf("coordinates = %v, %v", c.Latitude, c.Longitude)
		}
	})
}

func TestImportCommunes_ReadsTheGeoAPIJSON(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		f, err := os.Open(filepath.Join("testdata", "communes.json"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		res, err := s.ImportCommunes(context.Background(), f, importfile.FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 3 {
			t.Errorf("inserted = %d, want 3", res.Inserted)
		}
		c, err := s.Commune(context.Background(), "42218")
		if err != nil {
			t.Fatal(err)
		}
		// centre.coordinates is [longitude, latitude].
		if c.Latitude != 45.4241 || c.Longitude != 4.3665 || c.Population != 173136 || strings.Join(c.PostalCodes, " ") != "42000 42100 42230" {
			t.Errorf("commune = %+v", c)
		}
		if lyon, _ := s.Commune(context.Background(), "69123"); lyon.PostalCodes[0] != "69001" {
			t.Errorf("postal codes not sorted: %v", lyon.PostalCodes)
		}
	})
}

func TestImportCommunes_JSONErrorsNameTheLineAndElement(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"latitude out of range", `[
  {"code": "69123", "nom": "Lyon", "codeDepartement": "69", "codesPostaux": ["69001"], "centre": {"coordinates": [4.8351, 45.758]}},
  {"code": "69266", "nom": "Villeurbanne", "codeDepartement": "69", "codesPostaux": ["69100"],
   "centre": {"coordinates": [4.8898, 145.7719]}}
]`, "ligne 3, élément 2, champ centre.coordinates[1] : « 145.7719 » n'est pas une latitude valide (entre -90 et 90)"},
		{"no centre", `[{"code": "69123", "nom": "Lyon", "codeDepartement": "69", "codesPostaux": []}]`,
			"ligne 1, élément 1, champ centre : coordonnées manquantes : « centre » doit valoir {\"coordinates\": [longitude, latitude]}"},
		{"wrong type", "[\n{\"code\": 69123, \"nom\": \"Lyon\", \"codeDepartement\": \"69\", \"centre\": {\"coordinates\": [4.8, 45.7]}}\n]",
			"ligne 2, élément 1, champ code : valeur de type nombre au lieu de texte"},
		{"unknown département", `[{"code": "13055", "nom": "Marseille", "codeDepartement": "13", "centre": {"coordinates": [5.37, 43.29]}}]`,
			"ligne 1, élément 1, champ codeDepartement : « 13 » n'est pas un département connu : importez d'abord les départements"},
		{"not a list", `{"code": "69123"}`, "ligne 1 : le fichier doit contenir une liste JSON de communes (« [ {…}, … ] »)"},
		{"broken JSON", "[\n{\"code\": \"69123\",\n\"nom\": }\n]", "ligne 2, élément 1 : JSON mal formé à partir de cet élément"},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		for _, tt := range tests {
			_, err := s.ImportCommunes(context.Background(), strings.NewReader(tt.file), importfile.FormatJSON)
			if err == nil || err.Error() != tt.want {
				t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
			}
		}
		if n := communeCount(t, d); n != 0 {
			t.Errorf("%d communes written by refused files", n)
		}
	})
}

func TestImportArrondissements_StoresThemUnderTheirCommune(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withDepartments(t, d)
		ctx := context.Background()
		arr := `insee_code,name,department_code,postal_codes,latitude,longitude,population,commune_code
69381,Lyon 1er Arrondissement,69,69001,45.7701,4.8264,28717,69123
69382,Lyon 2e Arrondissement,69,69002,45.7464,4.8265,29981,69123
`
		_, err := s.ImportArrondissements(ctx, strings.NewReader(arr))
		if msg := "ligne 2, champ commune_code : « 69123 » n'est pas une commune connue : importez d'abord les communes"; err == nil || !strings.HasPrefix(err.Error(), msg) {
			t.Errorf("before the communes: err = %v, want %q", err, msg)
		}
		if _, err := s.ImportCommunes(ctx, strings.NewReader(communesCSV), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportArrondissements(ctx, strings.NewReader(arr)); err != nil {
			t.Fatal(err)
		}
		list, err := s.Arrondissements(ctx, geo.LyonCode)
		if err != nil || len(list) != 2 || !list[0].IsArrondissement() || list[0].Name != "Lyon 1er Arrondissement" {
			t.Fatalf("arrondissements = %+v, %v", list, err)
		}
		if got := searchCodes(t, s, "lyon"); strings.Join(got, ",") != "69123" {
			t.Errorf("city search lists arrondissements: %v, want only 69123", got)
		}
		if _, _, n, _ := s.Counts(ctx); n != 4 {
			t.Errorf("communes counted = %d, want 4 (arrondissements apart)", n)
		}
	})
}

func TestImportDepartments_RefusesUnknownRegion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := geo.NewStore(d)
		_, err := s.ImportDepartments(context.Background(), strings.NewReader(departmentsCSV))
		// No région at all: the first line says it all.
		want := "ligne 2, champ region_code : « 84 » n'est pas une région connue : importez d'abord les régions"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v, want %s", err, want)
		}
	})
}

func TestImportRegions_RefusesUnknownZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, err := geo.NewStore(d).ImportRegions(context.Background(), strings.NewReader("code,name,chef_lieu_insee_code,zone\n84,ARA,69123,outremer\n"))
		want := "ligne 2, champ zone : « outremer » n'est pas une zone connue (metro, drom ou com)"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v, want %s", err, want)
		}
	})
}

func TestLoadDemo_LoadsTheDemoGeographyTwice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for range 2 {
			if err := geo.LoadDemo(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		regions, depts, communes, err := geo.NewStore(d).Counts(ctx)
		if err != nil || regions != 3 || depts != 4 || communes != 40 {
			t.Errorf("counts = %d régions, %d départements, %d communes (%v); want 3, 4, 40", regions, depts, communes, err)
		}
	})
}

// The full data tests read ../shared/data and skip when it is absent.

func importFullGeography(t *testing.T, s *geo.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ImportRegions(ctx, referencetest.Open(t, "regions.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportDepartments(ctx, referencetest.Open(t, "departments.csv")); err != nil {
		t.Fatal(err)
	}
}

func TestImportCommunes_LoadsTheFullFileAndRefusesItWithOneBadLatitude(t *testing.T) {
	dir := referencetest.DataDir(t)
	full, err := os.ReadFile(filepath.Join(dir, "communes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Corrupt the latitude of line 20000 (Rennes-le-Château? whatever is there) in a copy.
	lines := strings.Split(string(full), "\n")
	const badLine = 20000
	fields := strings.Split(lines[badLine-1], ",")
	fields[len(fields)-3] = "95.2"
	lines[badLine-1] = strings.Join(fields, ",")
	corrupted := filepath.Join(t.TempDir(), "communes.csv")
	if err := os.WriteFile(corrupted, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := geo.NewStore(d)
		importFullGeography(t, s)
		ctx := context.Background()
		res, err := s.ImportCommunes(ctx, referencetest.Open(t, "communes.csv"), importfile.FormatCSV)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("34,969 communes imported in %v", res.Duration)
		if res.Inserted != 34969 || communeCount(t, d) != 34969 {
			t.Errorf("result = %+v, %d communes; want 34,969", res, communeCount(t, d))
		}
		f, err := os.Open(corrupted)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, err = s.ImportCommunes(ctx, f, importfile.FormatCSV)
		errs := importErrors(t, err)
		if len(errs) != 1 || errs[0].Line != badLine || errs[0].Field != "latitude" ||
			!strings.Contains(errs[0].Message, "« 95.2 » n'est pas une latitude valide") {
			t.Errorf("err = %v, want line %d, latitude", err, badLine)
		}
		if n := communeCount(t, d); n != 34969 {
			t.Errorf("%d communes after the refused file, want 34,969", n)
		}
		if got := searchCodes(t, s, "saint etienne"); len(got) == 0 || got[0] != "42218" {
			t.Errorf("saint etienne = %v, want 42218 first", got)
		}
	})
}
