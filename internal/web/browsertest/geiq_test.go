package browsertest

import (
	"context"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_JobSeekerSignsUpAppliesToAGEIQWhichHiresThem: a job seeker signs up in the five
// steps of actors.md §10.1, opens the verification link, gives the address the dashboard asks
// for, then presses « Postuler » on a GEIQ's fiche de poste and applies alone (no CV). The
// GEIQ's employer finds the candidature in the inbox, opens it and accepts it with the GEIQ
// contract fields (applications.md §3.5); the job seeker then reads « Candidature acceptée » in
// their list. axe checks every page on the way.
func TestJourney_JobSeekerSignsUpAppliesToAGEIQWhichHiresThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, _ := demoReference(t, d)
		const employerEmail, employerPassword = "sonia@geiq-rhone.demo", "Chantier-Grue-Truelle-2026"
		const email, password = "lea.dupont@example.org", "Jardin-Potager-Soleil-42"
		co := seedCompanyAt(t, d, org.GEIQ, "GEIQ BTP Rhône", "69259", 910)
		employer := seedUser(t, d, &account.User{Email: employerEmail, Kind: account.Professional, FirstName: "Sonia", LastName: "Haddad"}, employerPassword)
		seedMember(t, d, co, employer)
		fiche := seedFiche(t, d, cfg, employer, co, jobdesc.Input{Appellation: "Auxiliaire de vie",
			ContractType: string(jobdesc.ProfessionalTraining), OpenPositions: "1"})

		e := StartWith(t, d, nil)
		e.signUpJobSeeker(t, email, password)
		e.Navigate(t, lastLink(t, d, email, anyVerifyLink))
		e.WaitForPath(t, "/accounts/login")
		e.login(t, email, password)

		// The dashboard asks for the address first (actors.md §10.1 step 6).
		e.WaitForPath(t, "/dashboard/edit_user_info")
		e.fillAddress(t)
		e.Select(t, "id_lack_of_pole_emploi_id_reason", "NOT_REGISTERED")
		e.Click(t, "#profile-submit")
		e.WaitForPath(t, "/dashboard")
		e.CheckPageAccessibility(t)

		// « Postuler » on the fiche de poste's card: the tunnel of a job seeker alone.
		e.Navigate(t, jobdesc.CardPath(fiche.UID))
		e.CheckPageAccessibility(t)
		e.Click(t, "#apply-button")
		e.applyFromTheJobsStep(t, fiche.UID, "Je souhaite me former au métier d'auxiliaire de vie en alternance.", "", false)

		// The GEIQ's employer finds it in the inbox and hires with the GEIQ contract fields.
		e.switchUser(t, employerEmail, employerPassword)
		e.Navigate(t, application.InboxPath)
		e.WaitForText(t, "Léa DUPONT")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Léa DUPONT")
		e.WaitForText(t, "Je souhaite me former au métier d'auxiliaire de vie en alternance.")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Accepter")
		e.WaitForText(t, "Accepter la candidature de Léa DUPONT")
		e.CheckPageAccessibility(t)
		e.Select(t, "id_hiring_start_at", time.Now().AddDate(0, 0, 7).Format("2006-01-02"))
		e.Select(t, "id_hiring_end_at", time.Now().AddDate(1, 0, 7).Format("2006-01-02"))
		e.Select(t, "id_hired_job", fiche.UID)
		e.Select(t, "id_contract_type", string(application.ContractProfessionalTraining))
		e.Fill(t, "id_nb_hours_per_week", "35")
		e.Select(t, "id_qualification_type", string(application.QualificationCQP))
		e.Select(t, "id_qualification_level", string(application.Level4))
		e.Fill(t, "id_planned_training_hours", "400")
		e.ClickText(t, "Suivant")
		e.WaitForText(t, "Étape 2 sur 2")
		e.CheckPageAccessibility(t)
		// « Modifier » brings the contract back as typed.
		e.Click(t, "#accept-edit")
		e.WaitForText(t, "Étape 1 sur 2")
		if got := Eval[string](t, e, `document.getElementById("id_nb_hours_per_week").value + " " + document.getElementById("id_hired_job").value`); got != "35 "+fiche.UID {
			t.Fatalf("after « Modifier », hours and fiche are %q", got)
		}
		e.ClickText(t, "Suivant")
		e.WaitForText(t, "Étape 2 sur 2")
		e.ClickText(t, "Confirmer l'embauche")
		e.WaitForText(t, "Candidature acceptée !")
		e.CheckPageAccessibility(t)

		// The job seeker reads the answer in their list.
		e.switchUser(t, email, password)
		e.Navigate(t, application.JobSeekerListPath)
		e.WaitForText(t, "GEIQ BTP Rhône")
		e.WaitForText(t, "Candidature acceptée")
		e.CheckPageAccessibility(t)

		var state string
		var hours, training int
		if err := d.NewRaw("SELECT state, nb_hours_per_week, planned_training_hours FROM job_application WHERE to_company_id = ?", co.ID).
			Scan(ctx, &state, &hours, &training); err != nil {
			t.Fatal(err)
		}
		if state != "accepted" || hours != 35 || training != 400 {
			t.Fatalf("candidature %s, %d h a week, %d h of training", state, hours, training)
		}
	})
}
