package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"emplois/internal/application"
	"emplois/internal/approval"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
)

func TestLoadDemo_PrintsEachLoginAndRunsTwiceSafely(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cfg := demoConfig(t)
		ctx := context.Background()
		var first, second bytes.Buffer
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &first); err != nil {
			t.Fatal(err)
		}
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &second); err != nil {
			t.Fatalf("second demo load: %v", err)
		}
		logins := func(out string) []string {
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "demo login: ") {
					lines = append(lines, l)
				}
			}
			return lines
		}
		got := logins(first.String())
		if len(got) < 2 || !strings.HasPrefix(got[0], "demo login: staff ") {
			t.Fatalf("demo logins = %q", got)
		}
		for _, l := range got {
			if len(strings.Fields(strings.TrimPrefix(l, "demo login: "))) != 3 {
				t.Errorf("%q is not `demo login: ROLE EMAIL PASSWORD`", l)
			}
		}
		if strings.Join(logins(second.String()), "\n") != strings.Join(got, "\n") {
			t.Errorf("second run printed other logins:\n%s", second.String())
		}
		if strings.Contains(second.String(), "reference data loaded") {
			t.Error("reference data was loaded again into a non-empty database")
		}
		n, err := d.NewSelect().Table("commune").Count(ctx)
		if err != nil || n < 20 {
			t.Errorf("demo communes = %d, %v", n, err)
		}
		// The ASP reference of the fiches salarié: a period for each commune, the countries.
		aspCommunes, err := d.NewSelect().Table("asp_commune").Count(ctx)
		if err != nil || aspCommunes != n {
			t.Errorf("ASP communes = %d for %d communes, %v", aspCommunes, n, err)
		}
		if countries, err := d.NewSelect().Table("asp_country").Count(ctx); err != nil || countries < 200 {
			t.Errorf("ASP countries = %d, %v", countries, err)
		}
	})
}

func TestLoadDemo_PutsCandidaturesOfEveryReachableStateInTheDemoInboxes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cfg := demoConfig(t)
		ctx := context.Background()
		var out bytes.Buffer
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "demo login: job_seeker candidat@demo.emplois.test ") {
			t.Errorf("the demo job seeker is not among the logins:\n%s", out.String())
		}
		var rows []struct {
			State string `bun:"state"`
			N     int    `bun:"n"`
		}
		err := d.NewSelect().TableExpr("job_application AS ja").ColumnExpr("ja.state, count(*) AS n").
			Join("JOIN company AS co ON co.id = ja.to_company_id").Where("co.email LIKE ?", "%.demo").
			GroupExpr("ja.state").Scan(ctx, &rows)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rows {
			got[r.State] = r.N
		}
		for _, s := range application.States {
			if got[string(s)] == 0 {
				t.Errorf("no demo candidature in state %s (states: %v)", s, got)
			}
		}
		// The timeline is real: every transition wrote its line.
		logs, err := d.NewSelect().TableExpr("job_application_transition_log").Count(ctx)
		if err != nil || logs < 12 {
			t.Errorf("timeline lines = %d, %v", logs, err)
		}
		var mine int64
		mine, err = d.NewSelect().TableExpr("job_application AS ja").Join("JOIN users AS u ON u.id = ja.job_seeker_id").
			Where("u.email = ?", "candidat@demo.emplois.test").Count(ctx)
		if err != nil || mine < 3 {
			t.Errorf("the demo job seeker has %d candidatures, %v", mine, err)
		}
		mails, err := d.NewSelect().TableExpr("mail_outbox").Count(ctx)
		if err != nil || mails == 0 {
			t.Errorf("mails of the demo candidatures = %d, %v", mails, err)
		}
		var again bytes.Buffer
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &again); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(again.String(), "candidatures created") {
			t.Errorf("a second demo load created candidatures again:\n%s", again.String())
		}
	})
}

