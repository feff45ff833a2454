package org

import (
	"errors"
	"fmt"
	"testing"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

var staffActor = actor.Actor{Kind: actor.Staff}

func TestStaffReads_AreRefusedToNonStaff(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pro := actor.Actor{UserID: f.pro("pro@example.org").ID}
		if _, _, err := f.s.SearchForStaff(f.ctx, pro, "a", 0, 10); !errors.Is(err, ErrForbidden) {
			t.Errorf("search: %v", err)
		}
		if _, err := f.s.MembershipsOfUser(f.ctx, pro, pro.UserID); !errors.Is(err, ErrForbidden) {
			t.Errorf("memberships: %v", err)
		}
		if _, _, err := f.s.PendingPrescribers(f.ctx, pro, 0, 10); !errors.Is(err, ErrForbidden) {
			t.Errorf("pending: %v", err)
		}
		if _, err := f.s.MembersForStaff(f.ctx, pro, TypeCompany, 1, 1); !errors.Is(err, ErrForbidden) {
			t.Errorf("members: %v", err)
		}
	})
}

func TestSearchForStaff_FindsByNameBrandSIRENSIRETAndSAFIRAcrossFamilies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(EI, "Recyclerie du Rhône")
		if err := f.s.UpdateCompany(f.ctx, staffActor, co.UID, CompanyUpdate{Brand: "Ressourcerie 100% locale"}); err != nil {
			t.Fatal(err)
		}
		ml := f.prescriber(ML, "Mission locale Recyclage")
		ft := f.prescriber(FT, "France Travail Lille")
		_, err := f.s.CreateInstitution(f.ctx, staffActor, InstitutionInput{Kind: DDETSIAE, Name: "DDETS Recyclerie", Department: "69"})
		if err != nil {
			t.Fatal(err)
		}
		names := func(q string, offset, limit int) (string, int) {
			t.Helper()
			refs, total, err := f.s.SearchForStaff(f.ctx, staffActor, q, offset, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range refs {
				out = append(out, string(r.Type)+":"+r.Name)
			}
			return fmt.Sprint(out), total
		}
		for _, tc := range []struct {
			q     string
			want  string
			total int
		}{
			{"recycl", "[institution:DDETS Recyclerie prescriber:Mission locale Recyclage company:Ressourcerie 100% locale]", 3},
			{"100%", "[company:Ressourcerie 100% locale]", 1},
			{"RESSOURCERIE", "[company:Ressourcerie 100% locale]", 1},
			{co.SIRET[:9], "[company:Ressourcerie 100% locale]", 1},
			{co.SIRET[:3] + " " + co.SIRET[3:6] + " " + co.SIRET[6:9] + " " + co.SIRET[9:], "[company:Ressourcerie 100% locale]", 1},
			{ml.SIRET, "[prescriber:Mission locale Recyclage]", 1},
			{ft.CodeSAFIR, "[prescriber:France Travail Lille]", 1},
			{ml.UID, "[prescriber:Mission locale Recyclage]", 1},
			{"99999999999999", "[]", 0},
			{"", "[]", 0},
		} {
			if got, total := names(tc.q, 0, 10); got != tc.want || total != tc.total {
				t.Errorf("search %q: %s (%d), want %s (%d)", tc.q, got, total, tc.want, tc.total)
			}
		}
		if got, total := names("recycl", 1, 1); got != "[prescriber:Mission locale Recyclage]" || total != 3 {
			t.Errorf("second page of one: %s (%d)", got, total)
		}
	})
}

func TestMembershipsOfUser_ListsEveryFamilyActiveFirstWithInactiveOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.pro("admin@example.org")
		u := f.pro("multi@example.org")
		co := f.company(GEIQ, "GEIQ BTP")
		f.join(TypeCompany, co.ID, admin)
		f.join(TypeCompany, co.ID, u)
		p := f.prescriber(ML, "Mission locale")
		f.now = f.now.Add(1)
		f.join(TypePrescriber, p.ID, u) // first member: admin
		if err := f.s.DeactivateMember(f.ctx, actor.Actor{UserID: admin.ID}, co.UID, u.PublicID, false); err != nil {
			t.Fatal(err)
		}
		list, err := f.s.MembershipsOfUser(f.ctx, staffActor, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range list {
			got = append(got, fmt.Sprintf("%s admin=%v active=%v", m.Organization.Name, m.IsAdmin, m.IsActive))
		}
		if want := "[Mission locale admin=true active=true GEIQ BTP admin=false active=false]"; fmt.Sprint(got) != want {
			t.Errorf("memberships: %v, want %s", got, want)
		}
		if list, _ := f.s.MembershipsOfUser(f.ctx, staffActor, f.user(account.JobSeeker, "js@example.org", "J", "S").ID); len(list) != 0 {
			t.Errorf("a job seeker has memberships: %v", list)
		}
	})
}

func TestMembersForStaff_ShowsInactiveMembershipsAndDeactivatedAccountsLast(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(CCAS, "CCAS")
		admin := f.user(account.Professional, "admin@example.org", "Ada", "Zola")
		gone := f.user(account.Professional, "gone@example.org", "Guy", "Absent")
		f.join(TypePrescriber, p.ID, admin)
		f.join(TypePrescriber, p.ID, gone)
		if err := f.s.DeactivateMember(f.ctx, actor.Actor{UserID: admin.ID}, p.UID, gone.PublicID, false); err != nil {
			t.Fatal(err)
		}
		page, err := f.s.MembersForStaff(f.ctx, staffActor, TypePrescriber, p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 || page.Pages != 1 || len(page.Members) != 2 {
			t.Fatalf("page: %+v", page)
		}
		if m := page.Members[0]; m.Email != "admin@example.org" || !m.MembershipActive || !m.UserActive || !m.IsAdmin {
			t.Errorf("first: %+v", m)
		}
		if m := page.Members[1]; m.Email != "gone@example.org" || m.MembershipActive {
			t.Errorf("second: %+v", m)
		}
		empty, err := f.s.MembersForStaff(f.ctx, staffActor, TypePrescriber, f.prescriber(CCAS, "Vide").ID, 3)
		if err != nil || empty.Total != 0 || empty.Page != 1 || len(empty.Members) != 0 {
			t.Errorf("empty organization: %+v, %v", empty, err)
		}
	})
}

func TestPendingPrescribers_ListsOnlyNotSetOldestFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		first := f.prescriber(CCAS, "Premier")
		f.now = f.now.Add(1)
		second := f.prescriber(ML, "Deuxième")
		f.now = f.now.Add(1)
		validated := f.prescriber(CHRS, "Validé")
		if err := f.s.ValidateHabilitation(f.ctx, staffActor, validated.UID); err != nil {
			t.Fatal(err)
		}
		f.prescriber(OtherKind, "Orienteur sans habilitation") // NOT_REQUIRED
		f.prescriber(FT, "Agence")                             // VALIDATED by law
		list, total, err := f.s.PendingPrescribers(f.ctx, staffActor, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(list) != 2 || list[0].UID != first.UID || list[1].UID != second.UID {
			t.Errorf("pending: %d %+v", total, list)
		}
		list, total, _ = f.s.PendingPrescribers(f.ctx, staffActor, 1, 10)
		if total != 2 || len(list) != 1 || list[0].UID != second.UID {
			t.Errorf("second page: %d %+v", total, list)
		}
	})
}
