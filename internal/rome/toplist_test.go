package rome

import (
	"context"
	"slices"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference/referencetest"
)

func codesOf(list []Appellation) string {
	codes := make([]string, len(list))
	for i, a := range list {
		codes[i] = a.Code
	}
	return strings.Join(codes, ",")
}

// The precomputed answers of frequent prefixes must be what the query-time search orders (both
// rank alike: appellationLess and appellationOrder).
func TestSearchAppellations_FrequentPrefixesOfTheFullDataAnswerAsTheTypedSearchWould(t *testing.T) {
	referencetest.DataDir(t)
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		if _, err := s.ImportCodes(ctx, referencetest.Open(t, "rome_codes.csv")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportAppellations(ctx, referencetest.Open(t, "rome_appellations.csv")); err != nil {
			t.Fatal(err)
		}
		var prefixes []string
		err := d.NewSelect().TableExpr("rome_appellation_search_top").ColumnExpr("DISTINCT prefix").Scan(ctx, &prefixes)
		if err != nil || len(prefixes) == 0 {
			t.Fatalf("frequent prefixes: %v, %v", prefixes, err)
		}
		slices.Sort(prefixes)
		for i := 0; i < len(prefixes); i += 5 {
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
	})
}
