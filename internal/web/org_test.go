package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// orgSite is a test site with the demo communes and helpers to create organizations.
type orgSite struct {
	*testSite
	ctx    context.Context
	serial int
}

func newOrgSite(t *testing.T, d *db.DB) *orgSite {
	t.Helper()
	if err := geo.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return &orgSite{testSite: newTestSite(t, d), ctx: context.Background()}
}

func (os *orgSite) siret() string {
	os.serial++
	return org.WithLuhnKey(org.WithLuhnKey(fmt.Sprintf("%08d", 40000000+os.serial)) + "0001")
}

// company creates an SIAE with an active convention (or a GEIQ / OPCS) at Lyon.
func (os *orgSite) company(kind org.CompanyKind, name string) *org.Company {
	os.t.Helper()
	return os.companyAt(kind, name, "69123")
}

// companyAt creates an active company of this kind at the commune (an SIAE with an active
// convention), placed at the commune's centre.
func (os *orgSite) companyAt(kind org.CompanyKind, name, commune string) *org.Company {
	os.t.Helper()
	s := os.Server.orgs
	in := org.CompanyInput{SIRET: os.siret(), Kind: kind, Name: name, Address: org.AddressInput{Line1: "1 rue A", CommuneCode: commune}}
	var convID *int64
	source := org.SourceGEIQ
	if kind.IsSIAE() {
		os.serial++
		now := s.Now()
		conv, err := s.CreateConvention(os.ctx, org.ConventionInput{Kind: kind, SiretSignature: in.SIRET, ASPID: int64(os.serial),
			Annexes: []org.AnnexInput{{Number: fmt.Sprintf("%s69A%06dA0M0", kind, os.serial), State: org.AnnexValid,
				StartAt: now.AddDate(-1, 0, 0), EndAt: now.AddDate(1, 0, 0)}}})
		if err != nil {
			os.t.Fatal(err)
		}
		convID, source = &conv.ID, org.SourceASP
	}
	c, err := s.ImportCompany(os.ctx, in, source, convID)
	if err != nil {
		os.t.Fatal(err)
	}
	return c
}

func (os *orgSite) prescriber(kind org.PrescriberKind, name string, validated bool) *org.PrescriberOrganization {
	os.t.Helper()
	in := org.PrescriberInput{SIRET: os.siret(), Kind: kind, Name: name, Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}}
	if kind == org.FT {
		in.SIRET, in.CodeSAFIR = "", fmt.Sprintf("%05d", 59000+os.serial)
	}
	p, err := os.Server.orgs.CreatePrescriberOrganization(os.ctx, actor.Actor{Kind: actor.Staff}, in)
	if err != nil {
		os.t.Fatal(err)
	}
	if validated && kind != org.FT {
		if err := os.Server.orgs.ValidateHabilitation(os.ctx, actor.Actor{Kind: actor.Staff}, p.UID); err != nil {
			os.t.Fatal(err)
		}
	}
	return p
}

func (os *orgSite) institution() *org.Institution {
	os.t.Helper()
	i, err := os.Server.orgs.CreateInstitution(os.ctx, actor.Actor{Kind: actor.Staff}, org.InstitutionInput{Kind: org.DDETSIAE, Name: "DDETS du Rhône", Department: "69"})
	if err != nil {
		os.t.Fatal(err)
	}
	return i
}

// member creates a professional and adds them to the organization (the first one is admin).
func (os *orgSite) member(t org.Type, orgID int64, email, first, last string) *account.User {
	os.t.Helper()
	u := os.createUser(account.Professional, email, first, last)
	if _, err := os.Server.orgs.AddMember(os.ctx, actor.Actor{UserID: u.ID}, t, orgID, u.ID, false); err != nil {
		os.t.Fatal(err)
	}
	return u
}

func (os *orgSite) isActiveMember(t org.Type, orgID int64, u *account.User) bool {
	os.t.Helper()
	ok, err := os.Server.orgs.IsActiveMember(os.ctx, t, orgID, u.ID)
	if err != nil {
		os.t.Fatal(err)
	}
	return ok
}