func TestLoadDemo_GivesTheDemoHiresAPASSInEveryStateWithDiagnosisAndCandidature(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cfg := demoConfig(t)
		ctx := context.Background()
		var out bytes.Buffer
		svc := workerServices(t, cfg, d, workerTestLog)
		if err := loadDemo(ctx, svc, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "demo: 5 PASS IAE created") {
			t.Errorf("output:\n%s", out.String())
		}
		today := approval.Today(time.Now())
		for i, state := range approval.DemoStates() {
			email := jobseeker.DemoEmployees[i].Email
			var publicID string
			err := d.NewSelect().TableExpr("approval AS a").ColumnExpr("a.public_id").Join("JOIN users AS u ON u.id = a.user_id").
				Where("u.email = ?", email).Scan(ctx, &publicID)
			if err != nil {
				t.Fatalf("%s PASS: %v", state, err)
			}
			ap, err := svc.Approvals.Get(ctx, publicID)
			if err != nil {
				t.Fatal(err)
			}
			want := map[approval.DemoState]approval.State{approval.DemoValid: approval.StateValid, approval.DemoSuspended: approval.StateSuspended,
				approval.DemoProlonged: approval.StateValid, approval.DemoExpired: approval.StateExpired, approval.DemoFuture: approval.StateFuture}[state]
			if got := ap.State(today); got != want {
				t.Errorf("%s PASS is %s, want %s", state, got, want)
			}
			if ap.EligibilityDiagnosisID == nil || ap.Origin != approval.OriginDefault || !strings.HasPrefix(ap.Number, cfg.PASSPrefix) {
				t.Errorf("%s PASS: origin %s, diagnosis %v, number %s", state, ap.Origin, ap.EligibilityDiagnosisID, ap.Number)
			}
			linked, err := d.NewSelect().Table("job_application").Where("approval_id = ? AND eligibility_diagnosis_id = ?", ap.ID, *ap.EligibilityDiagnosisID).
				Where("state = 'accepted' AND approval_delivery_mode = 'automatic' AND hiring_start_at = ?", ap.StartAt).Count(ctx)
			if err != nil || linked != 1 {
				t.Errorf("%s PASS: %d accepted candidatures linked, %v", state, linked, err)
			}
			switch state {
			case approval.DemoProlonged:
				if len(ap.Prolongations) != 1 || !ap.Prolongations[0].EndAt.Equal(ap.EndAt) {
					t.Errorf("prolonged PASS: %d prolongations", len(ap.Prolongations))
				}
			case approval.DemoValid:
				req := ap.PendingRequest()
				if req == nil || req.PrescriberOrganizationID == nil || req.AssignedToID == nil {
					t.Fatalf("valid PASS: pending request %+v", req)
				}
				var assignee string
				if err := d.NewSelect().Table("users").Column("email").Where("id = ?", *req.AssignedToID).Scan(ctx, &assignee); err != nil || assignee != "prescripteur@demo.emplois.test" {
					t.Errorf("the request waits for %q, %v", assignee, err)
				}
			}
		}
		// The demo's own candidatures hired at the ACI and the EI got their PASS IAE at acceptance too.
		before, err := d.NewSelect().Table("approval").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		hired, err := d.NewSelect().Table("job_application").Where("approval_id IS NOT NULL AND state = 'accepted'").Count(ctx)
		if err != nil || before != hired || before <= 5 {
			t.Errorf("%d PASS for %d hires with a PASS, %v", before, hired, err)
		}
		var again bytes.Buffer
		if err := loadDemo(ctx, workerServices(t, cfg, d, workerTestLog), &again); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(again.String(), "PASS IAE created") {
			t.Errorf("a second demo load created PASS again:\n%s", again.String())
		}
		if n, err := d.NewSelect().Table("approval").Count(ctx); err != nil || n != before {
			t.Errorf("%d PASS after two demo loads, %v", n, err)
		}
	})
}

// demoConfig is the default configuration, its CVs kept in the test's folder.
func demoConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
	return cfg
}

