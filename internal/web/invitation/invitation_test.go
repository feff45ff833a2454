package invitation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

var ctx = context.Background()

// invite sends invitations through the service, as sender, and returns their uids.
func invite(site *webtest.Site, sender *account.User, orgUID string, emails ...string) []string {
	site.T.Helper()
	var rows []invitation.Invitee
	for _, e := range emails {
		rows = append(rows, invitation.Invitee{Email: e, FirstName: "Iris", LastName: "Invitée"})
	}
	sent, err := site.Services.Invitations.Send(ctx, actor.Actor{UserID: sender.ID}, orgUID, rows)
	if err != nil {
		site.T.Fatal(err)
	}
	uids := make([]string, len(sent))
	for i, inv := range sent {
		uids[i] = inv.UID
	}
	return uids
}
func TestInvitePage_AMemberInvitesThreeColleaguesListedAsPendingThenCancelsOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		p := site.Prescriber(org.ML, "Mission locale", true)
		site.Member(org.TypePrescriber, p.ID, "admin@ml.fr", "Ada", "Admin")
		member := site.Member(org.TypePrescriber, p.ID, "membre@ml.fr", "Marc", "Membre")
		b := site.LoginAs(member)
		members := org.MembersPath(p.UID)
		res := b.Get(members)
		webtest.WantBody(t, res, `href="`+invitation.NewPath(p.UID)+`"`, "Aucune invitation en attente.")

		res = b.Get(invitation.NewPath(p.UID))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="id_email_0"`, `id="id_last_name_2"`, `<label class="fr-label" for="id_first_name_1">Prénom`)
		form := url.Values{"rows": {"3"}}
		for i, who := range []string{"alice", "bob", "chloe"} {
			n := fmt.Sprint(i)
			form.Set("email_"+n, who+"@ml.fr")
			form.Set("first_name_"+n, strings.ToUpper(who[:1])+who[1:])
			form.Set("last_name_"+n, "Collègue")
		}
		webtest.WantRedirect(t, b.Post(invitation.NewPath(p.UID), form), members)
		res = b.Get(members)
		webtest.WantBody(t, res, "3 invitations ont été envoyées.", "alice@ml.fr", "bob@ml.fr", "chloe@ml.fr", `id="invitations-pending"`)
		if got := site.LinkIn("bob@ml.fr", "/invitations/"); !strings.HasSuffix(got, "/join") {
			t.Errorf("link in the mail: %s", got)
		}

		var uid string
		if err := d.NewRaw("SELECT uid FROM invitation WHERE email = 'bob@ml.fr'").Scan(ctx, &uid); err != nil {
			t.Fatal(err)
		}
		webtest.WantRedirect(t, b.Post(invitation.CancelPath(p.UID, uid), nil), members)
		res = b.Get(members)
		webtest.WantBody(t, res, "L&#39;invitation a été annulée.", "alice@ml.fr")
		webtest.WantNoBody(t, res, "bob@ml.fr")
		outsider := site.Member(org.TypePrescriber, site.Prescriber(org.CAF, "CAF", true).ID, "out@caf.fr", "Oscar", "Dehors")
		webtest.WantStatus(t, site.LoginAs(outsider).Get(invitation.NewPath(p.UID)), http.StatusForbidden)
	})
}

func TestInvitePage_ErrorsStayOnTheirRowAndAddingARowKeepsTheValues(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.EI, "Recyclerie")
		admin := site.Member(org.TypeCompany, c.ID, "admin@ei.fr", "Ada", "Admin")
		b := site.LoginAs(admin)
		path := invitation.NewPath(c.UID)
		res := b.Post(path, url.Values{"rows": {"2"}, "action": {"add_row"}, "email_0": {"garde@ei.fr"}})
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="id_email_2"`, `value="garde@ei.fr"`, `name="rows" value="3"`)
		res = b.Post(path, url.Values{"rows": {"2"}, "email_0": {"ok@ei.fr"}, "first_name_0": {"Ok"}, "last_name_0": {"Bien"},
			"email_1": {"admin@ei.fr"}, "first_name_1": {"Ada"}, "last_name_1": {"Admin"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, invitation.MsgAlreadyMember, `aria-describedby="id_email_1_error"`, `value="ok@ei.fr"`)
		if n := len(site.Mails()); n != 0 {
			t.Errorf("%d mails sent by a refused form", n)
		}
		res = b.Post(path, url.Values{"rows": {"1"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, invitation.MsgNobody)
	})
}

func TestInvitePage_AnOrganizationWithFiftyPendingIsSentBackWithTheReason(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.GEIQ, "GEIQ BTP")
		admin := site.Member(org.TypeCompany, c.ID, "admin@geiq.fr", "Ada", "Admin")
		for batch := 0; batch < 5; batch++ {
			var emails []string
			for i := 0; i < 10; i++ {
				emails = append(emails, fmt.Sprintf("p%d-%d@geiq.fr", batch, i))
			}
			invite(site, admin, c.UID, emails...)
		}
		b := site.LoginAs(admin)
		webtest.WantRedirect(t, b.Get(invitation.NewPath(c.UID)), org.MembersPath(c.UID))
		webtest.WantBody(t, b.Get(org.MembersPath(c.UID)), "déjà 50 invitations en attente")
		webtest.WantRedirect(t, b.Post(invitation.NewPath(c.UID), url.Values{"rows": {"1"}, "email_0": {"trop@geiq.fr"}, "first_name_0": {"T"}, "last_name_0": {"R"}}), org.MembersPath(c.UID))
		var n int
		if err := d.NewRaw("SELECT COUNT(*) FROM invitation").Scan(ctx, &n); err != nil || n != 50 {
			t.Errorf("%d invitations, %v", n, err)
		}
	})
}

