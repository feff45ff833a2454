package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"emplois/internal/jobdesc"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_PrescriberCreatesAJobSeekerByProxyAndAppliesWithACV: the habilitated prescriber
// of the demo presses « Postuler pour un candidat » on a fiche de poste, searches the person by
// NIR (not found), then by e-mail (not found), creates the account in three steps, comes back
// into the tunnel, keeps the fiche, writes the message, uploads a PDF CV, confirms and reaches
// the end page. axe checks every page of the tunnel.
func TestJourney_PrescriberCreatesAJobSeekerByProxyAndAppliesWithACV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		prescriber, co, fiche := demoPrescriberAndFiche(t, d)
		cv := filepath.Join(t.TempDir(), "cv.pdf")
		head, obj := "%PDF-1.4\n", "1 0 obj\n<< /Type /Catalog >>\nendobj\n"
		body := head + obj + fmt.Sprintf("xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n",
			len(head), len(head)+len(obj))
		if err := os.WriteFile(cv, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}

		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, prescriber.Email, prescriber.Password)
		e.WaitForPath(t, "/dashboard")

		e.Navigate(t, jobdesc.CardPath(fiche.UID))
		e.Click(t, "#apply-button")
		e.WaitForPath(t, "/job-seekers/search")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_nir", "1 85 05 78 006 084 91")
		e.Click(t, "#job-seeker-nir-submit")
		e.WaitForPath(t, "/job-seekers/search/email")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_email", "jean.dupont@example.org")
		e.Click(t, "#job-seeker-email-submit")
		e.WaitForText(t, "Étape 1 sur 4")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_title_M"]`)
		e.Fill(t, "id_first_name", "Jean")
		e.Fill(t, "id_last_name", "Dupont")
		e.do(t, "birth date", chromedp.SetValue(chromedp.ID("id_birthdate"), "1985-05-20"))
		e.Select(t, "id_birth_country", "99109")
		e.Click(t, "#job-seeker-create-submit")
		e.WaitForText(t, "Étape 2 sur 4")
		e.fillAddress(t)
		e.Click(t, "#job-seeker-create-submit")
		e.WaitForText(t, "Étape 3 sur 4")
		e.Select(t, "id_lack_of_pole_emploi_id_reason", "NOT_REGISTERED")
		e.Select(t, "id_has_rsa_allocation", "NON")
		e.Click(t, "#job-seeker-create-submit")
		e.WaitForText(t, "Étape 4 sur 4")
		e.Click(t, "#job-seeker-create-submit")

		// Back in the tunnel: a new person has no candidature, so the jobs come first, with the
		// fiche of the card already chosen.
		e.WaitForText(t, "Sélectionner les métiers recherchés")
		e.WaitForText(t, "Jean DUPONT")
		e.applyFromTheJobsStep(t, fiche.UID, "Jean cherche un poste d'auxiliaire de vie près de Lyon.", cv, true)
		e.WaitForText(t, "La candidature de Jean DUPONT est envoyée")

		var n int
		var resume, kind string
		if err := d.NewRaw("SELECT COUNT(*), MAX(resume_key), MAX(sender_kind) FROM job_application WHERE to_company_id = ?", co.ID).
			Scan(ctx, &n, &resume, &kind); err != nil {
			t.Fatal(err)
		}
		if n != 1 || resume == "" || kind != "prescriber" {
			t.Fatalf("%d candidatures, CV %q, sender %q", n, resume, kind)
		}
	})
}

// applyFromTheJobsStep walks a tunnel from its jobs step, where the fiche of the card must be
// checked already: the eligibility step of an authorized prescriber when eligibility (validated
// with no criterion), the message, the CV when cv is a file's path, the confirmation, up to the
// end page. axe checks each page.
func (e *Env) applyFromTheJobsStep(t *testing.T, ficheUID, message, cv string, eligibility bool) {
	t.Helper()
	e.WaitForText(t, "Sélectionner les métiers recherchés")
	e.CheckPageAccessibility(t)
	if !Eval[bool](t, e, `document.querySelector('input[name="jobs"][value="`+ficheUID+`"]').checked`) {
		t.Fatal("the fiche of the card is not preselected")
	}
	e.Click(t, "#apply-submit")
	if eligibility {
		e.WaitForText(t, "Valider l'éligibilité IAE de")
		e.CheckPageAccessibility(t)
		e.Click(t, "#iae-submit")
	}
	e.WaitForText(t, "Étape 3 sur 4") // « Message et CV » is also the jobs step's next title
	e.WaitForText(t, "Message et CV")
	e.CheckPageAccessibility(t)
	e.do(t, "type the message", chromedp.SendKeys(chromedp.ID("id_message"), message))
	if cv != "" {
		e.do(t, "upload the CV", chromedp.SetUploadFiles(chromedp.ID("id_resume"), []string{cv}))
	}
	e.Click(t, "#apply-submit")
	e.WaitForText(t, "Envoyer la candidature")
	if cv != "" {
		e.WaitForText(t, "Joint à la candidature")
	}
	e.CheckPageAccessibility(t)
	e.Click(t, "#apply-submit")
	e.WaitForText(t, "Candidature envoyée")
	e.CheckPageAccessibility(t)
}
