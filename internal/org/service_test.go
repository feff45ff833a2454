package org

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestAddMember_FirstActiveMemberBecomesAdminOthersDoNot(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(ACI, "Atelier")
		alice, bob := f.pro("alice@example.org"), f.pro("bob@example.org")
		if m := f.join(TypeCompany, c.ID, alice); !m.IsAdmin || !m.IsActive {
			t.Errorf("first member = %+v, want active admin", m)
		}
		if m := f.join(TypeCompany, c.ID, bob); m.IsAdmin {
			t.Error("second member became admin")
		}
		if again := f.join(TypeCompany, c.ID, bob); again.IsAdmin || !again.IsActive {
			t.Error("adding an active member again changed it")
		}
		if n := len(f.auditActions(ActionMemberAdded)); n != 2 {
			t.Errorf("%d member_added events, want 2", n)
		}
	})
}

func TestAddMember_RefusesAccountsThatAreNotProfessionals(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(ML, "Mission locale")
		seeker := f.user(account.JobSeeker, "seeker@example.org", "Ana", "B")
		if _, err := f.s.AddMember(f.ctx, actor.Actor{}, TypePrescriber, p.ID, seeker.ID, false); !errors.Is(err, ErrNotProfessional) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestDeactivateMember_KeepsTheRowDropsAdminMailsAndAudits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(EI, "Recyclerie")
		admin, bob := f.pro("admin@example.org"), f.pro("bob@example.org")
		f.join(TypeCompany, c.ID, admin)
		f.join(TypeCompany, c.ID, bob)
		if err := f.s.SetAdmin(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, bob.PublicID, true, false); err != nil {
			t.Fatal(err)
		}
		mails := f.mails()
		if len(mails) != 1 || mails[0].To != "bob@example.org" || !strings.Contains(mails[0].Subject, "administrateur") {
			t.Fatalf("grant mails = %+v", mails)
		}
		if err := f.s.DeactivateMember(f.ctx, actor.Actor{UserID: admin.ID, ClientIP: "192.0.2.1"}, c.UID, bob.PublicID, false); err != nil {
			t.Fatal(err)
		}
		m := f.membership(TypeCompany, c.ID, bob)
		if m.IsActive || m.IsAdmin || m.UpdatedByID == nil || *m.UpdatedByID != admin.ID {
			t.Errorf("after deactivation: %+v", m)
		}
		mails = f.mails()
		if len(mails) != 2 || mails[1].To != "bob@example.org" || !strings.Contains(mails[1].Text, "Recyclerie") {
			t.Errorf("deactivation mail = %+v", mails[len(mails)-1])
		}
		events := f.auditActions(ActionMemberDeactivated)
		if len(events) != 1 || events[0].ObjectID != c.UID || events[0].ClientIP != "192.0.2.1" || !strings.Contains(events[0].Details, bob.PublicID) {
			t.Errorf("audit = %+v", events)
		}
		// Re-adding reactivates the same row, not admin since the company has an active member.
		again := f.join(TypeCompany, c.ID, bob)
		if again.ID != m.ID || !again.IsActive || again.IsAdmin || !again.JoinedAt.Equal(f.now) {
			t.Errorf("reactivated = %+v (row %d)", again, m.ID)
		}
		if n := len(f.auditActions(ActionMemberReactivated)); n != 1 {
			t.Errorf("%d reactivation events", n)
		}
	})
}

func TestAddMember_ReactivatedMemberOfAnEmptiedOrganizationBecomesAdmin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(OtherKind, "Association")
		alice, bob := f.pro("alice@example.org"), f.pro("bob@example.org")
		f.join(TypePrescriber, p.ID, alice)
		f.join(TypePrescriber, p.ID, bob)
		staff := actor.Actor{UserID: f.user(account.Staff, "staff@example.org", "S", "T").ID, Kind: actor.Staff}
		if err := f.s.DeactivateMember(f.ctx, staff, p.UID, bob.PublicID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.s.DeactivateMember(f.ctx, staff, p.UID, alice.PublicID, true); err != nil {
			t.Fatal(err)
		}
		if m := f.join(TypePrescriber, p.ID, bob); !m.IsAdmin {
			t.Error("the only active member is not admin")
		}
	})
}