func TestInvitationLink_ANewLaborInspectorSignsUpWithTheAddressFixedAndLandsInTheInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		inst := site.Institution()
		sender := site.Member(org.TypeInstitution, inst.ID, "chef@ddets.gouv.fr", "Chloé", "Cheffe")
		invite(site, sender, inst.UID, "nouvelle@ddets.gouv.fr")
		link := site.LinkIn("nouvelle@ddets.gouv.fr", "/invitations/")
		b := site.Browser()
		res := b.Get(link)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Chloé CHEFFE vous invite", `value="nouvelle@ddets.gouv.fr" readonly`, `value="Iris"`)
		webtest.WantNoBody(t, res, "proconnect-button")

		form := url.Values{"first_name": {"Iris"}, "last_name": {"Invitée"}, "password1": {webtest.Password}, "password2": {"autre"}}
		webtest.WantStatus(t, b.Post(link, form), http.StatusUnprocessableEntity)
		form.Set("password2", webtest.Password)
		form.Set("email", "pirate@example.org") // the address is fixed: a posted one is ignored
		webtest.WantRedirect(t, b.Post(link, form), "/dashboard")
		res = b.Get("/dashboard")
		webtest.WantBody(t, res, "Vous avez rejoint « DDETS du Rhône »", "<strong>institutionnel</strong>")
		u, err := site.Services.Accounts.ByEmail(ctx, "nouvelle@ddets.gouv.fr")
		if err != nil || !u.EmailVerified() || u.Kind != account.Professional {
			t.Fatalf("account: %+v, %v", u, err)
		}
		if _, err := site.Services.Accounts.ByEmail(ctx, "pirate@example.org"); err == nil {
			t.Error("the posted address was used")
		}
		mails := site.Mails()
		if last := mails[len(mails)-1]; last.To != "chef@ddets.gouv.fr" || !strings.Contains(last.Subject, "a rejoint") {
			t.Errorf("sender not told: %s %s", last.To, last.Subject)
		}
		// The used link now explains itself, and sends its owner to the organization.
		webtest.WantRedirect(t, b.Get(link), "/dashboard")
		res = site.Browser().Get(link)
		webtest.WantStatus(t, res, http.StatusGone)
		webtest.WantBody(t, res, "déjà été acceptée")
	})
}

func TestInvitationLink_UnknownExpiredAndCancelledLinksExplainThemselves(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.AI, "Association")
		admin := site.Member(org.TypeCompany, c.ID, "admin@ai.fr", "Ada", "Admin")
		uids := invite(site, admin, c.UID, "tard@ai.fr", "annule@ai.fr")
		if err := site.Services.Invitations.Cancel(ctx, actor.Actor{UserID: admin.ID}, c.UID, uids[1]); err != nil {
			t.Fatal(err)
		}
		b := site.Browser()
		res := b.Get("/invitations/00000000-0000-0000-0000-000000000000/join")
		webtest.WantStatus(t, res, http.StatusNotFound)
		webtest.WantBody(t, res, "Cette invitation n&#39;existe pas.")
		webtest.WantStatus(t, b.Get("/invitations/pas-un-uuid/join"), http.StatusNotFound)
		res = b.Get(invitation.JoinPath(uids[1]))
		webtest.WantStatus(t, res, http.StatusGone)
		webtest.WantBody(t, res, "a été annulée")
		site.Clock.Advance(15 * 24 * time.Hour)
		res = b.Get(invitation.JoinPath(uids[0]))
		webtest.WantStatus(t, res, http.StatusGone)
		webtest.WantBody(t, res, "<h1>Invitation expirée</h1>", "elle a expiré")
		webtest.WantStatus(t, b.Post(invitation.JoinPath(uids[0]), url.Values{"first_name": {"A"}}), http.StatusSeeOther)
		if _, err := site.Services.Accounts.ByEmail(ctx, "tard@ai.fr"); err == nil {
			t.Error("an account was created through an expired invitation")
		}
	})
}

