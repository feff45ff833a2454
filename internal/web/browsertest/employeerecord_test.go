package browsertest

import (
	"context"
	"testing"
	"time"

	"emplois/internal/asp"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

// TestJourney_EmployerCompletesAFicheSalarié: the admin of an ACI opens its fiches salarié
// from the dashboard, creates the fiche of an employee hired on a PASS IAE and walks the five
// steps to « Complétée ». axe checks the list and every step.
func TestJourney_EmployerCompletesAFicheSalarié(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		if err := asp.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		co, _ := seedHireWithPASS(t, d)
		now := time.Now().UTC()
		if _, err := d.NewRaw(`INSERT INTO siae_financial_annex (number, state, start_at, end_at, convention_id, created_at, updated_at)
			VALUES ('ACI069190001A1M0', 'VALIDE', ?, ?, ?, ?, ?)`, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0), *co.ConventionID, now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, hireEmployerEmail, hireEmployerPassword)
		e.WaitForPath(t, "/dashboard")
		e.Click(t, "#dashboard-employee-records-link")
		e.WaitForPath(t, "/employee_record/list")
		e.CheckPageAccessibility(t)
		e.Click(t, "#er-add")
		e.WaitForText(t, "Léa Durand")
		e.ClickText(t, "Créer la fiche")

		e.WaitForText(t, "Étape 1 sur 5")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_title", "MME")
		e.Select(t, "id_birth_country", "99350")
		e.Fill(t, "id_ntt", "2123456789AB")
		e.Click(t, "#er-wizard-submit")

		e.WaitForText(t, "Étape 2 sur 5")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_hexa_lane_number", "12")
		e.Select(t, "id_hexa_lane_type", "RUE")
		e.Fill(t, "id_hexa_lane_name", "des Serres")
		e.Fill(t, "id_hexa_post_code", "69003")
		e.Fill(t, "id_hexa_commune", "69123")
		e.Click(t, "#er-wizard-submit")

		e.WaitForText(t, "Étape 3 sur 5")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_education_level", "40")
		e.Select(t, "id_has_rsa_allocation", "NON")
		e.Click(t, "#er-wizard-submit")

		e.WaitForText(t, "Étape 4 sur 5")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for^="er-annex-"]`)
		e.Click(t, "#er-wizard-submit")

		e.WaitForText(t, "Étape 5 sur 5")
		e.CheckPageAccessibility(t)
		e.CheckReflow(t)
		e.Click(t, "#er-wizard-submit")
		e.WaitForText(t, "La fiche salarié est complétée")
		e.WaitForText(t, "Complétée")
	})
}
