package invitation

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestSend_InvitesThreeColleaguesValidFourteenDaysAndMailsThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(org.ML)
		admin := f.member(org.TypePrescriber, p.ID, "admin@ml.fr")
		sent := f.send(admin, p.UID, "a@ml.fr", "B@ML.fr ", "c@ml.fr")
		if len(sent) != 3 {
			t.Fatalf("%d invitations", len(sent))
		}
		for _, inv := range sent {
			if inv.Kind != Prescriber || inv.ValidityDays != 14 || !inv.ExpiresAt.Equal(ExpiresAt(f.now, 14)) || inv.StatusAt(f.now) != StatusPending {
				t.Errorf("invitation %s: kind %s, %d days, expires %s", inv.Email, inv.Kind, inv.ValidityDays, inv.ExpiresAt)
			}
		}
		if sent[1].Email != "b@ml.fr" {
			t.Errorf("address not normalized: %q", sent[1].Email)
		}
		page, err := f.orgs.Members(f.ctx, actor.Actor{UserID: admin.ID}, p.UID, 1)
		if err != nil {
			t.Fatal(err)
		}
		pending, err := f.s.PendingOf(f.ctx, page)
		if err != nil || len(pending) != 3 {
			t.Fatalf("pending = %d, %v", len(pending), err)
		}
		mails := f.mails()
		if len(mails) != 3 || mails[0].To != "a@ml.fr" || !strings.Contains(mails[0].Text, "/invitations/"+sent[0].UID+"/join") ||
			!strings.Contains(mails[0].Text, "valable jusqu'au 23/03/2026 inclus") {
			t.Errorf("mails = %+v", mails)
		}
		if n := len(f.audits(ActionSent)); n != 3 {
			t.Errorf("%d audit events", n)
		}
	})
}

func TestSend_RefusesThe51stPendingInvitationAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(org.EI)
		admin := f.member(org.TypeCompany, c.ID, "admin@ei.fr")
		for batch := 0; batch < 5; batch++ {
			var emails []string
			for i := 0; i < 10; i++ {
				emails = append(emails, fmt.Sprintf("p%d-%d@ei.fr", batch, i))
			}
			f.send(admin, c.UID, emails...)
		}
		target, err := f.s.Target(f.ctx, actor.Actor{UserID: admin.ID}, c.UID)
		if err != nil || !target.Full() || target.Pending != 50 {
			t.Fatalf("target = %+v, %v", target, err)
		}
		invitations, mails := f.count("invitation"), len(f.mails())
		_, err = f.s.Send(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, []Invitee{{Email: "de-trop@ei.fr", FirstName: "De", LastName: "Trop"}})
		var tooMany *TooManyError
		if !errors.As(err, &tooMany) || !strings.Contains(err.Error(), "50 invitations en attente") {
			t.Fatalf("51st: %v", err)
		}
		if f.count("invitation") != invitations || len(f.mails()) != mails {
			t.Error("the refused invitation left rows or mails")
		}
		// Sending one of the 50 again is no new invitation: allowed.
		f.send(admin, c.UID, "p0-0@ei.fr")
		if f.count("invitation") != invitations {
			t.Error("sending again created a row")
		}
		// Once one expires, there is room again.
		f.now = f.now.Add(15 * 24 * time.Hour)
		f.send(admin, c.UID, "de-trop@ei.fr")
	})
}

func TestSend_FranceTravailAgencyInvitesOnlyFranceTravailAddresses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ft := f.prescriber(org.FT)
		agent := f.member(org.TypePrescriber, ft.ID, "agent@francetravail.fr")
		_, err := f.s.Send(f.ctx, actor.Actor{UserID: agent.ID}, ft.UID, []Invitee{
			{Email: "collegue@francetravail.fr", FirstName: "A", LastName: "B"},
			{Email: "perso@gmail.com", FirstName: "C", LastName: "D"},
		})
		if fault.FieldsOf(err).On("email_1") != MsgNotFranceTravailEmail || fault.FieldsOf(err).On("email_0") != "" {
			t.Fatalf("err = %v", err)
		}
		if f.count("invitation") != 0 {
			t.Error("an invitation was stored although the form was refused")
		}
		f.send(agent, ft.UID, "collegue@francetravail.fr", "ancien@pole-emploi.fr")
	})
}

