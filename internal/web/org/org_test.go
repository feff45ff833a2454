package org_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

var ctx = context.Background()

// antennaSerial numbers the SIRETs of the antennas' parents' siblings these tests create.
var antennaSerial atomic.Int64

// freeSIRET is a valid SIRET no fixture uses (the fixtures number theirs from 40000000).
func freeSIRET() string {
	return org.WithLuhnKey(org.WithLuhnKey(fmt.Sprintf("%08d", 70000000+antennaSerial.Add(1))) + "0001")
}

func TestNoOrganizationGate_ShowsOnlyTheExplanationPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		pro := site.CreateUser(account.Professional, "seul@example.org", "Sam", "Seul")
		b := site.LoginAs(pro)
		for _, path := range []string{"/dashboard", "/", "/organizations/unknown"} {
			webtest.WantRedirect(t, b.Get(path), "/logout/warning/no_organization")
		}
		webtest.WantRedirect(t, b.Post("/dashboard/switch-organization", url.Values{"organization": {"x"}}), "/logout/warning/no_organization")
		res := b.Get("/logout/warning/no_organization")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Vous n'êtes rattaché à aucune structure", `action="/accounts/logout"`)
		for _, path := range []string{"/mentions-legales", "/cgu", "/accounts/password/change", "/signup/"} {
			webtest.WantStatus(t, b.Get(path), http.StatusOK)
		}
		webtest.WantStatus(t, b.Get("/logout/warning/other"), http.StatusNotFound)

		ft := site.CreateUser(account.Professional, "agent@francetravail.fr", "Alex", "Agent")
		webtest.WantRedirect(t, site.LoginAs(ft).Get("/dashboard"), "/logout/warning/ft_no_ft_organization")

		// Once member of an organization, the gate opens.
		c := site.Company(org.EI, "Recyclerie")
		if _, err := site.Services.Orgs.AddMember(ctx, actor.Actor{}, org.TypeCompany, c.ID, pro.ID, false); err != nil {
			t.Fatal(err)
		}
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusOK)
		webtest.WantRedirect(t, b.Get("/logout/warning/no_organization"), "/dashboard")
	})
}

func TestDashboard_ShowsTheOrganizationCardWithTheRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ACI, "Atelier du Rhône")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		res := site.LoginAs(admin).Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Atelier du Rhône", "Atelier chantier d&#39;insertion", "<strong>employeur</strong> (administrateur)",
			org.MembersPath(c.UID), org.EditPath(c.UID))
		webtest.WantNoBody(t, res, "dashboard-habilitation-pending", `id="org-switcher"`)

		p := site.Prescriber(org.CCAS, "CCAS de Lille", false)
		pending := site.Member(org.TypePrescriber, p.ID, "pending@example.org", "Pia", "Pending")
		res = site.LoginAs(pending).Get("/dashboard")
		webtest.WantBody(t, res, "dashboard-habilitation-pending", "<strong>orienteur</strong>")
		ml := site.Prescriber(org.ML, "Mission locale", true)
		habilitated := site.Member(org.TypePrescriber, ml.ID, "ml@example.org", "Max", "Mission")
		res = site.LoginAs(habilitated).Get("/dashboard")
		webtest.WantBody(t, res, "<strong>prescripteur habilité</strong>")
		webtest.WantNoBody(t, res, "dashboard-habilitation-pending")
		inst := site.Institution()
		inspector := site.Member(org.TypeInstitution, inst.ID, "ddets@example.org", "Ines", "Inspection")
		res = site.LoginAs(inspector).Get("/dashboard")
		webtest.WantBody(t, res, "<strong>institutionnel</strong>")
		webtest.WantNoBody(t, res, "dashboard-edit-link")
	})
}