func wantNoBody(t *testing.T, res *testResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(res.Body, p) {
			t.Errorf("%s %s: body holds %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}

func wantRedirect(t *testing.T, res *testResponse, location string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != location {
		t.Errorf("%s %s: %d to %q, want 303 to %q", res.Request.Method, res.Request.URL.Path, res.StatusCode, res.Header.Get("Location"), location)
	}
}

func TestNoOrganizationGate_ShowsOnlyTheExplanationPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		pro := site.createUser(account.Professional, "seul@example.org", "Sam", "Seul")
		b := site.loginAs(pro)
		for _, path := range []string{"/dashboard", "/", "/organizations/unknown"} {
			wantRedirect(t, b.get(path), "/logout/warning/no_organization")
		}
		wantRedirect(t, b.post("/dashboard/switch-organization", url.Values{"organization": {"x"}}), "/logout/warning/no_organization")
		res := b.get("/logout/warning/no_organization")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Vous n'êtes rattaché à aucune structure", `action="/accounts/logout"`)
		for _, path := range []string{"/mentions-legales", "/cgu", "/accounts/password/change", "/signup/"} {
			wantStatus(t, b.get(path), http.StatusOK)
		}
		wantStatus(t, b.get("/logout/warning/other"), http.StatusNotFound)

		ft := site.createUser(account.Professional, "agent@francetravail.fr", "Alex", "Agent")
		wantRedirect(t, site.loginAs(ft).get("/dashboard"), "/logout/warning/ft_no_ft_organization")

		// Once member of an organization, the gate opens.
		c := site.company(org.EI, "Recyclerie")
		if _, err := site.Server.orgs.AddMember(site.ctx, actor.Actor{}, org.TypeCompany, c.ID, pro.ID, false); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, b.get("/dashboard"), http.StatusOK)
		wantRedirect(t, b.get("/logout/warning/no_organization"), "/dashboard")
	})
}

func TestDashboard_ShowsTheOrganizationCardWithTheRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ACI, "Atelier du Rhône")
		admin := site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		res := site.loginAs(admin).get("/dashboard")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Atelier du Rhône", "Atelier chantier d&#39;insertion", "<strong>employeur</strong> (administrateur)",
			org.MembersPath(c.UID), org.EditPath(c.UID))
		wantNoBody(t, res, "dashboard-habilitation-pending", `id="org-switcher"`)

		p := site.prescriber(org.CCAS, "CCAS de Lille", false)
		pending := site.member(org.TypePrescriber, p.ID, "pending@example.org", "Pia", "Pending")
		res = site.loginAs(pending).get("/dashboard")
		wantBody(t, res, "dashboard-habilitation-pending", "<strong>orienteur</strong>")
		ml := site.prescriber(org.ML, "Mission locale", true)
		habilitated := site.member(org.TypePrescriber, ml.ID, "ml@example.org", "Max", "Mission")
		res = site.loginAs(habilitated).get("/dashboard")
		wantBody(t, res, "<strong>prescripteur habilité</strong>")
		wantNoBody(t, res, "dashboard-habilitation-pending")
		inst := site.institution()
		inspector := site.member(org.TypeInstitution, inst.ID, "ddets@example.org", "Ines", "Inspection")
		res = site.loginAs(inspector).get("/dashboard")
		wantBody(t, res, "<strong>institutionnel</strong>")
		wantNoBody(t, res, "dashboard-edit-link")
	})
}

