package browsertest

import (
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// signUpJobSeeker goes through the five steps of actors.md §10.1 from the signup's first page,
// each checked with axe, as Léa Dupont (NIR 2 90 01 99 109 123 13) with this e-mail and
// password; it ends on the page that asks to open the verification link.
func (e *Env) signUpJobSeeker(t *testing.T, email, password string) {
	t.Helper()
	e.Navigate(t, "/signup/")
	e.Click(t, "#signup-job-seeker")
	e.WaitForPath(t, "/signup/job_seeker/start")
	e.CheckPageAccessibility(t)
	e.Click(t, "#signup-start-continue")
	e.WaitForPath(t, "/signup/job_seeker/situation")
	e.CheckPageAccessibility(t)
	e.Click(t, `label[for="id_rsa"]`)
	e.Click(t, "#signup-situation-submit")
	e.WaitForPath(t, "/signup/job_seeker/criteria")
	e.CheckPageAccessibility(t)
	e.Click(t, "#signup-criteria-continue")
	e.WaitForPath(t, "/signup/job_seeker")
	e.CheckPageAccessibility(t)
	e.Click(t, `label[for="id_title_MME"]`)
	e.Fill(t, "id_first_name", "Léa")
	e.Fill(t, "id_last_name", "Dupont")
	e.Fill(t, "id_email", email)
	e.Select(t, "id_birthdate", "1990-01-10")
	e.Select(t, "id_birth_country", "99109")
	e.Fill(t, "id_nir", "2 90 01 99 109 123 13")
	e.Click(t, "#signup-identity-submit")
	e.WaitForText(t, "Étape 5 sur 5")
	e.CheckPageAccessibility(t)
	e.Fill(t, "id_password1", password)
	e.Fill(t, "id_password2", password)
	e.Click(t, "#signup-submit")
	e.WaitForPath(t, "/signup/job_seeker/sent")
}

// fillAddress types an address in Villeurbanne in the address fields of a job seeker's profile,
// picking the commune in the autocomplete.
func (e *Env) fillAddress(t *testing.T) {
	t.Helper()
	e.Fill(t, "id_address_line_1", "3 place Bellecour")
	e.Fill(t, "id_post_code", "69100")
	e.Fill(t, "id_city", "villeurb")
	e.Click(t, "#commune-69266")
}

// TestJourney_JobSeekerSignsUpVerifiesLogsInAndOut is the first real-browser journey of the
// foundation: the self-signup's five steps, verification link read from the mail outbox,
// login, logout.
func TestJourney_JobSeekerSignsUpVerifiesLogsInAndOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := StartWith(t, d, nil)
		const email = "lea.dupont@example.org"
		const password = "Jardin-Potager-Soleil-42"
		e.signUpJobSeeker(t, email, password)

		// Login is refused until the e-mail is verified.
		e.Navigate(t, "/accounts/login")
		e.ExpectConsoleError("status of 422")
		e.login(t, email, password)
		e.WaitForText(t, "Recevoir un nouveau lien")
		e.CheckConsole(t)

		e.Navigate(t, lastLink(t, d, email, anyVerifyLink))
		e.WaitForPath(t, "/accounts/login")

		e.login(t, email, password)
		// The dashboard first asks a job seeker for the address (actors.md §10.1 step 6).
		e.WaitForPath(t, "/dashboard/edit_user_info")
		e.CheckPageAccessibility(t)

		e.ClickText(t, "Se déconnecter")
		e.WaitForText(t, "Se connecter")
		e.Navigate(t, "/dashboard")
		e.WaitForPath(t, "/accounts/login")
	})
}
