package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// staffSite is an org test site with a staff account.
type staffSite struct {
	*orgSite
	staff *account.User
}

func newStaffSite(t *testing.T, d *db.DB) *staffSite {
	t.Helper()
	os := newOrgSite(t, d)
	return &staffSite{orgSite: os, staff: os.createUser(account.Staff, "staff@inclusion.example", "Sol", "Staff")}
}

// pendingPrescriber creates a prescriber organization waiting for validation (a kind "Autre"
// claims a habilitation), with members.
func (ss *staffSite) pendingPrescriber(kind org.PrescriberKind, name string, members ...string) *org.PrescriberOrganization {
	ss.t.Helper()
	p, err := ss.Server.orgs.CreatePrescriberOrganization(ss.ctx, actor.Actor{Kind: actor.Staff}, org.PrescriberInput{
		SIRET: ss.siret(), Kind: kind, Name: name, ClaimsHabilitation: true,
		Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}})
	if err != nil {
		ss.t.Fatal(err)
	}
	if p.AuthorizationStatus != org.AuthorizationNotSet {
		ss.t.Fatalf("new %s organization: status %s", kind, p.AuthorizationStatus)
	}
	for _, email := range members {
		ss.member(org.TypePrescriber, p.ID, email, "Membre", strings.Split(email, "@")[0])
	}
	return p
}

func (ss *staffSite) prescriberNow(uid string) *org.PrescriberOrganization {
	ss.t.Helper()
	p, err := ss.Server.orgs.Prescriber(ss.ctx, uid)
	if err != nil {
		ss.t.Fatal(err)
	}
	return p
}

func (ss *staffSite) companyCount() int {
	ss.t.Helper()
	n, err := ss.DB.NewSelect().Table("company").Count(ss.ctx)
	if err != nil {
		ss.t.Fatal(err)
	}
	return int(n)
}

// escaped is text as html/template writes it in a page.
func escaped(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

func TestStaffPages_StaffGetThemEveryOtherRoleIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.ML, "Mission locale de Lille", "ml@example.org")
		seeker := site.createJobSeeker("seeker@example.org")
		c := site.company(org.EI, "Recyclerie")
		pro := site.member(org.TypeCompany, c.ID, "pro@example.org", "Pat", "Pro")

		pages := []string{
			"/staff/",
			"/staff/?q=pro&scope=",
			staffUserPath(seeker.PublicID),
			staffUserPath(seeker.PublicID) + "/deactivate",
			staffOrgPath(p.UID),
			staffOrgPath(c.UID),
			staffOrgPath(p.UID) + "/habilitation/validate",
			staffOrgPath(p.UID) + "/habilitation/refuse",
			"/staff/companies/new",
		}
		staff := site.loginAs(site.staff)
		for _, path := range pages {
			wantStatus(t, staff.get(path), http.StatusOK)
		}
		anonymous := site.browser()
		others := map[string]*testBrowser{"job seeker": site.loginAs(seeker), "professional": site.loginAs(pro)}
		for _, path := range pages {
			wantRedirect(t, anonymous.get(path), "/accounts/login?next="+url.QueryEscape(path))
			for who, b := range others {
				if res := b.get(path); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", who, path, res.StatusCode)
				}
			}
		}
		posts := []string{
			staffUserPath(seeker.PublicID) + "/deactivate",
			staffOrgPath(p.UID) + "/habilitation/validate",
			staffOrgPath(p.UID) + "/kind",
			"/staff/companies/new",
		}
		before := site.companyCount()
		for _, path := range posts {
			for who, b := range map[string]*testBrowser{"anonymous": anonymous, "job seeker": others["job seeker"], "professional": others["professional"]} {
				res := b.post(path, url.Values{"kind": {"CCAS"}, "siret": {site.siret()}, "name": {"X"}})
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", who, path, res.StatusCode)
				}
			}
		}
		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationNotSet || got.Kind != org.ML {
			t.Errorf("refused posts changed the organization: %s %s", got.Kind, got.AuthorizationStatus)
		}
		if u, _ := site.Server.accounts.ByID(site.ctx, seeker.ID); !u.IsActive {
			t.Error("a refused post deactivated the job seeker")
		}
		if site.companyCount() != before {
			t.Error("a refused post created a company")
		}
		wantStatus(t, staff.get(staffUserPath("00000000-0000-0000-0000-000000000000")), http.StatusNotFound)
		wantStatus(t, staff.get(staffOrgPath("00000000-0000-0000-0000-000000000000")), http.StatusNotFound)
		wantStatus(t, staff.get(staffOrgPath(c.UID)+"/habilitation/validate"), http.StatusNotFound)
		wantStatus(t, staff.get(staffOrgPath(p.UID)+"/habilitation/explode"), http.StatusNotFound)
		wantStatus(t, staff.get(staffUserPath(seeker.PublicID)+"/explode"), http.StatusNotFound)
	})
}

