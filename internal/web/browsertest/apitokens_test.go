package browsertest

import (
	"context"
	"testing"

	"emplois/internal/account"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_StaffCreatesAndRevokesADepartmentToken: staff holding api_tokens open « Jetons
// d'API » from the back office, create a département token whose key is shown once, then revoke it behind its confirmation page. axe checks every page.
func TestJourney_StaffCreatesAndRevokesADepartmentToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, accounts := demoReference(t, d)
		const password = "Phare-Isole-Sur-La-Cote-7"
		if _, err := accounts.CreateStaff(ctx, account.StaffInput{Email: "jetons@example.org", FirstName: "Jo", LastName: "Jeton", Password: password}); err != nil {
			t.Fatal(err)
		}
		if _, err := accounts.GrantPermission(ctx, "jetons@example.org", account.PermAPITokens); err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, "jetons@example.org", password)
		e.WaitForPath(t, "/dashboard")

		e.Navigate(t, "/staff/")
		e.Click(t, "#staff-api-tokens-link")
		e.WaitForPath(t, "/staff/api-tokens")
		e.WaitForText(t, "Aucun jeton pour le moment.")
		e.CheckPageAccessibility(t)

		e.Click(t, "#api-tokens-new-department")
		e.WaitForText(t, "Créer un jeton")
		e.CheckPageAccessibility(t)

		e.Select(t, "id_department", "59")
		e.Fill(t, "id_label", "Conseil départemental du Nord")
		e.Click(t, "#api-token-submit")
		e.WaitForText(t, "Cette clé ne sera affichée qu'une seule fois")
		e.CheckPageAccessibility(t)

		e.Click(t, "#api-token-back")
		e.WaitForText(t, "Conseil départemental du Nord")
		e.Click(t, `a[id^="api-token-revoke-"]`)
		e.WaitForText(t, "Cette action est irréversible.")
		e.CheckPageAccessibility(t)
		e.Click(t, "#api-token-revoke-submit")
		e.WaitForText(t, "» est révoqué : sa clé ne donne plus accès à l'API.")
		e.CheckPageAccessibility(t)
	})
}
