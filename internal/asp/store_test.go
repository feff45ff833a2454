package asp_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"emplois/internal/asp"
	"emplois/internal/geo"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// A commune renamed on 2019-01-01 (two periods of one code), one that ceased on 2016-01-01, an
// overseas one and an ignored one; fictitious names, real shapes.
const communesCSV = `insee_code,name,start_date,end_date,ignored
01001,Ancienne-Commune,1943-01-01,2019-01-01,
01001,Nouvelle-Commune,2019-01-01,,
01002,Commune-Disparue,1943-01-01,2016-01-01,false
97411,Saint-Denis,1900-01-01,,
2a004,Ajaccio,1976-01-01,,
75056,Paris,1900-01-01,,true
`

const departmentsCSV = `code,name,start_date,end_date
20,Corse,1900-01-01,1976-01-01
2A,Corse-du-Sud,1976-01-01,
974,La Réunion,1900-01-01,
`

func loaded(t *testing.T, d *db.DB) *asp.Store {
	t.Helper()
	s := asp.NewStore(d)
	ctx := context.Background()
	if _, err := s.ImportCommunes(ctx, strings.NewReader(communesCSV)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportDepartments(ctx, strings.NewReader(departmentsCSV)); err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	n, err := d.NewSelect().TableExpr(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// checkAt checks a lookup by code and day: the name found, or not found when want is "".
func checkAt(t *testing.T, what, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && !errors.Is(err, asp.ErrNotFound):
		t.Errorf("%s: %q, %v; want not found", what, name, err)
	case want != "" && (err != nil || name != want):
		t.Errorf("%s: %q, %v; want %q", what, name, err, want)
	}
}

func TestCommuneAt_PicksThePeriodThatHoldsTheDay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := loaded(t, d)
		ctx := context.Background()
		for _, tc := range []struct {
			code, at, want string // want "" = not found
		}{
			{"01001", "1942-12-31", ""}, // the day before the first start
			{"01001", "1943-01-01", "Ancienne-Commune"},
			{"01001", "2018-12-31", "Ancienne-Commune"}, // the last day of the first period
			{"01001", "2019-01-01", "Nouvelle-Commune"}, // its end is the next one's start
			{"01001", "2026-12-03", "Nouvelle-Commune"}, // current: no end
			{"01002", "2015-12-31", "Commune-Disparue"},
			{"01002", "2016-01-01", ""}, // the day it ended, with no successor
			{"2A004", "1976-01-01", "Ajaccio"},
			{"97411", "1960-05-04", "Saint-Denis"},
			{"75056", "1990-01-01", "Paris"}, // ignored communes are still found by code
			{"99999", "2000-01-01", ""},
		} {
			c, err := s.CommuneAt(ctx, tc.code, day(tc.at))
			checkAt(t, tc.code+" on "+tc.at, c.Name, err, tc.want)
		}
		// A time of day, in any zone, counts as its calendar day.
		late := time.Date(2018, 12, 31, 23, 30, 0, 0, time.FixedZone("UTC-10", -10*3600))
		if c, err := s.CommuneAt(ctx, "01001", late); err != nil || c.Name != "Ancienne-Commune" {
			t.Errorf("late on the last day: %q, %v", c.Name, err)
		}
	})
}

func TestDepartmentAt_CorsicaSplitIn1976(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := loaded(t, d)
		ctx := context.Background()
		for _, tc := range []struct{ code, at, want string }{
			{"20", "1975-12-31", "Corse"},
			{"20", "1976-01-01", ""},
			{"2A", "1975-12-31", ""},
			{"2A", "1976-01-01", "Corse-du-Sud"},
			{"974", "2026-12-03", "La Réunion"},
		} {
			dep, err := s.DepartmentAt(ctx, tc.code, day(tc.at))
			checkAt(t, tc.code+" on "+tc.at, dep.Name, err, tc.want)
		}
	})
}