func TestStaffLinks_OnlyStaffSeeTheAdministrationInTheHeaderAndDashboard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		res := site.loginAs(site.staff).get("/dashboard")
		wantBody(t, res, `id="header-staff-link"`, `id="dashboard-staff-link"`, `href="/staff/"`)
		res = site.loginAs(site.createJobSeeker("seeker@example.org")).get("/dashboard")
		wantNoBody(t, res, `id="header-staff-link"`, `href="/staff/"`)
	})
}

func TestStaffValidation_PendingOrganizationBecomesHabilitatedAndMembersAreMailed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.ML, "Mission locale de Lille", "ada@example.org", "bob@example.org")
		site.prescriber(org.ML, "Mission locale validée", true) // not pending: not listed
		b := site.loginAs(site.staff)

		res := b.get("/staff/")
		wantBody(t, res, "Habilitations en attente de validation (1)", `href="`+staffOrgPath(p.UID)+`"`, "Mission locale de Lille")
		wantNoBody(t, res, "Mission locale validée")

		res = b.get(staffOrgPath(p.UID))
		wantBody(t, res, "Habilitation en attente de validation", `id="staff-validate-link"`, `id="staff-refuse-link"`,
			"Membre ADA", "Membre BOB", "Organisation créée")
		res = b.get(staffOrgPath(p.UID) + "/habilitation/validate")
		wantBody(t, res, "Valider l&#39;habilitation de Mission locale de Lille", "Ses 2 membres actifs en seront informés par e-mail.", `id="staff-confirm-submit"`)
		mailsBefore := len(site.mails())
		wantRedirect(t, b.post(staffOrgPath(p.UID)+"/habilitation/validate", nil), staffOrgPath(p.UID))

		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationValidated || got.Kind != org.ML {
			t.Errorf("after validation: %s %s", got.Kind, got.AuthorizationStatus)
		}
		mails := site.mails()[mailsBefore:]
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
		res = b.get(staffOrgPath(p.UID))
		wantBody(t, res, "est validée : ses membres en sont informés", "Statut : <strong>Habilitation validée</strong>",
			"Habilitation validée", "Sol STAFF", "from : NOT_SET")
		wantNoBody(t, res, `id="staff-validate-link"`)
		wantBody(t, b.get("/staff/"), "Habilitations en attente de validation (0)", `id="staff-pending-empty"`)

		// Members now act as "prescripteur habilité" (scenario 12).
		ada, _ := site.Server.accounts.ByEmail(site.ctx, "ada@example.org")
		wantBody(t, site.loginAs(ada).get("/dashboard"), "<strong>prescripteur habilité</strong>")

		// Validating again is refused, nothing is mailed.
		mailsBefore = len(site.mails())
		res = b.post(staffOrgPath(p.UID)+"/habilitation/validate", nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "pas possible dans l&#39;état actuel")
		if len(site.mails()) != mailsBefore {
			t.Error("a refused validation sent mails")
		}
	})
}

