// Package seed builds the synthetic national data set of ARCHITECTURE.md ("Scale"): employers
// with their SIAE conventions and financial annexes, fiches de poste, prescriber organizations,
// professionals with their memberships and job seekers, spread over the real communes in
// proportion to their population. The data set is a pure function of the seed value, the scale
// and the reference day, on either engine: the same inputs give the same rows (uids, SIRET,
// names, places, dates), so benchmarks and bug reports can be reproduced.
//
// Every generated row carries the reserved domain Domain in an e-mail column (companies:
// auth_email; prescriber organizations and users: email), which is how Exists and Remove find
// them: no real organization or person can have an address on a ".test" domain (RFC 2606).
package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"emplois/internal/platform/db"
)

// Domain is the e-mail domain of every generated row.
const Domain = "national.emplois.test"

// Scale is the size of a generated data set.
type Scale struct {
	Name            string
	Companies       int
	JobDescriptions int
	Prescribers     int
	JobSeekers      int
	// JobApplications (candidatures) and Approvals (PASS IAE) are the targets of ARCHITECTURE.md.
	// The PASS stage adds the accepted SIAE candidatures its PASS need beyond those of the
	// candidature stage, with their diagnoses.
	JobApplications int
	Approvals       int
}

var (
	// National is the data set of ARCHITECTURE.md "Scale", sized on the real service.
	National = Scale{Name: "national", Companies: 6000, JobDescriptions: 60000, Prescribers: 10000,
		JobSeekers: 700000, JobApplications: 2000000, Approvals: 500000}
	// Small is one hundredth of National, for tests and quick trials.
	Small = Scale{Name: "small", Companies: 60, JobDescriptions: 600, Prescribers: 100,
		JobSeekers: 7000, JobApplications: 20000, Approvals: 5000}
)

// Scales lists the named scales, for the command line.
var Scales = []Scale{National, Small}

// ScaleNamed returns the scale called name.
func ScaleNamed(name string) (Scale, bool) {
	for _, s := range Scales {
		if s.Name == name {
			return s, true
		}
	}
	return Scale{}, false
}

// DefaultSeed is the seed value used when none is given.
const DefaultSeed = 42

// Options drive Run.
type Options struct {
	Scale Scale
	Seed  uint64
	// Now is the reference day: dates (annex periods, fiche refreshes...) are placed relative to
	// it, truncated to the day (UTC), so that two runs on the same day write the same rows. Zero:
	// today.
	Now time.Time
	// Force replaces a data set already seeded (see Remove) instead of refusing.
	Force bool
	// PASSPrefix starts the numbers of the generated PASS IAE (EMPLOIS_PASS_PREFIX); empty:
	// DefaultPASSPrefix. They continue after the highest number of the prefix in the database.
	PASSPrefix string
	// Progress receives one line per stage and a summary; nil: silent.
	Progress io.Writer
}

// Stage is the outcome of one step of Run.
type Stage struct {
	Name     string
	Rows     int           // main rows written (companies, fiches...)
	Detail   string        // the other rows written with them ("4,950 conventions, 7,400 annexes")
	Skipped  string        // why the stage wrote nothing, when it did not run
	Duration time.Duration // time spent generating and writing
}

// Summary is what Run did.
type Summary struct {
	Scale    Scale
	Seed     uint64
	Removed  int // rows of a previous data set deleted (Force)
	Stages   []Stage
	Duration time.Duration
}

var (
	// ErrAlreadySeeded: the database holds a generated data set and Force was not set.
	ErrAlreadySeeded = errors.New("seed: the database already holds a generated data set")
	// ErrReference: the reference data (communes, ROME appellations) is missing or partial.
	ErrReference = errors.New("seed: the full reference data is required")
)

// MinCommunes and MinAppellations tell the full reference data from the demo sample.
const (
	MinCommunes     = 30000
	MinAppellations = 10000
)

// CheckReference returns ErrReference (wrapped, with the counts found) unless the full reference
// data is imported.
func CheckReference(ctx context.Context, d *db.DB) error {
	communes, err := d.NewSelect().Table("commune").Count(ctx)
	if err != nil {
		return fmt.Errorf("seed: reference data: %w", err)
	}
	appellations, err := d.NewSelect().Table("rome_appellation").Count(ctx)
	if err != nil {
		return fmt.Errorf("seed: reference data: %w", err)
	}
	if communes < MinCommunes || appellations < MinAppellations {
		return fmt.Errorf("%w: found %d communes and %d ROME appellations, expected at least %d and %d "+
			"(import them first: emplois import all --dir ../shared/data, or pass --reference-dir)",
			ErrReference, communes, appellations, MinCommunes, MinAppellations)
	}
	return nil
}