func TestInvitationLink_AnotherAccountIsLoggedOutThenTheInviteeLogsInAndJoins(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ETTI, "Intérim")
		admin := site.Member(org.TypeCompany, c.ID, "admin@etti.fr", "Ada", "Admin")
		other := site.Company(org.EI, "Ailleurs")
		invitee := site.Member(org.TypeCompany, other.ID, "deja@ailleurs.fr", "Déborah", "Déjà")
		invite(site, admin, c.UID, "deja@ailleurs.fr")
		link := site.LinkIn("deja@ailleurs.fr", "/invitations/")

		b := site.LoginAs(admin) // someone else is logged in on this browser
		// Opening the link changes nothing (issue 8: it logged the other account out): a button does.
		res := b.Get(link)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="invitation-other-account"`, "admin@etti.fr", `<form method="post" action="`+link+`"`, "Me déconnecter et continuer")
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusOK) // still logged in
		webtest.WantRedirect(t, b.Post(link, nil), link)
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusSeeOther) // logged out
		res = b.Get(link)
		webtest.WantRedirect(t, res, "/accounts/login?next="+url.QueryEscape(link))
		webtest.WantBody(t, b.Get("/accounts/login?next="+url.QueryEscape(link)), "vous avez été déconnecté", "connectez-vous pour rejoindre « Intérim »")

		res = b.Post("/accounts/login", url.Values{"email": {invitee.Email}, "password": {webtest.Password}, "next": {link}})
		webtest.WantRedirect(t, res, link)
		webtest.WantRedirect(t, b.Get(link), "/dashboard")
		res = b.Get("/dashboard")
		webtest.WantBody(t, res, "Intérim", `id="org-switcher"`)
		if !site.IsActiveMember(org.TypeCompany, c.ID, invitee) {
			t.Error("the invitee is not a member")
		}
	})
}

func TestInvitationLink_TheInviteeLoggedInJoinsWithTheButtonNotByOpeningIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ETTI, "Intérim")
		admin := site.Member(org.TypeCompany, c.ID, "admin@etti.fr", "Ada", "Admin")
		other := site.Company(org.EI, "Ailleurs")
		invitee := site.Member(org.TypeCompany, other.ID, "deja@ailleurs.fr", "Déborah", "Déjà")
		b := site.LoginAs(invitee) // logged in before the invitation is sent
		invite(site, admin, c.UID, "deja@ailleurs.fr")
		link := site.LinkIn("deja@ailleurs.fr", "/invitations/")

		res := b.Get(link)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Rejoindre l'organisation", `id="invitation-confirm-form"`)
		if site.IsActiveMember(org.TypeCompany, c.ID, invitee) {
			t.Fatal("opening the link made the invitee a member")
		}
		webtest.WantRedirect(t, b.Post(link, nil), "/dashboard")
		if !site.IsActiveMember(org.TypeCompany, c.ID, invitee) {
			t.Error("the button did not make the invitee a member")
		}
	})
}

func TestLogin_AcceptsThePendingInvitationsOfTheAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		p := site.Prescriber(org.CCAS, "CCAS de Lille", false)
		admin := site.Member(org.TypePrescriber, p.ID, "admin@ccas.fr", "Ada", "Admin")
		invite(site, admin, p.UID, "sans-orga@example.org")
		pro := site.CreateUser(account.Professional, "sans-orga@example.org", "Sam", "Seul")
		b := site.LoginAs(pro)
		res := b.Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Vous avez rejoint « CCAS de Lille »", "<strong>orienteur</strong>")
		if !site.IsActiveMember(org.TypePrescriber, p.ID, pro) {
			t.Error("not a member after login")
		}
	})
}

func TestProConnectLogin_AcceptsThePendingInvitations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		awa := webtest.AwaPC
		site, p := webtest.NewWithProConnect(t, d)
		site.WithDemoCommunes()
		c := site.Company(org.GEIQ, "GEIQ Propreté")
		admin := site.Member(org.TypeCompany, c.ID, "admin@geiq.fr", "Ada", "Admin")
		uid := invite(site, admin, c.UID, awa.Email)[0]
		join := invitation.JoinPath(uid)

		// The invitation link of a new employer sends to ProConnect with the address as hint.
		b := site.Browser()
		res := b.Get(join)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "proconnect-button", "login_hint="+url.QueryEscape(awa.Email))
		webtest.WantNoBody(t, res, `id="invitation-signup-form"`) // password signups are off

		// Click the ProConnect button, let the provider log awa in, come back to the callback.
		callback := b.ProConnectCallback(p, "/proconnect/authorize?login_hint="+url.QueryEscape(awa.Email)+"&next="+url.QueryEscape(join))
		webtest.WantRedirect(t, b.Get(callback), join)
		webtest.WantRedirect(t, b.Get(join), "/dashboard")
		webtest.WantBody(t, b.Get("/dashboard"), "GEIQ Propreté", "<strong>employeur</strong>")
	})
}