func TestStaffValidation_KindOtherIsRefusedUntilTheKindChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.OtherKind, "Association Solidaire", "ada@example.org")
		b := site.loginAs(site.staff)
		path := staffOrgPath(p.UID) + "/habilitation/validate"

		wantBody(t, b.get(staffOrgPath(p.UID)), `id="staff-validate-link"`)
		res := b.get(path)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Impossible de valider l&#39;habilitation d&#39;une organisation de type « Autre » : changez d&#39;abord son type.")
		wantNoBody(t, res, `id="staff-confirm-submit"`)
		mailsBefore := len(site.mails())
		res = b.post(path, nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "changez d&#39;abord son type")
		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationNotSet {
			t.Errorf("status %s after a refused validation", got.AuthorizationStatus)
		}
		if len(site.mails()) != mailsBefore {
			t.Error("a refused validation sent mails")
		}

		res = b.post(staffOrgPath(p.UID)+"/kind", url.Values{"kind": {"NOPE"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Choisissez un type d&#39;organisation dans la liste.", `aria-describedby="id_kind_hint id_kind_error"`)

		wantRedirect(t, b.post(staffOrgPath(p.UID)+"/kind", url.Values{"kind": {"CCAS"}}), staffOrgPath(p.UID))
		got := site.prescriberNow(p.UID)
		if got.Kind != org.CCAS || got.AuthorizationStatus != org.AuthorizationNotSet {
			t.Fatalf("after the kind change: %s %s", got.Kind, got.AuthorizationStatus)
		}
		wantBody(t, b.get(staffOrgPath(p.UID)), "Type d&#39;organisation modifié", "to : CCAS")
		wantRedirect(t, b.post(path, nil), staffOrgPath(p.UID))
		if got := site.prescriberNow(p.UID); got.AuthorizationStatus != org.AuthorizationValidated {
			t.Errorf("status %s after validation", got.AuthorizationStatus)
		}
	})
}

func TestStaffRefusal_OrganizationBecomesRefusedOfKindOtherAndMembersAreMailed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.pendingPrescriber(org.CCAS, "CCAS de Lille", "ada@example.org")
		b := site.loginAs(site.staff)
		path := staffOrgPath(p.UID) + "/habilitation/refuse"
		wantBody(t, b.get(path), "Refuser l&#39;habilitation de CCAS de Lille", "deviendra de type « Autre »")
		mailsBefore := len(site.mails())
		wantRedirect(t, b.post(path, nil), staffOrgPath(p.UID))
		got := site.prescriberNow(p.UID)
		if got.AuthorizationStatus != org.AuthorizationRefused || got.Kind != org.OtherKind {
			t.Errorf("after refusal: %s %s, want OTHER REFUSED", got.Kind, got.AuthorizationStatus)
		}
		mails := site.mails()[mailsBefore:]
		if len(mails) != 1 || mails[0].To != "ada@example.org" || !strings.Contains(mails[0].Subject, "refusée") {
			t.Errorf("mails after refusal: %+v", mails)
		}
		res := b.get(staffOrgPath(p.UID))
		wantBody(t, res, "Validation de l&#39;habilitation refusée", "Habilitation refusée")
		wantNoBody(t, res, `id="staff-validate-link"`, `id="staff-refuse-link"`)
	})
}

func TestStaffCompany_CreatesAStaffCompanyAndRefusesABadOrTakenSIRET(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		b := site.loginAs(site.staff)
		res := b.get("/staff/companies/new")
		wantBody(t, res, `id="id_siret"`, `<option value="ACI">`, `<option value="OPCS">`, `id="id_city"`, `name="commune_code"`, `id="id_auth_email"`)
		wantNoBody(t, res, `value="EA"`, `value="EATT"`, `value="RESERVED"`)

		before := site.companyCount()
		form := url.Values{"siret": {"12345678901234"}, "kind": {"EI"}, "name": {"Le Relais"}, "brand": {"Relais Lyon"},
			"address_line_1": {"3 rue du Plat"}, "city": {"69123"}, "email": {"contact@relais.example"},
			"auth_email": {"direction@relais.example"}, "phone": {"04 72 00 00 00"}, "website": {"https://relais.example"}}
		res = b.post("/staff/companies/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, escaped(org.MsgSIRETKey), `aria-describedby="id_siret_error"`, `value="Le Relais"`)

		form.Set("siret", site.siret())
		form.Set("kind", "EA")
		res = b.post("/staff/companies/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Choisissez un type de structure dans la liste.")
		if site.companyCount() != before {
			t.Fatal("a refused form created a company")
		}

		form.Set("kind", "EI")
		res = b.post("/staff/companies/new", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create company: %d\n%s", res.StatusCode, res.Body)
		}
		loc := res.Header.Get("Location")
		uid := strings.TrimPrefix(loc, "/staff/organizations/")
		c, err := site.Server.orgs.Company(site.ctx, uid)
		if err != nil {
			t.Fatalf("created company %q: %v", loc, err)
		}
		if c.Source != org.SourceStaffCreated || c.Kind != org.EI || c.CommuneCode != "69123" || c.CityName != "Lyon" ||
			c.Latitude == nil || c.Longitude == nil || c.AuthEmail != "direction@relais.example" || c.Department != "69" {
			t.Errorf("created company: %+v", c)
		}
		res = b.follow(res)
		wantBody(t, res, "La structure « Relais Lyon » est créée.", "Staff Itou", "Structure créée", "Sol STAFF")

		// The same (SIRET, kind) again: a field error, nothing written.
		before = site.companyCount()
		res = b.post("/staff/companies/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, escaped(org.MsgCompanyTaken))
		// Another kind with the same SIRET is another company; the commune by post code and name.
		form.Set("kind", "ACI")
		form.Set("city", "Lyon (69)")
		form.Set("post_code", "69003")
		wantStatus(t, b.post("/staff/companies/new", form), http.StatusSeeOther)
		if n := site.companyCount(); n != before+1 {
			t.Errorf("%d companies, want %d", n, before+1)
		}
		form.Set("kind", "AI")
		form.Set("city", "Atlantide")
		res = b.post("/staff/companies/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Aucune commune ne correspond", `aria-describedby="id_city_hint id_city_error"`)
	})
}