func TestMembersPage_AdminSeesActionsMemberDoesNotOthersAreRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.EI, "Recyclerie")
		admin := site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Zola")
		bob := site.member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		other := site.company(org.EI, "Autre EI")
		outsider := site.member(org.TypeCompany, other.ID, "out@example.org", "Oscar", "Dehors")
		path := org.MembersPath(c.UID)

		res := site.loginAs(admin).get(path)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Bob MARTIN", "Ada ZOLA (vous)", "2 collaborateurs actifs, dont 1 administrateur",
			path+"/"+bob.PublicID+"/deactivate", path+"/"+bob.PublicID+"/grant-admin")
		if strings.Index(res.Body, `id="member-`+bob.PublicID) > strings.Index(res.Body, `id="member-`+admin.PublicID) {
			t.Error("members are not sorted by last name")
		}
		wantNoBody(t, res, path+"/"+admin.PublicID+"/") // no action on oneself

		res = site.loginAs(bob).get(path)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Ada ZOLA")
		wantNoBody(t, res, "/deactivate", "/grant-admin", "Actions")
		wantStatus(t, site.loginAs(bob).get(path+"/"+admin.PublicID+"/deactivate"), http.StatusForbidden)
		wantStatus(t, site.loginAs(bob).post(path+"/"+admin.PublicID+"/deactivate", nil), http.StatusForbidden)

		wantStatus(t, site.loginAs(outsider).get(path), http.StatusForbidden)
		wantStatus(t, site.loginAs(outsider).get(org.OverviewPath(c.UID)), http.StatusForbidden)
		wantStatus(t, site.loginAs(site.createJobSeeker("seeker@example.org")).get(path), http.StatusForbidden)
		wantStatus(t, site.browser().get(path), http.StatusSeeOther)
		wantStatus(t, site.loginAs(admin).get(org.MembersPath("00000000-0000-0000-0000-000000000000")), http.StatusNotFound)

		staff := site.createUser(account.Staff, "staff@example.org", "Sol", "Staff")
		res = site.loginAs(staff).get(path)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, path+"/"+admin.PublicID+"/revoke-admin")
	})
}

func TestMemberActions_DeactivateAndGrantThroughTheConfirmationPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		p := site.prescriber(org.ML, "Mission locale", true)
		admin := site.member(org.TypePrescriber, p.ID, "admin@example.org", "Ada", "Admin")
		bob := site.member(org.TypePrescriber, p.ID, "bob@example.org", "Bob", "Martin")
		b := site.loginAs(admin)
		base := org.MembersPath(p.UID) + "/" + bob.PublicID

		res := b.get(base + "/grant-admin")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Nommer Bob MARTIN administrateur", `action="`+base+`/grant-admin"`)
		wantNoBody(t, res, "confirm_last_admin")
		wantRedirect(t, b.post(base+"/grant-admin", nil), org.MembersPath(p.UID))
		if m := site.mails(); len(m) == 0 || m[len(m)-1].To != "bob@example.org" {
			t.Error("no mail to the new admin")
		}
		wantBody(t, b.get(org.MembersPath(p.UID)), "2 collaborateurs actifs, dont 2 administrateurs")

		wantRedirect(t, b.post(base+"/deactivate", nil), org.MembersPath(p.UID))
		if site.isActiveMember(org.TypePrescriber, p.ID, bob) {
			t.Error("bob is still an active member")
		}
		if m := site.mails(); !strings.Contains(m[len(m)-1].Subject, "retiré") {
			t.Errorf("last mail = %q", m[len(m)-1].Subject)
		}
		// bob, deactivated, now meets the gate.
		wantRedirect(t, site.loginAs(bob).get("/dashboard"), "/logout/warning/no_organization")
		wantStatus(t, b.post(base+"/deactivate", nil), http.StatusNotFound)
		wantStatus(t, b.post(org.MembersPath(p.UID)+"/"+admin.PublicID+"/revoke-admin", nil), http.StatusForbidden)
		wantStatus(t, b.get(base+"/explode"), http.StatusNotFound)
	})
}