// Existing counts the generated rows of each family (companies, prescriber organizations,
// users); all zero on a database never seeded.
type Existing struct {
	Companies, Prescribers, Users int
}

// Any reports whether some generated row exists.
func (e Existing) Any() bool { return e.Companies+e.Prescribers+e.Users > 0 }

// Total is the number of generated rows found.
func (e Existing) Total() int { return e.Companies + e.Prescribers + e.Users }

const domainPattern = "%@" + Domain

// Find counts the generated rows already in the database.
func Find(ctx context.Context, idb bun.IDB) (Existing, error) {
	var e Existing
	for _, c := range []struct {
		count         *int
		table, column string
	}{{&e.Companies, "company", "auth_email"}, {&e.Prescribers, "prescriber_organization", "email"}, {&e.Users, "users", "email"}} {
		n, err := idb.NewSelect().Table(c.table).Where("? LIKE ?", bun.Ident(c.column), domainPattern).Count(ctx)
		if err != nil {
			return e, fmt.Errorf("seed: %w", err)
		}
		*c.count = int(n)
	}
	return e, nil
}

// Remove deletes every generated row in tx: the PASS IAE of the generated job seekers (their
// suspensions, prolongations and requests go with them by cascade; their diagnoses go with the
// job seekers), the candidatures, the conventions of the generated companies, the
// companies (their fiches de poste, history and memberships go with them by cascade), the
// prescriber organizations and the users. Rows not generated are left alone. It returns the
// number of rows deleted from those four tables.
func Remove(ctx context.Context, tx bun.IDB) (int, error) {
	// Companies and organizations first: the users' foreign keys are then checked against
	// (nearly) empty membership and history tables.
	steps := []struct{ what, query string }{
		// The PASS first: they keep their job seeker (ON DELETE RESTRICT) and their diagnosis.
		{"PASS IAE", "DELETE FROM approval WHERE user_id IN (SELECT id FROM users WHERE email LIKE ?)"},
		// Candidatures first: one sent by a generated employer to another would otherwise lose its
		// sender company (ON DELETE SET NULL), which an employer's candidature may not.
		{"job applications", "DELETE FROM job_application WHERE job_seeker_id IN (SELECT id FROM users WHERE email LIKE ?)"},
		{"conventions", "DELETE FROM siae_convention WHERE id IN (SELECT convention_id FROM company WHERE auth_email LIKE ? AND convention_id IS NOT NULL)"},
		{"companies", "DELETE FROM company WHERE auth_email LIKE ?"},
		{"prescriber organizations", "DELETE FROM prescriber_organization WHERE email LIKE ?"},
		{"users", "DELETE FROM users WHERE email LIKE ?"},
	}
	drop, err := indexForeignKeys(ctx, tx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, s := range steps {
		res, err := tx.NewRaw(s.query, domainPattern).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("seed: remove %s: %w", s.what, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("seed: remove %s: %w", s.what, err)
		}
		total += int(n)
	}
	return total, drop(ctx)
}

// indexForeignKeys prepares a mass removal on PostgreSQL, where a deleted row stays in its table
// until VACUUM: deleting a user makes every foreign key that points at users scan its table
// (the rows deleted a moment before included) when no index serves the column, about 130,000
// rows per user for the national data set, hours for 700,000 users. It creates, in tx, an index
// on each such column of the foreign keys pointing at the tables Remove deletes from, and
// returns the function that drops them before the transaction ends. Nothing to do on SQLite,
// whose deleted rows leave the table at once.
func indexForeignKeys(ctx context.Context, tx bun.IDB) (drop func(context.Context) error, err error) {
	none := func(context.Context) error { return nil }
	if tx.Dialect().Name() != dialect.PG {
		return none, nil
	}
	var columns []struct {
		Table  string `bun:"tbl"`
		Column string `bun:"col"`
	}
	err = tx.NewRaw(`SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
		FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
		AND c.confrelid IN ('siae_convention'::regclass, 'company'::regclass, 'prescriber_organization'::regclass, 'users'::regclass,
			'job_description'::regclass, 'approval'::regclass, 'eligibility_diagnosis'::regclass)
		AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1] AND i.indpred IS NULL)
		ORDER BY 1, 2`).Scan(ctx, &columns)
	if err != nil {
		return none, fmt.Errorf("seed: foreign keys: %w", err)
	}
	var names []string
	for i, c := range columns {
		name := fmt.Sprintf("seed_remove_fk_%d", i)
		if _, err := tx.NewRaw("CREATE INDEX ? ON ? (?)", bun.Ident(name), bun.Safe(c.Table), bun.Ident(c.Column)).Exec(ctx); err != nil {
			return none, fmt.Errorf("seed: index %s (%s): %w", c.Table, c.Column, err)
		}
		names = append(names, name)
	}
	return func(ctx context.Context) error {
		for _, n := range names {
			if _, err := tx.NewRaw("DROP INDEX ?", bun.Ident(n)).Exec(ctx); err != nil {
				return fmt.Errorf("seed: drop index %s: %w", n, err)
			}
		}
		return nil
	}, nil
}

// Run generates the data set into d, in one transaction: a failure leaves the database as it
// was. It refuses a database that already holds generated rows (ErrAlreadySeeded) unless
// opts.Force, which removes them first; it needs the full reference data (ErrReference).
func Run(ctx context.Context, d *db.DB, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Scale.Name == "" {
		return Summary{}, errors.New("seed: no scale given")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC().Truncate(24 * time.Hour)
	sum := Summary{Scale: opts.Scale, Seed: opts.Seed}
	p := &progress{w: opts.Progress}
	if err := CheckReference(ctx, d); err != nil {
		return sum, err
	}
	p.printf("seeding the %s data set (seed %d, reference day %s) on %s\n", opts.Scale.Name, opts.Seed,
		opts.Now.Format("2006-01-02"), d.Engine)

	err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		found, err := Find(ctx, tx)
		if err != nil {
			return err
		}
		if found.Any() {
			if !opts.Force {
				return fmt.Errorf("%w (%d companies, %d prescriber organizations, %d users on @%s): "+
					"run again with --force to replace it", ErrAlreadySeeded, found.Companies, found.Prescribers, found.Users, Domain)
			}
			t := time.Now()
			if sum.Removed, err = Remove(ctx, tx); err != nil {
				return err
			}
			p.stage(Stage{Name: "previous data set", Rows: sum.Removed, Detail: "rows removed (--force)", Duration: time.Since(t)})
		}
		if d.Engine == db.SQLite {
			// SQLite only: a page cache big enough for the whole transaction, instead of the default
			// 2 MB that spills dirty pages of the random-order unique indexes to the WAL again and again.
			if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		prefix := opts.PASSPrefix
		if prefix == "" {
			prefix = DefaultPASSPrefix
		}
		g := &generator{seed: opts.Seed, scale: opts.Scale, now: opts.Now, tx: tx, passPrefix: prefix}
		for _, step := range g.steps() {
			t := time.Now()
			st := Stage{Name: step.name}
			if step.skip != "" {
				st.Skipped = step.skip
			} else if err := step.run(ctx, &st); err != nil {
				return fmt.Errorf("seed: %s: %w", step.name, err)
			}
			st.Duration = time.Since(t)
			sum.Stages = append(sum.Stages, st)
			p.stage(st)
		}
		return nil
	})
	sum.Duration = time.Since(start)
	if err != nil {
		return sum, err
	}
	rows := 0
	for _, st := range sum.Stages {
		rows += st.Rows
	}
	p.printf("done: %s data set (seed %d), %s rows in %s\n", opts.Scale.Name, opts.Seed, thousands(rows),
		sum.Duration.Round(10*time.Millisecond))
	return sum, nil
}

// progress prints the stages as they end.
type progress struct{ w io.Writer }

func (p *progress) printf(format string, args ...any) {
	if p.w != nil {
		fmt.Fprintf(p.w, format, args...)
	}
}

func (p *progress) stage(s Stage) {
	if s.Skipped != "" {
		p.printf("  %-20s skipped: %s\n", s.Name, s.Skipped)
		return
	}
	if s.Rows == 0 {
		p.printf("  %-20s %s in %.2f s\n", s.Name, s.Detail, s.Duration.Seconds())
		return
	}
	rate := ""
	if secs := s.Duration.Seconds(); secs > 0 && s.Rows > 0 {
		rate = fmt.Sprintf(", %s rows/s", thousands(int(float64(s.Rows)/secs)))
	}
	detail := ""
	if s.Detail != "" {
		detail = " (" + s.Detail + ")"
	}
	p.printf("  %-20s %9s rows in %6.2f s%s%s\n", s.Name, thousands(s.Rows), s.Duration.Seconds(), rate, detail)
}

// thousands writes n with comma separators: 700,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