func TestImportCommunes_RefusesOverlappingPeriodsWithTheLine(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := asp.NewStore(d)
		ctx := context.Background()
		_, err := s.ImportCommunes(ctx, strings.NewReader(`insee_code,name,start_date,end_date
01001,Avant,1943-01-01,2019-01-02
01002,Autre,1943-01-01,
01001,Après,2019-01-01,
`))
		if err == nil || err.Error() != "ligne 4, champ insee_code : la période de « 01001 » chevauche celle qui commence le 1943-01-01 (ligne 2) : deux périodes d'un même code ne peuvent se chevaucher" {
			t.Errorf("err = %v", err)
		}
		if n := count(t, d, "asp_commune"); n != 0 {
			t.Errorf("%d communes written by a refused file", n)
		}

		// Against a period already loaded: a current one cannot get a later period without an end.
		loaded(t, d)
		_, err = s.ImportCommunes(ctx, strings.NewReader("insee_code,name,start_date,end_date\n97411,Saint-Denis,2020-01-01,\n"))
		if err == nil || !strings.Contains(err.Error(), "ligne 2, champ insee_code : la période de « 97411 » chevauche celle qui commence le 1900-01-01 (déjà chargée)") {
			t.Errorf("err = %v", err)
		}
		// The same start twice in one file.
		_, err = s.ImportCommunes(ctx, strings.NewReader("insee_code,name,start_date\n97411,A,1900-01-01\n97411,B,1900-01-01\n"))
		if err == nil || err.Error() != "ligne 3, champ start_date : « 97411 » débute déjà le 1900-01-01 ligne 2" {
			t.Errorf("err = %v", err)
		}
	})
}

func TestImportCommunes_ABadLineRefusesTheFileAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := loaded(t, d)
		before := count(t, d, "asp_commune")
		for _, tc := range []struct{ file, want string }{
			{"insee_code,name,start_date,end_date\n01003,Bonne,2000-01-01,\n0100,Mauvaise,2000-01-01,\n",
				"ligne 3, champ insee_code : « 0100 » n'est pas un code INSEE de commune (5 caractères, par exemple 69123 ou 2A004)"},
			{"insee_code,name,start_date,end_date\n01003,Bonne,2000-01-01,\n01004,Datée,01/01/2000,\n",
				"ligne 3, champ start_date : « 01/01/2000 » n'est pas une date AAAA-MM-JJ"},
			{"insee_code,name,start_date,end_date\n01004,Courte,2000-01-01,2000-01-01\n",
				"ligne 2, champ end_date : la fin de validité « 2000-01-01 » doit être après le début « 2000-01-01 » (la période va du début inclus à la fin exclue)"},
			{"insee_code,name,ignored\n01004,Ignorée,peut-être\n",
				"ligne 2, champ ignored : « peut-être » n'est ni true ni false"},
			{"code,name\n01004,Sans colonne\n",
				"ligne 1 : colonne manquante dans l'en-tête : « insee_code » (en-tête attendu : insee_code,name)"},
		} {
			_, err := s.ImportCommunes(context.Background(), strings.NewReader(tc.file))
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v\nwant %s", err, tc.want)
			}
		}
		if n := count(t, d, "asp_commune"); n != before {
			t.Errorf("%d communes, want %d: a refused file wrote", n, before)
		}
	})
}

func TestImportCommunes_IsIdempotentAndUpdatesByCodeAndStart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := loaded(t, d)
		ctx := context.Background()
		res, err := s.ImportCommunes(ctx, strings.NewReader(communesCSV))
		if err != nil || res.Rows != 6 || res.Inserted != 0 || res.Updated != 6 {
			t.Fatalf("second import: %+v, %v", res, err)
		}
		if n := count(t, d, "asp_commune"); n != 6 {
			t.Errorf("%d communes after a second import, want 6", n)
		}
		// A current period may be closed later, and its successor added, by one file.
		res, err = s.ImportCommunes(ctx, strings.NewReader("insee_code,name,start_date,end_date\n97411,Saint-Denis,1900-01-01,2030-01-01\n97411,Saint-Denis-Nouvelle,2030-01-01,\n"))
		if err != nil || res.Inserted != 1 || res.Updated != 1 {
			t.Fatalf("closing a period: %+v, %v", res, err)
		}
		if c, err := s.CommuneAt(ctx, "97411", day("2030-01-01")); err != nil || c.Name != "Saint-Denis-Nouvelle" {
			t.Errorf("after the change: %q, %v", c.Name, err)
		}
	})
}

func TestImportCommunes_AReferenceFileWithoutPeriodsGivesCurrentCommunes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := asp.NewStore(d)
		ctx := context.Background()
		// The columns of ../shared/data/communes.csv: the extra ones are ignored.
		res, err := s.ImportCommunes(ctx, strings.NewReader(`insee_code,name,department_code,postal_codes,latitude,longitude,population
42218,Saint-Étienne,42,42000 42100,45.4241,4.3665,173136
`))
		if err != nil || res.Inserted != 1 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		c, err := s.CommuneAt(ctx, "42218", asp.ReferenceStart)
		if err != nil || !c.Current() || c.SearchName != "saint etienne" || c.DepartmentCode() != "042" {
			t.Errorf("commune: %+v, %v", c, err)
		}
	})
}