func TestStaffUser_DeactivationEndsTheSessionsAndReactivationLetsLogInAgain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		p := site.prescriber(org.ML, "Mission locale", true)
		pro := site.member(org.TypePrescriber, p.ID, "pro@example.org", "Pat", "Pro")
		proBrowser := site.loginAs(pro)
		wantStatus(t, proBrowser.get("/dashboard"), http.StatusOK)
		b := site.loginAs(site.staff)

		res := b.get(staffUserPath(pro.PublicID))
		wantBody(t, res, "<h1>Pat PRO</h1>", "pro@example.org", "Professionnel", "Compte actif", "Mission locale",
			"prescripteur habilité", `href="`+staffOrgPath(p.UID)+`"`, "Connexion", `id="staff-user-action"`, "Désactiver le compte")
		res = b.get(staffUserPath(pro.PublicID) + "/deactivate")
		wantBody(t, res, "Désactiver le compte de Pat PRO", "sessions ouvertes prendront fin")
		wantRedirect(t, b.post(staffUserPath(pro.PublicID)+"/deactivate", nil), staffUserPath(pro.PublicID))

		// The professional's open session has ended, and the login is refused.
		res = proBrowser.get("/dashboard")
		wantRedirect(t, res, "/accounts/login?next=%2Fdashboard")
		res = site.browser().post("/accounts/login", url.Values{"email": {pro.Email}, "password": {testPassword}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Ce compte est désactivé")

		res = b.get(staffUserPath(pro.PublicID))
		wantBody(t, res, "Le compte est désactivé : ses sessions ouvertes ont pris fin.", "Compte désactivé", "via : staff",
			"Réactiver le compte")
		if strings.Index(res.Body, "Compte désactivé</td>") > strings.Index(res.Body, "Connexion</td>") {
			t.Error("the history is not newest first")
		}
		wantRedirect(t, b.post(staffUserPath(pro.PublicID)+"/reactivate", nil), staffUserPath(pro.PublicID))
		wantBody(t, b.get(staffUserPath(pro.PublicID)), "Compte réactivé", "Compte actif")
		wantStatus(t, site.loginAs(pro).get("/dashboard"), http.StatusOK)

		// Staff cannot deactivate themselves.
		res = b.get(staffUserPath(site.staff.PublicID))
		wantStatus(t, res, http.StatusOK)
		wantNoBody(t, res, `id="staff-user-action"`)
		wantNoBody(t, b.get(staffUserPath(site.staff.PublicID)+"/deactivate"), `id="staff-confirm-submit"`)
		res = b.post(staffUserPath(site.staff.PublicID)+"/deactivate", nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Vous ne pouvez pas désactiver votre propre compte.")
		wantStatus(t, b.get("/staff/"), http.StatusOK)
	})
}

