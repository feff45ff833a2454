package signup_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// newSite serves the site with the demo communes (the organizations' addresses need them).
func newSite(t *testing.T, d *db.DB, configure ...func(*config.Config)) *webtest.Site {
	t.Helper()
	return webtest.New(t, d, configure...).WithDemoCommunes()
}

func TestSignupProfessional_StartsWithProConnectThenAsksTheKind(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithProConnect(t, d)
		b := site.Browser()
		res := b.Get("/signup/")
		webtest.WantBody(t, res, `href="/signup/professional"`)
		res = b.Get("/signup/professional")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `href="/proconnect/authorize?next=%2Fsignup%2Fprofessional%2Fkind"`)

		res = b.Get(b.ProConnectCallback(p, "/proconnect/authorize?next=%2Fsignup%2Fprofessional%2Fkind"))
		webtest.WantRedirect(t, res, "/signup/professional/kind")
		res = b.Follow(res)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Prescripteur / Orienteur", "Employeur inclusif")
		webtest.WantNoBody(t, res, `id="kind-france-travail"`)                    // not a France Travail e-mail
		for _, href := range []string{"/signup/prescriber", "/signup/employer"} { // France Travail: agents only (below)
			served := site.Browser().Get(href).StatusCode != http.StatusNotFound
			if strings.Contains(res.Body, `href="`+href+`"`) != served {
				t.Errorf("link to %s does not match whether the page exists", href)
			}
		}
	})
}

