package seed_test

import (
	"testing"

	"emplois/internal/approval"
	"emplois/internal/platform/db"
	"emplois/internal/seed"
)

// checkPASS checks the PASS IAE of a small data set seeded on day: the states in their shares,
// the diagnosis and candidature of every PASS issued here, unique numbers above which the next
// issuance continues, and candidatures waiting whose acceptance would issue a PASS.
func checkPASS(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := t.Context()
	total := count(t, d, "SELECT COUNT(*) FROM approval")
	if total != seed.Small.Approvals {
		t.Fatalf("%d PASS, want %d", total, seed.Small.Approvals)
	}
	states := []struct {
		what          string
		query         string
		share, margin float64
	}{
		{"expired", "SELECT COUNT(*) FROM approval WHERE end_at < ?", 0.30, 0.05},
		{"not started", "SELECT COUNT(*) FROM approval WHERE start_at > ?", 0.05, 0.02},
		{"suspended", "SELECT COUNT(DISTINCT approval_id) FROM suspension WHERE start_at <= ? AND end_at >= ?", 0.05, 0.01},
		{"prolonged and valid", "SELECT COUNT(DISTINCT p.approval_id) FROM prolongation p JOIN approval a ON a.id = p.approval_id WHERE a.end_at >= ?", 0.05, 0.01},
		{"valid, in progress, neither suspended nor prolonged", `SELECT COUNT(*) FROM approval a WHERE a.start_at <= ? AND a.end_at >= ?
			AND NOT EXISTS (SELECT 1 FROM suspension s WHERE s.approval_id = a.id AND s.start_at <= ? AND s.end_at >= ?)
			AND NOT EXISTS (SELECT 1 FROM prolongation p WHERE p.approval_id = a.id)`, 0.55, 0.07},
		{"expired within their waiting period", "SELECT COUNT(*) FROM approval WHERE end_at < ? AND end_at >= ?", 0.17, 0.12},
		{"expired beyond their waiting period", "SELECT COUNT(*) FROM approval WHERE end_at < ?", 0.06, 0.05},
	}
	for _, s := range states {
		var args []any
		switch s.what {
		case "valid, in progress, neither suspended nor prolonged":
			args = []any{day, day, day, day}
		case "suspended":
			args = []any{day, day}
		case "expired within their waiting period":
			args = []any{day, day.AddDate(-approval.WaitingYears, 0, 0)}
		case "expired beyond their waiting period":
			args = []any{day.AddDate(-approval.WaitingYears, 0, 0)}
		default:
			args = []any{day}
		}
		got := float64(count(t, d, s.query, args...)) / float64(total)
		if got < s.share-s.margin || got > s.share+s.margin {
			t.Errorf("%s: %.1f %% of the PASS, want %.0f ± %.0f %%", s.what, 100*got, 100*s.share, 100*s.margin)
		}
	}
	checks := []struct {
		what  string
		query string
		want  int
	}{
		{"default-origin PASS without diagnosis", "SELECT COUNT(*) FROM approval WHERE origin IN ('default', 'admin') AND eligibility_diagnosis_id IS NULL", 0},
		{"imported PASS with a diagnosis", "SELECT COUNT(*) FROM approval WHERE origin IN ('ai_stock', 'pe_approval') AND eligibility_diagnosis_id IS NOT NULL", 0},
		{"default-origin PASS without their accepted SIAE candidature", `SELECT COUNT(*) FROM approval a WHERE a.origin = 'default' AND NOT EXISTS (
			SELECT 1 FROM job_application ja JOIN company co ON co.id = ja.to_company_id
			WHERE ja.approval_id = a.id AND ja.state = 'accepted' AND ja.eligibility_diagnosis_id = a.eligibility_diagnosis_id
			AND co.kind IN ('AI', 'ACI', 'EI', 'EITI', 'ETTI') AND ja.approval_delivery_mode = 'automatic')`, 0},
		{"PASS of a candidature whose hire starts outside it", `SELECT COUNT(*) FROM job_application ja JOIN approval a ON a.id = ja.approval_id
			WHERE ja.hiring_start_at < a.start_at OR ja.hiring_start_at > a.end_at`, 0},
		{"diagnoses of a PASS not valid on its hiring day", `SELECT COUNT(*) FROM job_application ja JOIN eligibility_diagnosis ed ON ed.id = ja.eligibility_diagnosis_id
			WHERE ed.expires_at <= ja.hiring_start_at AND ja.approval_id IN (SELECT id FROM approval WHERE start_at = ja.hiring_start_at)`, 0},
		{"employer diagnoses without a level-1 criterion", `SELECT COUNT(*) FROM eligibility_diagnosis ed WHERE ed.author_kind = 'employer' AND NOT EXISTS (
			SELECT 1 FROM selected_administrative_criteria sc WHERE sc.eligibility_diagnosis_id = ed.id AND sc.administrative_criteria_id <= 4)`, 0},
		{"job seekers with two valid PASS", "SELECT COUNT(*) FROM (SELECT user_id FROM approval WHERE end_at >= ? GROUP BY user_id HAVING COUNT(*) > 1) x", 0},
		{"duplicate numbers", "SELECT COUNT(*) - COUNT(DISTINCT number) FROM approval", 0},
		{"suspensions outside their PASS or starting after the day", `SELECT COUNT(*) FROM suspension s JOIN approval a ON a.id = s.approval_id
			WHERE s.start_at < a.start_at OR s.end_at > a.end_at OR s.start_at > ?`, 0},
		{"prolongations not ending their PASS", `SELECT COUNT(*) FROM prolongation p JOIN approval a ON a.id = p.approval_id WHERE p.end_at <> a.end_at`, 0},
	}
	for _, c := range checks {
		var args []any
		if c.what == "job seekers with two valid PASS" || c.what == "suspensions outside their PASS or starting after the day" {
			args = []any{day}
		}
		if got := count(t, d, c.query, args...); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	for _, origin := range []approval.Origin{approval.OriginAIStock, approval.OriginPEApproval} {
		if got := count(t, d, "SELECT COUNT(*) FROM approval WHERE origin = ? AND number NOT LIKE ?", origin, seed.DefaultPASSPrefix+"%"); got == 0 {
			t.Errorf("no %s PASS with a number outside the prefix", origin)
		}
	}
	if got := count(t, d, "SELECT COUNT(*) FROM prolongation_request WHERE status = 'PENDING' AND assigned_to_id IS NOT NULL"); got == 0 {
		t.Error("no pending prolongation request")
	}
	// The next PASS issued continues after the highest number seeded (§2.7).
	var highest string
	if err := d.NewRaw("SELECT MAX(number) FROM approval WHERE number LIKE ?", seed.DefaultPASSPrefix+"%").Scan(ctx, &highest); err != nil {
		t.Fatal(err)
	}
	next, err := approval.NextNumber(seed.DefaultPASSPrefix, highest)
	if err != nil || next <= highest || count(t, d, "SELECT COUNT(*) FROM approval WHERE number >= ?", next) != 0 {
		t.Errorf("next number after %s: %s, %v", highest, next, err)
	}
	// Candidatures waiting at an SIAE whose job seeker has a NIR, a valid prescriber diagnosis
	// and no PASS: accepting them issues one.
	eligible := count(t, d, `SELECT COUNT(*) FROM job_application ja JOIN company co ON co.id = ja.to_company_id
		JOIN job_seeker_profile p ON p.user_id = ja.job_seeker_id
		WHERE ja.state IN ('new', 'processing') AND co.kind IN ('AI', 'ACI', 'EI', 'EITI', 'ETTI') AND p.nir IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM approval a WHERE a.user_id = ja.job_seeker_id)
		AND EXISTS (SELECT 1 FROM eligibility_diagnosis ed WHERE ed.job_seeker_id = ja.job_seeker_id AND ed.author_kind = 'prescriber' AND ed.expires_at > ?)`, day)
	if eligible < 100 {
		t.Errorf("%d waiting SIAE candidatures whose acceptance issues a PASS, want at least 100", eligible)
	}
}
