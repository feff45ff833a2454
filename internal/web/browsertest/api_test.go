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
