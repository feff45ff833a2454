package staff_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// staffSite is a test site with the demo communes and a staff account.
type staffSite struct {
	*webtest.Site
	staff *account.User
}

func newStaffSite(t *testing.T, d *db.DB) *staffSite {
	t.Helper()
	site := webtest.New(t, d).WithDemoCommunes()
	return &staffSite{Site: site, staff: site.CreateUser(account.Staff, "staff@inclusion.example", "Sol", "Staff")}
}

// Paths of the back office pages.
func userPath(publicID string) string { return "/staff/users/" + publicID }
func orgPath(uid string) string       { return "/staff/organizations/" + uid }

// pendingPrescriber creates a prescriber organization waiting for validation (a kind "Autre"
// claims a habilitation), with members.
func (ss *staffSite) pendingPrescriber(kind org.PrescriberKind, name string, members ...string) *org.PrescriberOrganization {
	ss.T.Helper()
	p, err := ss.Services.Orgs.CreatePrescriberOrganization(context.Background(), actor.Actor{Kind: actor.Staff}, org.PrescriberInput{
		SIRET: webtest.SIRET(), Kind: kind, Name: name, ClaimsHabilitation: true,
		Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}})
	if err != nil {
		ss.T.Fatal(err)
	}
	if p.AuthorizationStatus != org.AuthorizationNotSet {
		ss.T.Fatalf("new %s organization: status %s", kind, p.AuthorizationStatus)
	}
	for _, email := range members {
		ss.Member(org.TypePrescriber, p.ID, email, "Membre", strings.Split(email, "@")[0])
	}
	return p
}

func (ss *staffSite) prescriberNow(uid string) *org.PrescriberOrganization {
	ss.T.Helper()
	p, err := ss.Services.Orgs.Prescriber(context.Background(), uid)
	if err != nil {
		ss.T.Fatal(err)
	}
	return p
}

func (ss *staffSite) companyCount() int {
	ss.T.Helper()
	n, err := ss.DB.NewSelect().Table("company").Count(context.Background())
	if err != nil {
		ss.T.Fatal(err)
	}
	return int(n)
}

func TestStaffPages_StaffGetThemEveryOtherRoleIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.ML, "Mission locale de Lille", "ml@example.org")
		seeker := site.CreateJobSeeker("seeker@example.org")
		c := site.Company(org.EI, "Recyclerie")
		pro := site.Member(org.TypeCompany, c.ID, "pro@example.org", "Pat", "Pro")

		pages := []string{
			"/staff/",
			"/staff/?q=pro&scope=",
			userPath(seeker.PublicID),
			userPath(seeker.PublicID) + "/deactivate",
			orgPath(p.UID),
			orgPath(c.UID),
			orgPath(p.UID) + "/habilitation/validate",
			orgPath(p.UID) + "/habilitation/refuse",
			"/staff/companies/new",
		}
		staff := site.LoginAs(site.staff)
		for _, path := range pages {
			webtest.WantStatus(t, staff.Get(path), http.StatusOK)
		}
		anonymous := site.Browser()
		others := map[string]*webtest.Browser{"job seeker": site.LoginAs(seeker), "professional": site.LoginAs(pro)}
		for _, path := range pages {
			webtest.WantRedirect(t, anonymous.Get(path), "/accounts/login?next="+url.QueryEscape(path))
			for who, b := range others {
				if res := b.Get(path); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", who, path, res.StatusCode)
				}
			}
		}
		posts := []string{
			userPath(seeker.PublicID) + "/deactivate",
			orgPath(p.UID) + "/habilitation/validate",
			orgPath(p.UID) + "/kind",
			"/staff/companies/new",
		}
		before := site.companyCount()
		for _, path := range posts {
			for who, b := range map[string]*webtest.Browser{"anonymous": anonymous, "job seeker": others["job seeker"], "professional": others["professional"]} {
				res := b.Post(path, url.Values{"kind": {"CCAS"}, "siret": {webtest.SIRET()}, "name": {"X"}})
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", who, path, res.StatusCode)
				}
			}
		}
		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationNotSet || got.Kind != org.ML {
			t.Errorf("refused posts changed the organization: %s %s", got.Kind, got.AuthorizationStatus)
		}
		if u, _ := site.Services.Accounts.ByID(context.Background(), seeker.ID); !u.IsActive {
			t.Error("a refused post deactivated the job seeker")
		}
		if site.companyCount() != before {
			t.Error("a refused post created a company")
		}
		webtest.WantStatus(t, staff.Get(userPath("00000000-0000-0000-0000-000000000000")), http.StatusNotFound)
		webtest.WantStatus(t, staff.Get(orgPath("00000000-0000-0000-0000-000000000000")), http.StatusNotFound)
		webtest.WantStatus(t, staff.Get(orgPath(c.UID)+"/habilitation/validate"), http.StatusNotFound)
		webtest.WantStatus(t, staff.Get(orgPath(p.UID)+"/habilitation/explode"), http.StatusNotFound)
		webtest.WantStatus(t, staff.Get(userPath(seeker.PublicID)+"/explode"), http.StatusNotFound)
	})
}

