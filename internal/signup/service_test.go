package signup

import (
	"context"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
)

type fixture struct {
	t    *testing.T
	d    *db.DB
	ctx  context.Context
	now  time.Time
	orgs *org.Service
	s    *Service
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
	f.orgs = org.NewService(d, cfg)
	f.s = NewService(d, cfg, f.orgs, []byte("test-secret-key-of-at-least-32-chars"))
	f.orgs.Now, f.s.Now = f.clock, f.clock
	return f
}

func (f *fixture) clock() time.Time { return f.now }

var serial atomic.Int64

func (f *fixture) pro(email string) *account.User {
	f.t.Helper()
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: account.Professional, IdentityProvider: account.Django,
		FirstName: "Pat", LastName: "Pro", IsActive: true, EmailVerifiedAt: &f.now, DateJoined: f.now}
	if _, err := f.d.NewInsert().Model(u).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// company stores a GEIQ (always active) with the SIRET and official address given.
func (f *fixture) company(siret, authEmail string) *org.Company {
	f.t.Helper()
	c, err := f.orgs.ImportCompany(f.ctx, org.CompanyInput{SIRET: siret, Kind: org.GEIQ, Name: "GEIQ " + siret[9:], AuthEmail: authEmail,
		Address: org.AddressInput{Line1: "1 rue A", CommuneCode: "69123"}}, org.SourceGEIQ, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) mails() []mail.OutboxMail {
	f.t.Helper()
	var mails []mail.OutboxMail
	if err := f.d.NewSelect().Model(&mails).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return mails
}

var joinLink = regexp.MustCompile(`/signup/employer/join/([^/\s]+)/(\S+)`)

func (f *fixture) lastLink() (uid, token string) {
	f.t.Helper()
	mails := f.mails()
	m := joinLink.FindStringSubmatch(mails[len(mails)-1].Text)
	if m == nil {
		f.t.Fatalf("no signup link in %q", mails[len(mails)-1].Text)
	}
	return m[1], m[2]
}

func siren() string { return org.WithLuhnKey(fmt.Sprintf("%08d", 70000000+serial.Add(1))) }

func TestEmployerLink_TheFirstUserBecomesAdminAndTheLinkDiesForTheNext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sn := siren()
		c := f.company(org.WithLuhnKey(sn+"0001"), "etienne.contact@geiq.fr")
		first, second := f.pro("premier@geiq.fr"), f.pro("second@geiq.fr")
		choices, err := f.s.EmployerChoices(f.ctx, sn[:3]+" "+sn[3:])
		if err != nil || len(choices.Free) != 1 || len(choices.Taken) != 0 {
			t.Fatalf("choices = %+v, %v", choices, err)
		}
		sent, err := f.s.SendEmployerLink(f.ctx, actor.Actor{UserID: first.ID}, first, sn, c.UID)
		if err != nil || sent.To != "e*****t@geiq.fr" || sent.Company.UID != c.UID {
			t.Fatalf("sent = %+v, %v", sent, err)
		}
		if m := f.mails(); len(m) != 1 || m[0].To != "etienne.contact@geiq.fr" || !strings.Contains(m[0].Text, "premier@geiq.fr") {
			t.Errorf("mail = %+v", m)
		}
		uid, token := f.lastLink()
		// The first one to use the link joins as admin (scenario 8).
		if _, err := f.s.JoinWithEmployerLink(f.ctx, actor.Actor{UserID: first.ID}, uid, token); err != nil {
			t.Fatal(err)
		}
		page, err := f.orgs.Members(f.ctx, actor.Actor{UserID: first.ID}, c.UID, 1)
		if err != nil || page.Total != 1 || page.Admins != 1 {
			t.Fatalf("members = %+v, %v", page, err)
		}
		// The same link, once the member count changed, is refused (scenario 9).
		if _, err := f.s.JoinWithEmployerLink(f.ctx, actor.Actor{UserID: second.ID}, uid, token); !errors.Is(err, ErrLinkInvalid) {
			t.Errorf("second use: %v", err)
		}
		if ok, _ := f.orgs.IsActiveMember(f.ctx, org.TypeCompany, c.ID, second.ID); ok {
			t.Error("the second person joined")
		}
		// The company now has members: it is listed as such, with its contact, and not selectable.
		choices, _ = f.s.EmployerChoices(f.ctx, sn)
		if len(choices.Free) != 0 || len(choices.Taken) != 1 || choices.Taken[0].Contact.Email != "premier@geiq.fr" {
			t.Errorf("choices after joining = %+v", choices)
		}
		if _, err := f.s.SendEmployerLink(f.ctx, actor.Actor{UserID: second.ID}, second, sn, c.UID); !errors.Is(err, ErrCompanyHasMembers) {
			t.Errorf("link for a company with members: %v", err)
		}
	})
}

