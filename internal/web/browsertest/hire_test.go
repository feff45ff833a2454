package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

// TestJourney_EmployerDeclaresADirectHire: an SIAE employer starts « Déclarer une embauche »
// from the dashboard, finds the job seeker by e-mail after a NIR that matches nobody, is refused
// a backdated contract, checks the contract, confirms, and lands on the end page; axe checks
// every page of the tunnel (the form also with its errors): the company's own diagnosis, the
// missing France Travail situation, the contract, and the PASS IAE issued.
func TestJourney_EmployerDeclaresADirectHire(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		const email, password = "karim.benali@example.org", "Tournesol-Atelier-Bleu-2026"
		co := seedEmployer(t, d, email, password)
		now := time.Now().UTC()
		js := &account.User{PublicID: uuid.NewString(), Email: "lea.dupont@example.org", Kind: account.JobSeeker,
			IdentityProvider: account.Django, FirstName: "Léa", LastName: "Dupont", IsActive: true, DateJoined: now,
			Title: account.Madame, AddressLine1: "5 rue de la République", PostCode: "69002", City: "Lyon", Department: "69"}
		if _, err := d.NewInsert().Model(js).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)

		e.Navigate(t, "/accounts/login")
		e.login(t, email, password)
		e.WaitForPath(t, "/dashboard")
		e.Click(t, "#dashboard-hire-link")
		e.WaitForPath(t, "/job-seekers/search")
		e.Fill(t, "id_nir", "1 85 05 78 006 084 91")
		e.Click(t, "#job-seeker-nir-submit")
		e.WaitForPath(t, "/job-seekers/search/email")
		e.Fill(t, "id_email", js.Email)
		e.Click(t, "#job-seeker-email-submit")
		e.WaitForText(t, "Léa DUPONT")
		e.Click(t, "#job-seeker-continue")
		// No diagnosis: the ACI validates the eligibility itself (approvals.md §2.2, §2.3).
		e.WaitForPath(t, application.DirectHirePath+"/eligibility")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_level_1_1"]`) // Bénéficiaire du RSA
		e.Click(t, "#step-submit")
		// Her France Travail situation is unknown: the information step asks it (§3.4-4).
		e.WaitForPath(t, application.DirectHirePath+"/info")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_birthdate", "1990-04-12")
		e.Select(t, "id_lack_of_pole_emploi_id_reason", "NOT_REGISTERED")
		e.Click(t, "#hire-info-form button[type=submit]")
		e.WaitForPath(t, application.DirectHirePath)
		e.WaitForText(t, "Léa DUPONT chez "+co.Name)
		e.WaitForText(t, "un PASS IAE sera délivré")
		e.CheckPageAccessibility(t)

		// A contract that started yesterday: refused, the form says why.
		e.Select(t, "id_hiring_start_at", now.AddDate(0, 0, -1).Format(time.DateOnly))
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#hire-check")
		e.WaitForText(t, "Il n'est pas possible d'antidater un contrat")
		e.CheckPageAccessibility(t)

		start := now.AddDate(0, 0, 7)
		e.Select(t, "id_hiring_start_at", start.Format(time.DateOnly))
		e.Select(t, "id_answer", "Bienvenue dans l'équipe !")
		e.Click(t, "#hire-check")
		e.WaitForText(t, "Confirmer l'embauche")
		e.WaitForText(t, start.Format("02/01/2006"))
		e.CheckPageAccessibility(t)
		e.Click(t, "#hire-confirm")
		e.WaitForText(t, "Embauche déclarée")
		e.WaitForText(t, "L'embauche de Léa DUPONT est enregistrée")
		e.WaitForText(t, "Le PASS IAE du candidat est disponible")
		e.CheckPageAccessibility(t)
		// The candidature leads to its PASS IAE, whose page offers the hiring SIAE its certificate.
		e.Click(t, "#hire-details")
		e.WaitForText(t, "Voir le PASS IAE")
		e.Click(t, "#application-pass")
		e.WaitForText(t, "Afficher l'attestation")
		e.CheckPageAccessibility(t)
		e.CheckConsole(t)

		var hire struct {
			State  string `bun:"state"`
			Number string `bun:"number"`
		}
		if err := d.NewRaw(`SELECT ja.state, ap.number FROM job_application AS ja JOIN approval AS ap ON ap.id = ja.approval_id
			WHERE ja.job_seeker_id = ?`, js.ID).Scan(ctx, &hire); err != nil || hire.State != "accepted" || hire.Number == "" {
			t.Fatalf("candidature %+v, %v", hire, err)
		}
	})
}
