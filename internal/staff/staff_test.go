package staff

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

type fixture struct {
	t        *testing.T
	ctx      context.Context
	accounts *account.Service
	orgs     *org.Service
	s        *Service
	staff    *account.User
	actor    actor.Actor
	now      time.Time
}

const password = "Velo-Rouge-Sous-La-Pluie-42"

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
	f := &fixture{t: t, ctx: ctx, accounts: account.NewService(d, cfg), orgs: org.NewService(d, cfg),
		now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.accounts.Now, f.orgs.Now = clock, clock
	f.accounts.Params = account.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	f.s = NewService(d, f.accounts, f.orgs)
	f.staff, err = f.accounts.CreateStaff(ctx, account.StaffInput{Email: "staff@example.org", FirstName: "Sol", LastName: "Staff", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	f.actor = actor.Actor{UserID: f.staff.ID, Kind: actor.Staff, ClientIP: "192.0.2.7"}
	return f
}

func (f *fixture) pro(email, first, last string) *account.User {
	f.t.Helper()
	u, err := f.accounts.CreateProfessional(f.ctx, account.ProfessionalInput{Email: email, FirstName: first, LastName: last, Password: password}, "test", "")
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) tick() { f.now = f.now.Add(time.Minute) }

func TestService_RefusesEveryoneButStaff(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pro := actor.Actor{UserID: f.pro("pro@example.org", "Pat", "Pro").ID}
		if _, err := f.s.Home(f.ctx, pro, Query{Text: "a"}); !errors.Is(err, ErrForbidden) {
			t.Errorf("home: %v", err)
		}
		if _, err := f.s.User(f.ctx, pro, f.staff.PublicID); !errors.Is(err, ErrForbidden) {
			t.Errorf("user: %v", err)
		}
		if _, err := f.s.Organization(f.ctx, pro, "x", 1); !errors.Is(err, ErrForbidden) {
			t.Errorf("organization: %v", err)
		}
	})
}

func TestHome_SearchesWithinTheScopeAndListsPendingHabilitations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pro("martin@example.org", "Paul", "Martin")
		if _, err := f.orgs.CreatePrescriberOrganization(f.ctx, f.actor, org.PrescriberInput{SIRET: org.WithLuhnKey("1234567800012"), Kind: org.CCAS,
			Name: "CCAS Martin", Address: org.AddressInput{Line1: "1 rue", CommuneCode: "69123"}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			scope       Scope
			users, orgs string
		}{
			{ScopeAll, "1", "1"},
			{ScopeProfessionals, "1", "-"},
			{ScopeJobSeekers, "0", "-"},
			{ScopeOrganizations, "-", "1"},
			{"nonsense", "1", "1"},
		} {
			h, err := f.s.Home(f.ctx, f.actor, Query{Text: "martin", Scope: tc.scope})
			if err != nil {
				t.Fatal(err)
			}
			users, orgs := "-", "-"
			if h.Users != nil {
				users = fmt.Sprint(h.Users.Total)
			}
			if h.Orgs != nil {
				orgs = fmt.Sprint(h.Orgs.Total)
			}
			if users != tc.users || orgs != tc.orgs || h.Pending.Total != 1 {
				t.Errorf("scope %q: users %s, organizations %s, pending %d; want %s, %s, 1", tc.scope, users, orgs, h.Pending.Total, tc.users, tc.orgs)
			}
		}
		h, err := f.s.Home(f.ctx, f.actor, Query{})
		if err != nil || h.Searched || h.Users != nil || h.Orgs != nil || h.Pending.Total != 1 || h.Pending.Pages != 1 {
			t.Errorf("empty search: %+v, %v", h, err)
		}
	})
}

