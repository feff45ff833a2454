package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestProPasswordSignup_VerifiesTheAddressThenAsksTheKindOfOrganization(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		b := site.browser()
		wantBody(t, b.get("/signup/professional"), `href="/signup/professional/password"`)
		form := url.Values{"first_name": {"Paula"}, "last_name": {"Pro"}, "email": {"paula@asso.fr"}, "password1": {testPassword}, "password2": {"x"}}
		wantStatus(t, b.post("/signup/professional/password", form), http.StatusUnprocessableEntity)
		form.Set("password2", testPassword)
		wantRedirect(t, b.post("/signup/professional/password", form), "/signup/professional/password/sent")
		wantStatus(t, b.post("/accounts/login", url.Values{"email": {"paula@asso.fr"}, "password": {testPassword}}), http.StatusUnprocessableEntity)

		link := site.linkIn("paula@asso.fr", "/accounts/verify/")
		wantRedirect(t, b.get(link), "/accounts/login?next="+url.QueryEscape("/signup/professional/kind"))
		res := b.post("/accounts/login", url.Values{"email": {"paula@asso.fr"}, "password": {testPassword}, "next": {"/signup/professional/kind"}})
		wantRedirect(t, res, "/signup/professional/kind")
		res = b.get("/signup/professional/kind")
		wantBody(t, res, `href="/signup/prescriber"`, `href="/signup/employer"`)
	})
}

func TestProPasswordSignup_IsAbsentWhenProfessionalsMustUseProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := newProConnectSite(t, d)
		wantStatus(t, site.browser().get("/signup/professional/password"), http.StatusNotFound)
		wantNoBody(t, site.browser().get("/signup/professional"), "password-signup-link")
	})
}

// prescriberSteps walks a logged-in professional to the kind step with this SIRET.
func prescriberSteps(t *testing.T, b *testBrowser, siret string) *testResponse {
	t.Helper()
	return b.post("/signup/prescriber", url.Values{"siret": {siret}, "department": {"59"}})
}

func TestPrescriberSignup_AMissionLocaleIsCreatedPendingWithTheUserAsAdmin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := geo.LoadDemo(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		site := &orgSite{testSite: newTestSite(t, d, func(c *config.Config) { c.SupportEmail = "support@inclusion.gouv.fr" }), ctx: t.Context()}
		pro := site.createUser(account.Professional, "nadia@ml.fr", "Nadia", "Roux")
		b := site.loginAs(pro)
		// Later steps reached directly are refused (actors.md §10.3).
		for _, path := range []string{"/signup/prescriber/existing", "/signup/prescriber/kind", "/signup/prescriber/authorization", "/signup/prescriber/organization"} {
			wantStatus(t, b.get(path), http.StatusForbidden)
		}
		res := b.get("/signup/prescriber")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `<option value="59">59 - Nord</option>`)
		res = b.post("/signup/prescriber", url.Values{"siret": {"123"}, "department": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, org.MsgSIRETLength, `aria-describedby="id_department_error"`)

		siret := site.siret()
		spaced := siret[:3] + " " + siret[3:6] + " " + siret[6:9] + " " + siret[9:]
		wantRedirect(t, prescriberSteps(t, b, spaced), "/signup/prescriber/kind")
		wantStatus(t, b.get("/signup/prescriber/organization"), http.StatusForbidden)
		res = b.get("/signup/prescriber/kind")
		wantBody(t, res, `id="id_kind_ML"`, "Mission locale")
		wantNoBody(t, res, `id="id_kind_FT"`, `id="id_kind_OHPD"`)
		wantStatus(t, b.post("/signup/prescriber/kind", url.Values{"kind": {"FT"}}), http.StatusUnprocessableEntity)
		wantRedirect(t, b.post("/signup/prescriber/kind", url.Values{"kind": {"ML"}}), "/signup/prescriber/organization")
		wantStatus(t, b.get("/signup/prescriber/authorization"), http.StatusForbidden) // not for a known kind

		res = b.get("/signup/prescriber/organization")
		wantBody(t, res, "SIRET : "+siret, "Habilitation en attente de validation", "API Entreprise", `hx-get="/autocomplete/cities"`)
		form := url.Values{"name": {"Mission locale de Lille"}, "address_line_1": {"1 place du Théâtre"}, "post_code": {"59000"}, "city": {"Nulle-Part"}}
		res = b.post("/signup/prescriber/organization", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Aucune commune ne correspond")
		form.Set("city", "Lille")
		form.Set("commune_code", "59350")
		wantRedirect(t, b.post("/signup/prescriber/organization", form), "/dashboard")
		res = b.get("/dashboard")
		wantBody(t, res, "Mission locale de Lille", "dashboard-habilitation-pending", "<strong>orienteur</strong> (administrateur)")
		wantStatus(t, b.get("/signup/prescriber/organization"), http.StatusForbidden) // the journey is over

		mails := site.mails()
		if len(mails) == 0 || mails[len(mails)-1].To != "support@inclusion.gouv.fr" || !strings.Contains(mails[len(mails)-1].Text, siret) {
			t.Error("support was not told of the habilitation to validate")
		}
		// Another professional's session never sees this journey.
		other := site.loginAs(site.createUser(account.Professional, "autre@ml.fr", "A", "U"))
		wantStatus(t, other.get("/signup/prescriber/kind"), http.StatusForbidden)
	})
}