func TestSignupProfessionalKind_OffersFranceTravailToFranceTravailAgentsOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		agent := site.LoginAs(site.CreateUser(account.Professional, "agent@francetravail.fr", "Agent", "Ft"))
		res := agent.Get("/signup/professional/kind")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="kind-france-travail"`, "France Travail", `href="/signup/france-travail"`)
		seeker := site.LoginAs(site.CreateJobSeeker("candidat@example.org"))
		webtest.WantStatus(t, seeker.Get("/signup/professional/kind"), http.StatusForbidden)
		webtest.WantStatus(t, site.Browser().Get("/signup/professional/kind"), http.StatusSeeOther)
	})
}

func TestPageTitles_TellTheTwoStepsOfTheProfessionalSignupApart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		start := site.Browser().Get("/signup/professional")
		password := site.Browser().Get("/signup/professional/password")
		webtest.WantBody(t, start, "<title>Inscription professionnel : choix de la connexion - ")
		webtest.WantBody(t, password, "<title>Inscription professionnel : compte avec mot de passe - ")
	})
}

func TestProPasswordSignup_VerifiesTheAddressThenAsksTheKindOfOrganization(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		b := site.Browser()
		webtest.WantBody(t, b.Get("/signup/professional"), `href="/signup/professional/password"`)
		form := url.Values{"first_name": {"Paula"}, "last_name": {"Pro"}, "email": {"paula@asso.fr"}, "password1": {webtest.Password}, "password2": {"x"}}
		webtest.WantStatus(t, b.Post("/signup/professional/password", form), http.StatusUnprocessableEntity)
		form.Set("password2", webtest.Password)
		webtest.WantRedirect(t, b.Post("/signup/professional/password", form), "/signup/professional/password/sent")
		webtest.WantBody(t, b.Get("/signup/professional/password/sent"), `id="signup-sent"`, `action="/accounts/verify/resend"`)
		webtest.WantStatus(t, b.Post("/accounts/login", url.Values{"email": {"paula@asso.fr"}, "password": {webtest.Password}}), http.StatusUnprocessableEntity)

		link := site.LinkIn("paula@asso.fr", "/accounts/verify/")
		webtest.WantRedirect(t, b.Get(link), "/accounts/login?next="+url.QueryEscape("/signup/professional/kind"))
		res := b.Post("/accounts/login", url.Values{"email": {"paula@asso.fr"}, "password": {webtest.Password}, "next": {"/signup/professional/kind"}})
		webtest.WantRedirect(t, res, "/signup/professional/kind")
		res = b.Get("/signup/professional/kind")
		webtest.WantBody(t, res, `href="/signup/prescriber"`, `href="/signup/employer"`)
	})
}

func TestProPasswordSignup_IsAbsentWhenProfessionalsMustUseProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := webtest.NewWithProConnect(t, d)
		webtest.WantStatus(t, site.Browser().Get("/signup/professional/password"), http.StatusNotFound)
		webtest.WantNoBody(t, site.Browser().Get("/signup/professional"), "password-signup-link")
	})
}

// prescriberSteps walks a logged-in professional to the kind step with this SIRET.
func prescriberSteps(t *testing.T, b *webtest.Browser, siret string) *webtest.Response {
	t.Helper()
	return b.Post("/signup/prescriber", url.Values{"siret": {siret}, "department": {"59"}})
}

func TestPrescriberSignup_AMissionLocaleIsCreatedPendingWithTheUserAsAdmin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d, func(c *config.Config) { c.SupportEmail = "support@inclusion.gouv.fr" })
		pro := site.CreateUser(account.Professional, "nadia@ml.fr", "Nadia", "Roux")
		b := site.LoginAs(pro)
		// Later steps reached directly are refused (actors.md §10.3).
		for _, path := range []string{"/signup/prescriber/existing", "/signup/prescriber/kind", "/signup/prescriber/authorization", "/signup/prescriber/organization"} {
			webtest.WantStatus(t, b.Get(path), http.StatusForbidden)
		}
		res := b.Get("/signup/prescriber")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `<option value="59">59 - Nord</option>`)
		res = b.Post("/signup/prescriber", url.Values{"siret": {"123"}, "department": {""}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, org.MsgSIRETLength, `aria-describedby="id_department_error"`)

		siret := webtest.SIRET()
		spaced := siret[:3] + " " + siret[3:6] + " " + siret[6:9] + " " + siret[9:]
		webtest.WantRedirect(t, prescriberSteps(t, b, spaced), "/signup/prescriber/kind")
		webtest.WantStatus(t, b.Get("/signup/prescriber/organization"), http.StatusForbidden)
		res = b.Get("/signup/prescriber/kind")
		webtest.WantBody(t, res, `id="id_kind_ML"`, "Mission locale")
		webtest.WantNoBody(t, res, `id="id_kind_FT"`, `id="id_kind_OHPD"`)
		webtest.WantStatus(t, b.Post("/signup/prescriber/kind", url.Values{"kind": {"FT"}}), http.StatusUnprocessableEntity)
		webtest.WantRedirect(t, b.Post("/signup/prescriber/kind", url.Values{"kind": {"ML"}}), "/signup/prescriber/organization")
		webtest.WantStatus(t, b.Get("/signup/prescriber/authorization"), http.StatusForbidden) // not for a known kind

		res = b.Get("/signup/prescriber/organization")
		webtest.WantBody(t, res, "SIRET : "+siret, "Habilitation en attente de validation", "API Entreprise", `hx-get="/autocomplete/cities"`)
		form := url.Values{"name": {"Mission locale de Lille"}, "address_line_1": {"1 place du Théâtre"}, "post_code": {"59000"}, "city": {"Nulle-Part"}}
		res = b.Post("/signup/prescriber/organization", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Aucune commune ne correspond")
		form.Set("city", "Lille")
		form.Set("commune_code", "59350")
		webtest.WantRedirect(t, b.Post("/signup/prescriber/organization", form), "/dashboard")
		res = b.Get("/dashboard")
		webtest.WantBody(t, res, "Mission locale de Lille", "dashboard-habilitation-pending", "<strong>orienteur</strong> (administrateur)")
		webtest.WantStatus(t, b.Get("/signup/prescriber/organization"), http.StatusForbidden) // the journey is over

		mails := site.Mails()
		if len(mails) == 0 || mails[len(mails)-1].To != "support@inclusion.gouv.fr" || !strings.Contains(mails[len(mails)-1].Text, siret) {
			t.Error("support was not told of the habilitation to validate")
		}
		// Another professional's session never sees this journey.
		other := site.LoginAs(site.CreateUser(account.Professional, "autre@ml.fr", "A", "U"))
		webtest.WantStatus(t, other.Get("/signup/prescriber/kind"), http.StatusForbidden)
	})
}

func TestPrescriberSignup_ATakenKindOffersToAskItsMembersForAnInvitation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		existing := site.Prescriber(org.ML, "Mission locale de Lille", true)
		site.Member(org.TypePrescriber, existing.ID, "admin@ml.fr", "Ada", "Admin")
		b := site.LoginAs(site.CreateUser(account.Professional, "nouveau@ml.fr", "Noé", "Nouveau"))
		webtest.WantRedirect(t, prescriberSteps(t, b, existing.SIRET), "/signup/prescriber/existing")
		res := b.Get("/signup/prescriber/existing")
		webtest.WantBody(t, res, "Mission locale de Lille", `value="`+existing.UID+`"`, "Demander l'ajout")

		res = b.Post("/signup/prescriber/kind", url.Values{"kind": {"ML"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, org.MsgPrescriberTaken, `id="prescriber-kind-request"`, `aria-labelledby="id_kind_legend id_kind_error"`)

		webtest.WantRedirect(t, b.Post("/signup/prescriber/request-invitation", url.Values{"organization": {existing.UID}, "from": {"kind"}}), "/signup/prescriber/kind")
		webtest.WantBody(t, b.Get("/signup/prescriber/kind"), "Votre demande d&#39;invitation a été envoyée à Ada ADMIN")
		if link := site.LinkIn("admin@ml.fr", "/organizations/"); !strings.Contains(link, "/invitations/new?email=nouveau%40ml.fr") {
			t.Errorf("request link: %s", link)
		}
		// Asking an organization the journey did not find is refused.
		other := site.Prescriber(org.CAF, "CAF", true)
		site.Member(org.TypePrescriber, other.ID, "admin@caf.fr", "C", "Af")
		webtest.WantStatus(t, b.Post("/signup/prescriber/request-invitation", url.Values{"organization": {other.UID}}), http.StatusForbidden)
	})
}

func TestPrescriberSignup_OtherKindAsksWhetherAPrefectoralOrderHabilitatesIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		for _, tc := range []struct {
			answers url.Values
			status  org.AuthorizationStatus
			proof   bool
		}{
			{url.Values{"habilitated": {"yes"}, "prefectoral": {"yes"}}, org.AuthorizationNotSet, true},
			{url.Values{"habilitated": {"no"}}, org.AuthorizationNotRequired, false},
		} {
			b := site.LoginAs(site.CreateUser(account.Professional, "asso-"+strings.ToLower(string(tc.status))+"@example.org", "A", "Sso"))
			webtest.WantRedirect(t, prescriberSteps(t, b, webtest.SIRET()), "/signup/prescriber/kind")
			webtest.WantRedirect(t, b.Post("/signup/prescriber/kind", url.Values{"kind": {"OTHER"}}), "/signup/prescriber/authorization")
			webtest.WantStatus(t, b.Get("/signup/prescriber/organization"), http.StatusForbidden)
			webtest.WantStatus(t, b.Post("/signup/prescriber/authorization", url.Values{"habilitated": {"yes"}}), http.StatusUnprocessableEntity)
			webtest.WantRedirect(t, b.Post("/signup/prescriber/authorization", tc.answers), "/signup/prescriber/organization")
			webtest.WantBody(t, b.Get("/signup/prescriber/organization"), html.EscapeString(tc.status.Label()))
			webtest.WantRedirect(t, b.Post("/signup/prescriber/organization", url.Values{"name": {"Asso " + string(tc.status)},
				"address_line_1": {"1 rue"}, "post_code": {"59000"}, "city": {"Lille"}}), "/dashboard")
			res := b.Get("/dashboard")
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
		site := newSite(t, d)
		agency := site.Prescriber(org.FT, "France Travail Lille", false)
		notAgent := site.LoginAs(site.CreateUser(account.Professional, "perso@gmail.com", "P", "Erso"))
		res := notAgent.Get("/signup/france-travail")
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantBody(t, res, "<h1>Inscription réservée aux agents France Travail</h1>")

		b := site.LoginAs(site.CreateUser(account.Professional, "agent@francetravail.fr", "Alex", "Agent"))
		webtest.WantStatus(t, b.Get("/signup/france-travail/confirm"), http.StatusForbidden)
		webtest.WantStatus(t, b.Get("/signup/france-travail"), http.StatusOK)
		res = b.Post("/signup/france-travail", url.Values{"code_safir": {"99999"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Aucune agence France Travail ne correspond à ce code SAFIR.", `aria-describedby="id_code_safir_error"`)
		webtest.WantRedirect(t, b.Post("/signup/france-travail", url.Values{"code_safir": {agency.CodeSAFIR}}), "/signup/france-travail/confirm")
		webtest.WantBody(t, b.Get("/signup/france-travail/confirm"), "France Travail Lille", agency.CodeSAFIR)
		webtest.WantRedirect(t, b.Post("/signup/france-travail/confirm", nil), "/dashboard")
		webtest.WantBody(t, b.Get("/dashboard"), "France Travail Lille", "<strong>prescripteur habilité</strong>")
	})
}

func TestEmployerSignup_TheMailedLinkMakesTheFirstMemberAdminThenStopsWorking(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		siret := webtest.SIRET()
		c, err := site.Services.Orgs.ImportCompany(t.Context(), org.CompanyInput{SIRET: siret, Kind: org.GEIQ, Name: "GEIQ Propreté",
			AuthEmail: "direction@geiq-proprete.fr", Address: org.AddressInput{Line1: "1 rue", CommuneCode: "69123"}}, org.SourceGEIQ, nil)
		if err != nil {
			t.Fatal(err)
		}
		first := site.LoginAs(site.CreateUser(account.Professional, "karim@geiq.fr", "Karim", "Benali"))
		webtest.WantStatus(t, first.Get("/signup/employer/select"), http.StatusForbidden)
		res := first.Post("/signup/employer", url.Values{"siren": {"999999999"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantRedirect(t, first.Post("/signup/employer", url.Values{"siren": {siret[:3] + " " + siret[3:9]}}), "/signup/employer/select")
		res = first.Get("/signup/employer/select")
		webtest.WantBody(t, res, "GEIQ Propreté", `id="id_company_`+c.UID+`"`)
		webtest.WantStatus(t, first.Post("/signup/employer/select", url.Values{}), http.StatusUnprocessableEntity)
		webtest.WantRedirect(t, first.Post("/signup/employer/select", url.Values{"company": {c.UID}}), "/signup/employer/sent")
		webtest.WantBody(t, first.Get("/signup/employer/sent"), "d*****n@geiq-proprete.fr")
		link := site.LinkIn("direction@geiq-proprete.fr", "/signup/employer/join/")

		anonymous := site.Browser().Get(link)
		webtest.WantStatus(t, anonymous, http.StatusOK)
		webtest.WantBody(t, anonymous, `href="/accounts/login?next=`+url.QueryEscape(link)+`"`, `href="/signup/professional/password?next=`)
		webtest.WantStatus(t, site.LoginAs(site.CreateJobSeeker("candidat@example.org")).Get(link), http.StatusForbidden)

		webtest.WantBody(t, first.Get(link), "Rejoindre GEIQ Propreté", `id="employer-join-submit"`)
		webtest.WantRedirect(t, first.Post(link, nil), "/dashboard")
		webtest.WantBody(t, first.Get("/dashboard"), "GEIQ Propreté", "<strong>employeur</strong> (administrateur)")

		second := site.LoginAs(site.CreateUser(account.Professional, "julie@geiq.fr", "Julie", "Moreau"))
		res = second.Get(link)
		webtest.WantStatus(t, res, http.StatusGone)
		webtest.WantBody(t, res, "un collaborateur a rejoint la structure")
		webtest.WantStatus(t, second.Post(link, nil), http.StatusGone)
		// The company now has a member: the second person is offered to ask for an invitation.
		webtest.WantRedirect(t, second.Post("/signup/employer", url.Values{"siren": {siret[:9]}}), "/signup/employer/select")
		webtest.WantBody(t, second.Get("/signup/employer/select"), "Membre à contacter : Karim BENALI")
		webtest.WantStatus(t, second.Post("/signup/employer/select", url.Values{"company": {c.UID}}), http.StatusUnprocessableEntity)
		webtest.WantRedirect(t, second.Post("/signup/employer/request-invitation", url.Values{"company": {c.UID}}), "/signup/employer/select")
		if l := site.LinkIn("karim@geiq.fr", "/organizations/"); !strings.Contains(l, "email=julie%40geiq.fr") {
			t.Errorf("invitation request link: %s", l)
		}
	})
}

func TestEmployerSignup_WithoutOfficialAddressTheUserIsToldToContactSupport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSite(t, d)
		c := site.Company(org.ACI, "Atelier sans adresse")
		b := site.LoginAs(site.CreateUser(account.Professional, "pro@aci.fr", "P", "Ro"))
		webtest.WantRedirect(t, b.Post("/signup/employer", url.Values{"siren": {c.SIRET[:9]}}), "/signup/employer/select")
		res := b.Post("/signup/employer/select", url.Values{"company": {c.UID}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Contactez le support")
		if len(site.Mails()) != 0 {
			t.Error("a mail was sent")
		}
	})
}
