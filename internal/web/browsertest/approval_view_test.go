package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// TestJourney_EmployerSeesThePASSWithItsCertificate: an SIAE employer whose company hired a
// job seeker with a PASS IAE opens the list of its PASS from the dashboard, filters it, opens
// the PASS, its certificate, and downloads the PDF. axe checks the list, the PASS page and the
// certificate.
// The employer of seedHireWithPASS.
const hireEmployerEmail, hireEmployerPassword = "karim.benali@example.org", "Tournesol-Atelier-Bleu-2026"

// seedHireWithPASS is an ACI under convention (seedEmployer, its admin logs in with
// hireEmployerEmail) that hired Léa Durand a month ago on a PASS IAE.
func seedHireWithPASS(t *testing.T, d *db.DB) (*org.Company, *approval.Approval) {
	t.Helper()
	co := seedEmployer(t, d, hireEmployerEmail, hireEmployerPassword)
	js := seedUser(t, d, &account.User{Email: "lea@example.org", Kind: account.JobSeeker, FirstName: "Léa", LastName: "Durand"}, "Pas-De-Mot-De-Passe-Utile-1")
	pass := webtest.SeedPASS(t, d, js.ID, webtest.PASSSeed{Start: time.Now().UTC().AddDate(0, -1, 0)})
	now := time.Now().UTC()
	if _, err := d.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state, hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', 'accepted', ?, ?, ?, 'automatic', ?, ?)`, uuid.NewString(), js.ID, co.ID, js.ID, pass.StartAt, now, pass.ID, now, now).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return co, pass
}

func TestJourney_EmployerSeesThePASSWithItsCertificate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		_, pass := seedHireWithPASS(t, d)
		e := StartWith(t, d, nil)

		e.Navigate(t, "/accounts/login")
		e.login(t, hireEmployerEmail, hireEmployerPassword)
		e.WaitForPath(t, "/dashboard")
		e.Click(t, "#dashboard-pass-list-link")
		e.WaitForPath(t, "/approvals/list")
		e.WaitForText(t, "1 PASS IAE")
		e.CheckPageAccessibility(t)
		e.Select(t, "list-state", "EXPIRED")
		e.Click(t, "#list-apply")
		e.WaitForText(t, "Aucun PASS IAE ne correspond à ces filtres.")
		e.Click(t, "#list-reset")
		e.WaitForText(t, "1 PASS IAE")

		e.ClickText(t, "Léa Durand")
		e.WaitForPath(t, "/approvals/details/"+pass.PublicID)
		e.WaitForText(t, pass.DisplayNumber())
		e.CheckPageAccessibility(t)
		e.CheckReflow(t)

		// The certificate opens in a new tab: follow its address in this one.
		e.Navigate(t, Eval[string](t, e, `document.querySelector("#approval-certificate").getAttribute("href")`))
		e.WaitForPath(t, "/approvals/display/"+pass.PublicID)
		e.WaitForText(t, "Attestation de délivrance d'agrément pour Léa Durand")
		e.WaitForText(t, "Imprimer ce PASS IAE") // shown by print.js
		e.CheckPageAccessibility(t)

		// The PDF, downloaded with the session of the page.
		Eval[bool](t, e, `(fetch(document.querySelector("#certificate-pdf").href).then(async r => {
			const b = new Uint8Array(await r.arrayBuffer());
			window.pdfDownload = r.status + " " + r.headers.get("Content-Type") + " " + String.fromCharCode(...b.slice(0, 5));
		}), true)`)
		e.waitFor(t, "the PDF", `window.pdfDownload === "200 application/pdf %PDF-"`)
	})
}