func TestPrescriberSignup_ATakenKindOffersToAskItsMembersForAnInvitation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		existing := site.prescriber(org.ML, "Mission locale de Lille", true)
		site.member(org.TypePrescriber, existing.ID, "admin@ml.fr", "Ada", "Admin")
		b := site.loginAs(site.createUser(account.Professional, "nouveau@ml.fr", "Noé", "Nouveau"))
		wantRedirect(t, prescriberSteps(t, b, existing.SIRET), "/signup/prescriber/existing")
		res := b.get("/signup/prescriber/existing")
		wantBody(t, res, "Mission locale de Lille", `value="`+existing.UID+`"`, "Demander l'ajout")

		res = b.post("/signup/prescriber/kind", url.Values{"kind": {"ML"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, org.MsgPrescriberTaken, `id="prescriber-kind-request"`, `aria-labelledby="id_kind_legend id_kind_error"`)

		wantRedirect(t, b.post("/signup/prescriber/request-invitation", url.Values{"organization": {existing.UID}, "from": {"kind"}}), "/signup/prescriber/kind")
		wantBody(t, b.get("/signup/prescriber/kind"), "Votre demande d&#39;invitation a été envoyée à Ada ADMIN")
		if link := site.linkIn("admin@ml.fr", "/organizations/"); !strings.Contains(link, "/invitations/new?email=nouveau%40ml.fr") {
			t.Errorf("request link: %s", link)
		}
		// Asking an organization the journey did not find is refused.
		other := site.prescriber(org.CAF, "CAF", true)
		site.member(org.TypePrescriber, other.ID, "admin@caf.fr", "C", "Af")
		wantStatus(t, b.post("/signup/prescriber/request-invitation", url.Values{"organization": {other.UID}}), http.StatusForbidden)
	})
}

func TestPrescriberSignup_OtherKindAsksWhetherAPrefectoralOrderHabilitatesIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		for _, tc := range []struct {
			answers url.Values
			status  org.AuthorizationStatus
			proof   bool
		}{
			{url.Values{"habilitated": {"yes"}, "prefectoral": {"yes"}}, org.AuthorizationNotSet, true},
			{url.Values{"habilitated": {"no"}}, org.AuthorizationNotRequired, false},
		} {
			b := site.loginAs(site.createUser(account.Professional, "asso-"+strings.ToLower(string(tc.status))+"@example.org", "A", "Sso"))
			wantRedirect(t, prescriberSteps(t, b, site.siret()), "/signup/prescriber/kind")
			wantRedirect(t, b.post("/signup/prescriber/kind", url.Values{"kind": {"OTHER"}}), "/signup/prescriber/authorization")
			wantStatus(t, b.get("/signup/prescriber/organization"), http.StatusForbidden)
			wantStatus(t, b.post("/signup/prescriber/authorization", url.Values{"habilitated": {"yes"}}), http.StatusUnprocessableEntity)
			wantRedirect(t, b.post("/signup/prescriber/authorization", tc.answers), "/signup/prescriber/organization")
			wantBody(t, b.get("/signup/prescriber/organization"), html.EscapeString(tc.status.Label()))
			wantRedirect(t, b.post("/signup/prescriber/organization", url.Values{"name": {"Asso " + string(tc.status)},
				"address_line_1": {"1 rue"}, "post_code": {"59000"}, "city": {"Lille"}}), "/dashboard")
			res := b.get("/dashboard")
			if got := strings.Contains(res.Body, "arrêté préfectoral ou la convention"); got != tc.proof {
				t.Errorf("%s: proof asked = %v", tc.status, got)
			}
			if got := strings.Contains(res.Body, "dashboard-habilitation-pending"); got != (tc.status == org.AuthorizationNotSet) {
				t.Errorf("%s: pending banner = %v", tc.status, got)
			}
		}
	})
}

