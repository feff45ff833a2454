package approval

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/localtime"
)

const testPrefix = "XXXXX"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// fixture is a service over a migrated database and a movable clock (2026-03-02, 10:00 in Paris).
type fixture struct {
	t   *testing.T
	d   *db.DB
	svc *Service
	clk *clock
	mu  sync.Mutex
	seq int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc := NewService(d, testPrefix)
	svc.Now = clk.Now
	return &fixture{t: t, d: d, svc: svc, clk: clk}
}

func (f *fixture) today() time.Time { return Today(f.clk.Now()) }

// setToday moves the clock to 10:00 in Paris on day.
func (f *fixture) setToday(day time.Time) {
	f.clk.set(time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, time.UTC))
}

func (f *fixture) next() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return f.seq
}

func (f *fixture) insertID(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw(query+" RETURNING id", args...).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.NewRaw(query, args...).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) user(kind actor.Kind) (int64, string) {
	n := f.next()
	email := fmt.Sprintf("user%d@example.org", n)
	id := f.insertID(`INSERT INTO users (public_id, email, kind, first_name, last_name, date_joined) VALUES (?, ?, ?, 'Julie', 'Martin', ?)`,
		uuid.NewString(), email, string(kind), f.clk.Now())
	return id, email
}

// jobSeeker stores a job seeker with a profile (NIR, birth date, France Travail id).
func (f *fixture) jobSeeker() int64 {
	id, _ := f.user(actor.JobSeeker)
	f.exec(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, nir, pole_emploi_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, fmt.Sprintf("%030d", id), d("1990-05-17"), fmt.Sprintf("1900575123%05d", id), "12345678901", f.clk.Now())
	return id
}

// company stores a company of kind and returns an employer acting for it.
func (f *fixture) company(kind org.CompanyKind) actor.Actor {
	n := f.next()
	now := f.clk.Now()
	id := f.insertID(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES (?, ?, ?, ?, 'STAFF_CREATED', ?, ?)`,
		uuid.NewString(), fmt.Sprintf("123456789%05d", n), string(kind), fmt.Sprintf("Structure %d", n), now, now)
	return f.member(id, kind)
}

// member is a new employer of the same company as e.
func (f *fixture) member(companyID int64, kind org.CompanyKind) actor.Actor {
	u, _ := f.user(actor.Professional)
	now := f.clk.Now()
	f.exec(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, TRUE, TRUE, ?, ?)`,
		u, companyID, now, now, now)
	return actor.Actor{UserID: u, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(kind), ID: companyID}}
}

// prescriber stores a prescriber organization, habilitated or not, with one member; it returns
// the member acting for it and their e-mail.
func (f *fixture) prescriber(habilitated bool) (actor.Actor, string) {
	n := f.next()
	now := f.clk.Now()
	status, kind := "NOT_REQUIRED", "OTHER"
	if habilitated {
		status, kind = "VALIDATED", "AFPA"
	}
	orgID := f.insertID(`INSERT INTO prescriber_organization (uid, siret, kind, name, authorization_status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		uuid.NewString(), fmt.Sprintf("987654321%05d", n), kind, fmt.Sprintf("Orga %d", n), status, now, now)
	return f.prescriberMember(orgID, kind)
}

func (f *fixture) prescriberMember(orgID int64, kind string) (actor.Actor, string) {
	u, email := f.user(actor.Professional)
	now := f.clk.Now()
	f.exec(`INSERT INTO prescriber_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, TRUE, TRUE, ?, ?)`,
		u, orgID, now, now, now)
	return actor.Actor{UserID: u, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypePrescriber), Kind: kind, ID: orgID}}, email
}

// diagnosis stores a prescriber's diagnosis of the job seeker.
func (f *fixture) diagnosis(jobSeeker int64) int64 {
	now := f.clk.Now()
	return f.insertID(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at) VALUES (?, 'prescriber', ?, ?, ?)`,
		jobSeeker, localtime.AddMonths(f.today(), 6), now, now)
}

// hire stores a candidature of the job seeker accepted by the employer's company at processed,
// from hiringStart, linked to the PASS when approvalID is not 0.
func (f *fixture) hire(jobSeeker int64, employer actor.Actor, hiringStart time.Time, processed time.Time, approvalID int64) {
	var pass *int64
	if approvalID != 0 {
		pass = &approvalID
	}
	f.exec(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state, hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', 'accepted', ?, ?, ?, 'automatic', ?, ?)`,
		uuid.NewString(), jobSeeker, employer.Organization.ID, jobSeeker, hiringStart, processed, pass, processed, processed)
}

// issue gives the job seeker a PASS from start in its own transaction.
func (f *fixture) issue(jobSeeker int64, start time.Time) (*Approval, error) {
	var a *Approval
	diagnosis := f.diagnosis(jobSeeker)
	err := f.d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
		var err error
		a, err = f.svc.Issue(ctx, tx, IssueInput{UserID: jobSeeker, StartAt: start, EligibilityDiagnosisID: diagnosis,
			OriginSIAESIRET: "12345678900001", OriginSIAEKind: "ACI", OriginSenderKind: "job_seeker"})
		return err
	})
	return a, err
}

// hired is a job seeker hired by an SIAE of kind with a PASS from start; it returns the PASS and
// an employer of that SIAE.
func (f *fixture) hired(kind org.CompanyKind, start time.Time) (*Approval, actor.Actor) {
	f.t.Helper()
	js := f.jobSeeker()
	a, err := f.issue(js, start)
	if err != nil {
		f.t.Fatal(err)
	}
	employer := f.company(kind)
	f.hire(js, employer, start, f.clk.Now().Add(-time.Hour), a.ID)
	return a, employer
}

func (f *fixture) get(a *Approval) *Approval {
	f.t.Helper()
	got, err := f.svc.Get(context.Background(), a.PublicID)
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

func (f *fixture) count(table string) int {
	f.t.Helper()
	n, err := f.d.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}
