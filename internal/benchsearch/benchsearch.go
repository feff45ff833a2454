// Package benchsearch is the ceiling harness of the search pages and the public API (issue 4,
// `make bench-search`): it serves the real site (web.New) over a database in-process, sends a
// fixed number of requests to each target with a fixed concurrency, and reports for each the
// server-side p50 and p95, the requests per second and the ratio of that throughput to the
// reference page (GET /bench/reference: one primary-key query rendered in the site layout).
//
// Times are measured inside the server: from the moment the site's root handler (its whole
// middleware chain included) is entered until it returns, so the client, the loopback network
// and the goroutine scheduling of the client do not count. Requests per second are measured by
// the client: requests done divided by the wall time of the run.
package benchsearch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/search"
	"emplois/internal/web"
)

// Target is one page or API call measured.
type Target struct {
	Name string
	// Route is the pattern of the route table that serves it ("GET /search/employers"): a target
	// whose route does not exist (yet) is skipped.
	Route string
	// Paths are the URLs to request; the first that answers 200 is measured (e.g. an
	// arrondissement's INSEE code, and the whole city's when the search refuses it).
	Paths []string
	// Reference marks the reference page, which the others are compared with.
	Reference bool
	// Search marks the targets held to the budgets (p95 and share of the reference throughput).
	Search bool
	// Member marks a page that needs the session of a member of the measured employer (the
	// inbox): the harness cannot log in yet, so such a target is skipped.
	Member bool
	// Form, when set, is posted to the paths (a form submission) instead of a GET.
	Form url.Values
	// Anonymous pages are requested without Options.Cookie, as a visitor who is not logged in.
	Anonymous bool
	// Budget is the p95 budget of a Search target when it is not MaxP95.
	Budget time.Duration
	// Header is sent with every request (the API's Authorization: Token ...).
	Header http.Header
	// Bodies, when set, are JSON bodies posted to the paths in turn, one per request (the
	// searches of the API), instead of a GET.
	Bodies [][]byte
	// Cookie, when set, is sent instead of Options.Cookie (a session of its own).
	Cookie *http.Cookie
}

// Budgets of issue 4 for the search pages and the API.
const (
	MaxP95        = 20 * time.Millisecond
	MinThroughput = 0.40
)

// The communes of the benchmark: Lyon, Paris (11e arrondissement), and a village of the Creuse.
const (
	Lyon           = "69123"
	Paris          = "75056"
	Paris11        = "75111"
	RuralCommune   = "23020" // Bellegarde-en-Marche, Creuse, 355 inhabitants
	RuralName      = "Bellegarde-en-Marche (23)"
	ReferenceRoute = "GET /bench/reference"
)

// DefaultTargets are the measures of issue 4: the reference page, the employer search within 25
// km of Lyon, Paris 11e and a village, the fiche de poste search around Lyon, the API call, and
// the prescriber search around Lyon.
func DefaultTargets() []Target {
	return []Target{
		{Name: "(a) reference: one commune by key", Route: ReferenceRoute, Paths: []string{"/bench/reference?code=" + Lyon}, Reference: true},
		{Name: "(b) employers 25 km Lyon", Route: "GET /search/employers", Search: true,
			Paths: []string{"/search/employers?city=" + Lyon + "&distance=25"}},
		{Name: "(b) employers 25 km Paris 11e", Route: "GET /search/employers", Search: true,
			Paths: []string{"/search/employers?city=" + Paris11 + "&distance=25", "/search/employers?city=" + Paris + "&distance=25"}},
		{Name: "(b) employers 25 km " + RuralName, Route: "GET /search/employers", Search: true,
			Paths: []string{"/search/employers?city=" + RuralCommune + "&distance=25"}},
		{Name: "(c) fiches de poste 25 km Lyon", Route: "GET /search/job-descriptions", Search: true,
			Paths: []string{"/search/job-descriptions?city=" + Lyon + "&distance=25"}},
		{Name: "(d) API /api/v1/siaes/ 25 km Lyon", Route: "GET /api/v1/siaes/{$}", Search: true,
			Paths: []string{"/api/v1/siaes/?code_insee=" + Lyon + "&distance_max_km=25"}},
		{Name: "(e) prescribers 5 km Lyon", Route: "GET /search/prescribers", Search: true,
			Paths: []string{"/search/prescribers?city=" + Lyon + "&distance=5"}},
	}
}

