package rome_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference/referencetest"
	"emplois/internal/rome"
)

const codesCSV = `code,label
K2204,Nettoyage de locaux
G1602,Personnel de cuisine
`

const appellationsCSV = `code,label,rome_code
10688,Agent / Agente d'entretien/propreté de locaux,K2204
16971,Nettoyeur / Nettoyeuse de locaux,K2204
11573,Commis / Commise de cuisine,G1602
`

func withCodes(t *testing.T, d *db.DB) *rome.Store {
	t.Helper()
	s := rome.NewStore(d)
	if _, err := s.ImportCodes(context.Background(), strings.NewReader(codesCSV)); err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, d *db.DB, table string) int64 {
	t.Helper()
	n, err := d.NewSelect().TableExpr(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportAppellations_LoadsThemWithTheirRomeCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withCodes(t, d)
		ctx := context.Background()
		res, err := s.ImportAppellations(ctx, strings.NewReader(appellationsCSV))
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 3 || res.Inserted != 3 {
			t.Errorf("result = %+v, want 3 inserted", res)
		}
		a, err := s.Appellation(ctx, "10688")
		if err != nil {
			t.Fatal(err)
		}
		if a.Label != "Agent / Agente d'entretien/propreté de locaux" || a.RomeCode != "K2204" || a.Rome == nil || a.Rome.Label != "Nettoyage de locaux" {
			t.Errorf("appellation = %+v (rome %+v)", a, a.Rome)
		}
		if a.DisplayLabel() != "Agent / Agente d'entretien/propreté de locaux (K2204)" {
			t.Errorf("DisplayLabel = %q", a.DisplayLabel())
		}
		if _, err := s.Appellation(ctx, "99999"); !errors.Is(err, rome.ErrNotFound) {
			t.Errorf("unknown appellation: err = %v, want ErrNotFound", err)
		}
	})
}

func TestImportAppellations_IsIdempotentAndRenames(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withCodes(t, d)
		ctx := context.Background()
		for range 2 {
			if _, err := s.ImportAppellations(ctx, strings.NewReader(appellationsCSV)); err != nil {
				t.Fatal(err)
			}
		}
		keys := count(t, d, "rome_appellation_search")
		renamed := strings.Replace(appellationsCSV, "Commis / Commise de cuisine", "Commis / Commise de restaurant", 1)
		res, err := s.ImportAppellations(ctx, strings.NewReader(renamed))
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 0 || res.Updated != 3 || count(t, d, "rome_appellation") != 3 || count(t, d, "rome_appellation_search") != keys {
			t.Errorf("re-import = %+v, %d appellations, %d keys (want %d)", res, count(t, d, "rome_appellation"), count(t, d, "rome_appellation_search"), keys)
		}
		if list, _ := s.SearchAppellations(ctx, "commis cuisine"); len(list) != 0 {
			t.Errorf("old label still found: %v", list)
		}
		if list, _ := s.SearchAppellations(ctx, "commis restaurant"); len(list) != 1 || list[0].Code != "11573" {
			t.Errorf("new label not found: %v", list)
		}
	})
}

func TestImportAppellations_RejectsWholeFileOnUnknownRomeCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withCodes(t, d)
		bad := appellationsCSV + "12345,Plongeur / Plongeuse,G1605\n"
		_, err := s.ImportAppellations(context.Background(), strings.NewReader(bad))
		want := "ligne 5, champ rome_code : « G1605 » n'est pas un code ROME connu : importez d'abord les codes ROME"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v, want %s", err, want)
		}
		if n := count(t, d, "rome_appellation"); n != 0 {
			t.Errorf("%d appellations written by a refused file", n)
		}
	})
}

