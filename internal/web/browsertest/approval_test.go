package browsertest

import (
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// TestJourney_AnyoneVerifiesAPASSOnThePublicPage: a visitor types a PASS IAE number as printed
// (spaced, lower case) and the holder's birth date, and reads that it is valid and until when;
// a wrong birth date tells nothing. axe checks both answers.
func TestJourney_AnyoneVerifiesAPASSOnThePublicPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		js := seedUser(t, d, &account.User{Email: "titulaire@example.org", Kind: account.JobSeeker, FirstName: "Lina", LastName: "Titulaire"}, "Pas-De-Mot-De-Passe-Utile-1")
		pass := webtest.SeedPASS(t, d, js.ID, webtest.PASSSeed{Start: time.Now().UTC().AddDate(0, -1, 0)})
		e := StartWith(t, d, nil)

		e.Navigate(t, "/")
		e.ClickText(t, "Vérifier un PASS IAE")
		e.WaitForPath(t, "/pass-iae/verify")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_number", strings.ToLower(pass.DisplayNumber()))
		e.Select(t, "id_birthdate", "1990-05-17") // a date input takes its value as YYYY-MM-DD
		e.Click(t, "#verify-submit")
		e.WaitForText(t, "Le PASS IAE "+pass.DisplayNumber()+" est valide jusqu'au")
		e.CheckPageAccessibility(t)

		e.Select(t, "id_birthdate", "1990-05-18")
		e.Click(t, "#verify-submit")
		e.WaitForText(t, "Aucun PASS IAE ne correspond à ce numéro et à cette date de naissance.")
		e.CheckPageAccessibility(t)
	})
}
