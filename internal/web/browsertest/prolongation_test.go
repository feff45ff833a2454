package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// TestJourney_EmployerSuspendsAndAPrescriberGrantsAProlongation: the ACI that hired a job seeker
// with a PASS IAE ending in two months suspends it from ten days back, the person comes back to
// work today and the employer ends the suspension; then the employer asks a habilitated
// prescriber for a prolongation (« 50 ans et plus »). The prescriber opens the requests from the
// header, reads the request, looks at the refusal form, and grants it: the PASS now ends with
// the prolongation. axe checks every page (the suspension form also with its errors).
func TestJourney_EmployerSuspendsAndAPrescriberGrantsAProlongation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		const employerEmail, employerPassword = "karim.benali@example.org", "Tournesol-Atelier-Bleu-2026"
		const prescriberEmail, prescriberPassword = "paula.prescriptrice@example.org", "Boussole-Chemin-Vert-2026"
		co := seedEmployer(t, d, employerEmail, employerPassword)
		now := time.Now().UTC()
		today := approval.Today(now)
		js := seedUser(t, d, &account.User{Email: "lina.titulaire@example.org", Kind: account.JobSeeker, FirstName: "Lina", LastName: "Titulaire"}, "Pas-De-Mot-De-Passe-Utile-1")
		start := today.AddDate(0, 0, 60-approval.DefaultDays+1) // the PASS ends in 60 days
		pass := webtest.SeedPASS(t, d, js.ID, webtest.PASSSeed{Start: start, Birthdate: time.Date(1970, 5, 17, 0, 0, 0, 0, time.UTC), SIRET: co.SIRET, Kind: string(co.Kind)})
		if _, err := d.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state,
			hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'job_seeker', 'accepted', ?, ?, ?, 'automatic', ?, ?)`,
			uuid.NewString(), js.ID, co.ID, js.ID, start, now.Add(-time.Hour), pass.ID, now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		prescriber := seedUser(t, d, &account.User{Email: prescriberEmail, Kind: account.Professional, FirstName: "Paula", LastName: "Prescriptrice"}, prescriberPassword)
		var orgID int64
		if err := d.NewRaw(`INSERT INTO prescriber_organization (uid, siret, kind, name, authorization_status, created_at, updated_at)
			VALUES (?, '98765432100018', 'ML', 'Mission locale de Lyon', 'VALIDATED', ?, ?) RETURNING id`, uuid.NewString(), now, now).Scan(ctx, &orgID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.NewRaw(`INSERT INTO prescriber_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
			VALUES (?, ?, ?, TRUE, TRUE, ?, ?)`, prescriber.ID, orgID, now, now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		passPage := "/approvals/details/" + pass.PublicID
		e := StartWith(t, d, nil)

		// The employer suspends the PASS from ten days back; a start before the hire is refused.
		e.Navigate(t, "/accounts/login")
		e.login(t, employerEmail, employerPassword)
		e.WaitForPath(t, "/dashboard")
		e.Navigate(t, "/approvals/suspend/"+pass.PublicID)
		e.WaitForText(t, "Suspendre un PASS IAE")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_start_at", start.AddDate(0, 0, -1).Format(time.DateOnly))
		e.Select(t, "id_end_at", today.AddDate(0, 0, 20).Format(time.DateOnly))
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#suspension-submit")
		e.WaitForText(t, "La suspension doit commencer pendant la durée de validité du PASS IAE.")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_start_at", today.AddDate(0, 0, -10).Format(time.DateOnly))
		e.Click(t, `label[for="id_reason_CONTRACT_SUSPENDED"]`)
		// The PASS page is the detail page's room; until it is served the browser meets a 404.
		e.ExpectConsoleError("status of 404")
		e.Click(t, "#suspension-submit")
		e.WaitForPath(t, passPage)
		var suspensionID int64
		if err := d.NewRaw(`SELECT id FROM suspension WHERE approval_id = ?`, pass.ID).Scan(ctx, &suspensionID); err != nil {
			t.Fatalf("no suspension: %v", err)
		}

		// Back at work today: the employer ends the suspension.
		e.Navigate(t, fmt.Sprintf("/approvals/suspension/%d/action", suspensionID))
		e.WaitForText(t, "Mettre fin à la suspension ou la supprimer")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_action_end"]`)
		e.Select(t, "id_first_day_back", today.Format(time.DateOnly))
		e.ExpectConsoleError("status of 404")
		e.Click(t, "#suspension-action-submit")
		e.WaitForPath(t, passPage)

		// Then asks for a prolongation of 6 months for a person of 50 and more.
		e.Navigate(t, "/approvals/declare_prolongation/"+pass.PublicID)
		e.WaitForText(t, "Prolonger un PASS IAE")
		e.CheckPageAccessibility(t)
		var end time.Time
		if err := d.NewRaw(`SELECT end_at FROM approval WHERE id = ?`, pass.ID).Scan(ctx, &end); err != nil {
			t.Fatal(err)
		}
		if want := pass.EndAt.AddDate(0, 0, 9); !approval.Today(end).Equal(want) {
			t.Errorf("after the suspension, the PASS ends on %s, want %s", end, want)
		}
		newEnd := approval.Today(end).AddDate(0, 6, 0)
		e.Click(t, `label[for="id_reason_SENIOR"]`)
		e.Select(t, "id_end_at", newEnd.Format(time.DateOnly))
		e.Fill(t, "id_prescriber_email", prescriberEmail)
		e.Select(t, "id_reason_explanation", "Madame Titulaire poursuit sa formation de cariste.")
		e.Click(t, "#prolongation-submit")
		// The preview recalls the request; « Modifier » brings the filled form back, and
		// « Valider » sends it (§2.11: form → preview → save).
		e.WaitForText(t, "Vérifier la prolongation")
		e.WaitForText(t, "Madame Titulaire poursuit sa formation de cariste.")
		e.CheckPageAccessibility(t)
		e.Click(t, "#prolongation-edit")
		e.WaitForText(t, "Prolonger un PASS IAE")
		e.Click(t, "#prolongation-submit")
		e.WaitForText(t, "Vérifier la prolongation")
		e.ExpectConsoleError("status of 404")
		e.Click(t, "#prolongation-confirm")
		e.WaitForPath(t, passPage)
		e.CheckConsole(t)

		// The prescriber finds the request from the header and grants it.
		e.switchUser(t, prescriberEmail, prescriberPassword)
		e.Click(t, "#header-prolongations-link")
		e.WaitForPath(t, "/approvals/prolongation/requests")
		e.WaitForText(t, "1 demande de prolongation.")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Lina Titulaire")
		e.WaitForText(t, "Madame Titulaire poursuit sa formation de cariste.")
		e.CheckPageAccessibility(t)
		e.Click(t, "#deny-link")
		e.WaitForText(t, "Refuser une demande de prolongation")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Annuler")
		e.WaitForText(t, "Votre décision")
		e.Click(t, "#grant-button")
		e.WaitForText(t, "La prolongation est acceptée")
		e.CheckPageAccessibility(t)
		if !strings.Contains(strings.ToLower(e.bodyText()), "acceptée") { // the DSFR badge is in capitals
			t.Error("the request page does not say it was granted")
		}
		if err := d.NewRaw(`SELECT end_at FROM approval WHERE id = ?`, pass.ID).Scan(ctx, &end); err != nil {
			t.Fatal(err)
		}
		if !approval.Today(end).Equal(newEnd) {
			t.Errorf("after the grant, the PASS ends on %s, want %s", end, newEnd)
		}
		e.CheckConsole(t)
	})
}