func TestImport_NamesTheLineAndFieldOfEachProblem(t *testing.T) {
	tests := []struct {
		name    string
		import_ func(*rome.Store, context.Context, string) error
		file    string
		want    string
	}{
		{"bad ROME code", importCodes, "code,label\nK220,Nettoyage\n",
			"ligne 2, champ code : « K220 » n'est pas un code ROME (une lettre et 4 chiffres, par exemple K2204)"},
		{"empty label", importCodes, "code,label\nK2204,\n", "ligne 2, champ label : valeur manquante"},
		{"code twice", importCodes, "code,label\nK2204,A\nK2204,B\n", "ligne 3, champ code : « K2204 » figure déjà ligne 2"},
		{"bad appellation code", importAppellations, "code,label,rome_code\nA10,Agent,K2204\n",
			"ligne 2, champ code : « A10 » n'est pas un code d'appellation (1 à 6 chiffres, par exemple 10200)"},
		{"missing column", importAppellations, "code,label\n10688,Agent\n",
			"ligne 1 : colonne manquante dans l'en-tête : « rome_code » (en-tête attendu : code,label,rome_code)"},
		{"bad NAF level", importNaf, "code,code_compact,level,label\n81,81,section,Services\n",
			"ligne 2, champ level : « section » n'est pas un niveau NAF (division, groupe, classe ou sous-classe)"},
		{"NAF code of another level", importNaf, "code,code_compact,level,label\n81.21,8121,sous-classe,Nettoyage\n",
			"ligne 2, champ code : « 81.21 » n'est pas un code NAF de niveau sous-classe (par exemple 81.21Z)"},
		{"NAF compact code", importNaf, "code,code_compact,level,label\n81.21Z,8121,sous-classe,Nettoyage\n",
			"ligne 2, champ code_compact : « 8121 » devrait valoir 8121Z (le code sans point)"},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := withCodes(t, d)
		for _, tt := range tests {
			if err := tt.import_(s, context.Background(), tt.file); err == nil || err.Error() != tt.want {
				t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
			}
		}
	})
}

func importCodes(s *rome.Store, ctx context.Context, file string) error {
	_, err := s.ImportCodes(ctx, strings.NewReader(file))
	return err
}

func importAppellations(s *rome.Store, ctx context.Context, file string) error {
	_, err := s.ImportAppellations(ctx, strings.NewReader(file))
	return err
}

func importNaf(s *rome.Store, ctx context.Context, file string) error {
	_, err := s.ImportNaf(ctx, strings.NewReader(file))
	return err
}

func TestNaf_FindsDottedAndCompactCodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := rome.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		s := rome.NewStore(d)
		for _, code := range []string{"81.21Z", "8121Z", "8121z"} {
			n, err := s.Naf(ctx, code)
			if err != nil || n.Code != "81.21Z" || n.Level != rome.SousClasse || n.Label != "Nettoyage courant des bâtiments" {
				t.Errorf("Naf(%q) = %+v, %v", code, n, err)
			}
		}
		if _, err := s.Naf(ctx, "99.99Z"); !errors.Is(err, rome.ErrNotFound) {
			t.Errorf("unknown NAF: err = %v", err)
		}
	})
}

func TestLoadDemo_LoadsTheDemoReferentialsTwice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for range 2 {
			if err := rome.LoadDemo(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		codes, appellations, naf, err := rome.NewStore(d).Counts(ctx)
		if err != nil || codes != 5 || appellations != 100 || naf != 18 {
			t.Errorf("counts = %d codes, %d appellations, %d NAF (%v); want 5, 100, 18", codes, appellations, naf, err)
		}
	})
}

func TestImportAppellations_LoadsTheFullFiles(t *testing.T) {
	referencetest.DataDir(t)
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := rome.NewStore(d)
		ctx := context.Background()
		if _, err := s.ImportCodes(ctx, referencetest.Open(t, "rome_codes.csv")); err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportAppellations(ctx, referencetest.Open(t, "rome_appellations.csv"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("11,061 appellations imported in %v", res.Duration)
		if _, err := s.ImportNaf(ctx, referencetest.Open(t, "naf_codes.csv")); err != nil {
			t.Fatal(err)
		}
		codes, appellations, naf, err := s.Counts(ctx)
		if err != nil || codes != 532 || appellations != 11061 || naf != 1707 {
			t.Errorf("counts = %d, %d, %d (%v); want 532, 11,061, 1,707", codes, appellations, naf, err)
		}
	})
}
