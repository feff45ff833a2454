package org

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
)

// fixture is a Service over a fresh database holding the demo communes, with a movable clock.
type fixture struct {
	t   *testing.T
	d   *db.DB
	s   *Service
	now time.Time
	ctx context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	if err := geo.LoadDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, d: d, s: NewService(d, cfg), now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), ctx: ctx}
	f.s.Now = func() time.Time { return f.now }
	return f
}

var serial atomic.Int64

// siret returns a new valid SIRET; with a parent SIRET, one of the same SIREN.
func siret(parent ...string) string {
	n := serial.Add(1)
	if len(parent) > 0 {
		return WithLuhnKey(parent[0][:9] + fmt.Sprintf("%04d", n%10000))
	}
	return WithLuhnKey(WithLuhnKey(fmt.Sprintf("%08d", 30000000+n)) + "0001")
}

// user stores an active account of the kind.
func (f *fixture) user(kind account.Kind, email, first, last string) *account.User {
	f.t.Helper()
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: account.Django,
		FirstName: first, LastName: last, IsActive: true, DateJoined: f.now}
	if _, err := f.d.NewInsert().Model(u).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) pro(email string) *account.User {
	f.t.Helper()
	return f.user(account.Professional, email, "Prénom", email[:1])
}

// company stores a company of the kind at Lyon; SIAE get an active ASP convention.
func (f *fixture) company(kind CompanyKind, name string) *Company {
	f.t.Helper()
	in := CompanyInput{SIRET: siret(), Kind: kind, Name: name, Address: AddressInput{Line1: "1 rue A", CommuneCode: "69123"}}
	var convID *int64
	source := SourceGEIQ
	if kind.IsSIAE() {
		conv, err := f.s.CreateConvention(f.ctx, ConventionInput{Kind: kind, SiretSignature: in.SIRET, ASPID: serial.Add(1),
			Annexes: []AnnexInput{{Number: fmt.Sprintf("%s69A%06dA0M0", kind, serial.Add(1)), State: AnnexValid,
				StartAt: f.now.AddDate(-1, 0, 0), EndAt: f.now.AddDate(1, 0, 0)}}})
		if err != nil {
			f.t.Fatal(err)
		}
		convID, source = &conv.ID, SourceASP
	}
	if kind == OPCS {
		source = SourceStaffCreated
	}
	c, err := f.s.ImportCompany(f.ctx, in, source, convID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) prescriber(kind PrescriberKind, name string) *PrescriberOrganization {
	f.t.Helper()
	in := PrescriberInput{SIRET: siret(), Kind: kind, Name: name, Address: AddressInput{Line1: "1 rue B", CommuneCode: "59350"}}
	if kind == FT {
		in.CodeSAFIR = fmt.Sprintf("%05d", serial.Add(1)%100000)
	}
	p, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) join(t Type, orgID int64, u *account.User) *Membership {
	f.t.Helper()
	m, err := f.s.AddMember(f.ctx, actor.Actor{UserID: u.ID}, t, orgID, u.ID, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) membership(t Type, orgID int64, u *account.User) *Membership {
	f.t.Helper()
	m, err := membership(f.ctx, f.d, t, orgID, u.ID)
	if err != nil || m == nil {
		f.t.Fatalf("membership of %s: %v", u.Email, err)
	}
	return m
}

func (f *fixture) mails() []mail.OutboxMail {
	f.t.Helper()
	var mails []mail.OutboxMail
	if err := f.d.NewSelect().Model(&mails).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return mails
}

func (f *fixture) auditActions(action string) []audit.Event {
	f.t.Helper()
	var events []audit.Event
	if err := f.d.NewSelect().Model(&events).Where("action = ?", action).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return events
}
