package browsertest

import (
	"context"
	"regexp"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

var (
	invitationLink = regexp.MustCompile(`https?://\S+/invitations/\S+/join`)
	anyVerifyLink  = regexp.MustCompile(`https?://\S+/accounts/verify/\S+`)
)

// lastLink returns the first link matching re in the newest mail to `to`.
func lastLink(t *testing.T, d *db.DB, to string, re *regexp.Regexp) string {
	t.Helper()
	var body string
	if err := d.NewRaw("SELECT text_body FROM mail_outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1", to).Scan(context.Background(), &body); err != nil {
		t.Fatalf("no mail to %s: %v", to, err)
	}
	link := re.FindString(body)
	if link == "" {
		t.Fatalf("no link in the mail to %s:\n%s", to, body)
	}
	return link
}

// demoReference loads the demo reference data and returns the default configuration and an
// account service with cheap password hashing (for tests only).
func demoReference(t *testing.T, d *db.DB) (config.Config, *account.Service) {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
	accounts := account.NewService(d, cfg)
	accounts.Params = account.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	return cfg, accounts
}

func demoServices(t *testing.T, d *db.DB) (*account.Service, *org.Service, []org.DemoLogin) {
	t.Helper()
	cfg, accounts := demoReference(t, d)
	orgs := org.NewService(d, cfg)
	logins, err := orgs.SeedDemo(context.Background(), accounts)
	if err != nil {
		t.Fatal(err)
	}
	return accounts, orgs, logins
}

func (e *Env) login(t *testing.T, email, password string) {
	t.Helper()
	e.Fill(t, "id_email", email)
	e.Fill(t, "id_password", password)
	e.Click(t, "#login-submit")
}

// logout presses « Se déconnecter » in the header and waits for the home page.
func (e *Env) logout(t *testing.T) {
	t.Helper()
	e.Click(t, `form[action="/accounts/logout"] button`)
	e.WaitForPath(t, "/")
}

// switchUser logs out, logs in as this user and waits for the dashboard.
func (e *Env) switchUser(t *testing.T, email, password string) {
	t.Helper()
	e.logout(t)
	e.Navigate(t, "/accounts/login")
	e.login(t, email, password)
	e.WaitForPath(t, "/dashboard")
}

// TestJourney_EmployerAdminInvitesAColleagueWhoSignsUpAndLandsInTheCompany: the ACI admin of the
// demo invites a colleague from the "Collaborateurs" page; the colleague opens the mailed link,
// creates a password account with the address fixed (development settings) and lands in the
// company; the admin then sees the colleague among the members. axe checks every page.
func TestJourney_EmployerAdminInvitesAColleagueWhoSignsUpAndLandsInTheCompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, _, logins := demoServices(t, d)
		aci := logins[0]
		e := StartWith(t, d, nil)
		const colleague = "samia.hadj@jardins.demo"
		const password = "Serre-Tomates-Arrosoir-2026"

		e.Navigate(t, "/accounts/login")
		e.login(t, aci.Email, aci.Password)
		e.WaitForPath(t, "/dashboard")
		e.Click(t, "#dashboard-members-link")
		e.WaitForText(t, "Aucune invitation en attente.")
		e.CheckPageAccessibility(t)
		e.Click(t, "#members-invite-link")
		e.WaitForText(t, "Envoyer les invitations")
		e.CheckPageAccessibility(t)

		e.Fill(t, "id_email_0", "pas-une-adresse")
		e.Fill(t, "id_first_name_0", "Samia")
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#invite-submit")
		e.WaitForText(t, "Saisissez une adresse e-mail valide.")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_email_0", colleague)
		e.Fill(t, "id_last_name_0", "Hadj")
		e.Click(t, "#invite-submit")
		e.WaitForText(t, "L'invitation a été envoyée à "+colleague)
		e.WaitForText(t, "Invitations en attente")
		e.CheckPageAccessibility(t)

		e.logout(t)
		e.Navigate(t, lastLink(t, d, colleague, invitationLink))
		e.WaitForText(t, "Karim BENALI vous invite à rejoindre « Les Jardins de la Croix-Rousse »")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_password1", password)
		e.Fill(t, "id_password2", "Autre-Chose-Que-Le-Premier-1")
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#invitation-signup-submit")
		e.WaitForText(t, "Les deux mots de passe ne correspondent pas.")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_password1", password)
		e.Fill(t, "id_password2", password)
		e.Click(t, "#invitation-signup-submit")
		e.WaitForPath(t, "/dashboard")
		e.WaitForText(t, "Vous avez rejoint « Les Jardins de la Croix-Rousse »")
		e.WaitForText(t, "Samia HADJ")
		e.CheckPageAccessibility(t)

		e.switchUser(t, aci.Email, aci.Password)
		e.Click(t, "#dashboard-members-link")
		e.WaitForText(t, "3 collaborateurs actifs")
		e.WaitForText(t, "Samia HADJ")
		e.WaitForText(t, "Aucune invitation en attente.")
	})
}