func TestFranceTravailSignup_AnAgentJoinsTheAgencyOfAKnownSAFIRCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		agency := site.prescriber(org.FT, "France Travail Lille", false)
		notAgent := site.loginAs(site.createUser(account.Professional, "perso@gmail.com", "P", "Erso"))
		wantStatus(t, notAgent.get("/signup/france-travail"), http.StatusForbidden)

		b := site.loginAs(site.createUser(account.Professional, "agent@francetravail.fr", "Alex", "Agent"))
		wantStatus(t, b.get("/signup/france-travail/confirm"), http.StatusForbidden)
		wantStatus(t, b.get("/signup/france-travail"), http.StatusOK)
		res := b.post("/signup/france-travail", url.Values{"code_safir": {"99999"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Aucune agence France Travail ne correspond à ce code SAFIR.", `aria-describedby="id_code_safir_error"`)
		wantRedirect(t, b.post("/signup/france-travail", url.Values{"code_safir": {agency.CodeSAFIR}}), "/signup/france-travail/confirm")
		wantBody(t, b.get("/signup/france-travail/confirm"), "France Travail Lille", agency.CodeSAFIR)
		wantRedirect(t, b.post("/signup/france-travail/confirm", nil), "/dashboard")
		wantBody(t, b.get("/dashboard"), "France Travail Lille", "<strong>prescripteur habilité</strong>")
	})
}

func TestEmployerSignup_TheMailedLinkMakesTheFirstMemberAdminThenStopsWorking(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		siret := site.siret()
		c, err := site.Server.orgs.ImportCompany(site.ctx, org.CompanyInput{SIRET: siret, Kind: org.GEIQ, Name: "GEIQ Propreté",
			AuthEmail: "direction@geiq-proprete.fr", Address: org.AddressInput{Line1: "1 rue", CommuneCode: "69123"}}, org.SourceGEIQ, nil)
		if err != nil {
			t.Fatal(err)
		}
		first := site.loginAs(site.createUser(account.Professional, "karim@geiq.fr", "Karim", "Benali"))
		wantStatus(t, first.get("/signup/employer/select"), http.StatusForbidden)
		res := first.post("/signup/employer", url.Values{"siren": {"999999999"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantRedirect(t, first.post("/signup/employer", url.Values{"siren": {siret[:3] + " " + siret[3:9]}}), "/signup/employer/select")
		res = first.get("/signup/employer/select")
		wantBody(t, res, "GEIQ Propreté", `id="id_company_`+c.UID+`"`)
		wantStatus(t, first.post("/signup/employer/select", url.Values{}), http.StatusUnprocessableEntity)
		wantRedirect(t, first.post("/signup/employer/select", url.Values{"company": {c.UID}}), "/signup/employer/sent")
		wantBody(t, first.get("/signup/employer/sent"), "d*****n@geiq-proprete.fr")
		link := site.linkIn("direction@geiq-proprete.fr", "/signup/employer/join/")

		anonymous := site.browser().get(link)
		wantStatus(t, anonymous, http.StatusOK)
		wantBody(t, anonymous, `href="/accounts/login?next=`+url.QueryEscape(link)+`"`, `href="/signup/professional/password?next=`)
		wantStatus(t, site.loginAs(site.createJobSeeker("candidat@example.org")).get(link), http.StatusForbidden)

		wantBody(t, first.get(link), "Rejoindre GEIQ Propreté", `id="employer-join-submit"`)
		wantRedirect(t, first.post(link, nil), "/dashboard")
		wantBody(t, first.get("/dashboard"), "GEIQ Propreté", "<strong>employeur</strong> (administrateur)")

		second := site.loginAs(site.createUser(account.Professional, "julie@geiq.fr", "Julie", "Moreau"))
		res = second.get(link)
		wantStatus(t, res, http.StatusGone)
		wantBody(t, res, "un collaborateur a rejoint la structure")
		wantStatus(t, second.post(link, nil), http.StatusGone)
		// The company now has a member: the second person is offered to ask for an invitation.
		wantRedirect(t, second.post("/signup/employer", url.Values{"siren": {siret[:9]}}), "/signup/employer/select")
		wantBody(t, second.get("/signup/employer/select"), "Membre à contacter : Karim BENALI")
		wantStatus(t, second.post("/signup/employer/select", url.Values{"company": {c.UID}}), http.StatusUnprocessableEntity)
		wantRedirect(t, second.post("/signup/employer/request-invitation", url.Values{"company": {c.UID}}), "/signup/employer/select")
		if l := site.linkIn("karim@geiq.fr", "/organizations/"); !strings.Contains(l, "email=julie%40geiq.fr") {
			t.Errorf("invitation request link: %s", l)
		}
	})
}

func TestEmployerSignup_WithoutOfficialAddressTheUserIsToldToContactSupport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newOrgSite(t, d)
		c := site.company(org.ACI, "Atelier sans adresse")
		b := site.loginAs(site.createUser(account.Professional, "pro@aci.fr", "P", "Ro"))
		wantRedirect(t, b.post("/signup/employer", url.Values{"siren": {c.SIRET[:9]}}), "/signup/employer/select")
		res := b.post("/signup/employer/select", url.Values{"company": {c.UID}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Contactez le support")
		if len(site.mails()) != 0 {
			t.Error("a mail was sent")
		}
	})
}