// Options set the load.
type Options struct {
	Requests    int // per target, after the warm-up
	Concurrency int // requests in flight
	Warmup      int // requests per target before measuring (not counted)
	// Writes, when set, adds a run of the search targets with that write load going on.
	Writes *Writes
	// Cookie, when set, is sent with every request (the session of Target.Member pages).
	Cookie *http.Cookie
}

// MaxP95WithWrites is the budget of the search targets while candidatures and fiche edits are
// written (issue 9): the index applies each change per company instead of rebuilding.
const MaxP95WithWrites = 5 * time.Millisecond

// Result is the measure of one target.
type Result struct {
	Target  Target
	Path    string // the URL measured
	Skipped string // why it was not measured

	Requests   int
	Errors     int    // answers other than 200, or failed requests
	FirstError string // the first of them
	P50, P95   time.Duration
	RPS        float64
	Ratio      float64 // RPS / the reference's RPS (0 without reference)
	Bytes      int     // size of one answer
	// Items is the length of "results" in that answer when it is a JSON page of the API, -1
	// otherwise.
	Items int

	// Queries are the SQL statements one request issued (through bun), slowest first, and SQLTime
	// the sum of their durations: the rest of a request's time is spent in Go (or waiting).
	Queries []Query
	SQLTime time.Duration

	// Writes is what the writer did during a run with writes (nil otherwise), and Index what the
	// search index of the server did meanwhile.
	Writes *WriteStats
	Index  IndexStats
}

// IndexStats are the updates of the server's search index during a run.
type IndexStats struct {
	Builds    int64         // whole builds
	LastBuild time.Duration // the last whole build (the first search's, at least)
	Applies   int64         // changes of some companies applied
	ApplyMean time.Duration
}

// Query is one SQL statement of a request. Duration is measured by running the statement again
// alone, all its rows read (the fastest of a few runs); statements other than SELECT are not run
// again and keep the time seen during the request.
type Query struct {
	SQL      string
	Duration time.Duration
}

// Misses reports why the result breaks a budget, or "".
func (r Result) Misses() string {
	if !r.Target.Search || r.Skipped != "" || r.Requests == 0 {
		return ""
	}
	var why []string
	budget := MaxP95
	if r.Target.Budget > 0 {
		budget = r.Target.Budget
	}
	if r.Writes != nil {
		budget = MaxP95WithWrites
	}
	if r.P95 > budget {
		why = append(why, fmt.Sprintf("p95 > %d ms", budget.Milliseconds()))
	}
	if r.Ratio > 0 && r.Ratio < MinThroughput {
		why = append(why, fmt.Sprintf("throughput < %.0f%% of the reference", 100*MinThroughput))
	}
	return strings.Join(why, ", ")
}

// ServerConfig is the configuration the site is served with: production mode, the reference
// page on, no rate limit (every request comes from 127.0.0.1), the PASS verification's included.
func ServerConfig() (config.Config, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return config.Config{}, err
	}
	env := map[string]string{
		"EMPLOIS_DEV":              "false",
		"EMPLOIS_SECRET_KEY":       hex.EncodeToString(key),
		"EMPLOIS_BENCH_ROUTES":     "true",
		"EMPLOIS_RATE_LIMIT_PAGES": "0",
		"EMPLOIS_RATE_LIMIT_API":   "0",
		// The PASS verification is throttled per address (10 a minute): off, as the others.
		"EMPLOIS_RATE_LIMIT_PASS_VERIFY": "0",
	}
	return config.Load(func(name string) (string, bool) { v, ok := env[name]; return v, ok })
}

