package geo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/importfile"
	"emplois/internal/reference/referencetest"
)

func codesOf(list []Commune) string {
	codes := make([]string, len(list))
	for i, c := range list {
		codes[i] = c.InseeCode
	}
	return strings.Join(codes, ",")
}

// assertTopListsMatchTypedSearch checks that the precomputed answers of frequent prefixes are
// what the query-time search orders (both must rank alike: cityLess and cityOrder).
func assertTopListsMatchTypedSearch(t *testing.T, s *Store, every int) {
	t.Helper()
	ctx := context.Background()
	var prefixes []string
	err := s.db.NewSelect().TableExpr("commune_search_top").ColumnExpr("DISTINCT prefix").Scan(ctx, &prefixes)
	if err != nil {
		t.Fatal(err)
	}
	if len(prefixes) == 0 {
		t.Fatal("no frequent prefix")
	}
	slices.Sort(prefixes)
	for i := 0; i < len(prefixes); i += every {
		p := prefixes[i]
		top, err := s.searchTop(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		typed, err := s.searchTyped(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != MaxResults || codesOf(top) != codesOf(typed) {
			t.Errorf("prefix %q: top list %s, typed search %s", p, codesOf(top), codesOf(typed))
		}
	}
}

func TestSearchCities_FrequentPrefixesAnswerAsTheTypedSearchWould(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		// 120 more "Saint-…" communes of the Loire make "sa", "saint"… and "42" frequent.
		var b strings.Builder
		b.WriteString("insee_code,name,department_code,postal_codes,latitude,longitude,population\n")
		for i := range 120 {
			fmt.Fprintf(&b, "42%03d,Saint-%c%c,42,42%03d,45.5,4.3,%d\n", 300+i, 'a'+i/26, 'a'+i%26, 500+i, (i*37)%500)
		}
		s := NewStore(d)
		if _, err := s.ImportCommunes(ctx, strings.NewReader(b.String()), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		assertTopListsMatchTypedSearch(t, s, 1)
		list, err := s.SearchCities(ctx, "saint")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != MaxResults || list[0].InseeCode != "42218" {
			t.Errorf("saint = %s, want Saint-Étienne (42218) first", codesOf(list))
		}
	})
}

func TestSearchCities_FrequentPrefixesOfTheFullDataAnswerAsTheTypedSearchWould(t *testing.T) {
	referencetest.DataDir(t)
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		if _, err := s.ImportRegions(ctx, referencetest.Open(t, "regions.csv")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportDepartments(ctx, referencetest.Open(t, "departments.csv")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportCommunes(ctx, referencetest.Open(t, "communes.csv"), importfile.FormatCSV); err != nil {
			t.Fatal(err)
		}
		assertTopListsMatchTypedSearch(t, s, 7)
	})
}
