package approval_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/web/webtest"
)

// issuePASS gives js a profile (born on 17 May 1990, France Travail id 12345678901), a
// prescriber's diagnosis and a PASS IAE from start, through the domain service.
func issuePASS(t *testing.T, site *webtest.Site, js *account.User, start time.Time) *approval.Approval {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	born := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	if _, err := site.DB.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, pole_emploi_id, updated_at) VALUES (?, ?, ?, '12345678901', ?)`,
		js.ID, uuid.NewString()[:30], born, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	diagnosis := diagnosisOf(t, site, js)
	var pass *approval.Approval
	err := site.DB.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		pass, err = site.Services.Approvals.Issue(ctx, tx, approval.IssueInput{UserID: js.ID, StartAt: start,
			EligibilityDiagnosisID: diagnosis, OriginSIAESIRET: "12345678900001", OriginSIAEKind: "ACI", OriginSenderKind: "job_seeker"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pass
}

// candidature stores a candidature of js to co in state (accepted: hired from a month ago with
// pass, nil for none), and returns its public id.
func candidature(t *testing.T, site *webtest.Site, js *account.User, co *org.Company, state string, pass *approval.Approval) string {
	t.Helper()
	now := time.Now().UTC()
	var processed, start *time.Time
	var passID *int64
	mode := ""
	if state == "accepted" {
		s := now.AddDate(0, -1, 0)
		processed, start, mode = &now, &s, "automatic"
		if pass != nil {
			passID = &pass.ID
		}
	}
	id := uuid.NewString()
	if _, err := site.DB.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state, hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', ?, ?, ?, ?, ?, ?, ?)`, id, js.ID, co.ID, js.ID, state, start, processed, passID, mode, now, now).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return id
}