// Run serves the site over d with cfg and measures the targets one after the other.
func Run(ctx context.Context, d *db.DB, cfg config.Config, targets []Target, opts Options) ([]Result, error) {
	if opts.Requests <= 0 || opts.Concurrency <= 0 {
		return nil, errors.New("benchsearch: requests and concurrency must be positive")
	}
	hook := &queryHook{}
	// The server gets a handle that records its statements; d itself is left as it was.
	served := &db.DB{DB: d.DB.WithQueryHook(hook), Engine: d.Engine}
	svc, err := app.New(ctx, cfg, served, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	// The API's throttles count every call in the database, as in production, but each call
	// falls in a window of its own: a fixed number of requests per minute would otherwise turn
	// the measure into 429s.
	svc.APIThrottles.Now = windowPerCall()
	s, err := web.New(svc)
	if err != nil {
		return nil, err
	}
	routes := map[string]bool{}
	for _, r := range s.Routes() {
		routes[r.Pattern] = true
	}
	timer := &serverTimer{next: s.Handler()}
	srv := httptest.NewServer(timer)
	defer srv.Close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: opts.Concurrency, MaxIdleConnsPerHost: opts.Concurrency, DisableCompression: true}}
	defer client.CloseIdleConnections()

	if opts.Cookie != nil {
		ctx = context.WithValue(ctx, cookieKey{}, opts.Cookie)
	}
	results := make([]Result, 0, len(targets))
	var reference float64
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res := Result{Target: t}
		if !routes[t.Route] {
			res.Skipped = "no route " + t.Route + " (yet)"
			results = append(results, res)
			continue
		}
		if t.Member && opts.Cookie == nil {
			res.Skipped = "needs a member's session, which the harness does not make yet"
			results = append(results, res)
			continue
		}
		tctx := ctx
		switch {
		case t.Cookie != nil:
			tctx = context.WithValue(ctx, cookieKey{}, t.Cookie)
		case t.Anonymous:
			tctx = context.WithValue(ctx, cookieKey{}, nil)
		}
		measure(tctx, d, client, srv.URL, timer, hook, &res, opts)
		if t.Reference && res.Errors == 0 {
			reference = res.RPS
		}
		results = append(results, res)
	}
	if opts.Writes != nil {
		withWrites, err := runWithWrites(ctx, d, svc.Search, client, srv.URL, timer, hook, targets, routes, opts)
		if err != nil {
			return results, err
		}
		results = append(results, withWrites...)
	}
	for i := range results {
		if reference > 0 && results[i].RPS > 0 {
			results[i].Ratio = results[i].RPS / reference
		}
	}
	return results, nil
}

// cookieKey carries Options.Cookie to get.
type cookieKey struct{}

