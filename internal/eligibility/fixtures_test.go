package eligibility

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// AdvanceDays moves the clock by n days.
func (c *clock) AdvanceDays(n int) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.AddDate(0, 0, n) }

// fixture is a service over a migrated database with a movable clock, starting on 2024-12-03
// at 10:00 in Paris.
type fixture struct {
	t   *testing.T
	d   *db.DB
	svc *Service
	clk *clock
	seq int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	clk := &clock{t: time.Date(2024, 12, 3, 9, 0, 0, 0, time.UTC)}
	return &fixture{t: t, d: d, svc: NewService(d, clk.Now), clk: clk}
}

func (f *fixture) user(kind actor.Kind, first string) *account.User {
	f.t.Helper()
	f.seq++
	u := &account.User{PublicID: uuid.NewString(), Email: fmt.Sprintf("%s%d@example.org", strings.ToLower(first), f.seq),
		Kind: kind, IdentityProvider: account.Django, FirstName: first, LastName: "Martin", IsActive: true, DateJoined: f.clk.Now()}
	if _, err := f.d.NewInsert().Model(u).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) jobSeeker() (*account.User, actor.Actor) {
	u := f.user(actor.JobSeeker, "Julie")
	return u, actor.Actor{UserID: u.ID, Kind: actor.JobSeeker, ClientIP: "192.0.2.1"}
}

func (f *fixture) join(table string, userID, orgID int64) {
	f.t.Helper()
	now := f.clk.Now()
	_, err := f.d.NewRaw(`INSERT INTO `+table+` (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, FALSE, TRUE, ?, ?)`, userID, orgID, now, now, now).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
}

// company stores a company of this kind (an SIAE with its convention).
func (f *fixture) company(kind org.CompanyKind) *org.Company {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	now := f.clk.Now()
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("123456789%05d", f.seq), Kind: kind,
		Name: fmt.Sprintf("Structure %d", f.seq), Source: org.SourceStaffCreated, Department: "69", CreatedAt: now, UpdatedAt: now,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: "69123"}}
	switch {
	case kind == org.GEIQ:
		co.Source = org.SourceGEIQ
	case kind.IsSIAE():
		co.Source = org.SourceASP
		conv := &org.Convention{Kind: kind, SiretSignature: co.SIRET, IsActive: true, ASPID: int64(f.seq), CreatedAt: now, UpdatedAt: now}
		if _, err := f.d.NewInsert().Model(conv).Exec(ctx); err != nil {
			f.t.Fatal(err)
		}
		co.ConventionID = &conv.ID
	}
	if _, err := f.d.NewInsert().Model(co).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	return co
}

// employer is a new member of co acting for it.
func (f *fixture) employer(co *org.Company) actor.Actor {
	f.t.Helper()
	u := f.user(actor.Professional, "Emma")
	f.join("company_membership", u.ID, co.ID)
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(co.Kind), ID: co.ID, UID: co.UID}}
}

// prescriber is a new member of a new prescriber organization, authorized or not (orienteur).
func (f *fixture) prescriber(authorized bool) actor.Actor {
	f.t.Helper()
	f.seq++
	now := f.clk.Now()
	status, kind := org.AuthorizationNotRequired, org.PrescriberKind("OTHER")
	if authorized {
		status, kind = org.AuthorizationValidated, org.AFPA
	}
	po := &org.PrescriberOrganization{UID: uuid.NewString(), Kind: kind, SIRET: fmt.Sprintf("987654321%05d", f.seq), Name: fmt.Sprintf("Orga %d", f.seq),
		AuthorizationStatus: status, Department: "69", CreatedAt: now, UpdatedAt: now,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: "69123"}}
	if _, err := f.d.NewInsert().Model(po).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	u := f.user(actor.Professional, "Paul")
	f.join("prescriber_membership", u.ID, po.ID)
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypePrescriber), Kind: string(kind), ID: po.ID, UID: po.UID}}
}

