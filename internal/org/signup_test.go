package org

import (
	"errors"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestPrescribersForSignup_ListsTheSIRETAndTheSIRENInTheDepartmentWithMembers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := actor.Actor{Kind: actor.Staff}
		base := siret()
		create := func(s string, kind PrescriberKind, commune string) *PrescriberOrganization {
			p, err := f.s.CreatePrescriberOrganization(f.ctx, staff, PrescriberInput{SIRET: s, Kind: kind, Name: "Org " + s[9:],
				Address: AddressInput{Line1: "1 rue", CommuneCode: commune}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		exact := create(base, CCAS, "59350")           // same SIRET, no member: listed
		sibling := create(siret(base), CHRS, "59350")  // same SIREN, Nord, member: listed
		create(siret(base), CADA, "59350")             // same SIREN, Nord, no member: not listed
		elsewhere := create(siret(base), CHU, "69123") // same SIREN, Rhône, member: not listed
		f.join(TypePrescriber, sibling.ID, f.pro("a@chrs.fr"))
		f.join(TypePrescriber, elsewhere.ID, f.pro("a@chu.fr"))

		got, err := f.s.PrescribersForSignup(f.ctx, base, "59")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != exact.ID || !got[0].SameSIRET || got[0].ActiveMembers != 0 ||
			got[1].ID != sibling.ID || got[1].SameSIRET || got[1].ActiveMembers != 1 {
			for _, m := range got {
				t.Logf("%s %s same=%v members=%d", m.Name, m.SIRET, m.SameSIRET, m.ActiveMembers)
			}
			t.Error("unexpected matches")
		}
	})
}

func TestAddMemberIfCount_RefusesOnceSomeoneJoined(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(EI, "Recyclerie")
		first, second := f.pro("first@ei.fr"), f.pro("second@ei.fr")
		m, err := f.s.AddMemberIfCount(f.ctx, actor.Actor{UserID: first.ID}, TypeCompany, c.ID, first.ID, 0)
		if err != nil || !m.IsAdmin {
			t.Fatalf("first: %+v, %v", m, err)
		}
		if _, err := f.s.AddMemberIfCount(f.ctx, actor.Actor{UserID: second.ID}, TypeCompany, c.ID, second.ID, 0); !errors.Is(err, ErrMembersChanged) {
			t.Errorf("second with the old count: %v", err)
		}
		if ok, _ := f.s.IsActiveMember(f.ctx, TypeCompany, c.ID, second.ID); ok {
			t.Error("second joined")
		}
	})
}

func TestCreatePrescriberOrganization_TellsSupportOfAHabilitationToValidate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cfg, err := config.Load(func(k string) (string, bool) {
			return map[string]string{"EMPLOIS_SUPPORT_EMAIL": "support@inclusion.gouv.fr"}[k], k == "EMPLOIS_SUPPORT_EMAIL"
		})
		if err != nil {
			t.Fatal(err)
		}
		s := NewService(d, cfg)
		s.Now = f.s.Now
		pro, other := f.user(account.Professional, "ml@example.org", "M", "L"), f.user(account.Professional, "autre@example.org", "A", "U")
		addr := AddressInput{Line1: "1 rue", CommuneCode: "59350"}
		p, err := s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: pro.ID}, PrescriberInput{SIRET: siret(), Kind: ML, Name: "Mission locale", Address: addr})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: other.ID}, PrescriberInput{SIRET: siret(), Kind: OtherKind, Name: "Asso", Address: addr}); err != nil {
			t.Fatal(err)
		}
		mails := f.mails()
		if len(mails) != 1 || mails[0].To != "support@inclusion.gouv.fr" || !strings.Contains(mails[0].Text, p.SIRET) {
			t.Errorf("mails = %+v", mails)
		}
		// (SIRET, kind) taken: refused, nothing written.
		if _, err := s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: other.ID}, PrescriberInput{SIRET: p.SIRET, Kind: ML, Name: "Doublon", Address: addr}); fault.FieldsOf(err).On("siret") != MsgPrescriberTaken {
			t.Errorf("taken pair: %v", err)
		}
		if len(f.mails()) != 1 {
			t.Error("the refused creation mailed support")
		}
	})
}
