package geo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"emplois/internal/geo"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/searchtext"
)

func searchCodes(t *testing.T, s *geo.Store, q string) []string {
	t.Helper()
	list, err := s.SearchCities(context.Background(), q)
	if err != nil {
		t.Fatalf("SearchCities(%q): %v", q, err)
	}
	codes := make([]string, len(list))
	for i, c := range list {
		codes[i] = c.InseeCode
	}
	return codes
}

func TestSearchCities_FindsCommunesByNamePostalCodeOrInseeCode(t *testing.T) {
	tests := []struct {
		query string
		want  string // INSEE codes in order, comma-separated
	}{
		// Accents, case and hyphens do not matter; the exact name comes first.
		{"saint etienne", "42218,13094,42219"},
		{"SAINT-ÉTIENNE", "42218,13094,42219"},
		{"Saint Etienne le", "42219"},
		{"st etienne", "42218,13094,42219"},
		// Each word prefixes a word of the name; larger communes first.
		{"etienne gres", "13094"},
		{"villeur", "69266"},
		{"ly", "69123"},
		{"lyon", "69123"},
		{"ville", "69266,59009"},
		{"marcq baroeul", "59378"},
		{"Marcq-en-Barœul", "59378"},
		{"d ascq", "59009"},
		// Digits: a postal or INSEE code, exact with 5 digits, a prefix otherwise.
		{"42000", "42218"},
		{"42218", "42218"},
		{"13001", "13055,13001"},
		{"6900", "69123"},
		{"421", "42218,42187,42147,42186,42219"},
		{"lyon 69003", "69123"},
		{"lyon 13", ""},
		// Too short or unknown: nothing.
		{"l", ""},
		{"", ""},
		{"zzzz", ""},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := geo.LoadDemo(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		s := geo.NewStore(d)
		for _, tt := range tests {
			if got := strings.Join(searchCodes(t, s, tt.query), ","); got != tt.want {
				t.Errorf("SearchCities(%q) = %s, want %s", tt.query, got, tt.want)
			}
		}
	})
}

func TestSearchCities_AnswersAtMostTenLargestFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := geo.LoadDemo(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		list, err := geo.NewStore(d).SearchCities(context.Background(), "13")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != geo.MaxResults {
			t.Fatalf("%d results, want %d", len(list), geo.MaxResults)
		}
		if list[0].InseeCode != geo.MarseilleCode {
			t.Errorf("first = %s, want Marseille", list[0].Label())
		}
		for i := 1; i < len(list); i++ {
			if list[i].Population > list[i-1].Population {
				t.Errorf("%s after %s", list[i].Label(), list[i-1].Label())
			}
		}
	})
}

func TestSearchCities_RefusesOverlongQueries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, err := geo.NewStore(d).SearchCities(context.Background(), strings.Repeat("a", 101))
		if !errors.Is(err, searchtext.ErrTooLong) {
			t.Errorf("err = %v, want ErrTooLong", err)
		}
	})
}
