// Command benchsearch is `make bench-search`: the search pages and the public API measured
// against the national data set, on PostgreSQL and on SQLite, next to a reference page of the
// same server (see internal/benchsearch).
//
// PostgreSQL: BENCH_DATABASE_URL, or by default the database emplois_bench on 127.0.0.1:5432 as
// postgres (created when missing). SQLite: BENCH_SQLITE_URL, by default sqlite://./var/bench.db.
// Each is migrated, given the full reference data (from --reference-dir, EMPLOIS_REFERENCE_DIR or
// ../shared/data) and the national data set once; the next runs reuse them. PostgreSQL is
// vacuumed and analyzed before each run, as autovacuum would keep it.
//
// It exits with a non-zero status when a request fails or a database cannot be prepared, never
// because of a timing: the budgets are shown in the table.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"emplois/internal/benchsearch"
	"emplois/internal/platform/db"
	"emplois/internal/platform/importfile"
	"emplois/internal/reference"
	"emplois/internal/seed"
)

// planned is how many statements of a target get their plan printed (the slowest).
const planned = 2

const (
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/emplois_bench?sslmode=disable"
	defaultSQLite   = "sqlite://./var/bench.db"
)

func main() {
	requests := flag.Int("requests", 2000, "requests per target")
	concurrency := flag.Int("concurrency", runtime.NumCPU(), "requests in flight (default: the number of cores)")
	engines := flag.String("engines", "postgres,sqlite", "engines to measure, in order")
	seedValue := flag.Uint64("seed", seed.DefaultSeed, "seed of the national data set, when it has to be generated")
	referenceDir := flag.String("reference-dir", "", "folder of the reference CSV files (default: EMPLOIS_REFERENCE_DIR, else ../shared/data)")
	explain := flag.Bool("explain", false, "print the plans of the slowest SQL statements of every target (by default: of the targets that miss a budget)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof FILE)")
	candidatures := flag.Int("candidatures", benchsearch.DefaultWrites.CandidaturesPerSecond, "candidatures written per second during the run with writes (0 and -fiche-edits 0: no such run)")
	ficheEdits := flag.Int("fiche-edits", benchsearch.DefaultWrites.FicheEditsPerSecond, "fiches de poste edited per second during the run with writes")
	apps := flag.Bool("applications", false, "measure the candidatures instead of the search (`make bench-applications`): the big employer's inbox, Submit and the XLSX export")
	submits := flag.Int("submits", 200, "candidatures submitted in the Submit measure (with -applications)")
	pass := flag.Bool("pass", false, "measure the PASS IAE instead of the search (`make bench-pass`): Accept with PASS issuance, the employer's PASS list, the public verification")
	accepts := flag.Int("accepts", 200, "candidatures accepted in the Accept measure (with -pass)")
	apiFlag := flag.Bool("api", false, "measure the partner API instead of the search (`make bench-api`): every listing of /api/v1 with a page of 20 and candidatures/recherche/, each with its token family")
	asp := flag.Bool("asp", false, "measure the import of the ASP's structures instead of the search (`make bench-asp`): a first import of national exports, then a second with updates, each on a new database (PostgreSQL: BENCH_ASP_DATABASE_URL, default emplois_bench_asp; SQLite: var/bench-asp.db)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchsearch: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := benchsearch.Options{Requests: *requests, Concurrency: *concurrency, Warmup: min(50, max(1, *requests/20))}
	if btoi(*apps)+btoi(*pass)+btoi(*apiFlag) > 1 {
		fmt.Fprintln(os.Stderr, "benchsearch: choose one of -applications, -pass and -api")
		os.Exit(2)
	}
	if (*candidatures > 0 || *ficheEdits > 0) && !*apps && !*pass && !*apiFlag {
		opts.Writes = &benchsearch.Writes{CandidaturesPerSecond: *candidatures, FicheEditsPerSecond: *ficheEdits}
	}
	failed := false
	if *asp {
		for _, engine := range strings.Split(*engines, ",") {
			if err := benchASP(ctx, strings.TrimSpace(engine)); err != nil {
				fmt.Fprintf(os.Stderr, "benchsearch -asp %s: %v\n", engine, err)
				failed = true
			}
		}
		if failed {
			pprof.StopCPUProfile()
			os.Exit(1)
		}
		return
	}
	for _, engine := range strings.Split(*engines, ",") {
		m := measures{apps: *apps, submits: *submits, pass: *pass, accepts: *accepts, api: *apiFlag}
		if err := runEngine(ctx, strings.TrimSpace(engine), *seedValue, *referenceDir, *explain, opts, m); err != nil {
			fmt.Fprintf(os.Stderr, "benchsearch %s: %v\n", engine, err)
			failed = true
		}
	}
	if failed {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// measures says what to measure besides (instead of) the search.
type measures struct {
	apps    bool
	submits int
	pass    bool
	accepts int
	api     bool
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func runEngine(ctx context.Context, engine string, seedValue uint64, referenceDir string, explain bool, opts benchsearch.Options, m measures) error {
	apps, submits := m.apps, m.submits
	var dbURL string
	switch engine {
	case "postgres":
		dbURL = os.Getenv("BENCH_DATABASE_URL")
		if dbURL == "" {
			dbURL = defaultPostgres
			if err := createDatabase(ctx, dbURL); err != nil {
				return err
			}
		}
	case "sqlite":
		dbURL = os.Getenv("BENCH_SQLITE_URL")
		if dbURL == "" {
			dbURL = defaultSQLite
		}
	default:
		return fmt.Errorf("unknown engine %q: postgres or sqlite", engine)
	}
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Printf("== %s (%s)\n", engine, redact(dbURL))
	if err := prepare(ctx, d, seedValue, referenceDir); err != nil {
		return err
	}
	if err := vacuum(ctx, d); err != nil {
		return err
	}
	found, err := seed.Find(ctx, d)
	if err != nil {
		return err
	}
	cfg, err := benchsearch.ServerConfig()
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s, %d employers, %d prescriber organizations, %d users of the generated data set", engine,
		found.Companies, found.Prescribers, found.Users)
	targets := benchsearch.DefaultTargets()
	var big *benchsearch.BigInbox
	if apps {
		if big, err = benchsearch.FindBigInbox(ctx, d); err != nil {
			return err
		}
		if opts.Cookie, err = benchsearch.MemberSession(ctx, d, cfg, big.MemberID); err != nil {
			return err
		}
		targets = benchsearch.InboxTargets(big, time.Now())
		title += fmt.Sprintf(", big inbox: %d candidatures (%s)", big.Count, big.Kind)
	}
	var passEmployer *benchsearch.PASSEmployer
	if m.pass {
		if passEmployer, err = benchsearch.FindPASSEmployer(ctx, d); err != nil {
			return err
		}
		if opts.Cookie, err = benchsearch.MemberSession(ctx, d, cfg, passEmployer.MemberID); err != nil {
			return err
		}
		total, err := d.NewSelect().Table("approval").Count(ctx)
		if err != nil {
			return err
		}
		targets = benchsearch.PASSTargets(passEmployer)
		title += fmt.Sprintf(", %d PASS IAE, the employer with the most: %d (%s)", total, passEmployer.Count, passEmployer.Kind)
	}
	var fixture *benchsearch.APIFixture
	if m.api {
		if fixture, err = benchsearch.PrepareAPI(ctx, d, cfg); err != nil {
			return err
		}
		defer fixture.Close(context.WithoutCancel(ctx))
		targets = benchsearch.APITargets(fixture)
		var candidatures int
		if err := d.NewSelect().TableExpr("job_application").ColumnExpr("count(*)").Scan(ctx, &candidatures); err != nil {
			return err
		}
		title += fmt.Sprintf(", %d candidatures, %d fiches salarié", candidatures, fixture.Records)
	}
	results, err := benchsearch.Run(ctx, d, cfg, targets, opts)
	if err != nil {
		return err
	}
	benchsearch.Print(os.Stdout, title, results, opts)
	if m.api {
		fmt.Println(benchsearch.APISummary(fixture, results))
	}
	if apps {
		fmt.Println(benchsearch.QueryCounts(results))
		sub, err := benchsearch.BenchSubmit(ctx, d, cfg, big, submits)
		if err != nil {
			return err
		}
		benchsearch.PrintSubmit(os.Stdout, sub)
		export, err := benchsearch.MeasureOnce(ctx, d, cfg, benchsearch.ExportRoute, "/apply/siae/exports/download", opts.Cookie)
		if err != nil {
			return err
		}
		benchsearch.PrintOnce(os.Stdout, fmt.Sprintf("(h) XLSX export, %d rows", big.Count), export, benchsearch.MaxExport)
		if sub.Errors > 0 || (export.Skipped == "" && export.Status != 200) {
			return errors.New("some submissions or the export failed (see above)")
		}
	}
	if m.pass {
		fmt.Println(benchsearch.PASSQueryCounts(results))
		acc, err := benchsearch.BenchAccept(ctx, d, cfg, m.accepts)
		if err != nil {
			return err
		}
		benchsearch.PrintAccept(os.Stdout, acc)
		if acc.Errors > 0 || acc.Count == 0 {
			return errors.New("some acceptances failed or none was possible (see above)")
		}
	}
	for _, r := range results {
		if r.Skipped != "" || len(r.Queries) == 0 || (!explain && r.Misses() == "") {
			continue
		}
		for i, q := range r.Queries[:min(planned, len(r.Queries))] {
			plan, err := benchsearch.Explain(ctx, d, q.SQL)
			if err != nil {
				plan = "(no plan: " + err.Error() + ")\n"
			}
			fmt.Printf("\n-- %s: statement %d of %d by duration (%.2f ms run alone):\n%s\n%s", r.Target.Name, i+1, len(r.Queries),
				float64(q.Duration.Microseconds())/1000, q.SQL, plan)
		}
	}
	if benchsearch.Failed(results) {
		return errors.New("some requests failed (see the table)")
	}
	return nil
}

// prepare imports the reference data and generates the national data set when the database lacks
// them.
func prepare(ctx context.Context, d *db.DB, seedValue uint64, referenceDir string) error {
	if err := seed.CheckReference(ctx, d); errors.Is(err, seed.ErrReference) {
		dir := referenceDir
		if dir == "" {
			dir = os.Getenv("EMPLOIS_REFERENCE_DIR")
		}
		if dir == "" {
			dir = "../shared/data"
		}
		fmt.Printf("importing the reference data from %s\n", dir)
		err := reference.ImportDirFunc(ctx, d, dir, func(k reference.Kind, res importfile.Result) {
			fmt.Printf("  %-18s %6d rows in %.2f s\n", k.Name, res.Rows, res.Duration.Seconds())
		})
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	found, err := seed.Find(ctx, d)
	if err != nil {
		return err
	}
	if found.Any() {
		fmt.Printf("reusing the generated data set already there (%d employers)\n", found.Companies)
		return nil
	}
	_, err = seed.Run(ctx, d, seed.Options{Scale: seed.National, Seed: seedValue, Progress: os.Stdout})
	return err
}

// vacuum brings a PostgreSQL database to the state autovacuum keeps it in (statistics for the
// planner, visibility map for index-only scans), which it may not have reached after a bulk load,
// or ever when autovacuum is off. SQLite has no such daemon: it is measured as the application
// leaves it.
func vacuum(ctx context.Context, d *db.DB) error {
	if d.Engine != db.Postgres {
		return nil
	}
	start := time.Now()
	if _, err := d.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
		return err
	}
	fmt.Printf("VACUUM (ANALYZE) in %.2f s\n", time.Since(start).Seconds())
	return nil
}

// createDatabase creates the database of dbURL when missing, connecting to the postgres database
// of the same server.
func createDatabase(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		return err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("connect to PostgreSQL at %s (set BENCH_DATABASE_URL): %w", u.Host, err)
	}
	if exists {
		return nil
	}
	fmt.Printf("creating the database %s\n", name)
	_, err = admin.ExecContext(ctx, `CREATE DATABASE "`+strings.ReplaceAll(name, `"`, `""`)+`"`)
	return err
}

// redact hides a password of a database URL.
func redact(dbURL string) string {
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "***")
			return u.String()
		}
	}
	return dbURL
}
