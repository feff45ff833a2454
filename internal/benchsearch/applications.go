package benchsearch

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"emplois/internal/app"
	"emplois/internal/application"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/session"
	"emplois/internal/web"
	"emplois/internal/web/page"
)

// Budgets of issue 9 (`make bench-applications`).
const (
	MaxInboxP95  = 20 * time.Millisecond
	MaxSubmitP95 = 30 * time.Millisecond
	MaxExport    = 3 * time.Second
)

// InboxRoute is the employer's list of candidatures.
const InboxRoute = "GET /apply/siae/list"

// BigInbox is the employer of the national data set that receives BigInboxShare of the
// candidatures, and what the targets need of it.
type BigInbox struct {
	CompanyID  int64
	CompanyUID string
	Kind       string
	Count      int
	MemberID   int64  // an active member
	JobUID     string // an active fiche de poste
	JobSeeker  string // public id of a job seeker who applied there
}

// FindBigInbox returns the employer with the most candidatures.
func FindBigInbox(ctx context.Context, d *db.DB) (*BigInbox, error) {
	b := &BigInbox{}
	var err error
	if b.CompanyID, b.Count, err = topCompany(ctx, d, "count(*)", "TRUE"); err != nil {
		return nil, fmt.Errorf("benchsearch: big inbox: %w", err)
	}
	if b.CompanyUID, b.Kind, b.MemberID, err = describeCompany(ctx, d, b.CompanyID); err != nil {
		return nil, err
	}
	err = d.NewSelect().TableExpr("job_description").Column("uid").Where("company_id = ?", b.CompanyID).
		Where("is_active").OrderExpr("id").Limit(1).Scan(ctx, &b.JobUID)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: big inbox fiche de poste: %w", err)
	}
	err = d.NewSelect().TableExpr("job_application AS ja").ColumnExpr("u.public_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").Where("ja.to_company_id = ?", b.CompanyID).
		OrderExpr("ja.id").Limit(1).Scan(ctx, &b.JobSeeker)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: big inbox job seeker: %w", err)
	}
	return b, nil
}

// InboxTargets are the inbox of the big employer unfiltered and filtered (state new, the last
// 30 days, one job seeker), next to the reference page. They need a session of a member of the
// employer (Target.Member).
func InboxTargets(b *BigInbox, today time.Time) []Target {
	from := today.AddDate(0, 0, -30).Format(time.DateOnly)
	to := today.Format(time.DateOnly)
	q := func(v url.Values) []string { return []string{"/apply/siae/list?" + v.Encode()} }
	return []Target{
		{Name: "(a) reference: one commune by key", Route: ReferenceRoute, Paths: []string{"/bench/reference?code=" + Lyon}, Reference: true},
		{Name: "(f) inbox of the big employer", Route: InboxRoute, Search: true, Member: true, Paths: q(url.Values{})},
		{Name: "(f) inbox, state new", Route: InboxRoute, Search: true, Member: true, Paths: q(url.Values{"states": {"new"}})},
		{Name: "(f) inbox, last 30 days", Route: InboxRoute, Search: true, Member: true,
			Paths: q(url.Values{"start_date": {from}, "end_date": {to}})},
		{Name: "(f) inbox, one job seeker", Route: InboxRoute, Search: true, Member: true,
			Paths: q(url.Values{"job_seeker": {b.JobSeeker}})},
	}
}

// SubmitResult is the timing of Service.Submit for distinct job seekers.
type SubmitResult struct{ Timing }

// Timing is the timing of in-process calls of a service, one after the other: those that
// succeeded (Count) and the errors of the others.
type Timing struct {
	Count    int
	Errors   int
	First    string
	P50, P95 time.Duration
	times    []time.Duration
}

// time runs call and records its duration, or its error.
func (t *Timing) time(call func() error) {
	start := time.Now()
	if err := call(); err != nil {
		t.Errors++
		if t.First == "" {
			t.First = err.Error()
		}
		return
	}
	t.times = append(t.times, time.Since(start))
	t.Count = len(t.times)
	t.P50, t.P95 = percentiles(t.times)
}

// print writes the line of the timing against its budget; what says what was counted.
func (t *Timing) print(w io.Writer, name, what string, budget time.Duration) {
	note := ""
	if t.P95 > budget {
		note = fmt.Sprintf("MISSES: p95 > %d ms", budget.Milliseconds())
	}
	if t.Errors > 0 {
		note += fmt.Sprintf(" %d ERRORS (first: %s)", t.Errors, t.First)
	}
	fmt.Fprintf(w, "%-48s %9s %9s %s, budget p95 <= %d ms %s\n", name, ms(t.P50), ms(t.P95), what, budget.Milliseconds(), note)
}