func TestMemberChanges_NeverOnOnesOwnMembershipAndOnlyByAdmins(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		inst, err := f.s.CreateInstitution(f.ctx, actor.Actor{Kind: actor.Staff}, InstitutionInput{Kind: DDETSIAE, Name: "DDETS 69", Department: "69"})
		if err != nil {
			t.Fatal(err)
		}
		admin, bob, carol := f.pro("admin@example.org"), f.pro("bob@example.org"), f.pro("carol@example.org")
		for _, u := range []*account.User{admin, bob, carol} {
			f.join(TypeInstitution, inst.ID, u)
		}
		if err := f.s.DeactivateMember(f.ctx, actor.Actor{UserID: admin.ID}, inst.UID, admin.PublicID, true); !errors.Is(err, ErrSelf) {
			t.Errorf("self deactivation: %v", err)
		}
		if err := f.s.SetAdmin(f.ctx, actor.Actor{UserID: admin.ID}, inst.UID, admin.PublicID, false, true); !errors.Is(err, ErrSelf) {
			t.Errorf("self revoke: %v", err)
		}
		if err := f.s.DeactivateMember(f.ctx, actor.Actor{UserID: bob.ID}, inst.UID, carol.PublicID, false); !errors.Is(err, ErrForbidden) {
			t.Errorf("non-admin deactivation: %v", err)
		}
		outsider := f.pro("outsider@example.org")
		if err := f.s.SetAdmin(f.ctx, actor.Actor{UserID: outsider.ID}, inst.UID, carol.PublicID, true, false); !errors.Is(err, ErrForbidden) {
			t.Errorf("outsider grant: %v", err)
		}
		if err := f.s.SetAdmin(f.ctx, actor.Actor{UserID: admin.ID}, inst.UID, outsider.PublicID, true, false); !errors.Is(err, ErrMemberNotFound) {
			t.Errorf("grant to a non-member: %v", err)
		}
		if m := f.membership(TypeInstitution, inst.ID, carol); !m.IsActive || m.IsAdmin {
			t.Errorf("carol changed: %+v", m)
		}
		if len(f.mails()) != 0 {
			t.Error("refused actions sent mails")
		}
	})
}

func TestLastAdmin_LosingTheRoleNeedsConfirmationAndNothingChangesWithout(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(GEIQ, "GEIQ BTP")
		admin, bob := f.pro("admin@example.org"), f.pro("bob@example.org")
		f.join(TypeCompany, c.ID, admin)
		f.join(TypeCompany, c.ID, bob)
		staff := actor.Actor{UserID: f.user(account.Staff, "staff@example.org", "S", "T").ID, Kind: actor.Staff}
		for name, act := range map[string]func(confirmed bool) error{
			"revoke":     func(ok bool) error { return f.s.SetAdmin(f.ctx, staff, c.UID, admin.PublicID, false, ok) },
			"deactivate": func(ok bool) error { return f.s.DeactivateMember(f.ctx, staff, c.UID, admin.PublicID, ok) },
		} {
			var last *LastAdminError
			if err := act(false); !errors.As(err, &last) || !strings.Contains(err.Error(), "dernier administrateur") {
				t.Fatalf("%s without confirmation: %v", name, err)
			}
			if m := f.membership(TypeCompany, c.ID, admin); !m.IsAdmin || !m.IsActive {
				t.Errorf("%s without confirmation changed the membership", name)
			}
		}
		if len(f.mails()) != 0 || len(f.auditActions(ActionAdminRevoked)) != 0 {
			t.Error("an unconfirmed change left a mail or an audit event")
		}
		// With a second admin, no confirmation is needed.
		if err := f.s.SetAdmin(f.ctx, staff, c.UID, bob.PublicID, true, false); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetAdmin(f.ctx, staff, c.UID, admin.PublicID, false, false); err != nil {
			t.Errorf("revoking one of two admins: %v", err)
		}
		if err := f.s.DeactivateMember(f.ctx, staff, c.UID, bob.PublicID, true); err != nil {
			t.Errorf("confirmed deactivation of the last admin: %v", err)
		}
		if m := f.membership(TypeCompany, c.ID, bob); m.IsActive || m.IsAdmin {
			t.Errorf("bob = %+v", m)
		}
	})
}

func TestLastAdmin_AnAdminWhoseAccountIsDeactivatedDoesNotCount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(ML, "ML")
		gone, bob := f.pro("gone@example.org"), f.pro("bob@example.org")
		f.join(TypePrescriber, p.ID, gone)
		f.join(TypePrescriber, p.ID, bob)
		staff := actor.Actor{Kind: actor.Staff}
		if err := f.s.SetAdmin(f.ctx, staff, p.UID, bob.PublicID, true, false); err != nil {
			t.Fatal(err)
		}
		if _, err := d.NewUpdate().Table("users").Set("is_active = FALSE").Where("id = ?", gone.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		var last *LastAdminError
		if err := f.s.SetAdmin(f.ctx, staff, p.UID, bob.PublicID, false, false); !errors.As(err, &last) {
			t.Errorf("bob is the last active admin, got %v", err)
		}
	})
}

