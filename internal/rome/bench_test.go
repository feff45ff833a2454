package rome_test

import (
	"context"
	"testing"

	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference/referencetest"
	"emplois/internal/rome"
)

// BenchmarkImportAppellations times the import of the full rome_appellations.csv (11,061 rows)
// into an empty table, on each engine (PostgreSQL with TEST_DATABASE_URL). make bench-import runs it.
func BenchmarkImportAppellations(b *testing.B) {
	referencetest.DataDir(b)
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := rome.NewStore(dbtest.Open(b, engine))
				if _, err := s.ImportCodes(context.Background(), referencetest.Open(b, "rome_codes.csv")); err != nil {
					b.Fatal(err)
				}
				f := referencetest.Open(b, "rome_appellations.csv")
				b.StartTimer()
				res, err := s.ImportAppellations(context.Background(), f)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(res.Duration.Seconds(), "s/import")
				b.ReportMetric(float64(res.Rows), "rows")
			}
		})
	}
}

// jobQueries are what people type, keystroke by keystroke.
var jobQueries = []string{
	"ag", "age", "agen", "agent", "agent e", "agent ent", "agent entretien", "agent d entretien",
	"de", "co", "con", "conducteur", "conducteur de", "chauffeur", "chauffeur livreur",
	"cu", "cui", "cuisinier", "serveur", "vendeur", "vendeuse", "caissier", "menage", "aide a domicile",
	"aide soignant", "manutentionnaire", "preparateur de commandes", "magasinier", "cariste",
	"macon", "plombier", "electricien", "jardinier", "paysagiste", "nettoyage", "agent de proprete",
	"k2204", "k22", "n1103", "secretaire", "comptable", "developpeur", "infirmier", "educateur",
	"animateur", "technicien", "ingenieur", "responsable", "chef", "chef de", "chef d equipe",
}

// BenchmarkAutocompleteJobs measures the appellation autocomplete over the full data on each
// engine, reporting p50/p95/p99 per call. make bench-autocomplete runs it.
func BenchmarkAutocompleteJobs(b *testing.B) {
	referencetest.DataDir(b)
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			s := rome.NewStore(dbtest.Open(b, engine))
			ctx := context.Background()
			if _, err := s.ImportCodes(ctx, referencetest.Open(b, "rome_codes.csv")); err != nil {
				b.Fatal(err)
			}
			if _, err := s.ImportAppellations(ctx, referencetest.Open(b, "rome_appellations.csv")); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			referencetest.Latencies(b, jobQueries, 50, func(q string) error {
				_, err := s.SearchAppellations(ctx, q)
				return err
			})
		})
	}
}
