package browsertest

import (
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/oidc/oidctest"
)

// TestJourney_JobSeekerLogsInWithFranceConnectCompletesTheProfileAndLogsOut runs FranceConnect in
// a real browser against a real OpenID provider beside the site: the button of the login page's
// « Candidats » section creates the job seeker from FranceConnect's identity (actors.md §11), the
// dashboard asks for the address first with FranceConnect's fields read-only, and the logout ends
// the FranceConnect session too.
func TestJourney_JobSeekerLogsInWithFranceConnectCompletesTheProfileAndLogsOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		demoReference(t, d)
		p := oidctest.Start(t)
		e := StartWith(t, d, map[string]string{
			"EMPLOIS_FRANCECONNECT_ISSUER":        p.Issuer,
			"EMPLOIS_FRANCECONNECT_CLIENT_ID":     "emplois-browser-fc",
			"EMPLOIS_FRANCECONNECT_CLIENT_SECRET": "s3cret-franceconnect",
		})
		p.RegisterClient(oidctest.Client{ID: "emplois-browser-fc", Secret: "s3cret-franceconnect",
			RedirectURIs: []string{e.BaseURL + "/franceconnect/callback"}, PostLogoutRedirectURIs: []string{e.BaseURL + "/"}})
		p.SetNextUser(oidctest.User{Subject: "fc-sub-lea", Email: "lea.dupont@example.org", GivenName: "Léa",
			Claims: map[string]any{"family_name": "Dupont", "gender": "female", "birthdate": "1990-01-10", "birthplace": "", "birthcountry": "99109"}})

		e.Navigate(t, "/accounts/login")
		e.CheckPageAccessibility(t)
		e.Click(t, "#franceconnect-button")
		e.WaitForPath(t, "/dashboard/edit_user_info")
		e.WaitForText(t, "Information transmise par FranceConnect")
		if !Eval[bool](t, e, `document.getElementById("id_first_name").readOnly && document.getElementById("id_first_name").value === "Léa"`) {
			e.fail(t, "FranceConnect's first name is not read-only")
		}
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_nir", "290019910912313") // consistent with FranceConnect's sex and birth
		e.fillAddress(t)
		e.Select(t, "id_lack_of_pole_emploi_id_reason", "NOT_REGISTERED")
		e.Click(t, "#profile-submit")
		e.WaitForPath(t, "/dashboard")
		e.WaitForText(t, "Léa DUPONT")
		e.CheckPageAccessibility(t)

		e.ClickText(t, "Se déconnecter")
		e.WaitForText(t, "Vous êtes déconnecté.")
		if ended := p.EndedSessions(); len(ended) != 1 || ended[0] != "fc-sub-lea" {
			t.Fatalf("FranceConnect sessions ended: %v", ended)
		}
	})
}