func TestMembers_ListsActiveMembersByNameFiftyPerPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(AI, "Association intermédiaire")
		var first *account.User
		for i := 0; i < 53; i++ {
			u := f.user(account.Professional, fmt.Sprintf("m%02d@example.org", i), "Prénom", fmt.Sprintf("Nom%02d", 52-i))
			f.join(TypeCompany, c.ID, u)
			if i == 0 {
				first = u
			}
		}
		left := f.pro("left@example.org")
		f.join(TypeCompany, c.ID, left)
		if err := f.s.DeactivateMember(f.ctx, actor.Actor{UserID: first.ID}, c.UID, left.PublicID, false); err != nil {
			t.Fatal(err)
		}
		page, err := f.s.Members(f.ctx, actor.Actor{UserID: first.ID}, c.UID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 53 || page.Admins != 1 || page.Pages != 2 || len(page.Members) != 50 || !page.CanManage {
			t.Fatalf("page 1: total %d admins %d pages %d members %d", page.Total, page.Admins, page.Pages, len(page.Members))
		}
		if page.Members[0].LastName != "Nom00" || page.Members[49].LastName != "Nom49" {
			t.Errorf("order: %s … %s", page.Members[0].LastName, page.Members[49].LastName)
		}
		page2, err := f.s.Members(f.ctx, actor.Actor{UserID: first.ID}, c.UID, 9)
		if err != nil || page2.Page != 2 || len(page2.Members) != 3 {
			t.Fatalf("last page: %+v, %v", page2, err)
		}
		for _, m := range page2.Members {
			if m.Email == "left@example.org" {
				t.Error("a deactivated member is listed")
			}
		}
		member := f.pro("member@example.org")
		f.join(TypeCompany, c.ID, member)
		if p, err := f.s.Members(f.ctx, actor.Actor{UserID: member.ID}, c.UID, 1); err != nil || p.CanManage {
			t.Errorf("plain member: %v, can manage %v", err, p != nil && p.CanManage)
		}
		if _, err := f.s.Members(f.ctx, actor.Actor{UserID: left.ID}, c.UID, 1); !errors.Is(err, ErrForbidden) {
			t.Errorf("former member: %v", err)
		}
		if _, err := f.s.Members(f.ctx, actor.Actor{UserID: first.ID}, "unknown", 1); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown uid: %v", err)
		}
	})
}

func TestMembers_ClosedWhileTheCompanyIsInGracePeriodAndGoneAfter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(ETTI, "Intérim")
		u := f.pro("u@example.org")
		f.join(TypeCompany, c.ID, u)
		if err := f.s.DeactivateConvention(f.ctx, *c.ConventionID, f.now); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Members(f.ctx, actor.Actor{UserID: u.ID}, c.UID, 1); !errors.Is(err, ErrGracePeriod) {
			t.Errorf("members in grace period: %v", err)
		}
		if _, err := f.s.Overview(f.ctx, actor.Actor{UserID: u.ID}, c.UID); err != nil {
			t.Errorf("overview in grace period: %v", err)
		}
		ctx, err := f.s.ContextFor(f.ctx, u.ID, "")
		if err != nil || ctx.Current == nil || !ctx.Current.InGracePeriod {
			t.Fatalf("context in grace period: %+v, %v", ctx.Current, err)
		}
		f.now = f.now.Add(GracePeriod)
		if _, err := f.s.Overview(f.ctx, actor.Actor{UserID: u.ID}, c.UID); !errors.Is(err, ErrForbidden) {
			t.Errorf("overview after grace period: %v", err)
		}
		if ctx, _ := f.s.ContextFor(f.ctx, u.ID, ""); ctx.Current != nil {
			t.Errorf("company still usable after the grace period: %+v", ctx.Current)
		}
	})
}