func TestStaffSearch_FindsAccountsAndOrganizationsAndPaginates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		seeker := site.createUser(account.JobSeeker, "alice.martin@example.org", "Alice", "Martin")
		c := site.company(org.EI, "Recyclerie Martin")
		pro := site.member(org.TypeCompany, c.ID, "bob@example.org", "Bob", "Martineau")
		ft := site.prescriber(org.FT, "France Travail Lille", false)
		b := site.loginAs(site.staff)

		res := b.get("/staff/?q=martin")
		wantBody(t, res, "Comptes (2)", `href="`+staffUserPath(seeker.PublicID)+`"`, `href="`+staffUserPath(pro.PublicID)+`"`,
			"Organisations (1)", `href="`+staffOrgPath(c.UID)+`"`)
		res = b.get("/staff/?q=martin&scope=job_seeker")
		wantBody(t, res, "Comptes (1)", "Alice MARTIN")
		wantNoBody(t, res, "Bob MARTINEAU", "Organisations (")
		res = b.get("/staff/?q=alice+example.org")
		wantBody(t, res, "Comptes (1)", "alice.martin@example.org")
		wantBody(t, b.get("/staff/?q="+pro.PublicID), "Comptes (1)", "Bob MARTINEAU")
		res = b.get("/staff/?q=martin&scope=organizations")
		wantBody(t, res, "Organisations (1)")
		wantNoBody(t, res, "Comptes (")
		wantBody(t, b.get("/staff/?q="+c.SIRET[:9]+"&scope=organizations"), "Organisations (1)", "Recyclerie Martin")
		wantBody(t, b.get("/staff/?q="+ft.CodeSAFIR+"&scope=organizations"), "Organisations (1)", "France Travail Lille")
		wantBody(t, b.get("/staff/?q=zzz"), "Aucun compte ne correspond", "Aucune organisation ne correspond")
		res = b.get("/staff/?q=" + strings.Repeat("a", 101))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "ne peut pas dépasser 100 caractères")

		for i := 0; i < 22; i++ {
			site.createUser(account.Professional, fmt.Sprintf("dupont%02d@example.org", i), "Jean", fmt.Sprintf("Dupont %02d", i))
		}
		res = b.get("/staff/?q=dupont&scope=professional")
		wantBody(t, res, "Comptes (22)", "Jean DUPONT 00", "1 / 2", `href="?q=dupont&amp;scope=professional&amp;users_page=2"`)
		wantNoBody(t, res, "Jean DUPONT 21")
		res = b.get("/staff/?q=dupont&scope=professional&users_page=2")
		wantBody(t, res, "Jean DUPONT 21", "2 / 2")
		wantNoBody(t, res, "Jean DUPONT 00")
	})
}

func TestStaffSearch_RunsAsManyQueriesForThreeOrThirtyResults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &queryCounter{}
		site := newStaffSite(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		for i := 0; i < 3; i++ {
			site.createUser(account.Professional, fmt.Sprintf("petit%d@example.org", i), "Petit", fmt.Sprint(i))
			site.company(org.EI, fmt.Sprintf("Petit %d", i))
			site.pendingPrescriber(org.CCAS, fmt.Sprintf("CCAS petit %d", i))
		}
		for i := 0; i < 30; i++ {
			site.createUser(account.Professional, fmt.Sprintf("grand%d@example.org", i), "Grand", fmt.Sprint(i))
			site.company(org.EI, fmt.Sprintf("Grand %d", i))
		}
		b := site.loginAs(site.staff)
		count := func(path string) int64 {
			before := counter.n.Load()
			wantStatus(t, b.get(path), http.StatusOK)
			return counter.n.Load() - before
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
		c := site.company(org.EI, "Grande équipe")
		admin := site.member(org.TypeCompany, c.ID, "admin@grande.example", "A", "Admin")
		count(staffOrgPath(c.UID))
		one := count(staffOrgPath(c.UID))
		for i := 0; i < 20; i++ {
			site.member(org.TypeCompany, c.ID, fmt.Sprintf("m%d@grande.example", i), "M", fmt.Sprint(i))
		}
		many := count(staffOrgPath(c.UID))
		if one != many {
			t.Errorf("organization page: %d queries for 1 member, %d for 21", one, many)
		}
		u1 := count(staffUserPath(admin.PublicID))
		for i := 0; i < 5; i++ {
			other := site.company(org.EI, fmt.Sprintf("Autre %d", i))
			if _, err := site.Server.orgs.AddMember(site.ctx, actor.Actor{}, org.TypeCompany, other.ID, admin.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		if u6 := count(staffUserPath(admin.PublicID)); u1 != u6 {
			t.Errorf("user page: %d queries for 1 membership, %d for 6", u1, u6)
		}
	})
}