func TestStaffLinks_OnlyStaffSeeTheAdministrationInTheHeaderAndDashboard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		res := site.LoginAs(site.staff).Get("/dashboard")
		webtest.WantBody(t, res, `id="header-staff-link"`, `id="dashboard-staff-link"`, `href="/staff/"`)
		res = site.LoginAs(site.CreateJobSeeker("seeker@example.org")).Get("/dashboard")
		webtest.WantNoBody(t, res, `id="header-staff-link"`, `href="/staff/"`)
	})
}

func TestStaffValidation_PendingOrganizationBecomesHabilitatedAndMembersAreMailed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.ML, "Mission locale de Lille", "ada@example.org", "bob@example.org")
		site.Prescriber(org.ML, "Mission locale validée", true) // not pending: not listed
		b := site.LoginAs(site.staff)

		res := b.Get("/staff/")
		webtest.WantBody(t, res, "Habilitations en attente de validation (1)", `href="`+orgPath(p.UID)+`"`, "Mission locale de Lille")
		webtest.WantNoBody(t, res, "Mission locale validée")

		res = b.Get(orgPath(p.UID))
		webtest.WantBody(t, res, "Habilitation en attente de validation", `id="staff-validate-link"`, `id="staff-refuse-link"`,
			"Membre ADA", "Membre BOB", "Organisation créée")
		res = b.Get(orgPath(p.UID) + "/habilitation/validate")
		webtest.WantBody(t, res, "Valider l&#39;habilitation de Mission locale de Lille", "Ses 2 membres actifs en seront informés par e-mail.", `id="staff-confirm-submit"`)
		mailsBefore := len(site.Mails())
		webtest.WantRedirect(t, b.Post(orgPath(p.UID)+"/habilitation/validate", nil), orgPath(p.UID))

		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationValidated || got.Kind != org.ML {
			t.Errorf("after validation: %s %s", got.Kind, got.AuthorizationStatus)
		}
		mails := site.Mails()[mailsBefore:]
		var to []string
		for _, m := range mails {
			to = append(to, m.To)
			if !strings.Contains(m.Subject, "validée") {
				t.Errorf("mail to %s: subject %q", m.To, m.Subject)
			}
		}
		if strings.Join(to, " ") != "ada@example.org bob@example.org" {
			t.Errorf("mails went to %v", to)
		}
		res = b.Get(orgPath(p.UID))
		webtest.WantBody(t, res, "est validée : ses membres en sont informés", "Statut : <strong>Habilitation validée</strong>",
			"Habilitation validée", "Sol STAFF", "from : NOT_SET")
		webtest.WantNoBody(t, res, `id="staff-validate-link"`)
		webtest.WantBody(t, b.Get("/staff/"), "Habilitations en attente de validation (0)", `id="staff-pending-empty"`)

		// Members now act as "prescripteur habilité" (scenario 12).
		ada, _ := site.Services.Accounts.ByEmail(context.Background(), "ada@example.org")
		webtest.WantBody(t, site.LoginAs(ada).Get("/dashboard"), "<strong>prescripteur habilité</strong>")

		// Validating again is refused, nothing is mailed.
		mailsBefore = len(site.Mails())
		res = b.Post(orgPath(p.UID)+"/habilitation/validate", nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "pas possible dans l&#39;état actuel")
		if len(site.Mails()) != mailsBefore {
			t.Error("a refused validation sent mails")
		}
	})
}

