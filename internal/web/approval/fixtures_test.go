package approval_test

import (
	"testing"
	"time"

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
