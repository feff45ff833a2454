package browsertest

import (
	"context"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_StaffValidatesAPendingPrescriberAndCreatesACompany: staff log in, open the back
// office from the header, find the pending Mission locale, validate its habilitation, search an
// account, open its page, and create a company with the commune autocomplete; the member of the
// Mission locale then acts as a "prescripteur habilité". axe checks every staff page.
func TestJourney_StaffValidatesAPendingPrescriberAndCreatesACompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, accounts := demoReference(t, d)
		const password = "Phare-Isole-Sur-La-Cote-7"
		if _, err := accounts.CreateStaff(ctx, account.StaffInput{Email: "staff@example.org", FirstName: "Sol", LastName: "Staff", Password: password}); err != nil {
			t.Fatal(err)
		}
		pro, err := accounts.CreateProfessional(ctx, account.ProfessionalInput{Email: "conseillere@ml-lille.example", FirstName: "Léa",
			LastName: "Conseil", Password: password}, "test", "")
		if err != nil {
			t.Fatal(err)
		}
		p, err := org.NewService(d, cfg).CreatePrescriberOrganization(ctx, actor.Actor{UserID: pro.ID}, org.PrescriberInput{
			SIRET: org.WithLuhnKey("4123456700012"), Kind: org.ML, Name: "Mission locale de Lille",
			Address: org.AddressInput{Line1: "1 rue Nationale", CommuneCode: "59350"}})
		if err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)
		login := func(email string) {
			e.Navigate(t, "/accounts/login")
			e.login(t, email, password)
			e.WaitForPath(t, "/dashboard")
		}

		login("staff@example.org")
		e.Click(t, "#header-staff-link")
		e.WaitForText(t, "Habilitations en attente de validation (1)")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Mission locale de Lille")
		e.WaitForPath(t, "/staff/organizations/"+p.UID)
		e.WaitForText(t, "Habilitation en attente de validation")
		e.CheckPageAccessibility(t)
		e.Click(t, "#staff-validate-link")
		e.WaitForText(t, "Son membre actif en sera informé par e-mail.")
		e.CheckPageAccessibility(t)
		e.Click(t, "#staff-confirm-submit")
		e.WaitForText(t, "L'habilitation de « Mission locale de Lille » est validée")
		e.WaitForText(t, "Statut : Habilitation validée")
		e.CheckPageAccessibility(t)

		// The member's account, from the members table.
		e.ClickText(t, "Léa CONSEIL")
		e.WaitForText(t, "conseillere@ml-lille.example")
		e.CheckPageAccessibility(t)
		e.Click(t, "#staff-user-action")
		e.WaitForText(t, "Désactiver le compte de Léa CONSEIL")
		e.CheckPageAccessibility(t)
		e.Click(t, "#staff-confirm-cancel")
		e.WaitForText(t, "Rattachements")

		e.Navigate(t, "/staff/")
		e.Fill(t, "id_q", "conseil")
		e.Click(t, "#staff-search-submit")
		e.WaitForText(t, "Comptes (1)")
		e.CheckPageAccessibility(t)

		e.Click(t, "#staff-company-new-link")
		e.WaitForText(t, "La structure créée est active")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_siret", "12345678901234")
		e.Select(t, "id_kind", "EI")
		e.Fill(t, "id_name", "Le Relais Lillois")
		e.Fill(t, "id_address_line_1", "2 rue du Molinel")
		e.Fill(t, "id_city", "Lill")
		e.WaitForText(t, "Lille (59)")
		e.Click(t, "#commune-59350")
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#staff-company-submit")
		e.WaitForText(t, "Ce numéro SIRET n'est pas valide")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_siret", org.WithLuhnKey("4987654300012"))
		e.Click(t, "#staff-company-submit")
		e.WaitForText(t, "La structure « Le Relais Lillois » est créée.")
		e.WaitForText(t, "Staff Itou")
		e.WaitForText(t, "59350")

		// The member now acts as a habilitated prescriber.
		e.logout(t)
		login("conseillere@ml-lille.example")
		e.WaitForText(t, "prescripteur habilité")
	})
}
