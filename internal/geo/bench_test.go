package geo_test

import (
	"context"
	"testing"

	"emplois/internal/geo"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/importfile"
	"emplois/internal/reference/referencetest"
)

// BenchmarkImportCommunes times the import of the full communes.csv (34,969 rows) into an empty
// table, on each engine (PostgreSQL with TEST_DATABASE_URL). make bench-import runs it.
func BenchmarkImportCommunes(b *testing.B) {
	referencetest.DataDir(b)
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := geo.NewStore(dbtest.Open(b, engine))
				importGeographyFor(b, s)
				f := referencetest.Open(b, "communes.csv")
				b.StartTimer()
				res, err := s.ImportCommunes(context.Background(), f, importfile.FormatCSV)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(res.Duration.Seconds(), "s/import")
				b.ReportMetric(float64(res.Rows), "rows")
			}
		})
	}
}

// cityQueries are what people type, keystroke by keystroke, including the worst prefixes
// ("sa": 5,533 communes have a word starting with it).
var cityQueries = []string{
	"pa", "par", "pari", "paris", "ly", "lyo", "lyon", "ma", "mar", "marseille",
	"sa", "sai", "sain", "saint", "saint e", "saint et", "saint eti", "saint etienne", "Saint-Étienne",
	"st", "sainte", "le", "la", "les", "de", "sur", "ch", "cha", "chateau", "mont", "bourg",
	"to", "tou", "toulouse", "bordeaux", "nan", "nantes", "villeneuve", "villeneuve d", "la rochelle",
	"le mans", "aix en", "saint jean de luz", "saint denis", "rennes", "montpellier", "clermont ferrand",
	"75001", "69", "690", "69003", "13001", "33000", "2a004", "97411", "59", "1",
}

// BenchmarkAutocompleteCities measures the city autocomplete over the full communes on each
// engine, reporting p50/p95/p99 per call. make bench-autocomplete runs it.
func BenchmarkAutocompleteCities(b *testing.B) {
	referencetest.DataDir(b)
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			d := dbtest.Open(b, engine)
			s := geo.NewStore(d)
			importGeographyFor(b, s)
			if _, err := s.ImportCommunes(context.Background(), referencetest.Open(b, "communes.csv"), importfile.FormatCSV); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			referencetest.Latencies(b, cityQueries, 50, func(q string) error {
				_, err := s.SearchCities(context.Background(), q)
				return err
			})
		})
	}
}

func importGeographyFor(b *testing.B, s *geo.Store) {
	b.Helper()
	ctx := context.Background()
	if _, err := s.ImportRegions(ctx, referencetest.Open(b, "regions.csv")); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ImportDepartments(ctx, referencetest.Open(b, "departments.csv")); err != nil {
		b.Fatal(err)
	}
}