func TestLastAdmin_ThePageWarnsAndNothingChangesWithoutTheCheckbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.GEIQ, "GEIQ BTP")
		admin := site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		site.member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		staff := site.loginAs(site.createUser(account.Staff, "staff@example.org", "Sol", "Staff"))
		path := org.MembersPath(c.UID) + "/" + admin.PublicID + "/revoke-admin"

		res := staff.get(path)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Dernier administrateur", `name="confirm_last_admin"`)
		res = staff.post(path, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "dernier administrateur de cette organisation", `aria-describedby="id_confirm_last_admin_error"`)
		if a := site.loginAs(admin).get("/dashboard"); !strings.Contains(a.Body, "(administrateur)") {
			t.Error("the admin lost the role without confirmation")
		}
		wantRedirect(t, staff.post(path, url.Values{"confirm_last_admin": {"on"}}), org.MembersPath(c.UID))
		res = staff.get(org.MembersPath(c.UID))
		wantBody(t, res, "dont 0 administrateur", "members-no-admin")
	})
}

func TestSwitchOrganization_TheHeaderListsOrganizationsAndThePostSwitches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.EI, "Recyclerie")
		u := site.member(org.TypeCompany, c.ID, "multi@example.org", "Mia", "Multi")
		b := site.loginAs(u)
		res := b.get("/dashboard")
		wantBody(t, res, `id="org-current"`)
		wantNoBody(t, res, `id="org-switcher"`)

		p := site.prescriber(org.ML, "Mission locale", true)
		if _, err := site.Server.orgs.AddMember(site.ctx, actor.Actor{}, org.TypePrescriber, p.ID, u.ID, false); err != nil {
			t.Fatal(err)
		}
		res = b.get("/dashboard")
		wantBody(t, res, `id="org-switcher"`, `value="prescriber-`+p.UID+`"`, "<strong>employeur</strong>")
		res = b.post("/dashboard/switch-organization", url.Values{"organization": {"prescriber-" + p.UID}})
		wantRedirect(t, res, "/dashboard")
		res = b.get("/dashboard")
		wantBody(t, res, "Vous agissez maintenant pour « Mission locale »", "<strong>prescripteur habilité</strong>")

		other := site.company(org.AI, "Pas la mienne")
		wantStatus(t, b.post("/dashboard/switch-organization", url.Values{"organization": {"company-" + other.UID}}), http.StatusForbidden)
		wantBody(t, b.get("/dashboard"), "<strong>prescripteur habilité</strong>")
	})
}

func TestOrgEdit_AdminsSaveTheCardMembersCannotAndFranceTravailNamesStay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.EI, "Recyclerie")
		admin := site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		member := site.member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		edit := org.EditPath(c.UID)
		wantStatus(t, site.loginAs(member).get(edit), http.StatusForbidden)
		wantStatus(t, site.loginAs(member).post(edit, url.Values{"brand": {"Pirate"}}), http.StatusForbidden)

		b := site.loginAs(admin)
		res := b.get(edit)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `id="id_brand"`, `<textarea class="fr-input" id="id_description"`)
		res = b.post(edit, url.Values{"brand": {"La Recyclerie"}, "email": {"pas-un-mail"}, "website": {"https://recyclerie.fr"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Saisissez une adresse e-mail valide.", `aria-describedby="id_email_error"`, `value="La Recyclerie"`)
		wantRedirect(t, b.post(edit, url.Values{"brand": {"La Recyclerie"}, "email": {"contact@recyclerie.fr"}, "description": {"Réemploi"}}), org.OverviewPath(c.UID))
		res = b.get(org.OverviewPath(c.UID))
		wantBody(t, res, "<h1>La Recyclerie</h1>", "contact@recyclerie.fr", "Réemploi")

		ft := site.prescriber(org.FT, "France Travail Lille", false)
		agent := site.member(org.TypePrescriber, ft.ID, "agent@francetravail.fr", "Alex", "Agent")
		fb := site.loginAs(agent)
		res = fb.get(org.EditPath(ft.UID))
		wantBody(t, res, "pas modifiable")
		wantNoBody(t, res, `id="id_name"`)
		wantRedirect(t, fb.post(org.EditPath(ft.UID), url.Values{"name": {"Renommée"}, "phone": {"0320000000"}}), org.OverviewPath(ft.UID))
		wantBody(t, fb.get(org.OverviewPath(ft.UID)), "<h1>France Travail Lille</h1>", "0320000000")

		inst := site.institution()
		inspector := site.member(org.TypeInstitution, inst.ID, "ddets@example.org", "Ines", "Inspection")
		wantStatus(t, site.loginAs(inspector).get(org.EditPath(inst.UID)), http.StatusForbidden)
	})
}