func TestUser_ShowsMembershipsAndTheHistoryNewestFirstWithActors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.pro("pat@example.org", "Pat", "Pro")
		p, err := f.orgs.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: u.ID, ClientIP: "192.0.2.1"}, org.PrescriberInput{
			SIRET: org.WithLuhnKey("1234567800012"), Kind: org.ML, Name: "Mission locale",
			Address: org.AddressInput{Line1: "1 rue", CommuneCode: "69123"}})
		if err != nil {
			t.Fatal(err)
		}
		f.tick()
		if _, err := f.accounts.DeactivateUser(f.ctx, f.actor, u.PublicID); err != nil {
			t.Fatal(err)
		}
		detail, err := f.s.User(f.ctx, f.actor, u.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if detail.User.IsActive || detail.IsViewer {
			t.Errorf("user: active %v, viewer %v", detail.User.IsActive, detail.IsViewer)
		}
		if len(detail.Memberships) != 1 || detail.Memberships[0].Organization.UID != p.UID || !detail.Memberships[0].IsAdmin {
			t.Errorf("memberships: %+v", detail.Memberships)
		}
		var got []string
		for _, e := range detail.History {
			got = append(got, e.Label+" by "+e.ActorName+fmt.Sprint(e.ActorStaff))
		}
		if want := "[Compte désactivé by Sol STAFFtrue Compte professionnel créé by Pat PROfalse]"; fmt.Sprint(got) != want {
			t.Errorf("history: %v, want %s", got, want)
		}
		if e := detail.History[0]; e.ClientIP != "192.0.2.7" || fmt.Sprint(e.Details) != "[{via staff}]" || e.ActorPublicID != f.staff.PublicID {
			t.Errorf("deactivation event: %+v", e)
		}
		if self, _ := f.s.User(f.ctx, f.actor, f.staff.PublicID); !self.IsViewer {
			t.Error("staff looking at their own account is not IsViewer")
		}
		if _, err := f.s.User(f.ctx, f.actor, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestOrganization_ShowsMembersAndTheHabilitationHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.pro("pat@example.org", "Pat", "Pro")
		p, err := f.orgs.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: u.ID}, org.PrescriberInput{
			SIRET: org.WithLuhnKey("1234567800012"), Kind: org.ML, Name: "Mission locale",
			Address: org.AddressInput{Line1: "1 rue", CommuneCode: "69123"}})
		if err != nil {
			t.Fatal(err)
		}
		f.tick()
		if err := f.orgs.ValidateHabilitation(f.ctx, f.actor, p.UID); err != nil {
			t.Fatal(err)
		}
		o, err := f.s.Organization(f.ctx, f.actor, p.UID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if o.Prescriber == nil || o.Prescriber.AuthorizationStatus != org.AuthorizationValidated || o.Members.Total != 1 ||
			o.Members.Members[0].PublicID != u.PublicID {
			t.Errorf("organization: %+v, members %+v", o.Overview, o.Members)
		}
		var got []string
		for _, e := range o.History {
			got = append(got, e.Label)
		}
		if want := "[Habilitation validée Organisation créée Membre ajouté]"; fmt.Sprint(got) != want {
			t.Errorf("history: %v, want %s", got, want)
		}
		if _, err := f.s.Organization(f.ctx, f.actor, "00000000-0000-0000-0000-000000000000", 1); !errors.Is(err, org.ErrNotFound) {
			t.Errorf("unknown organization: %v", err)
		}
	})
}

func TestActionLabel_NamesKnownActionsAndKeepsUnknownOnes(t *testing.T) {
	for action, want := range map[string]string{
		org.ActionHabilitationRefuse:  "Habilitation refusée",
		account.ActionUserReactivated: "Compte réactivé",
		"invitation_sent":             "invitation_sent",
	} {
		if got := ActionLabel(action); got != want {
			t.Errorf("ActionLabel(%q) = %q, want %q", action, got, want)
		}
	}
}

func TestDetails_SortsKeysAndShowsNonTextAsJSON(t *testing.T) {
	got := fmt.Sprint(details(`{"to":"CCAS","from":"OTHER","members_notified":2,"x":null}`))
	if want := "[{from OTHER} {members_notified 2} {to CCAS} {x null}]"; got != want {
		t.Errorf("details = %s, want %s", got, want)
	}
	if details("{}") != nil || details("not json") != nil {
		t.Error("empty or broken details are not nil")
	}
}