func TestStaffValidation_KindOtherIsRefusedUntilTheKindChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.OtherKind, "Association Solidaire", "ada@example.org")
		b := site.LoginAs(site.staff)
		path := orgPath(p.UID) + "/habilitation/validate"

		webtest.WantBody(t, b.Get(orgPath(p.UID)), `id="staff-validate-link"`)
		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Impossible de valider l&#39;habilitation d&#39;une organisation de type « Autre » : changez d&#39;abord son type.")
		webtest.WantNoBody(t, res, `id="staff-confirm-submit"`)
		mailsBefore := len(site.Mails())
		res = b.Post(path, nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "changez d&#39;abord son type")
		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationNotSet {
			t.Errorf("status %s after a refused validation", got.AuthorizationStatus)
		}
		if len(site.Mails()) != mailsBefore {
			t.Error("a refused validation sent mails")
		}

		res = b.Post(orgPath(p.UID)+"/kind", url.Values{"kind": {"NOPE"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Choisissez un type d&#39;organisation dans la liste.", `aria-describedby="id_kind_hint id_kind_error"`)

		webtest.WantRedirect(t, b.Post(orgPath(p.UID)+"/kind", url.Values{"kind": {"CCAS"}}), orgPath(p.UID))
		got := site.prescriberNow(p.UID)
		if got.Kind != org.CCAS || got.AuthorizationStatus != org.AuthorizationNotSet {
			t.Fatalf("after the kind change: %s %s", got.Kind, got.AuthorizationStatus)
		}
		webtest.WantBody(t, b.Get(orgPath(p.UID)), "Type d&#39;organisation modifié", "to : CCAS")
		webtest.WantRedirect(t, b.Post(path, nil), orgPath(p.UID))
		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationValidated {
			t.Errorf("status %s after validation", got.AuthorizationStatus)
		}
	})
}

func TestStaffRefusal_OrganizationBecomesRefusedOfKindOtherAndMembersAreMailed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.CCAS, "CCAS de Lille", "ada@example.org")
		b := site.LoginAs(site.staff)
		path := orgPath(p.UID) + "/habilitation/refuse"
		webtest.WantBody(t, b.Get(path), "Refuser l&#39;habilitation de CCAS de Lille", "deviendra de type « Autre »")
		mailsBefore := len(site.Mails())
		webtest.WantRedirect(t, b.Post(path, nil), orgPath(p.UID))
		got := site.prescriberNow(p.UID)
		if got.AuthorizationStatus != org.AuthorizationRefused || got.Kind != org.OtherKind {
			t.Errorf("after refusal: %s %s, want OTHER REFUSED", got.Kind, got.AuthorizationStatus)
		}
		mails := site.Mails()[mailsBefore:]
		if len(mails) != 1 || mails[0].To != "ada@example.org" || !strings.Contains(mails[0].Subject, "refusée") {
			t.Errorf("mails after refusal: %+v", mails)
		}
		res := b.Get(orgPath(p.UID))
		webtest.WantBody(t, res, "Validation de l&#39;habilitation refusée", "Habilitation refusée")
		webtest.WantNoBody(t, res, `id="staff-validate-link"`, `id="staff-refuse-link"`)
	})
}

func TestStaffCompany_CreatesAStaffCompanyAndRefusesABadOrTakenSIRET(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		b := site.LoginAs(site.staff)
		res := b.Get("/staff/companies/new")
		webtest.WantBody(t, res, `id="id_siret"`, `<option value="ACI">`, `<option value="OPCS">`, `id="id_city"`, `name="commune_code"`, `id="id_auth_email"`)
		webtest.WantNoBody(t, res, `value="EA"`, `value="EATT"`, `value="RESERVED"`)

		before := site.companyCount()
		form := url.Values{"siret": {"12345678901234"}, "kind": {"EI"}, "name": {"Le Relais"}, "brand": {"Relais Lyon"},
			"address_line_1": {"3 rue du Plat"}, "city": {"69123"}, "email": {"contact@relais.example"},
			"auth_email": {"direction@relais.example"}, "phone": {"04 72 00 00 00"}, "website": {"https://relais.example"}}
		res = b.Post("/staff/companies/new", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, template.HTMLEscapeString(org.MsgSIRETKey), `aria-describedby="id_siret_error"`, `value="Le Relais"`)

		form.Set("siret", webtest.SIRET())
		form.Set("kind", "EA")
		res = b.Post("/staff/companies/new", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Choisissez un type de structure dans la liste.")
		if site.companyCount() != before {
			t.Fatal("a refused form created a company")
		}

		form.Set("kind", "EI")
		res = b.Post("/staff/companies/new", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create company: %d\n%s", res.StatusCode, res.Body)
		}
		loc := res.Header.Get("Location")
		uid := strings.TrimPrefix(loc, "/staff/organizations/")
		c, err := site.Services.Orgs.Company(context.Background(), uid)
		if err != nil {
			t.Fatalf("created company %q: %v", loc, err)
		}
		if c.Source != org.SourceStaffCreated || c.Kind != org.EI || c.CommuneCode != "69123" || c.CityName != "Lyon" ||
			c.Latitude == nil || c.Longitude == nil || c.AuthEmail != "direction@relais.example" || c.Department != "69" {
			t.Errorf("created company: %+v", c)
		}
		res = b.Follow(res)
		webtest.WantBody(t, res, "La structure « Relais Lyon » est créée.", "Staff Itou", "Structure créée", "Sol STAFF")

		// The same (SIRET, kind) again: a field error, nothing written.
		before = site.companyCount()
		res = b.Post("/staff/companies/new", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, template.HTMLEscapeString(org.MsgCompanyTaken))
		// Another kind with the same SIRET is another company; the commune by post code and name.
		form.Set("kind", "ACI")
		form.Set("city", "Lyon (69)")
		form.Set("post_code", "69003")
		webtest.WantStatus(t, b.Post("/staff/companies/new", form), http.StatusSeeOther)
		if n := site.companyCount(); n != before+1 {
			t.Errorf("%d companies, want %d", n, before+1)
		}
		form.Set("kind", "AI")
		form.Set("city", "Atlantide")
		res = b.Post("/staff/companies/new", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Aucune commune ne correspond", `aria-describedby="id_city_hint id_city_error"`)
	})
}