func TestSearchCommunes_ByNameOrCodeAtADayWithoutIgnoredOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := loaded(t, d)
		ctx := context.Background()
		names := func(q, at string) string {
			list, err := s.SearchCommunes(ctx, q, day(at), 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range list {
				out = append(out, c.Code+" "+c.Name)
			}
			return strings.Join(out, ", ")
		}
		for _, tc := range []struct{ q, at, want string }{
			{"ancienne", "2000-01-01", "01001 Ancienne-Commune"},
			{"ancienne", "2019-01-01", ""},
			{"Nouvelle-Com", "2019-01-01", "01001 Nouvelle-Commune"},
			{"SAINT DEN", "2026-12-03", "97411 Saint-Denis"},
			{"commune", "2010-01-01", "01002 Commune-Disparue"}, // a name's start, not Ancienne-Commune
			{"nouvelle", "2010-01-01", ""},                      // not yet
			{"0100", "2010-01-01", "01001 Ancienne-Commune, 01002 Commune-Disparue"},
			{"2a0", "2010-01-01", "2A004 Ajaccio"},
			{"paris", "2010-01-01", ""}, // ignored
			{"a", "2010-01-01", ""},     // too short
		} {
			if got := names(tc.q, tc.at); got != tc.want {
				t.Errorf("search %q on %s = %q, want %q", tc.q, tc.at, got, tc.want)
			}
		}
	})
}

func TestImportCountries_ByASPOrINSEECodeWithTheirGroup(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := asp.NewStore(d)
		ctx := context.Background()
		file := "code,name,group,department_code\n99100,France,1,\n109,Allemagne,2,\n99350,Maroc,3,099\n"
		if _, err := s.ImportCountries(ctx, strings.NewReader(file)); err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportCountries(ctx, strings.NewReader(file))
		if err != nil || res.Inserted != 0 || res.Updated != 3 {
			t.Errorf("second import: %+v, %v", res, err)
		}
		for _, tc := range []struct {
			code, name string
			group      asp.CountryGroup
			dep        string
		}{
			{"100", "France", asp.GroupFrance, "098"},
			{"99109", "Allemagne", asp.GroupEU, "098"},
			{"350", "Maroc", asp.GroupNotInEU, "099"},
		} {
			c, err := s.CountryByCode(ctx, tc.code)
			if err != nil || c.Name != tc.name || c.Group != tc.group || c.DepartmentCode != tc.dep {
				t.Errorf("%s: %+v, %v", tc.code, c, err)
			}
		}
		if _, err := s.CountryByCode(ctx, "99999"); !errors.Is(err, asp.ErrNotFound) {
			t.Errorf("unknown country: %v", err)
		}
		_, err = s.ImportCountries(ctx, strings.NewReader("code,name,group\n132,Royaume-Uni,3\n134,Espagne,1\n"))
		if err == nil || err.Error() != "ligne 3, champ group : seule la France (100) est du groupe 1" {
			t.Errorf("err = %v", err)
		}
		if n := count(t, d, "asp_country"); n != 3 {
			t.Errorf("%d countries after a refused file, want 3", n)
		}
	})
}

func TestLoadDemo_LoadsTheEmbeddedDataAndEveryGeoCommuneOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := geo.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		geoCommunes := count(t, d, "commune")
		for range 2 {
			if err := asp.LoadDemo(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		s := asp.NewStore(d)
		if dep, err := s.DepartmentAt(ctx, "78", day("1967-12-31")); err != nil || dep.Name != "Seine-et-Oise" {
			t.Errorf("78 in 1967: %q, %v", dep.Name, err)
		}
		if dep, err := s.DepartmentAt(ctx, "976", day("2026-12-03")); err != nil || dep.Name != "Mayotte" {
			t.Errorf("976: %q, %v", dep.Name, err)
		}
		if c, err := s.CountryByCode(ctx, "99350"); err != nil || c.Name != "Maroc" || c.Group != asp.GroupNotInEU {
			t.Errorf("Maroc: %+v, %v", c, err)
		}
		if c, err := s.CountryByCode(ctx, "127"); err != nil || c.Group != asp.GroupEU {
			t.Errorf("Italie: %+v, %v", c, err)
		}
		if n := count(t, d, "asp_commune"); n != geoCommunes || n < 40 {
			t.Errorf("%d ASP communes for %d communes and arrondissements", n, geoCommunes)
		}
		if c, err := s.CommuneAt(ctx, "69381", day("1950-01-01")); err != nil || c.Name == "" {
			t.Errorf("Lyon 1er arrondissement: %+v, %v", c, err)
		}
		list, err := s.Countries(ctx)
		if err != nil || len(list) < 200 || list[0].Code != asp.FranceCode || list[0].Group != asp.GroupFrance {
			t.Errorf("countries: %d, %v", len(list), err)
		}
	})
}
