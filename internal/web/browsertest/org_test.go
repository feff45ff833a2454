package browsertest

import (
	"context"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_EmployerAdminManagesColleaguesAndOpensAnAntenna: on the demo data, the ACI admin
// looks at the organization card, edits it, makes the colleague admin, creates an antenna and
// switches back with the header switcher; axe checks every organization page. A professional
// without organization sees only the explanation page.
func TestJourney_EmployerAdminManagesColleaguesAndOpensAnAntenna(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		accounts, _, logins := demoServices(t, d)
		aci := logins[0]
		e := StartWith(t, d, nil)

		e.Navigate(t, "/accounts/login")
		e.login(t, aci.Email, aci.Password)
		e.WaitForPath(t, "/dashboard")
		e.WaitForText(t, "Les Jardins de la Croix-Rousse")
		e.CheckPageAccessibility(t)

		e.Click(t, "#dashboard-organization-link")
		e.WaitForText(t, "Réception des candidatures")
		e.CheckPageAccessibility(t)
		e.Click(t, "#org-edit-link")
		e.WaitForText(t, "Modifier les informations")
		e.Fill(t, "id_email", "pas-un-mail")
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#org-edit-submit")
		e.WaitForText(t, "Saisissez une adresse e-mail valide.")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_email", "bonjour@jardins.demo")
		e.Click(t, "#org-edit-submit")
		e.WaitForText(t, "bonjour@jardins.demo")

		e.Click(t, "#org-members-link")
		e.WaitForText(t, "2 collaborateurs actifs, dont 1 administrateur")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Nommer administrateur")
		e.WaitForText(t, "Nommer Julie MOREAU administrateur")
		e.CheckPageAccessibility(t)
		e.Click(t, "#member-action-submit")
		e.WaitForText(t, "dont 2 administrateurs")

		aciUID := companyUID(t, d, "Association Les Jardins de la Croix-Rousse")
		e.Navigate(t, org.OverviewPath(aciUID))
		e.WaitForText(t, "Créer une antenne")
		e.Click(t, "#org-antenna-link")
		e.WaitForText(t, "Antenne de Les Jardins de la Croix-Rousse")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_siret", "00000000000000")
		e.Fill(t, "id_name", "Jardins - antenne de Villeurbanne")
		e.Fill(t, "id_address_line_1", "4 rue des Serres")
		e.Fill(t, "id_post_code", "69100")
		e.Fill(t, "id_city", "Villeurbanne")
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#antenna-submit")
		e.WaitForText(t, "doit commencer par le SIREN")
		e.CheckPageAccessibility(t)
		var siret string
		if err := d.NewRaw("SELECT siret FROM company WHERE kind = 'ACI'").Scan(ctx, &siret); err != nil {
			t.Fatal(err)
		}
		e.Fill(t, "id_siret", org.WithLuhnKey(siret[:9]+"0002"))
		e.Click(t, "#antenna-submit")
		e.WaitForText(t, "vous en êtes administrateur")

		e.Navigate(t, "/dashboard")
		e.WaitForText(t, "Jardins - antenne de Villeurbanne")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_organization", "company-"+aciUID)
		e.Click(t, "#org-switcher button")
		e.WaitForText(t, "Vous agissez maintenant pour « Les Jardins de la Croix-Rousse »")

		// A professional without organization.
		if _, err := accounts.CreateProfessional(ctx, account.ProfessionalInput{Email: "seul@example.org", FirstName: "Sam",
			LastName: "Seul", Password: "Phare-Isole-Sur-La-Cote-7"}, "test", ""); err != nil {
			t.Fatal(err)
		}
		e.logout(t)
		e.Navigate(t, "/accounts/login")
		e.login(t, "seul@example.org", "Phare-Isole-Sur-La-Cote-7")
		e.WaitForPath(t, "/logout/warning/no_organization")
		e.WaitForText(t, "Vous n'êtes rattaché à aucune structure")
		e.CheckPageAccessibility(t)
	})
}

func companyUID(t *testing.T, d *db.DB, name string) string {
	t.Helper()
	var uid string
	if err := d.NewRaw("SELECT uid FROM company WHERE name = ?", name).Scan(context.Background(), &uid); err != nil {
		t.Fatal(err)
	}
	return uid
}