func TestContextFor_ListsUsableOrganizationsAndKeepsTheSessionChoice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.pro("multi@example.org")
		ml := f.prescriber(ML, "Mission locale")
		f.join(TypePrescriber, ml.ID, u)
		f.now = f.now.Add(time.Hour)
		c := f.company(EI, "Entreprise")
		f.join(TypeCompany, c.ID, u)
		if err := f.s.ValidateHabilitation(f.ctx, actor.Actor{Kind: actor.Staff}, ml.UID); err != nil {
			t.Fatal(err)
		}
		cx, err := f.s.ContextFor(f.ctx, u.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(cx.Affiliations) != 2 || cx.Current.Type != TypeCompany || !cx.Current.IsAdmin || cx.Current.Name != "Entreprise" {
			t.Fatalf("context = %+v", cx)
		}
		cx, _ = f.s.ContextFor(f.ctx, u.ID, "prescriber-"+ml.UID)
		if cx.Current.UID != ml.UID || !cx.Current.FromAuthorizedPrescriber() || cx.Current.RoleLabel() != "prescripteur habilité" {
			t.Errorf("session choice: %+v", cx.Current)
		}
		nobody := f.pro("nobody@example.org")
		if cx, _ := f.s.ContextFor(f.ctx, nobody.ID, ""); cx.Current != nil || len(cx.Affiliations) != 0 {
			t.Errorf("no membership: %+v", cx)
		}
	})
}

func TestCreateCompany_StaffOnlyWithFrenchFieldErrorsAndNoDuplicate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := actor.Actor{UserID: f.user(account.Staff, "staff@example.org", "S", "T").ID, Kind: actor.Staff}
		in := CompanyInput{SIRET: siret(), Kind: EI, Name: "Nouvelle EI", Address: AddressInput{Line1: "3 rue C", PostCode: "13001", City: "Marseille"}}
		if _, err := f.s.CreateCompany(f.ctx, actor.Actor{UserID: f.pro("pro@example.org").ID}, in); !errors.Is(err, ErrForbidden) {
			t.Errorf("professional: %v", err)
		}
		c, err := f.s.CreateCompany(f.ctx, staff, in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Source != SourceStaffCreated || c.CommuneCode != "13055" || c.Department != "13" || c.Latitude == nil || !c.ActivityAt(f.now).Active {
			t.Errorf("created = %+v", c)
		}
		if _, err := f.s.CreateCompany(f.ctx, staff, in); fault.FieldsOf(err).On("siret") != MsgCompanyTaken {
			t.Errorf("duplicate: %v", err)
		}
		in.Kind = ACI // another kind may share the SIRET
		if _, err := f.s.CreateCompany(f.ctx, staff, in); err != nil {
			t.Errorf("same SIRET, other kind: %v", err)
		}
		bad := CompanyInput{SIRET: "12345678901234", Kind: EA, Address: AddressInput{PostCode: "99999", City: "Nulle-part"}}
		_, err = f.s.CreateCompany(f.ctx, staff, bad)
		for field, want := range map[string]string{"siret": MsgSIRETKey, "kind": "Choisissez un type de structure dans la liste.",
			"name": msgRequired, "address_line_1": msgRequired, "city": msgNoCommune} {
			if got := fault.FieldsOf(err).On(field); got != want {
				t.Errorf("%s: %q, want %q", field, got, want)
			}
		}
		if n := len(f.auditActions(ActionCompanyCreated)); n != 2 {
			t.Errorf("%d company_created events, want 2", n)
		}
	})
}

func TestCreateAntenna_SameSIRENSharesTheConventionAndMakesTheCreatorAdmin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		parent := f.company(ACI, "Atelier")
		admin, member := f.pro("admin@example.org"), f.pro("member@example.org")
		f.join(TypeCompany, parent.ID, admin)
		f.join(TypeCompany, parent.ID, member)
		in := AntennaInput{SIRET: siret(parent.SIRET), Name: "Atelier - antenne Nord", Address: AddressInput{Line1: "2 rue D", PostCode: "69100", City: "Villeurbanne"}}
		if _, err := f.s.CreateAntenna(f.ctx, actor.Actor{UserID: member.ID}, parent.UID, in); !errors.Is(err, ErrForbidden) {
			t.Errorf("plain member: %v", err)
		}
		other := in
		other.SIRET = siret()
		if _, err := f.s.CreateAntenna(f.ctx, actor.Actor{UserID: admin.ID}, parent.UID, other); !strings.Contains(fault.FieldsOf(err).On("siret"), parent.SIRET[:9]) {
			t.Errorf("other SIREN: %v", err)
		}
		a, err := f.s.CreateAntenna(f.ctx, actor.Actor{UserID: admin.ID}, parent.UID, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != ACI || a.Source != SourceUserCreated || a.ConventionID == nil || *a.ConventionID != *parent.ConventionID || a.CommuneCode != "69266" {
			t.Errorf("antenna = %+v", a)
		}
		if m := f.membership(TypeCompany, a.ID, admin); !m.IsAdmin {
			t.Error("creator is not admin of the antenna")
		}
		if _, err := f.s.CreateAntenna(f.ctx, actor.Actor{UserID: admin.ID}, parent.UID, in); fault.FieldsOf(err).On("siret") != MsgCompanyTaken {
			t.Errorf("taken SIRET: %v", err)
		}
		opcs := f.company(OPCS, "Facilitateur")
		f.join(TypeCompany, opcs.ID, admin)
		in.SIRET = siret(opcs.SIRET)
		if _, err := f.s.CreateAntenna(f.ctx, actor.Actor{UserID: admin.ID}, opcs.UID, in); fault.FieldsOf(err).On("") != MsgAntennaParentKind {
			t.Errorf("OPCS parent: %v", err)
		}
	})
}

