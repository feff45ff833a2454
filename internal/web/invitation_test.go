package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// invite sends invitations through the service, as sender, and returns their uids.
func (os *orgSite) invite(sender *account.User, orgUID string, emails ...string) []string {
	os.t.Helper()
	var rows []invitation.Invitee
	for _, e := range emails {
		rows = append(rows, invitation.Invitee{Email: e, FirstName: "Iris", LastName: "Invitée"})
	}
	sent, err := os.Server.invitations.Send(os.ctx, actor.Actor{UserID: sender.ID}, orgUID, rows)
	if err != nil {
		os.t.Fatal(err)
	}
	uids := make([]string, len(sent))
	for i, inv := range sent {
		uids[i] = inv.UID
	}
	return uids
}

func TestInvitePage_AMemberInvitesThreeColleaguesListedAsPendingThenCancelsOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		p := site.prescriber(org.ML, "Mission locale", true)
		site.member(org.TypePrescriber, p.ID, "admin@ml.fr", "Ada", "Admin")
		member := site.member(org.TypePrescriber, p.ID, "membre@ml.fr", "Marc", "Membre")
		b := site.loginAs(member)
		members := org.MembersPath(p.UID)
		res := b.get(members)
		wantBody(t, res, `href="`+invitation.NewPath(p.UID)+`"`, "Aucune invitation en attente.")

		res = b.get(invitation.NewPath(p.UID))
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `id="id_email_0"`, `id="id_last_name_2"`, `<label class="fr-label" for="id_first_name_1">Prénom`)
		form := url.Values{"rows": {"3"}}
		for i, who := range []string{"alice", "bob", "chloe"} {
			n := fmt.Sprint(i)
			form.Set("email_"+n, who+"@ml.fr")
			form.Set("first_name_"+n, strings.ToUpper(who[:1])+who[1:])
			form.Set("last_name_"+n, "Collègue")
		}
		wantRedirect(t, b.post(invitation.NewPath(p.UID), form), members)
		res = b.get(members)
		wantBody(t, res, "3 invitations ont été envoyées.", "alice@ml.fr", "bob@ml.fr", "chloe@ml.fr", `id="invitations-pending"`)
		if got := site.linkIn("bob@ml.fr", "/invitations/"); !strings.HasSuffix(got, "/join") {
			t.Errorf("link in the mail: %s", got)
		}

		var uid string
		if err := d.NewRaw("SELECT uid FROM invitation WHERE email = 'bob@ml.fr'").Scan(site.ctx, &uid); err != nil {
			t.Fatal(err)
		}
		wantRedirect(t, b.post(invitation.CancelPath(p.UID, uid), nil), members)
		res = b.get(members)
		wantBody(t, res, "L&#39;invitation a été annulée.", "alice@ml.fr")
		wantNoBody(t, res, "bob@ml.fr")
		outsider := site.member(org.TypePrescriber, site.prescriber(org.CAF, "CAF", true).ID, "out@caf.fr", "Oscar", "Dehors")
		wantStatus(t, site.loginAs(outsider).get(invitation.NewPath(p.UID)), http.StatusForbidden)
	})
}

func TestInvitePage_ErrorsStayOnTheirRowAndAddingARowKeepsTheValues(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.EI, "Recyclerie")
		admin := site.member(org.TypeCompany, c.ID, "admin@ei.fr", "Ada", "Admin")
		b := site.loginAs(admin)
		path := invitation.NewPath(c.UID)
		res := b.post(path, url.Values{"rows": {"2"}, "action": {"add_row"}, "email_0": {"garde@ei.fr"}})
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `id="id_email_2"`, `value="garde@ei.fr"`, `name="rows" value="3"`)
		res = b.post(path, url.Values{"rows": {"2"}, "email_0": {"ok@ei.fr"}, "first_name_0": {"Ok"}, "last_name_0": {"Bien"},
			"email_1": {"admin@ei.fr"}, "first_name_1": {"Ada"}, "last_name_1": {"Admin"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, invitation.MsgAlreadyMember, `aria-describedby="id_email_1_error"`, `value="ok@ei.fr"`)
		if n := len(site.mails()); n != 0 {
			t.Errorf("%d mails sent by a refused form", n)
		}
		res = b.post(path, url.Values{"rows": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, invitation.MsgNobody)
	})
}