func TestStaffUser_DeactivationEndsTheSessionsAndReactivationLetsLogInAgain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.Prescriber(org.ML, "Mission locale", true)
		pro := site.Member(org.TypePrescriber, p.ID, "pro@example.org", "Pat", "Pro")
		proBrowser := site.LoginAs(pro)
		webtest.WantStatus(t, proBrowser.Get("/dashboard"), http.StatusOK)
		b := site.LoginAs(site.staff)

		res := b.Get(userPath(pro.PublicID))
		webtest.WantBody(t, res, "<h1>Pat PRO</h1>", "pro@example.org", "Professionnel", "Compte actif", "Mission locale",
			"prescripteur habilité", `href="`+orgPath(p.UID)+`"`, "Connexion", `id="staff-user-action"`, "Désactiver le compte")
		res = b.Get(userPath(pro.PublicID) + "/deactivate")
		webtest.WantBody(t, res, "Désactiver le compte de Pat PRO", "sessions ouvertes prendront fin")
		webtest.WantRedirect(t, b.Post(userPath(pro.PublicID)+"/deactivate", nil), userPath(pro.PublicID))

		// The professional's open session has ended, and the login is refused.
		res = proBrowser.Get("/dashboard")
		webtest.WantRedirect(t, res, "/accounts/login?next=%2Fdashboard")
		res = site.Browser().Post("/accounts/login", url.Values{"email": {pro.Email}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce compte est désactivé")

		res = b.Get(userPath(pro.PublicID))
		webtest.WantBody(t, res, "Le compte est désactivé : ses sessions ouvertes ont pris fin.", "Compte désactivé", "via : staff",
			"Réactiver le compte")
		if strings.Index(res.Body, "Compte désactivé</td>") > strings.Index(res.Body, "Connexion</td>") {
			t.Error("the history is not newest first")
		}
		webtest.WantRedirect(t, b.Post(userPath(pro.PublicID)+"/reactivate", nil), userPath(pro.PublicID))
		webtest.WantBody(t, b.Get(userPath(pro.PublicID)), "Compte réactivé", "Compte actif")
		webtest.WantStatus(t, site.LoginAs(pro).Get("/dashboard"), http.StatusOK)

		// Staff cannot deactivate themselves.
		res = b.Get(userPath(site.staff.PublicID))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantNoBody(t, res, `id="staff-user-action"`)
		webtest.WantNoBody(t, b.Get(userPath(site.staff.PublicID)+"/deactivate"), `id="staff-confirm-submit"`)
		res = b.Post(userPath(site.staff.PublicID)+"/deactivate", nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Vous ne pouvez pas désactiver votre propre compte.")
		webtest.WantStatus(t, b.Get("/staff/"), http.StatusOK)
	})
}