// keys are the IAE form keys of the seeded criteria of these kinds.
func (f *fixture) keys(kinds ...Kind) []string {
	f.t.Helper()
	cat, err := f.svc.Catalog(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, k := range kinds {
		found := false
		for _, c := range cat.IAE {
			if c.Kind == k {
				out, found = append(out, c.Key()), true
			}
		}
		if !found {
			f.t.Fatalf("no IAE criterion %s", k)
		}
	}
	return out
}

// geiqKeys are the GEIQ form keys of the seeded criteria of these kinds.
func (f *fixture) geiqKeys(kinds ...Kind) []string {
	f.t.Helper()
	cat, err := f.svc.Catalog(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, k := range kinds {
		found := false
		for _, c := range cat.GEIQ {
			if c.Kind == k {
				out, found = append(out, c.Key()), true
			}
		}
		if !found {
			f.t.Fatalf("no GEIQ criterion %s", k)
		}
	}
	return out
}

// createIAE makes an IAE diagnosis, failing the test on refusal.
func (f *fixture) createIAE(a actor.Actor, js *account.User, opts CreateOptions, kinds ...Kind) *Diagnosis {
	f.t.Helper()
	d, err := f.svc.CreateIAE(context.Background(), a, js.PublicID, f.keys(kinds...), opts)
	if err != nil {
		f.t.Fatalf("create IAE diagnosis: %v", err)
	}
	return d
}

func (f *fixture) createGEIQ(a actor.Actor, js *account.User, kinds ...Kind) *GEIQDiagnosis {
	f.t.Helper()
	d, err := f.svc.CreateGEIQ(context.Background(), a, js.PublicID, f.geiqKeys(kinds...))
	if err != nil {
		f.t.Fatalf("create GEIQ diagnosis: %v", err)
	}
	return d
}

// pass stores a PASS IAE of the user ending on end (inclusive), issued on the diagnosis d
// (nil: an imported PASS, origin ai_stock).
func (f *fixture) pass(u *account.User, d *Diagnosis, end time.Time) {
	f.t.Helper()
	f.seq++
	now := f.clk.Now()
	origin, diagID := "ai_stock", (*int64)(nil)
	if d != nil {
		origin, diagID = "default", &d.ID
	}
	_, err := f.d.NewRaw(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, eligibility_diagnosis_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), fmt.Sprintf("XXXXX%07d", f.seq), end.AddDate(-2, 0, 0), end,
		u.ID, origin, diagID, now, now).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
}

// candidature stores a candidature of the job seeker to co that uses the GEIQ diagnosis.
func (f *fixture) candidature(js *account.User, co *org.Company, d *GEIQDiagnosis) {
	f.t.Helper()
	now := f.clk.Now()
	_, err := f.d.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, geiq_eligibility_diagnosis_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', ?, ?, ?)`, uuid.NewString(), js.ID, co.ID, js.ID, d.ID, now, now).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
}

// iaeRow and geiqRow reload a diagnosis as stored.
func (f *fixture) iaeRow(id int64) *Diagnosis {
	f.t.Helper()
	d := new(Diagnosis)
	if err := f.d.NewSelect().Model(d).Where("ed.id = ?", id).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) geiqRow(id int64) *GEIQDiagnosis {
	f.t.Helper()
	d := new(GEIQDiagnosis)
	if err := f.d.NewSelect().Model(d).Where("ged.id = ?", id).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) count(table string, where string, args ...any) int {
	f.t.Helper()
	n, err := f.d.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}

// setExpiry changes a diagnosis's expires_at behind the service's back.
func (f *fixture) setExpiry(table string, id int64, day time.Time) {
	f.t.Helper()
	if _, err := f.d.NewUpdate().Table(table).Set("expires_at = ?", day).Where("id = ?", id).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func wantFault(t *testing.T, err error, want *fault.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %q", err, want)
	}
}

// wantField checks that err refuses the form field with message.
func wantField(t *testing.T, err error, field, message string) {
	t.Helper()
	if got := fault.FieldsOf(err).On(field); got != message {
		t.Fatalf("error on %s = %q (%v), want %q", field, got, err, message)
	}
}

func wantDay(t *testing.T, what string, got time.Time, want string) {
	t.Helper()
	if s := got.Format(time.DateOnly); s != want {
		t.Errorf("%s = %s, want %s", what, s, want)
	}
}