func TestCompanySettings_AnyMemberBlocksAndOpensOnlyAdminsEditTheCard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(EI, "EI")
		admin, member := f.pro("admin@example.org"), f.pro("member@example.org")
		f.join(TypeCompany, c.ID, admin)
		f.join(TypeCompany, c.ID, member)
		if err := f.s.SetJobApplicationsBlocked(f.ctx, actor.Actor{UserID: member.ID}, c.UID, true); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetSpontaneousApplications(f.ctx, actor.Actor{UserID: member.ID}, c.UID, false); err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Company(f.ctx, c.UID)
		if !got.BlockJobApplications || got.JobApplicationsBlockedAt == nil || got.SpontaneousApplicationsOpenSince != nil || got.SpontaneousApplicationsOpen() {
			t.Errorf("after block/close: %+v", got)
		}
		update := CompanyUpdate{Brand: "La Recyclerie", Contact: Contact{Email: "Contact@Recyclerie.fr ", Phone: "04 00 00 00 00", Website: "https://recyclerie.fr"}}
		if err := f.s.UpdateCompany(f.ctx, actor.Actor{UserID: member.ID}, c.UID, update); !errors.Is(err, ErrForbidden) {
			t.Errorf("member edits the card: %v", err)
		}
		if err := f.s.UpdateCompany(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, update); err != nil {
			t.Fatal(err)
		}
		got, _ = f.s.Company(f.ctx, c.UID)
		if got.Brand != "La Recyclerie" || got.Email != "contact@recyclerie.fr" || got.Phone != "0400000000" || got.DisplayName() != "La Recyclerie" {
			t.Errorf("after update: %+v", got)
		}
		err := f.s.UpdateCompany(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, CompanyUpdate{Contact: Contact{Email: "pas-un-mail", Website: "ftp://x", Phone: "12"}})
		if fault.FieldsOf(err).On("email") != msgBadEmail || fault.FieldsOf(err).On("website") != msgBadURL || fault.FieldsOf(err).On("phone") != msgBadPhone {
			t.Errorf("bad contact: %v", err)
		}
		if n := len(f.auditActions(ActionApplicationsBlocked)) + len(f.auditActions(ActionSpontaneousClosed)) + len(f.auditActions(ActionCompanyUpdated)); n != 3 {
			t.Errorf("%d audit events, want 3", n)
		}
	})
}

func TestHabilitation_StaffValidatesOrRefusesAndEveryMemberIsMailed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staffUser := f.user(account.Staff, "staff@example.org", "S", "T")
		staff := actor.Actor{UserID: staffUser.ID, Kind: actor.Staff}
		p := f.prescriber(CCAS, "CCAS de Lille")
		alice, bob := f.pro("alice@example.org"), f.pro("bob@example.org")
		f.join(TypePrescriber, p.ID, alice)
		f.join(TypePrescriber, p.ID, bob)
		if err := f.s.ValidateHabilitation(f.ctx, actor.Actor{UserID: alice.ID}, p.UID); !errors.Is(err, ErrForbidden) {
			t.Errorf("member validates: %v", err)
		}
		if err := f.s.ValidateHabilitation(f.ctx, staff, p.UID); err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Prescriber(f.ctx, p.UID)
		if got.AuthorizationStatus != AuthorizationValidated || got.AuthorizationUpdatedByID == nil || *got.AuthorizationUpdatedByID != staffUser.ID {
			t.Errorf("validated = %+v", got)
		}
		mails := f.mails()
		if len(mails) != 2 || !strings.Contains(mails[0].Subject, "validée") {
			t.Errorf("validation mails = %+v", mails)
		}
		if err := f.s.RefuseHabilitation(f.ctx, staff, p.UID); err != nil {
			t.Fatal(err)
		}
		got, _ = f.s.Prescriber(f.ctx, p.UID)
		if got.AuthorizationStatus != AuthorizationRefused || got.Kind != OtherKind {
			t.Errorf("refused = %+v", got)
		}
		if n := len(f.mails()); n != 4 {
			t.Errorf("%d mails, want 4", n)
		}
		if err := f.s.ValidateHabilitation(f.ctx, staff, p.UID); !errors.Is(err, ErrValidateOther) {
			t.Errorf("validating an Autre: %v", err)
		}
		if err := f.s.ChangePrescriberKind(f.ctx, staff, p.UID, CCAS); err != nil {
			t.Fatal(err)
		}
		got, _ = f.s.Prescriber(f.ctx, p.UID)
		if got.AuthorizationStatus != AuthorizationNotSet {
			t.Errorf("after leaving Autre: %s", got.AuthorizationStatus)
		}
		if len(f.auditActions(ActionHabilitationValidate)) != 1 || len(f.auditActions(ActionHabilitationRefuse)) != 1 || len(f.auditActions(ActionPrescriberKind)) != 1 {
			t.Error("habilitation decisions are not all audited")
		}
	})
}