func TestLoadDemo_GivesTheDemoHiresFichesSalariéInSeveralStatesAndAnASPToAnswerThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		svc := workerServices(t, demoConfig(t), d, workerTestLog)
		if err := loadDemo(ctx, svc, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "demo: 5 fiches salarié created") {
			t.Fatalf("demo output:\n%s", out.String())
		}
		var statuses []string
		if err := d.NewSelect().Table("employee_record").Column("status").Order("id").Scan(ctx, &statuses); err != nil {
			t.Fatal(err)
		}
		if strings.Join(statuses, ",") != "PROCESSED,REJECTED,READY,DISABLED,NEW" {
			t.Errorf("demo fiches %v", statuses)
		}
		// The READY one goes to the demo's ASP.
		if err := startDemoASP(ctx, svc, &out); err != nil {
			t.Fatal(err)
		}
		if err := svc.ASPExchange.Run(ctx, true, false); err != nil {
			t.Fatal(err)
		}
		if sent, err := d.NewSelect().Table("employee_record").Where("status = 'SENT'").Count(ctx); err != nil || sent != 1 {
			t.Fatalf("%d fiches sent, %v", sent, err)
		}
	})
}

func TestStartDemoAPIParticulier_TurnsTheCertificationOnUnlessARealAPIIsConfigured(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		svc := workerServices(t, demoConfig(t), d, workerTestLog)
		if svc.Certifier.Enabled() {
			t.Fatal("the certification is on without a token")
		}
		startDemoAPIParticulier(ctx, svc, &out)
		if !svc.Certifier.Enabled() || !strings.Contains(out.String(), "demo: API Particulier answers at http://127.0.0.1:") {
			t.Fatalf("enabled = %v, output:\n%s", svc.Certifier.Enabled(), out.String())
		}
		startDemoAPIParticulier(ctx, svc, &out)
		if n := strings.Count(out.String(), "demo: API Particulier answers"); n != 1 {
			t.Errorf("a second start replaced the configured API (%d starts)", n)
		}
	})
}

func TestStartDemoFranceTravail_NotifiesTheDemoPASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		svc := workerServices(t, demoConfig(t), d, workerTestLog)
		if err := loadDemo(ctx, svc, &out); err != nil {
			t.Fatal(err)
		}
		startDemoFranceTravail(ctx, svc, &out)
		if svc.PASSNotifier == nil || !strings.Contains(out.String(), "demo: France Travail's partner API answers at http://127.0.0.1:") {
			t.Fatalf("notifier = %v, output:\n%s", svc.PASSNotifier, out.String())
		}
		// The agent API certifies everyone's TH (approvals.md §2.5).
		if !svc.Certifier.FranceTravailEnabled() {
			t.Fatal("the demo does not certify TH")
		}
		outcome, user, err := svc.FranceTravail.SearchUser(ctx, francetravail.UserQuery{FTID: "12345678901"})
		if err != nil || outcome != francetravail.UserCertified {
			t.Fatalf("demo search: %v, %v", outcome, err)
		}
		if r, err := svc.FranceTravail.RQTH(ctx, user.Token); err != nil || !r.Valid || r.From == nil || r.Until != nil {
			t.Errorf("demo RQTH: %+v, %v; want valid without end", r, err)
		}
		// The demo's holders have no NIR: give one to the holder of a PASS that has started.
		var passID, holder int64
		err = d.NewSelect().Table("approval").Column("id", "user_id").Where("start_at <= ?", time.Now().AddDate(0, 0, -1)).
			OrderExpr("id").Limit(1).Scan(ctx, &passID, &holder)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.NewRaw("UPDATE job_seeker_profile SET nir = '185056912304564', lack_of_nir_reason = '' WHERE user_id = ?", holder).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		svc.PASSNotifier.Pause = 0
		if _, err := svc.PASSNotifier.Run(ctx); err != nil {
			t.Fatal(err)
		}
		var status string
		if err := d.NewRaw("SELECT pe_notification_status FROM approval WHERE id = ?", passID).Scan(ctx, &status); err != nil || status != "notification_success" {
			t.Errorf("the demo PASS with a NIR: %q, %v; want notification_success", status, err)
		}
	})
}