func TestInvitePage_AnOrganizationWithFiftyPendingIsSentBackWithTheReason(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.GEIQ, "GEIQ BTP")
		admin := site.member(org.TypeCompany, c.ID, "admin@geiq.fr", "Ada", "Admin")
		for batch := 0; batch < 5; batch++ {
			var emails []string
			for i := 0; i < 10; i++ {
				emails = append(emails, fmt.Sprintf("p%d-%d@geiq.fr", batch, i))
			}
			site.invite(admin, c.UID, emails...)
		}
		b := site.loginAs(admin)
		wantRedirect(t, b.get(invitation.NewPath(c.UID)), org.MembersPath(c.UID))
		wantBody(t, b.get(org.MembersPath(c.UID)), "déjà 50 invitations en attente")
		wantRedirect(t, b.post(invitation.NewPath(c.UID), url.Values{"rows": {"1"}, "email_0": {"trop@geiq.fr"}, "first_name_0": {"T"}, "last_name_0": {"R"}}), org.MembersPath(c.UID))
		var n int
		if err := d.NewRaw("SELECT COUNT(*) FROM invitation").Scan(site.ctx, &n); err != nil || n != 50 {
			t.Errorf("%d invitations, %v", n, err)
		}
	})
}

func TestInvitationLink_ANewLaborInspectorSignsUpWithTheAddressFixedAndLandsInTheInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		inst := site.institution()
		sender := site.member(org.TypeInstitution, inst.ID, "chef@ddets.gouv.fr", "Chloé", "Cheffe")
		site.invite(sender, inst.UID, "nouvelle@ddets.gouv.fr")
		link := site.linkIn("nouvelle@ddets.gouv.fr", "/invitations/")
		b := site.browser()
		res := b.get(link)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Chloé CHEFFE vous invite", `value="nouvelle@ddets.gouv.fr" readonly`, `value="Iris"`)
		wantNoBody(t, res, "proconnect-button")

		form := url.Values{"first_name": {"Iris"}, "last_name": {"Invitée"}, "password1": {testPassword}, "password2": {"autre"}}
		wantStatus(t, b.post(link, form), http.StatusUnprocessableEntity)
		form.Set("password2", testPassword)
		form.Set("email", "pirate@example.org") // the address is fixed: a posted one is ignored
		wantRedirect(t, b.post(link, form), "/dashboard")
		res = b.get("/dashboard")
		wantBody(t, res, "Vous avez rejoint « DDETS du Rhône »", "<strong>institutionnel</strong>")
		u, err := site.Server.accounts.ByEmail(site.ctx, "nouvelle@ddets.gouv.fr")
		if err != nil || !u.EmailVerified() || u.Kind != account.Professional {
			t.Fatalf("account: %+v, %v", u, err)
		}
		if _, err := site.Server.accounts.ByEmail(site.ctx, "pirate@example.org"); err == nil {
			t.Error("the posted address was used")
		}
		mails := site.mails()
		if last := mails[len(mails)-1]; last.To != "chef@ddets.gouv.fr" || !strings.Contains(last.Subject, "a rejoint") {
			t.Errorf("sender not told: %s %s", last.To, last.Subject)
		}
		// The used link now explains itself, and sends its owner to the organization.
		wantRedirect(t, b.get(link), "/dashboard")
		res = site.browser().get(link)
		wantStatus(t, res, http.StatusGone)
		wantBody(t, res, "déjà été acceptée")
	})
}

func TestInvitationLink_UnknownExpiredAndCancelledLinksExplainThemselves(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.AI, "Association")
		admin := site.member(org.TypeCompany, c.ID, "admin@ai.fr", "Ada", "Admin")
		uids := site.invite(admin, c.UID, "tard@ai.fr", "annule@ai.fr")
		if err := site.Server.invitations.Cancel(site.ctx, actor.Actor{UserID: admin.ID}, c.UID, uids[1]); err != nil {
			t.Fatal(err)
		}
		b := site.browser()
		res := b.get("/invitations/00000000-0000-0000-0000-000000000000/join")
		wantStatus(t, res, http.StatusNotFound)
		wantBody(t, res, "Cette invitation n&#39;existe pas.")
		wantStatus(t, b.get("/invitations/pas-un-uuid/join"), http.StatusNotFound)
		res = b.get(invitation.JoinPath(uids[1]))
		wantStatus(t, res, http.StatusGone)
		wantBody(t, res, "a été annulée")
		site.Clock.Advance(15 * 24 * time.Hour)
		res = b.get(invitation.JoinPath(uids[0]))
		wantStatus(t, res, http.StatusGone)
		wantBody(t, res, "<h1>Invitation expirée</h1>", "elle a expiré")
		wantStatus(t, b.post(invitation.JoinPath(uids[0]), url.Values{"first_name": {"A"}}), http.StatusSeeOther)
		if _, err := site.Server.accounts.ByEmail(site.ctx, "tard@ai.fr"); err == nil {
			t.Error("an account was created through an expired invitation")
		}
	})
}