func TestMembersPage_AdminSeesActionsMemberDoesNotOthersAreRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.EI, "Recyclerie")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Zola")
		bob := site.Member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		other := site.Company(org.EI, "Autre EI")
		outsider := site.Member(org.TypeCompany, other.ID, "out@example.org", "Oscar", "Dehors")
		path := org.MembersPath(c.UID)

		res := site.LoginAs(admin).Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Bob MARTIN", "Ada ZOLA (vous)", "2 collaborateurs actifs, dont 1 administrateur",
			path+"/"+bob.PublicID+"/deactivate", path+"/"+bob.PublicID+"/grant-admin")
		if strings.Index(res.Body, `id="member-`+bob.PublicID) > strings.Index(res.Body, `id="member-`+admin.PublicID) {
			t.Error("members are not sorted by last name")
		}
		webtest.WantNoBody(t, res, path+"/"+admin.PublicID+"/") // no action on oneself

		res = site.LoginAs(bob).Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Ada ZOLA")
		webtest.WantNoBody(t, res, "/deactivate", "/grant-admin", "Actions")
		webtest.WantStatus(t, site.LoginAs(bob).Get(path+"/"+admin.PublicID+"/deactivate"), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(bob).Post(path+"/"+admin.PublicID+"/deactivate", nil), http.StatusForbidden)

		webtest.WantStatus(t, site.LoginAs(outsider).Get(path), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(outsider).Get(org.OverviewPath(c.UID)), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(site.CreateJobSeeker("seeker@example.org")).Get(path), http.StatusForbidden)
		webtest.WantStatus(t, site.Browser().Get(path), http.StatusSeeOther)
		webtest.WantStatus(t, site.LoginAs(admin).Get(org.MembersPath("00000000-0000-0000-0000-000000000000")), http.StatusNotFound)

		staff := site.CreateUser(account.Staff, "staff@example.org", "Sol", "Staff")
		res = site.LoginAs(staff).Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, path+"/"+admin.PublicID+"/revoke-admin")
	})
}

func TestMemberActions_DeactivateAndGrantThroughTheConfirmationPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		p := site.Prescriber(org.ML, "Mission locale", true)
		admin := site.Member(org.TypePrescriber, p.ID, "admin@example.org", "Ada", "Admin")
		bob := site.Member(org.TypePrescriber, p.ID, "bob@example.org", "Bob", "Martin")
		b := site.LoginAs(admin)
		base := org.MembersPath(p.UID) + "/" + bob.PublicID

		res := b.Get(base + "/grant-admin")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Nommer Bob MARTIN administrateur", `action="`+base+`/grant-admin"`)
		webtest.WantNoBody(t, res, "confirm_last_admin")
		webtest.WantRedirect(t, b.Post(base+"/grant-admin", nil), org.MembersPath(p.UID))
		if m := site.Mails(); len(m) == 0 || m[len(m)-1].To != "bob@example.org" {
			t.Error("no mail to the new admin")
		}
		webtest.WantBody(t, b.Get(org.MembersPath(p.UID)), "2 collaborateurs actifs, dont 2 administrateurs")

		webtest.WantRedirect(t, b.Post(base+"/deactivate", nil), org.MembersPath(p.UID))
		if site.IsActiveMember(org.TypePrescriber, p.ID, bob) {
			t.Error("bob is still an active member")
		}
		if m := site.Mails(); !strings.Contains(m[len(m)-1].Subject, "retiré") {
			t.Errorf("last mail = %q", m[len(m)-1].Subject)
		}
		// bob, deactivated, now meets the gate.
		webtest.WantRedirect(t, site.LoginAs(bob).Get("/dashboard"), "/logout/warning/no_organization")
		webtest.WantStatus(t, b.Post(base+"/deactivate", nil), http.StatusNotFound)
		webtest.WantStatus(t, b.Post(org.MembersPath(p.UID)+"/"+admin.PublicID+"/revoke-admin", nil), http.StatusForbidden)
		webtest.WantStatus(t, b.Get(base+"/explode"), http.StatusNotFound)
	})
}