func TestStaffSearch_FindsAccountsAndOrganizationsAndPaginates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		seeker := site.CreateUser(account.JobSeeker, "alice.martin@example.org", "Alice", "Martin")
		c := site.Company(org.EI, "Recyclerie Martin")
		pro := site.Member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martineau")
		ft := site.Prescriber(org.FT, "France Travail Lille", false)
		b := site.LoginAs(site.staff)

		res := b.Get("/staff/?q=martin")
		webtest.WantBody(t, res, "Comptes (2)", `href="`+userPath(seeker.PublicID)+`"`, `href="`+userPath(pro.PublicID)+`"`,
			"Organisations (1)", `href="`+orgPath(c.UID)+`"`)
		res = b.Get("/staff/?q=martin&scope=job_seeker")
		webtest.WantBody(t, res, "Comptes (1)", "Alice MARTIN")
		webtest.WantNoBody(t, res, "Bob MARTINEAU", "Organisations (")
		res = b.Get("/staff/?q=alice+example.org")
		webtest.WantBody(t, res, "Comptes (1)", "alice.martin@example.org")
		webtest.WantBody(t, b.Get("/staff/?q="+pro.PublicID), "Comptes (1)", "Bob MARTINEAU")
		res = b.Get("/staff/?q=martin&scope=organizations")
		webtest.WantBody(t, res, "Organisations (1)")
		webtest.WantNoBody(t, res, "Comptes (")
		webtest.WantBody(t, b.Get("/staff/?q="+c.SIRET[:9]+"&scope=organizations"), "Organisations (1)", "Recyclerie Martin")
		webtest.WantBody(t, b.Get("/staff/?q="+ft.CodeSAFIR+"&scope=organizations"), "Organisations (1)", "France Travail Lille")
		webtest.WantBody(t, b.Get("/staff/?q=zzz"), "Aucun compte ne correspond", "Aucune organisation ne correspond")
		res = b.Get("/staff/?q=" + strings.Repeat("a", 101))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "ne peut pas dépasser 100 caractères")

		for i := 0; i < 22; i++ {
			site.CreateUser(account.Professional, fmt.Sprintf("dupont%02d@example.org", i), "Jean", fmt.Sprintf("Dupont %02d", i))
		}
		res = b.Get("/staff/?q=dupont&scope=professional")
		webtest.WantBody(t, res, "Comptes (22)", "Jean DUPONT 00", `aria-current="page" title="Page 1"`,
			`href="/staff/?q=dupont&amp;scope=professional&amp;users_page=2"`)
		webtest.WantNoBody(t, res, "Jean DUPONT 21")
		res = b.Get("/staff/?q=dupont&scope=professional&users_page=2")
		webtest.WantBody(t, res, "Jean DUPONT 21", `aria-current="page" title="Page 2"`)
		webtest.WantNoBody(t, res, "Jean DUPONT 00")
	})
}

func TestStaffSearch_RunsAsManyQueriesForThreeOrThirtyResults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := newStaffSite(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		for i := 0; i < 3; i++ {
			site.CreateUser(account.Professional, fmt.Sprintf("petit%d@example.org", i), "Petit", fmt.Sprint(i))
			site.Company(org.EI, fmt.Sprintf("Petit %d", i))
			site.pendingPrescriber(org.CCAS, fmt.Sprintf("CCAS petit %d", i))
		}
		for i := 0; i < 30; i++ {
			site.CreateUser(account.Professional, fmt.Sprintf("grand%d@example.org", i), "Grand", fmt.Sprint(i))
			site.Company(org.EI, fmt.Sprintf("Grand %d", i))
		}
		b := site.LoginAs(site.staff)
		count := func(path string) int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(path), http.StatusOK)
			return counter.Count() - before
		}
		count("/staff/") // warm the session
		small, big := count("/staff/?q=petit"), count("/staff/?q=grand")
		if small != big {
			t.Errorf("search: %d queries for 3 results of each kind, %d for 30", small, big)
		}
		t.Logf("queries per search page: %d", big)
		if big > 12 {
			t.Errorf("search page runs %d queries", big)
		}
		c := site.Company(org.EI, "Grande équipe")
		admin := site.Member(org.TypeCompany, c.ID, "admin@grande.example", "A", "Admin")
		count(orgPath(c.UID))
		one := count(orgPath(c.UID))
		for i := 0; i < 20; i++ {
			site.Member(org.TypeCompany, c.ID, fmt.Sprintf("m%d@grande.example", i), "M", fmt.Sprint(i))
		}
		many := count(orgPath(c.UID))
		if one != many {
			t.Errorf("organization page: %d queries for 1 member, %d for 21", one, many)
		}
		u1 := count(userPath(admin.PublicID))
		for i := 0; i < 5; i++ {
			other := site.Company(org.EI, fmt.Sprintf("Autre %d", i))
			if _, err := site.Services.Orgs.AddMember(context.Background(), actor.Actor{}, org.TypeCompany, other.ID, admin.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		if u6 := count(userPath(admin.PublicID)); u1 != u6 {
			t.Errorf("user page: %d queries for 1 membership, %d for 6", u1, u6)
		}
	})
}
