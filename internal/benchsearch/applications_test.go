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

// The candidature harness run for real on a tiny data set with candidatures: the inbox targets
// (filtered and not) and the XLSX export are measured, so that it cannot rot.
func TestApplicationsHarness_LogsInAMemberOfTheBigInboxSubmitsAndMeasuresOnce(t *testing.T) {
	dir := referencetest.DataDir(t)
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		cfg := tinyDataSet(t, d, dir, seed.Scale{Name: "tiny", Companies: 40, JobDescriptions: 200, Prescribers: 20, JobSeekers: 60, JobApplications: 300})
		big, err := benchsearch.FindBigInbox(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if big.Count < 3 || big.MemberID == 0 || big.JobUID == "" || big.JobSeeker == "" {
			t.Fatalf("big inbox: %+v", big)
		}

		// A member's page answers 200 with the session made for the member, and is skipped without it.
		member := benchsearch.Target{Name: "dashboard", Route: "GET /dashboard", Paths: []string{"/dashboard"}, Member: true}
		opts := benchsearch.Options{Requests: 4, Concurrency: 1, Warmup: 1}
		results, err := benchsearch.Run(ctx, d, cfg, []benchsearch.Target{member}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if results[0].Skipped == "" {
			t.Errorf("a member's page without a session: %+v, want skipped", results[0])
		}
		if opts.Cookie, err = benchsearch.MemberSession(ctx, d, cfg, big.MemberID); err != nil {
			t.Fatal(err)
		}
		results, err = benchsearch.Run(ctx, d, cfg, []benchsearch.Target{member}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r := results[0]; r.Skipped != "" || r.Errors != 0 || r.Requests != 4 {
			t.Errorf("a member's page with the session: %+v", r)
		}

		// The inbox targets are in the table, measured or skipped, and the query count is reported.
		results, err = benchsearch.Run(ctx, d, cfg, benchsearch.InboxTargets(big, time.Now()), opts)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		benchsearch.Print(&out, "tiny", results, opts)
		if !strings.Contains(out.String(), "(f) inbox, state new") || !strings.Contains(benchsearch.QueryCounts(results), "does not grow with the page") {
			t.Errorf("inbox table:\n%s\n%s", out.String(), benchsearch.QueryCounts(results))
		}
		// Now that the inbox exists, every inbox target is measured, filtered or not, without error.
		for _, r := range results {
			if r.Skipped != "" || r.Errors != 0 || r.Requests != 4 {
				t.Errorf("inbox target %q: %+v", r.Target.Name, r)
			}
		}
		export, err := benchsearch.MeasureOnce(ctx, d, cfg, benchsearch.ExportRoute, "/apply/siae/exports/download", opts.Cookie)
		if err != nil || export.Skipped != "" || export.Status != 200 || export.Bytes == 0 {
			t.Errorf("the XLSX export: %+v %v", export, err)
		}

		before, err := d.NewSelect().TableExpr("job_application").Where("to_company_id = ?", big.CompanyID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := benchsearch.BenchSubmit(ctx, d, cfg, big, 3)
		if err != nil {
			t.Fatal(err)
		}
		if sub.Count != 3 || sub.Errors != 0 || sub.P95 <= 0 || sub.P95 < sub.P50 {
			t.Errorf("submissions: %+v", sub)
		}
		after, err := d.NewSelect().TableExpr("job_application").Where("to_company_id = ?", big.CompanyID).Count(ctx)
		if err != nil || after != before+3 {
			t.Errorf("candidatures of the big inbox: %d then %d (%v), want 3 more", before, after, err)
		}

		once, err := benchsearch.MeasureOnce(ctx, d, cfg, benchsearch.ReferenceRoute, "/bench/reference?code=69123", nil)
		if err != nil {
			t.Fatal(err)
		}
		if once.Skipped != "" || once.Status != 200 || once.Bytes == 0 || once.Duration <= 0 {
			t.Errorf("one reference request: %+v", once)
		}
		missing, err := benchsearch.MeasureOnce(ctx, d, cfg, "GET /nowhere", "/nowhere", nil)
		if err != nil || missing.Skipped == "" {
			t.Errorf("a route that does not exist: %+v, %v, want skipped", missing, err)
		}
	})
}
