package benchsearch_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"emplois/internal/benchsearch"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference/referencetest"
	"emplois/internal/seed"
)

// The harness run for real on a tiny data set with a few requests, so that it cannot rot.
func TestRun_MeasuresEveryTargetAgainstTheReferenceAndSkipsMissingRoutes(t *testing.T) {
	dir := referencetest.DataDir(t)
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		cfg := tinyDataSet(t, d, dir, seed.Scale{Name: "tiny", Companies: 40, JobDescriptions: 200, Prescribers: 20, JobSeekers: 20})
		targets := append(benchsearch.DefaultTargets(),
			benchsearch.Target{Name: "unknown commune", Route: benchsearch.ReferenceRoute, Paths: []string{"/bench/reference?code=00000"}},
			benchsearch.Target{Name: "not built", Route: "GET /nowhere", Paths: []string{"/nowhere"}, Search: true})
		opts := benchsearch.Options{Requests: 12, Concurrency: 2, Warmup: 2}
		results, err := benchsearch.Run(ctx, d, cfg, targets, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(results) != len(targets) {
			t.Fatalf("%d results for %d targets", len(results), len(targets))
		}
		ref := results[0]
		if ref.Errors != 0 || ref.Requests != 12 || ref.P50 <= 0 || ref.P95 < ref.P50 || ref.RPS <= 0 || ref.Ratio != 1 || ref.Bytes == 0 {
			t.Errorf("reference: %+v", ref)
		}
		if len(ref.Queries) != 1 || !strings.Contains(ref.Queries[0].SQL, "69123") {
			t.Errorf("reference page queries: %+v, want the one primary-key query", ref.Queries)
		}
		for _, r := range results[1 : len(results)-2] {
			if r.Skipped == "" && r.Errors > 0 {
				t.Errorf("%s: %d errors (%s)", r.Target.Name, r.Errors, r.FirstError)
			}
		}
		if bad := results[len(results)-2]; bad.Errors != 12 || !strings.Contains(bad.FirstError, "404") {
			t.Errorf("a 404 target: %d errors (%s), want every request counted as an error", bad.Errors, bad.FirstError)
		}
		if !benchsearch.Failed(results) {
			t.Error("Failed ignores the errors")
		}
		if missing := results[len(results)-1]; missing.Skipped == "" || missing.Requests != 0 {
			t.Errorf("a target without route: %+v, want skipped", missing)
		}
		var out bytes.Buffer
		benchsearch.Print(&out, "tiny", results, opts)
		t.Log(out.String())
		for _, want := range []string{"(a) reference: one commune by key", "skipped: no route GET /nowhere", "12 ERRORS", "p95"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, out.String())
			}
		}
		plan, err := benchsearch.Explain(ctx, d, ref.Queries[0].SQL)
		if err != nil || plan == "" {
			t.Errorf("plan of the reference query: %q, %v", plan, err)
		}
	})
}

func TestResult_MissesTheBudgetsOfIssue4(t *testing.T) {
	search := benchsearch.Target{Search: true}
	cases := []struct {
		name string
		r    benchsearch.Result
		want string
	}{
		{"fast enough", benchsearch.Result{Target: search, Requests: 1, P95: 20 * time.Millisecond, Ratio: 0.4}, ""},
		{"slow", benchsearch.Result{Target: search, Requests: 1, P95: 21 * time.Millisecond, Ratio: 0.5}, "p95 > 20 ms"},
		{"low throughput", benchsearch.Result{Target: search, Requests: 1, P95: time.Millisecond, Ratio: 0.39}, "throughput < 40% of the reference"},
		{"the reference itself is not judged", benchsearch.Result{Target: benchsearch.Target{Reference: true}, Requests: 1, P95: time.Second}, ""},
	}
	for _, c := range cases {
		if got := c.r.Misses(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