func TestSend_RefusesBadRowsOutsidersAndCompaniesInGracePeriod(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(org.ACI)
		admin := f.member(org.TypeCompany, c.ID, "admin@aci.fr")
		f.member(org.TypeCompany, c.ID, "deja@aci.fr")
		f.user(account.JobSeeker, "candidat@example.org")
		_, err := f.s.Send(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, []Invitee{
			{Email: "candidat@example.org", FirstName: "A", LastName: "B"},
			{},
			{Email: "deja@aci.fr", FirstName: "A", LastName: "B"},
			{Email: "double@aci.fr", FirstName: "A", LastName: "B"},
			{Email: "DOUBLE@aci.fr", FirstName: "A", LastName: ""},
			{Email: "pas-un-mail", FirstName: "A", LastName: "B"},
		})
		for field, want := range map[string]string{"email_0": MsgNotProfessional, "email_2": MsgAlreadyMember, "email_4": MsgDuplicate,
			"last_name_4": "Ce champ est obligatoire.", "email_5": "Saisissez une adresse e-mail valide.", "email_3": "", "email_1": ""} {
			if got := fault.FieldsOf(err).On(field); got != want {
				t.Errorf("%s: %q, want %q", field, got, want)
			}
		}
		if _, err := f.s.Send(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, []Invitee{{}, {}}); fault.FieldsOf(err).On("") != MsgNobody {
			t.Errorf("empty form: %v", err)
		}
		outsider := f.member(org.TypeCompany, f.company(org.EI).ID, "autre@ei.fr")
		if _, err := f.s.Send(f.ctx, actor.Actor{UserID: outsider.ID}, c.UID, []Invitee{{Email: "x@aci.fr", FirstName: "A", LastName: "B"}}); !errors.Is(err, org.ErrForbidden) {
			t.Errorf("outsider: %v", err)
		}
		if err := f.orgs.DeactivateConvention(f.ctx, *c.ConventionID, f.now); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Target(f.ctx, actor.Actor{UserID: admin.ID}, c.UID); !errors.Is(err, org.ErrGracePeriod) {
			t.Errorf("company in grace period: %v", err)
		}
		if f.count("invitation") != 0 {
			t.Error("invitations were stored")
		}
	})
}

func TestAccept_AddsTheMemberMarksAcceptedAndTellsTheSender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		inst := f.institution()
		admin := f.member(org.TypeInstitution, inst.ID, "admin@ddets.gouv.fr")
		inv := f.send(admin, inst.UID, "inspecteur@ddets.gouv.fr")[0]
		if inv.Kind != LaborInspector {
			t.Errorf("kind %s", inv.Kind)
		}
		other := f.user(account.Professional, "autre@ddets.gouv.fr")
		if _, err := f.s.Accept(f.ctx, other.Actor(""), inv.UID); !errors.Is(err, ErrWrongAccount) {
			t.Errorf("another account: %v", err)
		}
		invitee := f.user(account.Professional, "inspecteur@ddets.gouv.fr")
		a, err := f.s.Accept(f.ctx, invitee.Actor("192.0.2.9"), inv.UID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Organization.UID != inst.UID || !f.isMember(org.TypeInstitution, inst.ID, invitee) {
			t.Error("the invitee is not a member")
		}
		mails := f.mails()
		if last := mails[len(mails)-1]; last.To != "admin@ddets.gouv.fr" || !strings.Contains(last.Subject, "a rejoint DDETS du Rhône") {
			t.Errorf("last mail to %s: %s", last.To, last.Subject)
		}
		if _, err := f.s.Accept(f.ctx, invitee.Actor(""), inv.UID); !errors.Is(err, ErrAccepted) {
			t.Errorf("second use: %v", err)
		}
		if ev := f.audits(ActionAccepted); len(ev) != 1 || ev[0].ClientIP != "192.0.2.9" {
			t.Errorf("audit = %+v", ev)
		}
		if _, err := f.s.Accept(f.ctx, invitee.Actor(""), "00000000-0000-0000-0000-000000000000"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown: %v", err)
		}
	})
}

func TestAccept_RefusesExpiredInvitationsFromTheFifteenthDayParisTime(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // 10 March 2026, 10:00 in Paris
		c := f.company(org.GEIQ)
		admin := f.member(org.TypeCompany, c.ID, "admin@geiq.fr")
		early, late := f.send(admin, c.UID, "tot@geiq.fr")[0], f.send(admin, c.UID, "tard@geiq.fr")[0]
		tot, tard := f.user(account.Professional, "tot@geiq.fr"), f.user(account.Professional, "tard@geiq.fr")

		f.now = time.Date(2026, 3, 23, 22, 59, 0, 0, time.UTC) // 23 March, 23:59 in Paris: last valid day
		if _, err := f.s.Accept(f.ctx, tot.Actor(""), early.UID); err != nil {
			t.Errorf("on the last day: %v", err)
		}
		f.now = time.Date(2026, 3, 23, 23, 0, 0, 0, time.UTC) // 24 March, midnight in Paris
		if _, err := f.s.Accept(f.ctx, tard.Actor(""), late.UID); !errors.Is(err, ErrExpired) {
			t.Errorf("the day after: %v", err)
		}
		if f.isMember(org.TypeCompany, c.ID, tard) {
			t.Error("expired invitation made a member")
		}
	})
}

