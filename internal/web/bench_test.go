package web

import (
	"net/http"
	"strings"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

// withBenchRoutes turns on the reference page of the search benchmark.
func withBenchRoutes(c *config.Config) { c.BenchRoutes = true }

func TestBenchReference_IsAbsentUnlessTheSettingIsOn(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		off := newTestSite(t, d).browser().get("/bench/reference")
		if off.StatusCode != http.StatusNotFound {
			t.Errorf("without EMPLOIS_BENCH_ROUTES: HTTP %d, want 404", off.StatusCode)
		}
		on := newTestSite(t, d, withBenchRoutes).browser()
		res := on.get("/bench/reference")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "<h1>Lyon</h1>") || !strings.Contains(res.Body, "519127 habitants") {
			t.Errorf("reference page: HTTP %d\n%s", res.StatusCode, res.Body)
		}
		if res := on.get("/bench/reference?code=99999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown commune: HTTP %d, want 404", res.StatusCode)
		}
	})
}
