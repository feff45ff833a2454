package browsertest

import (
	"context"
	"regexp"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

var verifyLink = regexp.MustCompile(`https?://\S+/accounts/verify/\S+`)

// TestJourney_JobSeekerSignsUpVerifiesLogsInAndOut is the first real-browser journey of the
// foundation: signup, verification link read from the mail outbox, login, logout.
func TestJourney_JobSeekerSignsUpVerifiesLogsInAndOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := StartWith(t, d, nil)
		const email = "lea.dupont@example.org"
		const password = "Jardin-Potager-Soleil-42"

		e.Navigate(t, "/signup/job_seeker")
		e.Click(t, `label[for="id_title_MME"]`)
		e.Fill(t, "id_first_name", "Léa")
		e.Fill(t, "id_last_name", "Dupont")
		e.Fill(t, "id_email", email)
		e.Fill(t, "id_password1", password)
		e.Fill(t, "id_password2", password)
		e.Click(t, "#signup-submit")
		e.WaitForPath(t, "/signup/job_seeker/sent")

		// Login is refused until the e-mail is verified.
		e.Navigate(t, "/accounts/login")
		e.Fill(t, "id_email", email)
		e.Fill(t, "id_password", password)
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#login-submit")
		e.WaitForText(t, "Recevoir un nouveau lien")
		e.CheckConsole(t)

		var body string
		err := d.NewRaw("SELECT text_body FROM mail_outbox WHERE to_addr = ? ORDER BY id LIMIT 1", email).
			Scan(context.Background(), &body)
		if err != nil {
			t.Fatalf("no verification mail in the outbox: %v", err)
		}
		link := verifyLink.FindString(body)
		if link == "" {
			t.Fatalf("no verification link in the mail:\n%s", body)
		}
		e.Navigate(t, link)
		e.WaitForPath(t, "/accounts/login")

		e.Fill(t, "id_email", email)
		e.Fill(t, "id_password", password)
		e.Click(t, "#login-submit")
		// The dashboard first asks a job seeker for the address (actors.md §10.1 step 6).
		e.WaitForPath(t, "/dashboard/edit_user_info")
		e.CheckPageAccessibility(t)

		e.ClickText(t, "Se déconnecter")
		e.WaitForText(t, "Se connecter")
		e.Navigate(t, "/dashboard")
		e.WaitForPath(t, "/accounts/login")
	})
}