func TestEmployerLink_ExpiresAfterFourteenDaysAndNeedsAnOfficialAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sn := siren()
		c := f.company(org.WithLuhnKey(sn+"0001"), "contact@geiq.fr")
		noAddress := f.company(org.WithLuhnKey(sn+"0002"), "")
		pro := f.pro("pro@geiq.fr")
		if _, err := f.s.SendEmployerLink(f.ctx, actor.Actor{UserID: pro.ID}, pro, sn, noAddress.UID); !errors.Is(err, ErrNoAuthEmail) {
			t.Errorf("no official address: %v", err)
		}
		if _, err := f.s.SendEmployerLink(f.ctx, actor.Actor{UserID: pro.ID}, pro, siren(), c.UID); !errors.Is(err, ErrCompanyNotListed) {
			t.Errorf("company of another SIREN: %v", err)
		}
		if _, err := f.s.SendEmployerLink(f.ctx, actor.Actor{UserID: pro.ID}, pro, sn, c.UID); err != nil {
			t.Fatal(err)
		}
		uid, token := f.lastLink()
		f.now = f.now.Add(EmployerLinkValidity)
		if _, err := f.s.JoinWithEmployerLink(f.ctx, actor.Actor{UserID: pro.ID}, uid, token); !errors.Is(err, ErrLinkInvalid) {
			t.Errorf("after 14 days: %v", err)
		}
		if _, _, err := f.s.EmployerLinkCompany(f.ctx, "00000000-0000-0000-0000-000000000000", token); !errors.Is(err, ErrLinkInvalid) {
			t.Errorf("unknown company: %v", err)
		}
		if _, err := f.s.EmployerChoices(f.ctx, "123"); err == nil {
			t.Error("short SIREN accepted")
		}
	})
}

func TestFranceTravailAgency_AgentsJoinByAKnownSAFIRCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		agency, err := f.orgs.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, org.PrescriberInput{Kind: org.FT, Name: "France Travail Lille",
			CodeSAFIR: "59113", Address: org.AddressInput{Line1: "1 rue", CommuneCode: "59350"}})
		if err != nil {
			t.Fatal(err)
		}
		agent := f.pro("agent@francetravail.fr")
		if _, err := f.s.FranceTravailAgency(f.ctx, "perso@gmail.com", "59113"); !errors.Is(err, ErrNotFranceTravailEmail) {
			t.Errorf("not an FT address: %v", err)
		}
		for code, want := range map[string]string{"59999": MsgSAFIRUnknown, "5911": org.MsgSAFIR, "abcde": org.MsgSAFIR} {
			_, err := f.s.FranceTravailAgency(f.ctx, agent.Email, code)
			if fes := fault.FieldsOf(err); len(fes) == 0 || fes[0].Field != "code_safir" || fes[0].Message != want {
				t.Errorf("code %s: %v", code, err)
			}
		}
		p, err := f.s.JoinFranceTravailAgency(f.ctx, actor.Actor{UserID: agent.ID}, agent.Email, " 59113 ")
		if err != nil || p.UID != agency.UID {
			t.Fatalf("join: %v", err)
		}
		if ok, _ := f.orgs.IsActiveMember(f.ctx, org.TypePrescriber, agency.ID, agent.ID); !ok {
			t.Error("the agent is not a member")
		}
	})
}

func TestPrescriberStart_ChecksTheSIRETAndDepartmentAndFindsTakenKinds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.s.CheckPrescriberStart(f.ctx, "123", "00"); len(fault.FieldsOf(err)) != 2 {
			t.Errorf("bad SIRET and department: %v", err)
		}
		siret := org.WithLuhnKey(siren() + "0001")
		spaced := siret[:3] + " " + siret[3:6] + " " + siret[6:9] + " " + siret[9:]
		start, err := f.s.CheckPrescriberStart(f.ctx, spaced, "59")
		if err != nil || start.SIRET != siret || len(start.Matches) != 0 {
			t.Fatalf("start = %+v, %v", start, err)
		}
		ml, err := f.orgs.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, org.PrescriberInput{SIRET: siret, Kind: org.ML, Name: "Mission locale",
			Address: org.AddressInput{Line1: "1 rue", CommuneCode: "59350"}})
		if err != nil {
			t.Fatal(err)
		}
		if start, _ := f.s.CheckPrescriberStart(f.ctx, siret, "59"); len(start.Matches) != 1 || start.Matches[0].UID != ml.UID {
			t.Errorf("matches = %+v", start.Matches)
		}
		taken, err := f.s.KindTaken(f.ctx, siret, org.ML)
		if err != nil || taken == nil || taken.UID != ml.UID {
			t.Errorf("ML taken = %+v, %v", taken, err)
		}
		if free, err := f.s.KindTaken(f.ctx, siret, org.CCAS); err != nil || free != nil {
			t.Errorf("CCAS taken = %+v, %v", free, err)
		}
	})
}