func TestRefuseHabilitation_BlockedWhenAnotherAutreHasTheSIRET(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := actor.Actor{Kind: actor.Staff}
		s := siret()
		for _, k := range []PrescriberKind{CHRS, OtherKind} {
			if _, err := f.s.CreatePrescriberOrganization(f.ctx, staff, PrescriberInput{SIRET: s, Kind: k, Name: "Asso",
				Address: AddressInput{Line1: "1 rue", CommuneCode: "59350"}}); err != nil {
				t.Fatal(err)
			}
		}
		chrs, _ := f.s.PrescribersBySIRET(f.ctx, s)
		if err := f.s.RefuseHabilitation(f.ctx, staff, chrs[0].UID); fault.FieldsOf(err).On("") != MsgRefuseOtherTaken {
			t.Errorf("err = %v", err)
		}
		got, _ := f.s.Prescriber(f.ctx, chrs[0].UID)
		if got.Kind != CHRS || got.AuthorizationStatus != AuthorizationNotSet {
			t.Errorf("changed anyway: %+v", got)
		}
	})
}

func TestCreatePrescriberOrganization_SignupMakesTheCreatorAdminAndChecksKindSiretSafir(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		creator := f.pro("creator@example.org")
		in := PrescriberInput{SIRET: siret(), Kind: OtherKind, Name: "Asso Accueil", Address: AddressInput{Line1: "1 rue", PostCode: "59000", City: "Lille"}}
		p, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: creator.ID}, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.AuthorizationStatus != AuthorizationNotRequired || p.CreatedByID == nil || *p.CreatedByID != creator.ID {
			t.Errorf("created = %+v", p)
		}
		if m := f.membership(TypePrescriber, p.ID, creator); !m.IsAdmin {
			t.Error("creator is not admin")
		}
		if _, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: creator.ID}, in); fault.FieldsOf(err).On("siret") != MsgPrescriberTaken {
			t.Errorf("duplicate: %v", err)
		}
		in.ClaimsHabilitation, in.SIRET = true, siret()
		if p, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: creator.ID}, in); err != nil || p.AuthorizationStatus != AuthorizationNotSet {
			t.Errorf("Autre claiming habilitation: %v", err)
		}
		ft := PrescriberInput{Kind: FT, Name: "Agence", CodeSAFIR: "59113", Address: AddressInput{Line1: "1 rue", CommuneCode: "59350"}}
		if _, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{UserID: creator.ID}, ft); fault.FieldsOf(err).On("kind") != MsgKindNotChoosable {
			t.Errorf("FT at signup: %v", err)
		}
		agency, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, ft)
		if err != nil || agency.AuthorizationStatus != AuthorizationValidated || agency.SIRET != "" {
			t.Fatalf("FT agency: %+v, %v", agency, err)
		}
		if got, err := f.s.PrescriberBySAFIR(f.ctx, "59113"); err != nil || got.ID != agency.ID {
			t.Errorf("by SAFIR: %v", err)
		}
		if _, err := f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, ft); fault.FieldsOf(err).On("code_safir") != MsgSAFIRTaken {
			t.Errorf("taken SAFIR: %v", err)
		}
		ml := PrescriberInput{Kind: ML, Name: "ML", CodeSAFIR: "12345", Address: AddressInput{Line1: "1 rue", CommuneCode: "59350"}}
		_, err = f.s.CreatePrescriberOrganization(f.ctx, actor.Actor{Kind: actor.Staff}, ml)
		if fault.FieldsOf(err).On("siret") != msgRequired || fault.FieldsOf(err).On("code_safir") != MsgSAFIRNotFT {
			t.Errorf("ML without SIRET, with SAFIR: %v", err)
		}
	})
}

