package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// seedPASS gives js a profile (born on 17 May 1990, France Travail id 12345678901), a
// prescriber's diagnosis and a PASS IAE from start, through the domain service.
func seedPASS(t *testing.T, d *db.DB, js *account.User, start time.Time) *approval.Approval {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	if _, err := d.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, pole_emploi_id, updated_at) VALUES (?, ?, ?, '12345678901', ?)`,
		js.ID, fmt.Sprintf("%030d", js.ID), time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var diagnosis int64
	if err := d.NewRaw(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at)
		VALUES (?, 'prescriber', ?, ?, ?) RETURNING id`, js.ID, now.AddDate(0, 6, 0), now, now).Scan(ctx, &diagnosis); err != nil {
		t.Fatal(err)
	}
	var pass *approval.Approval
	if err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		pass, err = approval.NewService(d, "99999").Issue(ctx, tx, approval.IssueInput{UserID: js.ID, StartAt: start,
			EligibilityDiagnosisID: diagnosis, OriginSIAESIRET: "12345678900001", OriginSIAEKind: "ACI", OriginSenderKind: "job_seeker"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return pass
}

// TestJourney_AnyoneVerifiesAPASSOnThePublicPage: a visitor types a PASS IAE number as printed
// (spaced, lower case) and the holder's birth date, and reads that it is valid and until when;
// a wrong birth date tells nothing. axe checks both answers.
func TestJourney_AnyoneVerifiesAPASSOnThePublicPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		js := seedUser(t, d, &account.User{Email: "titulaire@example.org", Kind: account.JobSeeker, FirstName: "Lina", LastName: "Titulaire"}, "Pas-De-Mot-De-Passe-Utile-1")
		pass := seedPASS(t, d, js, time.Now().UTC().AddDate(0, -1, 0))
		e := StartWith(t, d, nil)

		e.Navigate(t, "/")
		e.ClickText(t, "Vérifier un PASS IAE")
		e.WaitForPath(t, "/pass-iae/verify")
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_number", strings.ToLower(pass.DisplayNumber()))
		e.Select(t, "id_birthdate", "1990-05-17") // a date input takes its value as YYYY-MM-DD
		e.Click(t, "#verify-submit")
		e.WaitForText(t, "Le PASS IAE "+pass.DisplayNumber()+" est valide jusqu'au")
		e.CheckPageAccessibility(t)

		e.Select(t, "id_birthdate", "1990-05-18")
		e.Click(t, "#verify-submit")
		e.WaitForText(t, "Aucun PASS IAE ne correspond à ce numéro et à cette date de naissance.")
		e.CheckPageAccessibility(t)
	})
}