// BenchSubmit times n submissions to the big employer, in-process, each by a member of a
// prescriber organization for a distinct job seeker who never applied there (so that the
// 24-hour rule does not refuse them). The candidatures stay in the database: the next run
// picks other job seekers.
func BenchSubmit(ctx context.Context, d *db.DB, cfg config.Config, b *BigInbox, n int) (*SubmitResult, error) {
	svc, err := app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	var pro struct {
		UserID int64  `bun:"user_id"`
		OrgID  int64  `bun:"organization_id"`
		UID    string `bun:"uid"`
	}
	err = d.NewSelect().TableExpr("prescriber_membership AS m").ColumnExpr("m.user_id, m.organization_id, po.uid").
		Join("JOIN prescriber_organization AS po ON po.id = m.organization_id").
		Join("JOIN users AS u ON u.id = m.user_id").Where("m.is_active").Where("u.is_active").
		OrderExpr("m.user_id").Limit(1).Scan(ctx, &pro)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: a prescriber: %w", err)
	}
	var seekers []string
	err = d.NewSelect().TableExpr("users AS u").Column("u.public_id").Where("u.kind = ?", string(actor.JobSeeker)).
		Where("u.is_active").
		Where("NOT EXISTS (SELECT 1 FROM job_application AS ja WHERE ja.job_seeker_id = u.id AND ja.to_company_id = ?)", b.CompanyID).
		OrderExpr("u.id DESC").Limit(int64(n)).Scan(ctx, &seekers)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: job seekers: %w", err)
	}
	a := actor.Actor{UserID: pro.UserID, Kind: actor.Professional, ClientIP: "127.0.0.1",
		Organization: &actor.Organization{Type: "prescriber", ID: pro.OrgID, UID: pro.UID}}
	res := &SubmitResult{}
	for _, js := range seekers {
		res.time(func() error {
			_, err := svc.Applications.Submit(ctx, a, application.SubmitInput{CompanyUID: b.CompanyUID, JobSeekerPublicID: js,
				JobUIDs: []string{b.JobUID}, Message: "Candidature envoyée par le banc d'essai."})
			return err
		})
	}
	return res, nil
}

// PrintSubmit writes the submission line.
func PrintSubmit(w io.Writer, r *SubmitResult) {
	r.print(w, "(g) Submit, distinct job seekers", fmt.Sprintf("%d submissions in-process", r.Count), MaxSubmitP95)
}

// Session keys of a logged-in user, as internal/web/page writes them at login (StartSession).
const (
	sessionUserID  = "account.user_id"
	sessionAuthAt  = "account.auth_at"
	sessionVersion = "account.session_version"
)

// MemberSession stores a session of the user in the session table, as a login would, and
// returns its cookie. A page answering something else than 200 with it shows as an error of
// its target.
func MemberSession(ctx context.Context, d *db.DB, cfg config.Config, userID int64) (*http.Cookie, error) {
	var version int
	if err := d.NewSelect().TableExpr("users").Column("session_version").Where("id = ?", userID).Scan(ctx, &version); err != nil {
		return nil, fmt.Errorf("benchsearch: session of %d: %w", userID, err)
	}
	m := session.NewManager(cfg, d)
	sctx, err := m.Load(ctx, "")
	if err != nil {
		return nil, err
	}
	m.Put(sctx, sessionUserID, userID)
	m.Put(sctx, sessionAuthAt, time.Now().Unix())
	m.Put(sctx, sessionVersion, version)
	token, _, err := m.Commit(sctx)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: session: %w", err)
	}
	return &http.Cookie{Name: session.CookieName, Value: token}, nil
}

// ExportRoute is the download of all the candidatures of the employer as XLSX.
const ExportRoute = "GET /apply/siae/exports/download"

// OnceResult is one request measured alone: its time (client side, the whole answer read), the
// size of the answer and the peak of the heap in use while it ran, above the heap before it.
type OnceResult struct {
	Skipped  string
	Status   int
	Duration time.Duration
	Bytes    int
	PeakHeap uint64
}

// MeasureOnce serves the site over d and requests path once with the cookie, sampling the
// memory every 5 ms (runtime.MemStats) while it runs.
func MeasureOnce(ctx context.Context, d *db.DB, cfg config.Config, route, path string, cookie *http.Cookie) (*OnceResult, error) {
	svc, err := app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	s, err := web.New(svc)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(s.Routes(), func(r page.Route) bool { return r.Pattern == route }) {
		return &OnceResult{Skipped: "no route " + route + " (yet)"}, nil
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{Timeout: 5 * time.Minute}
	if cookie != nil {
		ctx = context.WithValue(ctx, cookieKey{}, cookie)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	start := time.Now()
	status, n, err := get(ctx, client, srv.URL+path)
	res := &OnceResult{Status: status, Duration: time.Since(start), Bytes: n}
	close(done)
	<-sampled
	if p := peak.Load(); p > before.HeapInuse {
		res.PeakHeap = p - before.HeapInuse
	}
	return res, err
}

// PrintOnce writes the line of a request measured alone against its budget.
func PrintOnce(w io.Writer, name string, r *OnceResult, budget time.Duration) {
	if r.Skipped != "" {
		fmt.Fprintf(w, "%-48s skipped: %s\n", name, r.Skipped)
		return
	}
	note := ""
	if r.Status != http.StatusOK {
		note = fmt.Sprintf("ERROR: HTTP %d ", r.Status)
	}
	if r.Duration > budget {
		note += fmt.Sprintf("MISSES: > %s", budget)
	}
	fmt.Fprintf(w, "%-48s %9s %d bytes, peak heap +%.1f MiB, budget %s %s\n", name, ms(r.Duration), r.Bytes,
		float64(r.PeakHeap)/(1<<20), budget, note)
}

// QueryCounts reports the statements of the unfiltered inbox (a full page) and of the inbox of
// one job seeker (a row or two): the count must not grow with the rows of the page.
func QueryCounts(results []Result) string {
	var full, one *Result
	for i := range results {
		r := &results[i]
		if r.Skipped != "" || r.Writes != nil {
			continue
		}
		switch r.Target.Name {
		case "(f) inbox of the big employer":
			full = r
		case "(f) inbox, one job seeker":
			one = r
		}
	}
	if full == nil || one == nil {
		return "query count per inbox request: not measured (inbox skipped)"
	}
	verdict := "does not grow with the page"
	if len(full.Queries) > len(one.Queries) {
		verdict = "GROWS with the rows of the page"
	}
	return fmt.Sprintf("query count per inbox request: %d statements for a full page, %d for one job seeker's rows: %s",
		len(full.Queries), len(one.Queries), verdict)
}