func TestLastAdmin_ThePageWarnsAndNothingChangesWithoutTheCheckbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.GEIQ, "GEIQ BTP")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		site.Member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		staff := site.LoginAs(site.CreateUser(account.Staff, "staff@example.org", "Sol", "Staff"))
		path := org.MembersPath(c.UID) + "/" + admin.PublicID + "/revoke-admin"

		res := staff.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Dernier administrateur", `name="confirm_last_admin"`)
		res = staff.Post(path, nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "dernier administrateur de cette organisation", `aria-describedby="id_confirm_last_admin_error"`)
		if a := site.LoginAs(admin).Get("/dashboard"); !strings.Contains(a.Body, "(administrateur)") {
			t.Error("the admin lost the role without confirmation")
		}
		webtest.WantRedirect(t, staff.Post(path, url.Values{"confirm_last_admin": {"on"}}), org.MembersPath(c.UID))
		res = staff.Get(org.MembersPath(c.UID))
		webtest.WantBody(t, res, "dont 0 administrateur", "members-no-admin")
	})
}

func TestSwitchOrganization_TheHeaderListsOrganizationsAndThePostSwitches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.EI, "Recyclerie")
		u := site.Member(org.TypeCompany, c.ID, "multi@example.org", "Mia", "Multi")
		b := site.LoginAs(u)
		res := b.Get("/dashboard")
		webtest.WantBody(t, res, `id="org-current"`)
		webtest.WantNoBody(t, res, `id="org-switcher"`)

		p := site.Prescriber(org.ML, "Mission locale", true)
		if _, err := site.Services.Orgs.AddMember(ctx, actor.Actor{}, org.TypePrescriber, p.ID, u.ID, false); err != nil {
			t.Fatal(err)
		}
		res = b.Get("/dashboard")
		webtest.WantBody(t, res, `id="org-switcher"`, `value="prescriber-`+p.UID+`"`, "<strong>employeur</strong>")
		res = b.Post("/dashboard/switch-organization", url.Values{"organization": {"prescriber-" + p.UID}})
		webtest.WantRedirect(t, res, "/dashboard")
		res = b.Get("/dashboard")
		webtest.WantBody(t, res, "Vous agissez maintenant pour « Mission locale »", "<strong>prescripteur habilité</strong>")

		other := site.Company(org.AI, "Pas la mienne")
		webtest.WantStatus(t, b.Post("/dashboard/switch-organization", url.Values{"organization": {"company-" + other.UID}}), http.StatusForbidden)
		webtest.WantBody(t, b.Get("/dashboard"), "<strong>prescripteur habilité</strong>")
	})
}

