package search_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// BenchmarkSearchPage serves search pages of ten cards (three fiches each) with their filters
// through the whole handler chain, on SQLite and the demo data: mostly the cost of the render.
func BenchmarkSearchPage(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		b.Fatal(err)
	}
	site := webtest.New(b, d)
	communes := []string{"69123", "69266", "69381", "69383"}
	for i := range 40 {
		co := site.CompanyAt(org.CompanyKinds[i%4], fmt.Sprintf("Atelier %02d", i), communes[i%len(communes)])
		for j := range 3 {
			ficheOf(b, site, co, fmt.Sprintf("Poste %d", j))
		}
	}
	h := site.Server.Handler()
	for name, path := range map[string]string{"employers": "/search/employers?city=69123&distance=25",
		"fiches": "/search/job-descriptions?city=69123&distance=25&kinds=ACI"} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("HTTP %d", rec.Code)
				}
			}
		})
	}
}
