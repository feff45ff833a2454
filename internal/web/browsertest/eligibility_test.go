package browsertest

import (
	"context"
	"net/url"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_HabilitatedPrescriberMakesADiagnosisAndApplies: the habilitated prescriber of the
// demo opens a job seeker's page, validates their IAE eligibility with one criterion, then
// applies for them to an ACI: the tunnel asks no eligibility step any more, and the
// candidature's page says « Éligibilité IAE validée » with the criterion. axe checks each page.
func TestJourney_HabilitatedPrescriberMakesADiagnosisAndApplies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		prescriber, co, fiche := demoPrescriberAndFiche(t, d)
		js := seedUser(t, d, &account.User{Email: "lea.dupont@example.org", Kind: account.JobSeeker, FirstName: "Léa", LastName: "Dupont",
			Title: account.Madame, AddressLine1: "5 rue de la République", PostCode: "69002", City: "Lyon", Department: "69"}, "Pas-De-Mot-De-Passe-Utile-1")
		if _, err := d.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, lack_of_pole_emploi_id_reason, updated_at) VALUES (?, ?, ?, 'NOT_REGISTERED', ?)`,
			js.ID, "0123456789abcdef0123456789abcd", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), time.Now().UTC()).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, prescriber.Email, prescriber.Password)
		e.WaitForPath(t, "/dashboard")

		details := "/job-seekers/details/" + js.PublicID
		e.Navigate(t, details)
		e.CheckPageAccessibility(t)
		e.Click(t, "#job-seeker-eligibility")
		e.WaitForText(t, "Valider l'éligibilité IAE de Léa DUPONT")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_level_1_1"]`) // Bénéficiaire du RSA
		e.Click(t, "#iae-submit")
		e.WaitForPath(t, details)
		e.WaitForText(t, "L'éligibilité IAE de Léa DUPONT est validée jusqu'au")
		e.CheckPageAccessibility(t)

		// Applying now: no eligibility step, the diagnosis is valid.
		e.Navigate(t, application.StartPath(co.UID)+"?job_description_id="+url.QueryEscape(fiche.UID)+"&job_seeker_public_id="+js.PublicID)
		e.applyFromTheJobsStep(t, fiche.UID, "Léa est prête à reprendre un emploi d'auxiliaire de vie.", "", false)
		e.ClickText(t, "Voir la candidature")
		e.WaitForText(t, "Diagnostic réalisé par")
		e.WaitForText(t, "Bénéficiaire du RSA")
		if got := Eval[string](t, e, `document.querySelector('#eligibility-badge').textContent`); got != "Éligibilité IAE validée" {
			t.Errorf("eligibility badge %q", got)
		}
		e.CheckPageAccessibility(t)

		var n int
		if err := d.NewRaw("SELECT COUNT(*) FROM eligibility_diagnosis WHERE job_seeker_id = ? AND author_kind = ?", js.ID, eligibility.AuthorPrescriber).
			Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("%d prescriber diagnoses, %v", n, err)
		}
	})
}

// demoPrescriberAndFiche loads the demo organizations and returns the login of their
// habilitated prescriber, an ACI and a fiche de poste « Auxiliaire de vie » it publishes.
func demoPrescriberAndFiche(t *testing.T, d *db.DB) (org.DemoLogin, *org.Company, *jobdesc.JobDescription) {
	t.Helper()
	ctx := context.Background()
	cfg, accounts := demoReference(t, d)
	logins, err := org.NewService(d, cfg).SeedDemo(ctx, accounts)
	if err != nil {
		t.Fatal(err)
	}
	var prescriber org.DemoLogin
	for _, l := range logins {
		if l.Role == "prescriber" {
			prescriber = l
		}
	}
	const employerEmail = "karim.benali@example.org"
	co := seedEmployer(t, d, employerEmail, "Tournesol-Atelier-Bleu-2026")
	employer, err := account.UserByEmail(ctx, d, employerEmail)
	if err != nil {
		t.Fatal(err)
	}
	fiche := seedFiche(t, d, cfg, employer, co, jobdesc.Input{Appellation: "Auxiliaire de vie", ContractType: "FIXED_TERM_I", OpenPositions: "2"})
	return prescriber, co, fiche
}