func TestAccept_EmployerInvitationNeedsAnActiveCompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(org.AI)
		admin := f.member(org.TypeCompany, c.ID, "admin@ai.fr")
		inv := f.send(admin, c.UID, "nouveau@ai.fr")[0]
		invitee := f.user(account.Professional, "nouveau@ai.fr")
		if err := f.orgs.DeactivateConvention(f.ctx, *c.ConventionID, f.now); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Accept(f.ctx, invitee.Actor(""), inv.UID); !errors.Is(err, ErrOrganizationInactive) {
			t.Errorf("company in grace period: %v", err)
		}
		jobSeeker := f.user(account.JobSeeker, "candidat@ai.fr")
		p := f.prescriber(org.CCAS)
		pa := f.member(org.TypePrescriber, p.ID, "admin@ccas.fr")
		// The job seeker account was created after the invitation was sent.
		inv2 := &Invitation{}
		*inv2 = *f.send(pa, p.UID, "futur@ccas.fr")[0]
		if _, err := f.d.NewUpdate().Model((*account.User)(nil)).Set("email = ?", "futur@ccas.fr").Where("id = ?", jobSeeker.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Accept(f.ctx, jobSeeker.Actor(""), inv2.UID); !errors.Is(err, ErrNotProfessional) {
			t.Errorf("job seeker: %v", err)
		}
	})
}

func TestAcceptPending_JoinsEveryOrganizationThatInvitedTheAddressAtLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		geiq := f.company(org.GEIQ)
		ml := f.prescriber(org.ML)
		closed := f.company(org.EI)
		old := f.prescriber(org.CCAS)
		for _, o := range []struct {
			t   org.Type
			id  int64
			uid string
		}{{org.TypeCompany, geiq.ID, geiq.UID}, {org.TypePrescriber, ml.ID, ml.UID}, {org.TypeCompany, closed.ID, closed.UID}} {
			f.send(f.member(o.t, o.id, "admin-"+o.uid+"@x.fr"), o.uid, "pro@example.org")
		}
		oldAdmin := f.member(org.TypePrescriber, old.ID, "admin@ccas.fr")
		f.send(oldAdmin, old.UID, "pro@example.org")
		if _, err := f.d.NewUpdate().Model((*Invitation)(nil)).Set("expires_at = ?", f.now).
			Where("prescriber_organization_id = ?", old.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.orgs.DeactivateConvention(f.ctx, *closed.ConventionID, f.now.AddDate(0, -2, 0)); err != nil {
			t.Fatal(err)
		}
		pro := f.user(account.Professional, "pro@example.org")
		done, err := f.s.AcceptPending(f.ctx, pro, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 2 || !f.isMember(org.TypeCompany, geiq.ID, pro) || !f.isMember(org.TypePrescriber, ml.ID, pro) {
			t.Errorf("accepted %d invitations", len(done))
		}
		if f.isMember(org.TypeCompany, closed.ID, pro) || f.isMember(org.TypePrescriber, old.ID, pro) {
			t.Error("joined an inactive company or through an expired invitation")
		}
		if again, err := f.s.AcceptPending(f.ctx, pro, ""); err != nil || len(again) != 0 {
			t.Errorf("second login accepted %d, %v", len(again), err)
		}
		seeker := f.user(account.JobSeeker, "seeker@example.org")
		if done, err := f.s.AcceptPending(f.ctx, seeker, ""); err != nil || done != nil {
			t.Errorf("job seeker login: %v, %v", done, err)
		}
	})
}

