package invitation

import (
	"context"
	"emplois/internal/platform/actor"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
)

// fixture is the invitation service over a fresh database holding the demo communes, with the
// organization and account services it works with, all on one movable clock.
type fixture struct {
	t        *testing.T
	d        *db.DB
	ctx      context.Context
	now      time.Time
	orgs     *org.Service
	accounts *account.Service
	s        *Service
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
	f := &fixture{t: t, d: d, ctx: ctx, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.orgs, f.accounts = org.NewService(d, cfg), account.NewService(d, cfg)
	f.orgs.Now, f.accounts.Now = clock, clock
	f.accounts.Params = account.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	f.s = NewService(d, cfg, f.orgs, f.accounts)
	f.s.Now = clock
	return f
}

var serial atomic.Int64

func newSIRET() string {
	return org.WithLuhnKey(org.WithLuhnKey(fmt.Sprintf("%08d", 60000000+serial.Add(1))) + "0001")
}

// user stores an active, verified password account of the kind.
func (f *fixture) user(kind account.Kind, email string) *account.User {
	f.t.Helper()
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: account.Django,
		FirstName: "Prénom", LastName: "Nom", IsActive: true, EmailVerifiedAt: &f.now, DateJoined: f.now}
	if _, err := f.d.NewInsert().Model(u).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// member creates a professional who joins the organization.
func (f *fixture) member(t org.Type, orgID int64, email string) *account.User {
	f.t.Helper()
	u := f.user(account.Professional, email)
	if _, err := f.orgs.AddMember(f.ctx, actor.Actor{UserID: u.ID}, t, orgID, u.ID, false); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// company stores an SIAE with an active convention (or a GEIQ) at Lyon.
func (f *fixture) company(kind org.CompanyKind) *org.Company {
	f.t.Helper()
	in := org.CompanyInput{SIRET: newSIRET(), Kind: kind, Name: "Structure " + string(kind), Address: org.AddressInput{Line1: "1 rue A", CommuneCode: "69123"}}
	var convID *int64
	source := org.SourceGEIQ
	if kind.IsSIAE() {
		n := serial.Add(1)
		conv, err := f.orgs.CreateConvention(f.ctx, org.ConventionInput{Kind: kind, SiretSignature: in.SIRET, ASPID: n,
			Annexes: []org.AnnexInput{{Number: fmt.Sprintf("%s69A%06dA0M0", kind, n), State: org.AnnexValid,
				StartAt: f.now.AddDate(-1, 0, 0), EndAt: f.now.AddDate(1, 0, 0)}}})
		if err != nil {
			f.t.Fatal(err)
		}
		convID, source = &conv.ID, org.SourceASP
	}
	c, err := f.orgs.ImportCompany(f.ctx, in, source, convID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) prescriber(kind org.PrescriberKind) *org.PrescriberOrganization {
	f.t.Helper()
	in := org.PrescriberInput{SIRET: newSIRET(), Kind: kind, Name: "Prescripteur " + string(kind), Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}}
	if kind == org.FT {
		in.CodeSAFIR = fmt.Sprintf("%05d", serial.Add(1)%100000)
	}
	p, err := f.orgs.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) institution() *org.Institution {
	f.t.Helper()
	i, err := f.orgs.CreateInstitution(f.ctx, actor.Actor{Kind: actor.Staff}, org.InstitutionInput{Kind: org.DDETSIAE, Name: "DDETS du Rhône", Department: "69"})
	if err != nil {
		f.t.Fatal(err)
	}
	return i
}

func (f *fixture) send(sender *account.User, orgUID string, emails ...string) []*Invitation {
	f.t.Helper()
	var rows []Invitee
	for _, e := range emails {
		rows = append(rows, Invitee{Email: e, FirstName: "Camille", LastName: "Collègue"})
	}
	sent, err := f.s.Send(f.ctx, actor.Actor{UserID: sender.ID}, orgUID, rows)
	if err != nil {
		f.t.Fatalf("send: %v", err)
	}
	return sent
}

func (f *fixture) isMember(t org.Type, orgID int64, u *account.User) bool {
	f.t.Helper()
	ok, err := f.orgs.IsActiveMember(f.ctx, t, orgID, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return ok
}

func (f *fixture) mails() []mail.OutboxMail {
	f.t.Helper()
	var mails []mail.OutboxMail
	if err := f.d.NewSelect().Model(&mails).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return mails
}

func (f *fixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.d.NewRaw("SELECT COUNT(*) FROM "+table).Scan(f.ctx, &n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) audits(action string) []audit.Event {
	f.t.Helper()
	var events []audit.Event
	if err := f.d.NewSelect().Model(&events).Where("action = ?", action).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return events
}