func TestCompanyApplications_AnyMemberBlocksAndOpens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ETTI, "Intérim")
		site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		member := site.member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		b := site.loginAs(member)
		path := "/organizations/" + c.UID + "/applications"
		wantRedirect(t, b.post(path, url.Values{"action": {"block"}}), org.OverviewPath(c.UID))
		wantRedirect(t, b.post(path, url.Values{"action": {"close_spontaneous"}}), org.OverviewPath(c.UID))
		res := b.get(org.OverviewPath(c.UID))
		wantBody(t, res, "Les candidatures spontanées sont fermées.", "sont <strong>bloquées</strong>", `value="unblock"`, `value="open_spontaneous"`)
		wantStatus(t, b.post(path, url.Values{"action": {"explode"}}), http.StatusBadRequest)
		outsider := site.member(org.TypeCompany, site.company(org.EI, "Autre").ID, "out@example.org", "Oscar", "Dehors")
		wantStatus(t, site.loginAs(outsider).post(path, url.Values{"action": {"unblock"}}), http.StatusForbidden)
	})
}

func TestAntennaPage_CreatesTheAntennaAndSwitchesToIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ACI, "Atelier")
		admin := site.member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		member := site.member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martin")
		path := org.AntennaPath(c.UID)
		wantStatus(t, site.loginAs(member).get(path), http.StatusForbidden)
		b := site.loginAs(admin)
		wantBody(t, b.get(org.OverviewPath(c.UID)), `id="org-antenna-link"`)
		res := b.get(path)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Antenne de Atelier", `id="id_siret"`)

		form := url.Values{"siret": {site.siret()}, "name": {"Atelier Nord"}, "address_line_1": {"2 rue D"}, "post_code": {"69100"}, "city": {"Villeurbanne"}}
		res = b.post(path, form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "doit commencer par le SIREN de votre structure ("+c.SIRET[:9]+")")

		form.Set("siret", org.WithLuhnKey(c.SIRET[:9]+"0002"))
		res = b.post(path, form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create antenna: %d\n%s", res.StatusCode, res.Body)
		}
		res = b.get("/dashboard")
		wantBody(t, res, "Atelier Nord", `id="org-switcher"`, "(administrateur)")
	})
}

// queryCounter counts the queries the database runs (all of them: the site's included).
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestMembersPage_RunsAsManyQueriesForThreeOrFortyMembers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &queryCounter{}
		site := newOrgSite(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		count := func(b *testBrowser, path string) int64 {
			before := counter.n.Load()
			wantStatus(t, b.get(path), http.StatusOK)
			return counter.n.Load() - before
		}
		small, big := site.company(org.EI, "Petite"), site.company(org.EI, "Grande")
		smallAdmin := site.member(org.TypeCompany, small.ID, "a@small.org", "A", "Small")
		bigAdmin := site.member(org.TypeCompany, big.ID, "a@big.org", "A", "Big")
		for i := 0; i < 2; i++ {
			site.member(org.TypeCompany, small.ID, fmt.Sprintf("m%d@small.org", i), "M", fmt.Sprint(i))
		}
		for i := 0; i < 39; i++ {
			site.member(org.TypeCompany, big.ID, fmt.Sprintf("m%d@big.org", i), "M", fmt.Sprint(i))
		}
		sb, bb := site.loginAs(smallAdmin), site.loginAs(bigAdmin)
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
