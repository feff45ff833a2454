package jobdesc

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
	"emplois/internal/reference"
)

// Appellations and communes of the demo reference sample (internal/rome/demo, internal/geo/demo).
const (
	agentPropreteLocaux = "10688" // Agent / Agente d'entretien/propreté de locaux (K2204)
	auxiliaireDeVie     = "11453" // Auxiliaire de vie (K1302)
	villeurbanne        = "69266"
)

// fixture is a service over a migrated database with the demo reference data and a movable clock.
type fixture struct {
	t   *testing.T
	d   *db.DB
	svc *Service
	clk *clock
	seq int
}

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

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc := NewService(d, cfg)
	svc.Now = clk.Now
	return &fixture{t: t, d: d, svc: svc, clk: clk}
}

type companyOption func(*org.Company)

func searchable(b bool) companyOption { return func(c *org.Company) { c.IsSearchable = b } }
func blocked() companyOption          { return func(c *org.Company) { c.BlockJobApplications = true } }
func spontaneousSince(t time.Time) companyOption {
	return func(c *org.Company) { c.SpontaneousApplicationsOpenSince = &t }
}

// company stores a company of this kind; SIAE get an active convention.
func (f *fixture) company(kind org.CompanyKind, opts ...companyOption) *org.Company {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	now := f.clk.Now()
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("123456789%05d", f.seq), Kind: kind,
		Name: fmt.Sprintf("Structure %d", f.seq), Source: org.SourceASP, IsSearchable: true,
		Department: "69", CreatedAt: now, UpdatedAt: now,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: "69123"}}
	switch kind {
	case org.GEIQ:
		co.Source = org.SourceGEIQ
	case org.OPCS, org.EA, org.EATT, org.Reserved:
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

// user stores an active professional (or staff when staff is true).
func (f *fixture) user(email string, staff bool) *account.User {
	f.t.Helper()
	kind := account.Professional
	if staff {
		kind = account.Staff
	}
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: account.Django,
		FirstName: "Prénom", LastName: "Nom", IsActive: true, DateJoined: f.clk.Now()}
	if _, err := f.d.NewInsert().Model(u).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// member makes u a member of co (active or not) and returns the actor acting for co.
func (f *fixture) member(u *account.User, co *org.Company, active bool) actor.Actor {
	f.t.Helper()
	now := f.clk.Now()
	_, err := f.d.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, FALSE, ?, ?, ?)`, u.ID, co.ID, now, active, now, now).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return actingFor(u.ID, co.ID)
}

// employer is a new active member of co, acting for it.
func (f *fixture) employer(co *org.Company) actor.Actor {
	f.t.Helper()
	f.seq++
	return f.member(f.user(fmt.Sprintf("employeur%d@example.org", f.seq), false), co, true)
}

func input(contract ContractType) Input {
	return Input{Appellation: agentPropreteLocaux, ContractType: string(contract), OpenPositions: "1",
		Description: "Entretien de bureaux", ProfileDescription: "Débutant accepté"}
}

// create creates an open fiche through the service, failing the test on refusal.
func (f *fixture) create(a actor.Actor, co *org.Company, in Input) *JobDescription {
	f.t.Helper()
	jd, err := f.svc.Create(context.Background(), a, co.ID, in)
	if err != nil {
		f.t.Fatalf("create: %v", err)
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

func (f *fixture) reload(uid string) *JobDescription {
	f.t.Helper()
	jd, err := byUID(context.Background(), f.d, uid)
	if err != nil {
		f.t.Fatal(err)
	}
	return jd
}

// actingFor is the professional userID acting for the company companyID.
func actingFor(userID, companyID int64) actor.Actor {
	return actor.Actor{UserID: userID, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypeCompany), ID: companyID}}
}