func TestInvitationLink_AnotherAccountIsLoggedOutThenTheInviteeLogsInAndJoins(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ETTI, "Intérim")
		admin := site.member(org.TypeCompany, c.ID, "admin@etti.fr", "Ada", "Admin")
		other := site.company(org.EI, "Ailleurs")
		invitee := site.member(org.TypeCompany, other.ID, "deja@ailleurs.fr", "Déborah", "Déjà")
		site.invite(admin, c.UID, "deja@ailleurs.fr")
		link := site.linkIn("deja@ailleurs.fr", "/invitations/")

		b := site.loginAs(admin) // someone else is logged in on this browser
		// Opening the link changes nothing (issue 8: it logged the other account out): a button does.
		res := b.get(link)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `id="invitation-other-account"`, "admin@etti.fr", `<form method="post" action="`+strings.TrimPrefix(link, site.Server.cfg.BaseURL.String())+`"`, "Me déconnecter et continuer")
		wantStatus(t, b.get("/dashboard"), http.StatusOK) // still logged in
		wantRedirect(t, b.post(link, nil), link)
		wantStatus(t, b.get("/dashboard"), http.StatusSeeOther) // logged out
		res = b.get(link)
		wantRedirect(t, res, "/accounts/login?next="+url.QueryEscape(link))
		wantBody(t, b.get("/accounts/login?next="+url.QueryEscape(link)), "vous avez été déconnecté", "connectez-vous pour rejoindre « Intérim »")

		res = b.post("/accounts/login", url.Values{"email": {invitee.Email}, "password": {testPassword}, "next": {link}})
		wantRedirect(t, res, link)
		wantRedirect(t, b.get(link), "/dashboard")
		res = b.get("/dashboard")
		wantBody(t, res, "Intérim", `id="org-switcher"`)
		if !site.isActiveMember(org.TypeCompany, c.ID, invitee) {
			t.Error("the invitee is not a member")
		}
	})
}

func TestInvitationLink_TheInviteeLoggedInJoinsWithTheButtonNotByOpeningIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ETTI, "Intérim")
		admin := site.member(org.TypeCompany, c.ID, "admin@etti.fr", "Ada", "Admin")
		other := site.company(org.EI, "Ailleurs")
		invitee := site.member(org.TypeCompany, other.ID, "deja@ailleurs.fr", "Déborah", "Déjà")
		b := site.loginAs(invitee) // logged in before the invitation is sent
		site.invite(admin, c.UID, "deja@ailleurs.fr")
		link := site.linkIn("deja@ailleurs.fr", "/invitations/")

		res := b.get(link)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Rejoindre l'organisation", `id="invitation-confirm-form"`)
		if site.isActiveMember(org.TypeCompany, c.ID, invitee) {
			t.Fatal("opening the link made the invitee a member")
		}
		wantRedirect(t, b.post(link, nil), "/dashboard")
		if !site.isActiveMember(org.TypeCompany, c.ID, invitee) {
			t.Error("the button did not make the invitee a member")
		}
	})
}

func TestLogin_AcceptsThePendingInvitationsOfTheAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		p := site.prescriber(org.CCAS, "CCAS de Lille", false)
		admin := site.member(org.TypePrescriber, p.ID, "admin@ccas.fr", "Ada", "Admin")
		site.invite(admin, p.UID, "sans-orga@example.org")
		pro := site.createUser(account.Professional, "sans-orga@example.org", "Sam", "Seul")
		b := site.loginAs(pro)
		res := b.get("/dashboard")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Vous avez rejoint « CCAS de Lille »", "<strong>orienteur</strong>")
		if !site.isActiveMember(org.TypePrescriber, p.ID, pro) {
			t.Error("not a member after login")
		}
	})
}

func TestProConnectLogin_AcceptsThePendingInvitations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := geo.LoadDemo(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		site, p := newProConnectSite(t, d)
		os := &orgSite{testSite: site, ctx: context.Background()}
		c := os.company(org.GEIQ, "GEIQ Propreté")
		admin := os.member(org.TypeCompany, c.ID, "admin@geiq.fr", "Ada", "Admin")
		uid := os.invite(admin, c.UID, awaPC.Email)[0]

		// The invitation link of a new employer sends to ProConnect with the address as hint.
		b := site.browser()
		res := b.get(invitation.JoinPath(uid))
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "proconnect-button", "login_hint="+url.QueryEscape(awaPC.Email))
		wantNoBody(t, res, `id="invitation-signup-form"`) // password signups are off

		callback := proconnectCallback(t, b, p, "/proconnect/authorize?login_hint="+url.QueryEscape(awaPC.Email)+"&next="+url.QueryEscape(invitation.JoinPath(uid)))
		wantRedirect(t, b.get(callback), invitation.JoinPath(uid))
		wantRedirect(t, b.get(invitation.JoinPath(uid)), "/dashboard")
		wantBody(t, b.get("/dashboard"), "GEIQ Propreté", "<strong>employeur</strong>")
	})
}