// measure runs one target: the path choice and warm-up, the timed run, then one request whose
// SQL statements are recorded and timed.
func measure(ctx context.Context, d *db.DB, client *http.Client, base string, timer *serverTimer, hook *queryHook, res *Result, opts Options) {
	t := &res.Target
	res.Path = t.Paths[0]
	for _, p := range t.Paths {
		if status, _, _, _ := fetch(ctx, client, base+p, t.call(0)); status == http.StatusOK {
			res.Path = p
			break
		}
	}
	for i := range opts.Warmup {
		fetch(ctx, client, base+res.Path, t.call(i))
	}

	rec := &recorder{durations: make([]time.Duration, 0, opts.Requests)}
	timer.rec.Store(rec)
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range opts.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(opts.Requests); i = next.Add(1) {
				status, _, _, err := fetch(ctx, client, base+res.Path, t.call(int(i)))
				if status != http.StatusOK {
					mu.Lock()
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = fmt.Sprintf("HTTP %d %v", status, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	timer.rec.Store(nil)

	res.Requests = opts.Requests
	res.RPS = float64(opts.Requests) / elapsed.Seconds()
	res.P50, res.P95 = rec.percentile(0.50), rec.percentile(0.95)

	hook.start()
	c := t.call(0)
	c.keep = true
	_, n, body, _ := fetch(ctx, client, base+res.Path, c)
	res.Queries = hook.stop()
	res.Bytes = n
	res.Items = pageItems(body)
	for i, q := range res.Queries {
		if t, err := replay(ctx, d, q.SQL); err == nil {
			res.Queries[i].Duration = t
		}
		res.SQLTime += res.Queries[i].Duration
	}
	sort.SliceStable(res.Queries, func(i, j int) bool { return res.Queries[i].Duration > res.Queries[j].Duration })
}

// replays is how many times a statement is run again to time it.
const replays = 3

// replay runs a SELECT statement again and returns its fastest time, every row read: the time
// bun's hook sees for a raw QueryContext ends before the rows are read (on SQLite, before the
// work is done).
func replay(ctx context.Context, d *db.DB, query string) (time.Duration, error) {
	head := strings.ToUpper(strings.TrimSpace(query))
	if !strings.HasPrefix(head, "SELECT") && !strings.HasPrefix(head, "WITH") {
		return 0, errors.New("not a SELECT")
	}
	best := time.Duration(0)
	for range replays {
		start := time.Now()
		rows, err := d.DB.DB.QueryContext(ctx, query)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return 0, err
		}
		if t := time.Since(start); best == 0 || t < best {
			best = t
		}
	}
	return best, nil
}

// call is what one request of a target sends besides its URL.
type call struct {
	form   url.Values
	json   []byte
	header http.Header
	// keep asks fetch for the answer's body.
	keep bool
}

// call is the i-th request of t: its form, or its JSON body in turn, and its headers.
func (t *Target) call(i int) call {
	c := call{form: t.Form, header: t.Header}
	if len(t.Bodies) > 0 {
		c.json = t.Bodies[i%len(t.Bodies)]
	}
	return c
}

// get requests url and reads the whole answer.
func get(ctx context.Context, client *http.Client, url string) (status, size int, err error) {
	status, size, _, err = fetch(ctx, client, url, call{})
	return status, size, err
}

// fetch requests url, posting the form or the JSON body of c when set, and reads the whole
// answer, which it returns when c.keep.
func fetch(ctx context.Context, client *http.Client, target string, c call) (status, size int, body []byte, err error) {
	method, payload := http.MethodGet, io.Reader(nil)
	switch {
	case c.json != nil:
		method, payload = http.MethodPost, bytes.NewReader(c.json)
	case c.form != nil:
		method, payload = http.MethodPost, strings.NewReader(c.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, payload)
	if err != nil {
		return 0, 0, nil, err
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	switch {
	case c.json != nil:
		req.Header.Set("Content-Type", "application/json")
	case c.form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie, ok := ctx.Value(cookieKey{}).(*http.Cookie); ok {
		req.AddCookie(cookie)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, 0, nil, err
	}
	defer res.Body.Close()
	if c.keep {
		body, err = io.ReadAll(res.Body)
		return res.StatusCode, len(body), body, err
	}
	n, err := io.Copy(io.Discard, res.Body)
	return res.StatusCode, int(n), nil, err
}

// pageItems is the length of "results" of a JSON page of the API, -1 for another answer.
func pageItems(body []byte) int {
	var page struct {
		Results *[]json.RawMessage `json:"results"`
	}
	if json.Unmarshal(body, &page) != nil || page.Results == nil {
		return -1
	}
	return len(*page.Results)
}

// windowPerCall is a clock for the API's throttles that moves one minute back at each reading,
// so that each call is counted (one row written, as in production) in a window of its own and
// is never refused. Past windows are purged by the periodic task.
func windowPerCall() func() time.Time {
	start := time.Now()
	var calls atomic.Int64
	return func() time.Time { return start.Add(-time.Duration(calls.Add(1)) * time.Minute) }
}

// serverTimer times each request inside the server, into the current recorder.
type serverTimer struct {
	next http.Handler
	rec  atomic.Pointer[recorder]
}

func (t *serverTimer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.next.ServeHTTP(w, r)
	if rec := t.rec.Load(); rec != nil {
		rec.add(time.Since(start))
	}
}

type recorder struct {
	mu        sync.Mutex
	durations []time.Duration
}

func (r *recorder) add(d time.Duration) {
	r.mu.Lock()
	r.durations = append(r.durations, d)
	r.mu.Unlock()
}

// percentile returns the p-th quantile (nearest rank) of the recorded durations.
func (r *recorder) percentile(p float64) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.durations) == 0 {
		return 0
	}
	sorted := slices.Clone(r.durations)
	slices.Sort(sorted)
	rank := int(p*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

// queryHook records the SQL statements run through bun while recording is on (one request at a
// time: nothing else runs then).
type queryHook struct {
	on      atomic.Bool
	mu      sync.Mutex
	queries []Query
}

func (h *queryHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *queryHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if !h.on.Load() {
		return
	}
	h.mu.Lock()
	h.queries = append(h.queries, Query{SQL: e.Query, Duration: time.Since(e.StartTime)})
	h.mu.Unlock()
}

func (h *queryHook) start() {
	h.mu.Lock()
	h.queries = nil
	h.mu.Unlock()
	h.on.Store(true)
}

// stop ends the recording and returns the statements, slowest first.
func (h *queryHook) stop() []Query {
	h.on.Store(false)
	h.mu.Lock()
	defer h.mu.Unlock()
	q := h.queries
	sort.SliceStable(q, func(i, j int) bool { return q[i].Duration > q[j].Duration })
	return q
}

// Explain returns the plan of query: EXPLAIN ANALYZE on PostgreSQL (the query is run), EXPLAIN
// QUERY PLAN on SQLite.
func Explain(ctx context.Context, d *db.DB, query string) (string, error) {
	prefix := "EXPLAIN QUERY PLAN "
	if d.Engine == db.Postgres {
		prefix = "EXPLAIN (ANALYZE, BUFFERS) "
	}
	rows, err := d.DB.DB.QueryContext(ctx, prefix+query)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		if d.Engine == db.Postgres {
			fmt.Fprintf(&b, "%s\n", values[0])
		} else { // id, parent, notused, detail
			fmt.Fprintf(&b, "%v\n", values[len(values)-1])
		}
	}
	return b.String(), rows.Err()
}

// Print writes the results as a table.
func Print(w io.Writer, title string, results []Result, opts Options) {
	fmt.Fprintf(w, "\n%s: %d requests per target, %d in flight\n", title, opts.Requests, opts.Concurrency)
	fmt.Fprintf(w, "%-48s %9s %9s %8s %6s %4s %9s %7s  %s\n", "target", "p50", "p95", "req/s", "ratio", "SQL", "SQL time", "bytes", "")
	for _, r := range results {
		if r.Skipped != "" {
			fmt.Fprintf(w, "%-48s skipped: %s\n", r.Target.Name, r.Skipped)
			continue
		}
		note := r.Misses()
		if note != "" {
			note = "MISSES: " + note
		}
		if r.Errors > 0 {
			note = strings.TrimSpace(fmt.Sprintf("%d ERRORS (first: %s) %s", r.Errors, r.FirstError, note))
		}
		ratio := "-"
		if r.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		name := r.Target.Name
		if r.Writes != nil {
			name += " + writes"
		}
		fmt.Fprintf(w, "%-48s %9s %9s %8.0f %6s %4d %9s %7d  %s\n", name, ms(r.P50), ms(r.P95), r.RPS, ratio, len(r.Queries), ms(r.SQLTime), r.Bytes, note)
	}
	for _, r := range results {
		if r.Writes != nil {
			fmt.Fprintf(w, "+ writes, %s: %d candidatures and %d fiche edits written (%d errors%s); index: %d whole builds (last %s), %d applies (mean %s)\n",
				r.Target.Name, r.Writes.Candidatures, r.Writes.FicheEdits, r.Writes.Errors, firstError(r.Writes.FirstError),
				r.Index.Builds, ms(r.Index.LastBuild), r.Index.Applies, ms(r.Index.ApplyMean))
		}
	}
	fmt.Fprintf(w, "p50/p95: server-side (root handler entered, middleware included, until it returns); req/s: client over loopback;\n"+
		"ratio: req/s / reference req/s; SQL: statements of one request, SQL time: their duration run again alone; budgets: p95 <= %d ms (%d ms with writes), ratio >= %.2f.\n", MaxP95.Milliseconds(), MaxP95WithWrites.Milliseconds(), MinThroughput)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// Failed reports whether some measured request failed.
func Failed(results []Result) bool {
	for _, r := range results {
		if r.Errors > 0 {
			return true
		}
	}
	return false
}

func firstError(e string) string {
	if e == "" {
		return ""
	}
	return ", first: " + e
}

// runWithWrites measures the search targets again while the writer runs: each target gets its
// own writes, and the index's updates during its run are reported with it.
func runWithWrites(ctx context.Context, d *db.DB, index *search.Service, client *http.Client, base string, timer *serverTimer,
	hook *queryHook, targets []Target, routes map[string]bool, opts Options) ([]Result, error) {
	var results []Result
	for _, t := range targets {
		if !t.Search || !routes[t.Route] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return results, err
		}
		wr, err := startWriter(ctx, d, *opts.Writes)
		if err != nil {
			return results, err
		}
		builds0, _ := index.IndexBuilds()
		applies0, _, total0 := index.IndexApplies()
		res := Result{Target: t}
		measure(ctx, d, client, base, timer, hook, &res, opts)
		stats := wr.stop()
		res.Writes = &stats
		builds, lastBuild := index.IndexBuilds()
		applies, _, total := index.IndexApplies()
		res.Index = IndexStats{Builds: builds - builds0, LastBuild: lastBuild, Applies: applies - applies0}
		if res.Index.Applies > 0 {
			res.Index.ApplyMean = (total - total0) / time.Duration(res.Index.Applies)
		}
		results = append(results, res)
	}
	return results, nil
}
