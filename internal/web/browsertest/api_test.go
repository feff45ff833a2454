package browsertest

import (
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// The API's landing and documentation pages are pages like any other: axe finds no serious or
// critical violation, and they run without console error under the CSP (no external bundle).
func TestAPIDocs_AreAccessible(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := StartWith(t, d, nil)
		for _, path := range []string{"/api/", "/api/v1/redoc/"} {
			e.CheckAccessibility(t, path)
			e.CheckConsole(t)
		}
		e.Navigate(t, "/api/v1/redoc/")
		e.WaitForText(t, "postes_dans_le_departement")
		e.Screenshot(t, "api-docs")
	})
}

// TestJourney_AdminCreatesAnAPIToken: the admin of an SIAE opens « Accès aux APIs » from the
// dashboard, creates a token and reads it once; axe checks the page before and after.
func TestJourney_AdminCreatesAnAPIToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		seedEmployer(t, d, hireEmployerEmail, hireEmployerPassword)
		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, hireEmployerEmail, hireEmployerPassword)
		e.WaitForPath(t, "/dashboard")
		e.Click(t, "#dashboard-api-link")
		e.WaitForText(t, "Vous n’avez pas encore de token d’API")
		e.CheckPageAccessibility(t)
		e.Click(t, "#api-token-create button")
		e.WaitForText(t, "Votre nouveau token ne sera affiché qu’une seule fois")
		e.CheckPageAccessibility(t)
		e.CheckConsole(t)
	})
}
