package application

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/blob"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
	"emplois/internal/reference"
)

const agentPropreteLocaux = "10688"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a service over a migrated database with the demo reference data, a CV folder and
// a movable clock.
type fixture struct {
	t   *testing.T
	d   *db.DB
	svc *Service
	clk *clock
	seq int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	if err := reference.LoadDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.Open(ctx, "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc := NewService(d, cfg, blobs)
	svc.Now = clk.Now
	svc.Eligibility = eligibility.NewService(d, clk.Now)
	svc.Approvals = approval.NewService(d, "99999").WithMail(approval.MailSettings{BaseURL: "http://emplois.test", Support: "support@emplois.test"})
	svc.Approvals.Now = clk.Now
	return &fixture{t: t, d: d, svc: svc, clk: clk}
}

type companyOption func(*org.Company)

func blockedCompany() companyOption { return func(c *org.Company) { c.BlockJobApplications = true } }
func spontaneousOpen() companyOption {
	return func(c *org.Company) {
		t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		c.SpontaneousApplicationsOpenSince = &t
	}
}

// company stores a company of this kind with one active member (so that it takes candidatures).
func (f *fixture) company(kind org.CompanyKind, opts ...companyOption) *org.Company {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	now := f.clk.Now()
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("123456789%05d", f.seq), Kind: kind,
		Name: fmt.Sprintf("Structure %d", f.seq), Source: org.SourceASP, IsSearchable: true,
		Department: "69", CreatedAt: now, UpdatedAt: now,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: "69123"}}
	if kind == org.GEIQ {
		co.Source = org.SourceGEIQ
	} else if !kind.IsSIAE() {
		co.Source = org.SourceStaffCreated
	}
	if kind.IsSIAE() {
		conv := &org.Convention{Kind: kind, SiretSignature: co.SIRET, IsActive: true, ASPID: int64(f.seq), CreatedAt: now, UpdatedAt: now}
		if _, err := f.d.NewInsert().Model(conv).Exec(ctx); err != nil {
			f.t.Fatal(err)
		}
		co.ConventionID = &conv.ID
	}
	for _, o := range opts {
		o(co)
	}
	if _, err := f.d.NewInsert().Model(co).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	return co
}

// user stores an active account of this kind.
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

func (f *fixture) join(table string, userID, orgID int64, admin bool) {
	f.t.Helper()
	now := f.clk.Now()
	_, err := f.d.NewRaw(`INSERT INTO `+table+` (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, ?, TRUE, ?, ?)`, userID, orgID, now, admin, now, now).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
}

// employer is a new active member of co acting for it.
func (f *fixture) employer(co *org.Company) actor.Actor {
	f.t.Helper()
	u := f.user(actor.Professional, "Emma")
	f.join("company_membership", u.ID, co.ID, true)
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(co.Kind), ID: co.ID, UID: co.UID}}
}

// openEmployer is a new company of this kind open to spontaneous candidatures, with a member
// acting for it.
func (f *fixture) openEmployer(kind org.CompanyKind) (*org.Company, actor.Actor) {
	f.t.Helper()
	co := f.company(kind, spontaneousOpen())
	return co, f.employer(co)
}

// prescriber is a new member of a new prescriber organization, authorized or not (orienteur).
func (f *fixture) prescriber(authorized bool) actor.Actor {
	f.t.Helper()
	f.seq++
	now := f.clk.Now()
	status := org.AuthorizationNotRequired
	kind := org.PrescriberKind("OTHER")
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
	f.join("prescriber_membership", u.ID, po.ID, true)
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypePrescriber), Kind: string(kind), ID: po.ID, UID: po.UID}}
}

// fiche stores a fiche de poste of co, open or closed.
func (f *fixture) fiche(co *org.Company, open bool) *jobdesc.JobDescription {
	f.t.Helper()
	now := f.clk.Now()
	jd := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: agentPropreteLocaux,
		ContractType: jobdesc.Permanent, OpenPositions: 1, IsActive: open, CreatedAt: now, UpdatedAt: now,
		LastEmployerUpdateAt: now, CreationSource: jobdesc.Manually}
	if _, err := f.d.NewInsert().Model(jd).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return jd
}

func (f *fixture) count(table string) int {
	f.t.Helper()
	n, err := f.d.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}

func (f *fixture) mails() []mail.OutboxMail {
	f.t.Helper()
	var list []mail.OutboxMail
	if err := f.d.NewSelect().Model(&list).OrderExpr("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return list
}

func (f *fixture) clearMails() {
	f.t.Helper()
	if _, err := f.d.NewDelete().Table("mail_outbox").Where("1 = 1").Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) reload(publicID string) *Application {
	f.t.Helper()
	a, err := f.svc.byPublicID(context.Background(), f.d, publicID, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// submit sends a candidature of js to co for a (the job seeker or a proxy), failing on refusal.
func (f *fixture) submit(a actor.Actor, js *account.User, co *org.Company, jobs ...*jobdesc.JobDescription) *Application {
	f.t.Helper()
	in := SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID, Message: "Je suis motivée."}
	for _, j := range jobs {
		in.JobUIDs = append(in.JobUIDs, j.UID)
	}
	in.Spontaneous = len(jobs) == 0
	app, err := f.svc.Submit(context.Background(), a, in)
	if err != nil {
		f.t.Fatalf("submit: %v", err)
	}
	return app
}

func wantFault(t *testing.T, err error, want error) {
	t.Helper()
	if err == nil || err.Error() != want.Error() {
		t.Fatalf("error %v, want %q", err, want)
	}
}