func TestUpdatePrescriber_FranceTravailNameIsReadOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		agency := f.prescriber(FT, "France Travail Lille")
		admin := f.pro("agent@francetravail.fr")
		f.join(TypePrescriber, agency.ID, admin)
		err := f.s.UpdatePrescriber(f.ctx, actor.Actor{UserID: admin.ID}, agency.UID, PrescriberUpdate{Name: "Autre nom"})
		if fault.FieldsOf(err).On("name") != MsgFranceTravailName {
			t.Errorf("rename FT: %v", err)
		}
		if err := f.s.UpdatePrescriber(f.ctx, actor.Actor{UserID: admin.ID}, agency.UID, PrescriberUpdate{Contact: Contact{Description: "Accueil sur rendez-vous"}}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Prescriber(f.ctx, agency.UID)
		if got.Name != "France Travail Lille" || got.Description != "Accueil sur rendez-vous" {
			t.Errorf("after update: %+v", got)
		}
	})
}

func TestCreateInstitution_NeedsItsTerritoryOncePerDepartment(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := actor.Actor{Kind: actor.Staff}
		if _, err := f.s.CreateInstitution(f.ctx, staff, InstitutionInput{Kind: DDETSIAE, Name: "DDETS"}); fault.FieldsOf(err).On("department") != MsgInstitutionDepartment {
			t.Errorf("without department: %v", err)
		}
		in := InstitutionInput{Kind: DDETSIAE, Name: "DDETS 69", Department: "69"}
		if _, err := f.s.CreateInstitution(f.ctx, staff, in); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CreateInstitution(f.ctx, staff, in); fault.FieldsOf(err).On("kind") != MsgInstitutionTaken {
			t.Errorf("second DDETS IAE 69: %v", err)
		}
		if _, err := f.s.CreateInstitution(f.ctx, staff, InstitutionInput{Kind: DDETSGEIQ, Name: "DDETS GEIQ 69", Department: "69"}); err != nil {
			t.Errorf("another division: %v", err)
		}
		if _, err := f.s.CreateInstitution(f.ctx, actor.Actor{UserID: f.pro("p@example.org").ID}, in); !errors.Is(err, ErrForbidden) {
			t.Errorf("professional: %v", err)
		}
	})
}

func TestSearch_FindsOrganizationsByNameOrSIRENForStaffOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(EI, "Recyclerie du Rhône")
		f.prescriber(ML, "Mission locale du Rhône")
		f.company(GEIQ, "GEIQ Nord")
		staff := actor.Actor{Kind: actor.Staff}
		found, err := f.s.Search(f.ctx, staff, "rhône", 10)
		if err != nil || len(found) != 2 || found[0].Type != TypePrescriber || found[1].UID != c.UID {
			t.Fatalf("by name: %+v, %v", found, err)
		}
		found, err = f.s.Search(f.ctx, staff, c.SIRET[:3]+" "+c.SIRET[3:9], 10)
		if err != nil || len(found) != 1 || found[0].UID != c.UID {
			t.Errorf("by SIREN: %+v, %v", found, err)
		}
		if found, _ := f.s.Search(f.ctx, staff, "50%_", 10); len(found) != 0 {
			t.Errorf("LIKE wildcards matched: %+v", found)
		}
		if _, err := f.s.Search(f.ctx, actor.Actor{UserID: 1}, "rhône", 10); !errors.Is(err, ErrForbidden) {
			t.Errorf("non-staff: %v", err)
		}
	})
}