// TestJourney_PrescriberSignsUpWaitsForTheHabilitationThenStaffValidates: a professional signs up
// with a password (development settings), verifies the address, registers a Mission locale by
// SIRET and sees its habilitation pending; staff validate it in the back office; the prescriber
// reloads the dashboard and acts as "prescripteur habilité". axe checks every page.
func TestJourney_PrescriberSignsUpWaitsForTheHabilitationThenStaffValidates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		accounts, _, _ := demoServices(t, d)
		staff, err := accounts.CreateStaff(ctx, account.StaffInput{Email: "support@inclusion.test", FirstName: "Sol", LastName: "Support", Password: "Back-Office-Validation-2026"})
		if err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)
		const email = "ines.moreau@ml-roubaix.fr"
		const password = "Mission-Locale-Roubaix-2026"
		siret := org.WithLuhnKey(org.WithLuhnKey("77712345") + "0001")

		e.Navigate(t, "/signup/")
		e.Click(t, "#signup-professional")
		e.WaitForPath(t, "/signup/professional")
		e.CheckPageAccessibility(t)
		e.Click(t, "#password-signup-link")
		e.WaitForPath(t, "/signup/professional/password")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_first_name", "Inès")
		e.Fill(t, "id_last_name", "Moreau")
		e.Fill(t, "id_email", email)
		e.Fill(t, "id_password1", password)
		e.Fill(t, "id_password2", password)
		e.Click(t, "#pro-signup-submit")
		e.WaitForText(t, "Vérifiez votre boîte mail")
		e.CheckPageAccessibility(t)

		e.Navigate(t, lastLink(t, d, email, anyVerifyLink))
		e.WaitForText(t, "Votre adresse e-mail est confirmée")
		e.login(t, email, password)
		e.WaitForPath(t, "/signup/professional/kind")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Prescripteur / Orienteur")
		e.WaitForPath(t, "/signup/prescriber")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_siret", siret[:3]+" "+siret[3:6]+" "+siret[6:9]+" "+siret[9:])
		e.Select(t, "id_department", "59")
		e.Click(t, "#prescriber-siret-submit")
		e.WaitForPath(t, "/signup/prescriber/kind")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_kind_ML"]`)
		e.Click(t, "#prescriber-kind-submit")
		e.WaitForPath(t, "/signup/prescriber/organization")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_name", "Mission locale de Roubaix")
		e.Fill(t, "id_address_line_1", "12 rue de l'Épeule")
		e.Fill(t, "id_post_code", "59100")
		e.Fill(t, "id_city", "Roubaix")
		e.WaitForText(t, "Roubaix (59)") // the autocomplete proposes the commune
		e.Click(t, `[role="option"][data-value="59512"]`)
		e.Click(t, "#prescriber-organization-submit")
		e.WaitForPath(t, "/dashboard")
		e.WaitForText(t, "Habilitation en attente de validation")
		e.WaitForText(t, "Mission locale de Roubaix")
		e.CheckPageAccessibility(t)

		var uid string
		if err := d.NewRaw("SELECT uid FROM prescriber_organization WHERE siret = ?", siret).Scan(ctx, &uid); err != nil {
			t.Fatal(err)
		}
		e.switchUser(t, staff.Email, "Back-Office-Validation-2026")
		e.Navigate(t, "/staff/organizations/"+uid)
		e.Click(t, "#staff-validate-link")
		e.Click(t, "#staff-confirm-submit")
		e.WaitForText(t, "est validée")

		e.switchUser(t, email, password)
		e.WaitForText(t, "prescripteur habilité")
		if Eval[bool](t, e, `document.getElementById("dashboard-habilitation-pending") !== null`) {
			t.Error("the habilitation is still shown as pending")
		}
		e.CheckPageAccessibility(t)
	})
}
