package browsertest

import (
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/oidc/oidctest"
)

// TestJourney_ProfessionalLogsInAndOutWithProConnect runs the ProConnect round trip in a real
// browser against a real OpenID provider beside the site (both on 127.0.0.1): the button on the
// login page, the provider, the callback, the page asked for, then the logout that ends the
// ProConnect session and comes back to the home page; then the professional signup, which starts
// with the same button.
func TestJourney_ProfessionalLogsInAndOutWithProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		p := oidctest.Start(t)
		e := StartWith(t, d, map[string]string{
			"EMPLOIS_PROCONNECT_ISSUER":        p.Issuer,
			"EMPLOIS_PROCONNECT_CLIENT_ID":     "emplois-browser",
			"EMPLOIS_PROCONNECT_CLIENT_SECRET": "s3cret-du-navigateur",
			"EMPLOIS_PRO_PASSWORD_LOGIN":       "false",
		})
		p.RegisterClient(oidctest.Client{ID: "emplois-browser", Secret: "s3cret-du-navigateur",
			RedirectURIs: []string{e.BaseURL + "/proconnect/callback"}, PostLogoutRedirectURIs: []string{e.BaseURL + "/"}})
		p.SetNextUser(oidctest.User{Subject: "pc-sub-lucie", Email: "lucie.bernard@example.org", GivenName: "Lucie", UsualName: "Bernard"})

		e.Navigate(t, "/accounts/login?next=/aide")
		e.CheckPageAccessibility(t)
		start := time.Now()
		e.Click(t, "#proconnect-button")
		e.WaitForPath(t, "/aide")
		e.WaitForText(t, "Lucie BERNARD")
		t.Logf("ProConnect login in the browser (click to the page asked for, name shown): %v", time.Since(start))

		e.ClickText(t, "Se déconnecter")
		e.WaitForText(t, "Vous êtes déconnecté.")
		e.WaitForPath(t, "/")
		if ended := p.EndedSessions(); len(ended) != 1 || ended[0] != "pc-sub-lucie" {
			t.Fatalf("ProConnect sessions ended: %v", ended)
		}
		e.Navigate(t, "/dashboard")
		e.WaitForPath(t, "/accounts/login")

		// The signup starts the same way and lands on the choice of the organization's kind.
		e.Navigate(t, "/signup/professional")
		e.CheckPageAccessibility(t)
		e.Click(t, "#proconnect-button")
		e.WaitForPath(t, "/signup/professional/kind")
		e.WaitForText(t, "Employeur inclusif")
		e.CheckPageAccessibility(t)
	})
}
