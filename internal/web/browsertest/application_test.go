package browsertest

import (
	"context"
	"testing"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_EmployerRefusesWithTheReasonSharedAndTheJobSeekerReadsIt: a job seeker's
// candidature, seeded through the domain, is declined by the employer through the refusal
// wizard with the reason shared; the job seeker then reads the reason on the candidature page
// (applications.md §3.6, R23). axe checks every page on the way.
func TestJourney_EmployerRefusesWithTheReasonSharedAndTheJobSeekerReadsIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, _ := demoReference(t, d)
		const employer, jobSeeker, password = "karim@jardins.demo", "julie@example.org", "Serre-Tomates-Arrosoir-2026"
		co := seedEmployer(t, d, employer, password)
		if _, err := d.NewRaw("UPDATE company SET spontaneous_applications_open_since = ? WHERE id = ?", co.CreatedAt, co.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		js := seedUser(t, d, &account.User{Email: jobSeeker, Kind: account.JobSeeker, FirstName: "Julie", LastName: "Martin",
			Title: account.Madame, AddressLine1: "5 rue de la République", PostCode: "69002", City: "Lyon", Department: "69"}, password)
		app, err := application.NewService(d, cfg, nil).Submit(ctx, actor.Actor{UserID: js.ID, Kind: actor.JobSeeker},
			application.SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Je cherche un emploi en maraîchage."})
		if err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)

		e.Navigate(t, "/accounts/login")
		e.login(t, employer, password)
		e.WaitForPath(t, "/dashboard")
		e.Navigate(t, application.DetailsPath(app.PublicID))
		e.WaitForText(t, "Je cherche un emploi en maraîchage.")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Décliner")
		e.WaitForText(t, "Choix du motif de refus")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_reason_lacking_skills"]`)
		e.Click(t, `label[for="id_shared"]`)
		e.Click(t, "#refusal-next")
		e.WaitForText(t, "Étape 2 sur 2")
		e.CheckPageAccessibility(t)
		e.Click(t, "#refusal-confirm")
		e.WaitForText(t, "La candidature de Julie MARTIN a bien été refusée.")
		e.WaitForText(t, "Candidature déclinée")
		e.CheckPageAccessibility(t)

		e.switchUser(t, jobSeeker, password)
		e.Navigate(t, application.SenderDetailsPath(app.PublicID))
		e.WaitForText(t, "Le candidat n’a pas les compétences requises pour le poste")
		e.CheckPageAccessibility(t)
	})
}