func TestDeactivateMember_ExpiresPendingInvitationsToAndFromThatMember(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.company(org.ETTI)
		admin := f.member(org.TypeCompany, c.ID, "admin@etti.fr")
		bob := f.member(org.TypeCompany, c.ID, "bob@etti.fr")
		fromBob := f.send(bob, c.UID, "ami-de-bob@etti.fr")[0]
		fromAdmin := f.send(admin, c.UID, "autre@etti.fr")[0]
		other := f.company(org.GEIQ)
		otherAdmin := f.member(org.TypeCompany, other.ID, "admin@geiq.fr")
		toBobElsewhere := f.send(otherAdmin, other.UID, "bob@etti.fr")[0]

		if err := f.orgs.DeactivateMember(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, bob.PublicID, false); err != nil {
			t.Fatal(err)
		}
		for inv, want := range map[*Invitation]Status{fromBob: StatusExpired, fromAdmin: StatusPending, toBobElsewhere: StatusPending} {
			v, err := f.s.View(f.ctx, inv.UID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != want {
				t.Errorf("invitation to %s: %s, want %s", inv.Email, v.Status, want)
			}
		}
		// An invitation to bob, then bob deactivated: the invitation to him expires too.
		toBob := f.send(admin, c.UID, "bob@etti.fr")[0] // bob is no longer an active member: he may be invited back
		if _, err := f.orgs.AddMember(f.ctx, actor.Actor{UserID: admin.ID}, org.TypeCompany, c.ID, bob.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.orgs.DeactivateMember(f.ctx, actor.Actor{UserID: admin.ID}, c.UID, bob.PublicID, false); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.s.View(f.ctx, toBob.UID); v.Status != StatusExpired {
			t.Errorf("invitation to the deactivated member: %s", v.Status)
		}
		if len(f.audits(ActionExpired)) != 2 {
			t.Errorf("expiries audited %d times", len(f.audits(ActionExpired)))
		}
	})
}

func TestCancel_MembersWithdrawAnInvitationOutsidersCannot(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(org.CAF)
		admin := f.member(org.TypePrescriber, p.ID, "admin@caf.fr")
		member := f.member(org.TypePrescriber, p.ID, "membre@caf.fr")
		inv := f.send(admin, p.UID, "invite@caf.fr")[0]
		outsider := f.member(org.TypePrescriber, f.prescriber(org.CAF).ID, "autre@caf.fr")
		if err := f.s.Cancel(f.ctx, actor.Actor{UserID: outsider.ID}, p.UID, inv.UID); !errors.Is(err, org.ErrForbidden) {
			t.Errorf("outsider: %v", err)
		}
		other := f.prescriber(org.CAF)
		otherAdmin := f.member(org.TypePrescriber, other.ID, "admin2@caf.fr")
		if err := f.s.Cancel(f.ctx, actor.Actor{UserID: otherAdmin.ID}, other.UID, inv.UID); !errors.Is(err, ErrNotFound) {
			t.Errorf("through another organization: %v", err)
		}
		if err := f.s.Cancel(f.ctx, actor.Actor{UserID: member.ID}, p.UID, inv.UID); err != nil {
			t.Fatal(err)
		}
		invitee := f.user(account.Professional, "invite@caf.fr")
		if _, err := f.s.Accept(f.ctx, invitee.Actor(""), inv.UID); !errors.Is(err, ErrCanceled) {
			t.Errorf("accept a cancelled invitation: %v", err)
		}
	})
}

func TestRequestInvitation_MailsTheAdminWithAFilledInvitationForm(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.prescriber(org.PLIE)
		first := f.member(org.TypePrescriber, p.ID, "premier@plie.fr")
		second := f.member(org.TypePrescriber, p.ID, "second@plie.fr")
		if err := f.orgs.SetAdmin(f.ctx, actor.Actor{UserID: first.ID}, p.UID, second.PublicID, true, false); err != nil {
			t.Fatal(err)
		}
		requester := f.user(account.Professional, "nouvelle@plie.fr")
		contact, err := f.s.RequestInvitation(f.ctx, requester.Actor(""), p.UID)
		if err != nil {
			t.Fatal(err)
		}
		if contact.Email != "premier@plie.fr" {
			t.Errorf("asked %s, want the earliest admin", contact.Email)
		}
		mails := f.mails()
		last := mails[len(mails)-1]
		if last.To != "premier@plie.fr" || !strings.Contains(last.Text, NewPath(p.UID)+"?email=nouvelle%40plie.fr") {
			t.Errorf("mail to %s:\n%s", last.To, last.Text)
		}
		if _, err := f.s.RequestInvitation(f.ctx, second.Actor(""), p.UID); !errors.Is(err, ErrAlreadyMember) {
			t.Errorf("member asking: %v", err)
		}
		empty := f.prescriber(org.PLIE)
		if _, err := f.s.RequestInvitation(f.ctx, requester.Actor(""), empty.UID); !errors.Is(err, ErrNoContact) {
			t.Errorf("no member: %v", err)
		}
	})
}
