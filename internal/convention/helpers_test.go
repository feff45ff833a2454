package convention

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/db"
)

const (
	structuresFixture = "testdata/fluxIAE_Structure_07102022_085817.csv"
	annexesFixture    = "testdata/fluxIAE_AnnexeFinanciere_07102022_063002.csv"
)

// fixtureNow is the day the upstream statements run on (asp.md §1.11).
var fixtureNow = time.Date(2022, 10, 10, 10, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

type fixture struct {
	t   *testing.T
	d   *db.DB
	ctx context.Context
	n   atomic.Int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	return &fixture{t: t, d: d, ctx: context.Background()}
}

func (f *fixture) insertID(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw(query+" RETURNING id", args...).Scan(f.ctx, &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.NewRaw(query, args...).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// company stores a company; convID may be 0 for none.
func (f *fixture) company(siret string, kind org.CompanyKind, source org.Source, convID int64, authEmail string) int64 {
	f.t.Helper()
	var conv *int64
	if convID != 0 {
		conv = &convID
	}
	return f.insertID(`INSERT INTO company (uid, siret, kind, name, source, auth_email, convention_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), siret, string(kind), "Structure "+siret, string(source), authEmail, conv,
		fixtureNow.AddDate(-1, 0, 0), fixtureNow.AddDate(-1, 0, 0))
}

// convention stores a convention, active or deactivated at deactivatedAt.
func (f *fixture) convention(aspID int64, kind org.CompanyKind, siret string, deactivatedAt *time.Time) int64 {
	f.t.Helper()
	return f.insertID(`INSERT INTO siae_convention (kind, siret_signature, is_active, deactivated_at, asp_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, string(kind), siret, deactivatedAt == nil, deactivatedAt, aspID, fixtureNow.AddDate(-1, 0, 0), fixtureNow.AddDate(-1, 0, 0))
}

func (f *fixture) annex(convID int64, number string, state org.AnnexState, start, end time.Time) {
	f.t.Helper()
	f.exec(`INSERT INTO siae_financial_annex (number, state, start_at, end_at, convention_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, number, string(state), start, end, convID, fixtureNow.AddDate(-1, 0, 0), fixtureNow.AddDate(-1, 0, 0))
}

// member adds a user to the company, active or not.
func (f *fixture) member(companyID int64, active bool) {
	f.t.Helper()
	n := f.n.Add(1)
	user := f.insertID(`INSERT INTO users (public_id, email, kind, first_name, last_name, date_joined) VALUES (?, ?, 'professional', 'Julie', 'Martin', ?)`,
		uuid.NewString(), fmt.Sprintf("member%d@example.org", n), fixtureNow)
	f.exec(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, FALSE, ?, ?, ?)`,
		user, companyID, fixtureNow, active, fixtureNow, fixtureNow)
}

// application sends a candidature from a job seeker to the company.
func (f *fixture) application(companyID int64) {
	f.t.Helper()
	n := f.n.Add(1)
	seeker := f.insertID(`INSERT INTO users (public_id, email, kind, first_name, last_name, date_joined) VALUES (?, ?, 'job_seeker', 'Léo', 'Durand', ?)`,
		uuid.NewString(), fmt.Sprintf("seeker%d@example.org", n), fixtureNow)
	f.exec(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', 'new', ?, ?)`, uuid.NewString(), seeker, companyID, seeker, fixtureNow, fixtureNow)
}

// importFixtures runs the whole import of the fixture files at now, wet, and returns its report.
func (f *fixture) importFixtures(now time.Time) (Summary, string, error) {
	return f.importFiles(structuresFixture, annexesFixture, now, true)
}

func (f *fixture) importFiles(structures, annexes string, now time.Time, wet bool) (Summary, string, error) {
	var out bytes.Buffer
	sum, err := Import(f.ctx, f.d, Options{StructuresPath: structures, AnnexesPath: annexes, WetRun: wet, Now: now,
		BaseURL: "https://emplois.example.org", Out: &out})
	return sum, out.String(), err
}

// step runs one step of a run over the fixture files, committed, and returns its report.
func (f *fixture) step(now time.Time, fn func(r *run, ctx context.Context) error) (string, error) {
	f.t.Helper()
	var out bytes.Buffer
	r := &run{opt: Options{StructuresPath: structuresFixture, AnnexesPath: annexesFixture, Out: &out, BaseURL: "https://emplois.example.org"},
		now: now, today: day(now.Format("2006-01-02"))}
	if err := r.readFiles(); err != nil {
		f.t.Fatal(err)
	}
	err := f.d.InTx(f.ctx, func(ctx context.Context, tx bun.Tx) error {
		r.tx = tx
		if err := r.load(ctx); err != nil {
			return err
		}
		return fn(r, ctx)
	})
	return out.String(), err
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.NewRaw(query, args...).Scan(f.ctx, &n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) conventionOf(siret string, kind org.CompanyKind) *org.Convention {
	f.t.Helper()
	var c org.Company
	if err := f.d.NewSelect().Model(&c).Relation("Convention").Where("co.siret = ? AND co.kind = ?", siret, kind).Scan(f.ctx); err != nil {
		f.t.Fatalf("company %s %s: %v", siret, kind, err)
	}
	return c.Convention
}

// writeFile writes a fixture variant into a temporary folder.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fixtureWith returns the fixture text with old replaced by new.
func fixtureWith(t *testing.T, path, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	return strings.Replace(string(b), old, new, 1)
}