func TestCompaniesBySIREN_ListsActiveCompaniesWithMemberCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		parent := f.company(ACI, "Atelier")
		admin := f.pro("admin@example.org")
		f.join(TypeCompany, parent.ID, admin)
		antenna, err := f.s.CreateAntenna(f.ctx, actor.Actor{UserID: admin.ID}, parent.UID, AntennaInput{SIRET: siret(parent.SIRET), Name: "Antenne",
			Address: AddressInput{Line1: "1 rue", CommuneCode: "69123"}})
		if err != nil {
			t.Fatal(err)
		}
		f.company(EI, "Other SIREN")
		choices, err := f.s.CompaniesBySIREN(f.ctx, SIREN(parent.SIRET))
		if err != nil || len(choices) != 2 {
			t.Fatalf("choices = %+v, %v", choices, err)
		}
		for _, ch := range choices {
			if ch.ActiveMembers != 1 || !ch.Activity.Active {
				t.Errorf("%s: %+v", ch.Company.Name, ch)
			}
		}
		member, err := f.s.ContactMember(f.ctx, TypeCompany, antenna.ID)
		if err != nil || member.UserID != admin.ID {
			t.Errorf("contact member: %+v, %v", member, err)
		}
		if err := f.s.DeactivateConvention(f.ctx, *parent.ConventionID, f.now.Add(-GracePeriod)); err != nil {
			t.Fatal(err)
		}
		if choices, _ := f.s.CompaniesBySIREN(f.ctx, SIREN(parent.SIRET)); len(choices) != 0 {
			t.Errorf("inactive companies offered: %d", len(choices))
		}
	})
}

func TestOverview_AdminsEditTheCardAndCreateAntennasOfActiveSIAEAndGEIQOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := actor.Actor{Kind: actor.Staff}
		aci, opcs := f.company(ACI, "Atelier"), f.company(OPCS, "Prison")
		admin, member := f.pro("admin@example.org"), f.pro("member@example.org")
		f.join(TypeCompany, aci.ID, admin)
		f.join(TypeCompany, aci.ID, member)
		f.join(TypeCompany, opcs.ID, admin)
		inst, err := f.s.CreateInstitution(f.ctx, staff, InstitutionInput{Kind: DDETSIAE, Name: "DDETS 69", Department: "69"})
		if err != nil {
			t.Fatal(err)
		}
		f.join(TypeInstitution, inst.ID, admin)
		for _, c := range []struct {
			name                string
			who                 actor.Actor
			uid                 string
			canEdit, canAntenna bool
			editErr, antennaErr error
		}{
			{"admin of an ACI", actor.Actor{UserID: admin.ID}, aci.UID, true, true, nil, nil},
			{"member of an ACI", actor.Actor{UserID: member.ID}, aci.UID, false, false, ErrForbidden, ErrForbidden},
			{"staff on an ACI", staff, aci.UID, true, true, nil, nil},
			{"admin of an OPCS", actor.Actor{UserID: admin.ID}, opcs.UID, true, false, nil, fault.Conflict(MsgAntennaParentKind)},
			{"admin of an institution", actor.Actor{UserID: admin.ID}, inst.UID, false, false, ErrForbidden, ErrForbidden},
		} {
			o, err := f.s.Overview(f.ctx, c.who, c.uid)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if o.CanEdit != c.canEdit || o.CanCreateAntenna != c.canAntenna {
				t.Errorf("%s: may edit %v, create antennas %v; want %v, %v", c.name, o.CanEdit, o.CanCreateAntenna, c.canEdit, c.canAntenna)
			}
			if _, err := f.s.OverviewToEdit(f.ctx, c.who, c.uid); !sameRefusal(err, c.editErr) {
				t.Errorf("%s: edit page refused with %v, want %v", c.name, err, c.editErr)
			}
			if _, err := f.s.AntennaParent(f.ctx, c.who, c.uid); !sameRefusal(err, c.antennaErr) {
				t.Errorf("%s: antenna page refused with %v, want %v", c.name, err, c.antennaErr)
			}
		}
	})
}

// sameRefusal reports whether got is the refusal want (same kind and message), or both are nil.
func sameRefusal(got, want error) bool {
	if got == nil || want == nil {
		return got == want
	}
	g, ok1 := fault.As(got)
	w, ok2 := fault.As(want)
	return ok1 && ok2 && g.Kind == w.Kind && g.Message == w.Message
}

func TestMembersPage_AdminsManageTheOtherMembersNotThemselves(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(EI, "Recyclerie")
		admin, bob := f.pro("admin@example.org"), f.pro("bob@example.org")
		f.join(TypeCompany, c.ID, admin)
		f.join(TypeCompany, c.ID, bob)
		for _, who := range []*account.User{admin, bob} {
			p, err := f.s.Members(f.ctx, actor.Actor{UserID: who.ID}, c.UID, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range p.Members {
				want := who == admin && m.UserID != admin.ID
				if got := p.Manages(m); got != want {
					t.Errorf("%s manages %s: %v, want %v", who.Email, m.Email, got, want)
				}
			}
		}
	})
}
