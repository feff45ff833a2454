package approval_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/web/webtest"
)

// issuePASS gives js a profile, a diagnosis and a PASS IAE from start (webtest.SeedPASS), hired
// by an ACI.
func issuePASS(t *testing.T, site *webtest.Site, js *account.User, start time.Time) *approval.Approval {
	return issuePASSFrom(t, site, js, start, org.ACI)
}

// issuePASSFrom is issuePASS for an SIAE of kind.
func issuePASSFrom(t *testing.T, site *webtest.Site, js *account.User, start time.Time, kind org.CompanyKind) *approval.Approval {
	t.Helper()
	return webtest.SeedPASS(t, site.DB, js.ID, webtest.PASSSeed{Start: start, Kind: string(kind)})
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