func TestOrgEdit_AdminsSaveTheCardMembersCannotAndFranceTravailNamesStay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.EI, "Recyclerie")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		member := site.Member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		edit := org.EditPath(c.UID)
		webtest.WantStatus(t, site.LoginAs(member).Get(edit), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(member).Post(edit, url.Values{"brand": {"Pirate"}}), http.StatusForbidden)

		b := site.LoginAs(admin)
		res := b.Get(edit)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="id_brand"`, `<textarea class="fr-input" id="id_description"`)
		res = b.Post(edit, url.Values{"brand": {"La Recyclerie"}, "email": {"pas-un-mail"}, "website": {"https://recyclerie.fr"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Saisissez une adresse e-mail valide.", `aria-describedby="id_email_error"`, `value="La Recyclerie"`)
		webtest.WantRedirect(t, b.Post(edit, url.Values{"brand": {"La Recyclerie"}, "email": {"contact@recyclerie.fr"}, "description": {"Réemploi"}}), org.OverviewPath(c.UID))
		res = b.Get(org.OverviewPath(c.UID))
		webtest.WantBody(t, res, "<h1>La Recyclerie</h1>", "contact@recyclerie.fr", "Réemploi")

		ft := site.Prescriber(org.FT, "France Travail Lille", false)
		agent := site.Member(org.TypePrescriber, ft.ID, "agent@francetravail.fr", "Alex", "Agent")
		fb := site.LoginAs(agent)
		res = fb.Get(org.EditPath(ft.UID))
		webtest.WantBody(t, res, "pas modifiable")
		webtest.WantNoBody(t, res, `id="id_name"`)
		webtest.WantRedirect(t, fb.Post(org.EditPath(ft.UID), url.Values{"name": {"Renommée"}, "phone": {"0320000000"}}), org.OverviewPath(ft.UID))
		webtest.WantBody(t, fb.Get(org.OverviewPath(ft.UID)), "<h1>France Travail Lille</h1>", "0320000000")

		inst := site.Institution()
		inspector := site.Member(org.TypeInstitution, inst.ID, "ddets@example.org", "Ines", "Inspection")
		webtest.WantStatus(t, site.LoginAs(inspector).Get(org.EditPath(inst.UID)), http.StatusForbidden)
	})
}

func TestCompanyApplications_AnyMemberBlocksAndOpens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ETTI, "Intérim")
		site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		member := site.Member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		b := site.LoginAs(member)
		path := "/organizations/" + c.UID + "/applications"
		webtest.WantRedirect(t, b.Post(path, url.Values{"action": {"block"}}), org.OverviewPath(c.UID))
		webtest.WantRedirect(t, b.Post(path, url.Values{"action": {"close_spontaneous"}}), org.OverviewPath(c.UID))
		res := b.Get(org.OverviewPath(c.UID))
		webtest.WantBody(t, res, "Les candidatures spontanées sont fermées.", "sont <strong>bloquées</strong>", `value="unblock"`, `value="open_spontaneous"`)
		webtest.WantStatus(t, b.Post(path, url.Values{"action": {"explode"}}), http.StatusBadRequest)
		outsider := site.Member(org.TypeCompany, site.Company(org.EI, "Autre").ID, "out@example.org", "Oscar", "Dehors")
		webtest.WantStatus(t, site.LoginAs(outsider).Post(path, url.Values{"action": {"unblock"}}), http.StatusForbidden)
	})
}

func TestAntennaPage_CreatesTheAntennaAndSwitchesToIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ACI, "Atelier")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		member := site.Member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		path := org.AntennaPath(c.UID)
		webtest.WantStatus(t, site.LoginAs(member).Get(path), http.StatusForbidden)
		b := site.LoginAs(admin)
		webtest.WantBody(t, b.Get(org.OverviewPath(c.UID)), `id="org-antenna-link"`)
		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Antenne de Atelier", `id="id_siret"`)

		form := url.Values{"siret": {freeSIRET()}, "name": {"Atelier Nord"}, "address_line_1": {"2 rue D"}, "post_code": {"69100"}, "city": {"Villeurbanne"}}
		res = b.Post(path, form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "doit commencer par le SIREN de votre structure ("+c.SIRET[:9]+")")

		form.Set("siret", org.WithLuhnKey(c.SIRET[:9]+"0002"))
		res = b.Post(path, form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create antenna: %d\n%s", res.StatusCode, res.Body)
		}
		res = b.Get("/dashboard")
		webtest.WantBody(t, res, "Atelier Nord", `id="org-switcher"`, "(administrateur)")
	})
}

func TestMembersPage_RunsAsManyQueriesForThreeOrFortyMembers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}).WithDemoCommunes()
		count := func(b *webtest.Browser, path string) int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(path), http.StatusOK)
			return counter.Count() - before
		}
		small, big := site.Company(org.EI, "Petite"), site.Company(org.EI, "Grande")
		smallAdmin := site.Member(org.TypeCompany, small.ID, "a@small.org", "A", "Small")
		bigAdmin := site.Member(org.TypeCompany, big.ID, "a@big.org", "A", "Big")
		for i := 0; i < 2; i++ {
			site.Member(org.TypeCompany, small.ID, fmt.Sprintf("m%d@small.org", i), "M", fmt.Sprint(i))
		}
		for i := 0; i < 39; i++ {
			site.Member(org.TypeCompany, big.ID, fmt.Sprintf("m%d@big.org", i), "M", fmt.Sprint(i))
		}
		sb, bb := site.LoginAs(smallAdmin), site.LoginAs(bigAdmin)
		count(sb, org.MembersPath(small.UID)) // warm the session
		count(bb, org.MembersPath(big.UID))
		nSmall, nBig := count(sb, org.MembersPath(small.UID)), count(bb, org.MembersPath(big.UID))
		if nSmall != nBig {
			t.Errorf("members page: %d queries for 3 members, %d for 40", nSmall, nBig)
		}
		dash := count(sb, "/dashboard")
		t.Logf("queries per page: members %d, dashboard %d", nBig, dash)
		if nBig > 10 {
			t.Errorf("members page runs %d queries", nBig)
		}
	})
}
