package application

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

// withNIR gives the job seeker a profile with a NIR, so that France Travail can check who they
// are (approvals.md §2.8-5).
func (f *fixture) withNIR(js *account.User) {
	f.t.Helper()
	f.seq++
	_, err := f.d.NewRaw(`INSERT INTO job_seeker_profile (user_id, nir, asp_uid, updated_at) VALUES (?, ?, ?, ?)`,
		js.ID, fmt.Sprintf("1850569123%05d", f.seq), fmt.Sprintf("%030d", js.ID), f.clk.Now()).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
}

// diagnosed records a valid diagnosis of the job seeker by a new habilitated prescriber.
func (f *fixture) diagnosed(js *account.User) *eligibility.Diagnosis {
	f.t.Helper()
	d, err := f.svc.Eligibility.CreateIAE(context.Background(), f.prescriber(true), js.PublicID, nil, eligibility.CreateOptions{})
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// level1 are the keys of the level 1 IAE criteria, in the catalog's order.
func (f *fixture) level1() []string {
	f.t.Helper()
	cat, err := f.svc.Eligibility.Catalog(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	var keys []string
	for _, c := range cat.IAE {
		if c.Level == eligibility.Level1 {
			keys = append(keys, c.Key())
		}
	}
	return keys
}

// eligible is the usual hire: a NIR and a prescriber's diagnosis.
func (f *fixture) eligible(js *account.User) {
	f.withNIR(js)
	f.diagnosed(js)
}

// pass gives the job seeker a PASS IAE over these days, on a diagnosis of theirs.
func (f *fixture) pass(js *account.User, start, end time.Time) *approval.Approval {
	f.t.Helper()
	ctx := context.Background()
	d, err := f.svc.Eligibility.LastConsideredValid(ctx, f.d, js.ID, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	if d == nil {
		d = f.diagnosed(js)
	}
	var a *approval.Approval
	err = f.d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err = f.svc.Approvals.Issue(ctx, tx, approval.IssueInput{UserID: js.ID, StartAt: start, EligibilityDiagnosisID: d.ID})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.d.NewUpdate().Model(a).Set("end_at = ?", end).WherePK().Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	a.EndAt = end
	return a
}

func (f *fixture) passOf(app *Application) *approval.Approval {
	f.t.Helper()
	got := f.reload(app.PublicID)
	if got.ApprovalID == nil {
		return nil
	}
	a, err := approval.ByID(context.Background(), f.d, *got.ApprovalID)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) mailSubjects() []string {
	var out []string
	for _, m := range f.mails() {
		out = append(out, m.Subject)
	}
	return out
}

func TestScenario1_AnACIAcceptingAnEligiblePersonIssuesAPASSOf730DaysAndMailsIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		app := f.submit(jsa, js, co)
		f.clearMails()
		start := Day(f.clk.Now()).AddDate(0, 0, 3)
		acc, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &start})
		if err != nil {
			t.Fatal(err)
		}
		if acc.ApprovalDeliveryMode != DeliveryAutomatic || acc.ApprovalNumberSentAt == nil || acc.EligibilityDiagnosisID == nil {
			t.Errorf("accepted %+v", acc)
		}
		p := f.passOf(app)
		if p == nil || p.Number != "999990000001" || !p.StartAt.Equal(start) || !p.EndAt.Equal(start.AddDate(0, 0, 729)) ||
			p.Origin != approval.OriginDefault || p.OriginSIAEKind != "ACI" || p.OriginSenderKind != "job_seeker" ||
			p.OriginSIAESIRET == nil || *p.OriginSIAESIRET != co.SIRET || *p.EligibilityDiagnosisID != *acc.EligibilityDiagnosisID {
			t.Fatalf("PASS %+v", p)
		}
		subjects := f.mailSubjects()
		if !contains(subjects, "PASS IAE pour Julie Martin") {
			t.Errorf("mails %v", subjects)
		}
	})
}

func TestScenario2_AnotherSIAEHiringReusesTheValidPASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		today := Day(f.clk.Now())
		old := f.pass(js, today.AddDate(0, -6, 0), today.AddDate(0, 6, 0))
		co, emp := f.openEmployer(org.EI)
		app := f.submit(jsa, js, co)
		if _, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		if p := f.passOf(app); p == nil || p.ID != old.ID || !p.EndAt.Equal(old.EndAt) {
			t.Errorf("PASS %+v, want the reused %+v", p, old)
		}
		if n := f.count("approval"); n != 1 {
			t.Errorf("%d PASS", n)
		}
	})
}

func TestAccept_AHireAfterTheEndOfTheReusedPASSIsRefusedOnTheStartDate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		today := Day(f.clk.Now())
		f.pass(js, today.AddDate(-1, 0, 0), today.AddDate(0, 0, 10))
		co, emp := f.openEmployer(org.AI)
		app := f.submit(jsa, js, co)
		late := today.AddDate(0, 0, 11)
		_, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &late})
		if fault.FieldsOf(err).On("hiring_start_at") != "Le contrat doit débuter sur la période couverte par le PASS IAE." {
			t.Fatalf("err %v", err)
		}
		if got := f.reload(app.PublicID); got.State != New || got.ApprovalID != nil {
			t.Errorf("changed: %+v", got)
		}
	})
}

func TestAccept_AFuturePASSStartingAfterTheHireMovesToTheHiringDay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		today := Day(f.clk.Now())
		f.pass(js, today.AddDate(0, 0, 20), today.AddDate(0, 0, 20+729))
		co, emp := f.openEmployer(org.ETTI)
		app := f.submit(jsa, js, co)
		start := today.AddDate(0, 0, 5)
		if _, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &start}); err != nil {
			t.Fatal(err)
		}
		if p := f.passOf(app); !p.StartAt.Equal(start) || !p.EndAt.Equal(start.AddDate(0, 0, 729)) {
			t.Errorf("PASS %s – %s", p.StartAt, p.EndAt)
		}
	})
}

func TestScenario3And4_TheWaitingPeriodRefusesAJobSeekerAloneButNotAHabilitatedPrescribersCandidature(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsa := f.jobSeeker()
		f.withNIR(js)
		today := Day(f.clk.Now())
		ended := f.pass(js, today.AddDate(-3, 0, 0), today.AddDate(-1, 0, 0))
		// The diagnosis of the old PASS has expired: nothing lifts the waiting period.
		if _, err := d.NewUpdate().Table("eligibility_diagnosis").Set("expires_at = ?", today.AddDate(-2, 0, 0)).Where("TRUE").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		co, emp := f.openEmployer(org.ACI)
		_, err := f.svc.Submit(ctx, jsa, SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Bonjour"})
		wantFault(t, err, approval.ErrWaitingPeriodSelf)
		// An orienteur (not habilitated) is refused too, with the proxy's wording.
		_, err = f.svc.Submit(ctx, f.prescriber(false), SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Bonjour"})
		wantFault(t, err, approval.ErrWaitingPeriod)
		// A habilitated prescriber's candidature lifts it; they make a diagnosis as they apply.
		p := f.prescriber(true)
		app, err := f.svc.Submit(ctx, p, SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Bonjour"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Eligibility.CreateIAE(ctx, p, js.PublicID, nil, eligibility.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		if p := f.passOf(app); p == nil || p.ID == ended.ID {
			t.Errorf("PASS %+v", p)
		}
	})
}

func TestAccept_InTheWaitingPeriodAnEmployerDiagnosisDoesNotLiftIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		f.withNIR(js)
		today := Day(f.clk.Now())
		f.pass(js, today.AddDate(-3, 0, 0), today.AddDate(0, 0, -1))
		if _, err := d.NewUpdate().Table("eligibility_diagnosis").Set("expires_at = ?", today.AddDate(-2, 0, 0)).Where("TRUE").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		co, emp := f.openEmployer(org.EI)
		if _, err := f.svc.DirectHireStart(ctx, emp, js.PublicID); !errors.Is(err, approval.ErrWaitingPeriod) {
			t.Fatalf("direct hire start: %v", err)
		}
		_, err := f.svc.DirectHire(ctx, emp, DirectHireInput{JobSeekerPublicID: js.PublicID, AcceptInput: AcceptInput{HiringStartAt: &today}}, false)
		wantFault(t, err, approval.ErrWaitingPeriod)
		if n := f.count("job_application"); n != 0 {
			t.Errorf("%d candidatures written", n)
		}
		_ = co
	})
}

func TestAccept_StaffKeepTheAttachedDiagnosisOnlyWhenTheCompanySeesIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		staff := actor.Actor{UserID: f.user(actor.Staff, "Sam").ID, Kind: actor.Staff}
		co, emp := f.openEmployer(org.ACI)
		_, otherEmp := f.openEmployer(org.EI)
		today := Day(f.clk.Now())
		for _, tc := range []struct {
			name     string
			attached actor.Actor // the employer whose diagnosis is attached beforehand
			keep     bool
		}{
			{"own company's diagnosis", emp, true},
			{"another SIAE's diagnosis", otherEmp, false},
		} {
			js, jsa := f.jobSeeker()
			f.withNIR(js)
			attached, err := f.svc.Eligibility.CreateIAE(ctx, tc.attached, js.PublicID, f.level1()[:1], eligibility.CreateOptions{ForHiring: true})
			if err != nil {
				t.Fatal(err)
			}
			counts := f.diagnosed(js) // the prescriber's diagnosis is the one that counts (§2.4)
			app := f.submit(jsa, js, co)
			if _, err := d.NewUpdate().Table("job_application").Set("eligibility_diagnosis_id = ?", attached.ID).
				Where("public_id = ?", app.PublicID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			acc, err := f.svc.Accept(ctx, staff, app.PublicID, AcceptInput{HiringStartAt: &today})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			want := counts.ID
			if tc.keep {
				want = attached.ID
			}
			if acc.EligibilityDiagnosisID == nil || *acc.EligibilityDiagnosisID != want {
				t.Errorf("%s: attached %v, want %d", tc.name, acc.EligibilityDiagnosisID, want)
			}
			if p := f.passOf(app); p == nil || *p.EligibilityDiagnosisID != want {
				t.Errorf("%s: PASS %+v on diagnosis %d", tc.name, p, want)
			}
		}
	})
}

func TestScenario9_WithoutNIRNorFranceTravailIdentifierThePASSIsDeliveredByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.diagnosed(js) // no profile: neither NIR nor identifier nor « non inscrit »
		co, emp := f.openEmployer(org.ACI)
		app := f.submit(jsa, js, co)
		f.clearMails()
		today := Day(f.clk.Now())
		acc, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &today})
		if err != nil {
			t.Fatal(err)
		}
		if acc.ApprovalDeliveryMode != DeliveryManual || acc.ApprovalID != nil || f.count("approval") != 0 {
			t.Errorf("accepted %+v", acc)
		}
		if len(f.mails()) < 2 { // the job seeker's, and the support team's
			t.Errorf("mails %v", f.mailSubjects())
		}
	})
}

func TestAccept_AnSIAEWithoutAnyDiagnosisCannotAcceptAPersonWhoseIdentityIsKnown(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.withNIR(js)
		co, emp := f.openEmployer(org.ACI)
		app := f.submit(jsa, js, co)
		ctx := context.Background()
		hc, err := f.svc.HiringChoices(ctx, emp, app.PublicID)
		if err != nil || !hc.NeedsDiagnosis {
			t.Fatalf("choices %+v, %v", hc, err)
		}
		today := Day(f.clk.Now())
		_, err = f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: &today})
		wantFault(t, err, approval.ErrNoDiagnosis)
		if got := f.reload(app.PublicID); got.State != New {
			t.Errorf("state %s", got.State)
		}
		// Scenario 5: the employer's own diagnosis, made while hiring, is enough.
		if _, err := f.svc.Eligibility.CreateIAE(ctx, emp, js.PublicID, f.level1()[:1], eligibility.CreateOptions{ForHiring: true}); err != nil {
			t.Fatal(err)
		}
		if hc, _ := f.svc.HiringChoices(ctx, emp, app.PublicID); hc.NeedsDiagnosis {
			t.Error("still needs a diagnosis")
		}
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		if f.passOf(app) == nil {
			t.Error("no PASS")
		}
	})
}

func TestScenario7And8_GEIQAndEAHireWithoutPASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsa := f.jobSeeker()
		f.withNIR(js)
		today := Day(f.clk.Now())
		ea, eaEmp := f.openEmployer(org.EA)
		app := f.submit(jsa, js, ea)
		acc, err := f.svc.Accept(ctx, eaEmp, app.PublicID, AcceptInput{HiringStartAt: &today})
		if err != nil {
			t.Fatal(err)
		}
		if acc.ApprovalDeliveryMode != DeliveryNone || acc.ApprovalID != nil || f.count("approval") != 0 {
			t.Errorf("EA hire %+v", acc)
		}
	})
}

func TestScenario12_AHireLiftsAContractBrokenSuspension(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsa := f.jobSeeker()
		f.eligible(js)
		today := Day(f.clk.Now())
		first, firstEmp := f.openEmployer(org.ACI)
		app1 := f.submit(jsa, js, first)
		begun := today.AddDate(0, -3, 0)
		f.clk.Advance(-24 * time.Hour * 92)
		if _, err := f.svc.Accept(ctx, firstEmp, app1.PublicID, AcceptInput{HiringStartAt: &begun}); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(24 * time.Hour * 92)
		p := f.passOf(app1)
		if _, err := f.svc.Approvals.Suspend(ctx, firstEmp, p.PublicID, approval.SuspensionInput{
			StartAt: today.AddDate(0, 0, -20), EndAt: today.AddDate(0, 3, 0), Reason: approval.ContractBroken}); err != nil {
			t.Fatal(err)
		}
		co, emp := f.openEmployer(org.EI)
		app := f.submit(jsa, js, co)
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Approvals.Get(ctx, p.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Suspensions) != 1 || !got.Suspensions[0].EndAt.Equal(today.AddDate(0, 0, -1)) {
			t.Errorf("suspension %+v", got.Suspensions)
		}
	})
}

// hiredByACI is an eligible job seeker's candidature to a new ACI, accepted today with a PASS
// IAE, and an employer of that ACI.
func (f *fixture) hiredByACI() (*org.Company, actor.Actor, *Application) {
	f.t.Helper()
	js, jsa := f.jobSeeker()
	f.eligible(js)
	co, emp := f.openEmployer(org.ACI)
	app := f.submit(jsa, js, co)
	today := Day(f.clk.Now())
	acc, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &today})
	if err != nil {
		f.t.Fatal(err)
	}
	return co, emp, acc
}

func TestCancel_DeletesThePASSOfItsOnlyHireAndKeepsItsNumberUsed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp, app := f.hiredByACI()
		today := Day(f.clk.Now())
		if _, err := f.svc.Cancel(ctx, emp, app.PublicID); err != nil {
			t.Fatal(err)
		}
		if got := f.reload(app.PublicID); got.ApprovalID != nil || got.State != Cancelled {
			t.Errorf("cancelled %+v", got)
		}
		if f.count("approval") != 0 || f.count("cancelled_approval") != 1 {
			t.Errorf("%d PASS, %d cancelled", f.count("approval"), f.count("cancelled_approval"))
		}
		// The next PASS does not take the cancelled number again (§2.7).
		js2, jsa2 := f.jobSeeker()
		f.eligible(js2)
		app2 := f.submit(jsa2, js2, co)
		if _, err := f.svc.Accept(ctx, emp, app2.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		if p := f.passOf(app2); p.Number != "999990000002" {
			t.Errorf("number %s", p.Number)
		}
	})
}

func TestScenario35_AHireWhoseFicheWentToTheASPCannotBeCancelled(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp, app := f.hiredByACI()
		pass := f.passOf(app)
		now := f.clk.Now()
		_, err := d.NewRaw(`INSERT INTO employee_record (public_id, status, job_application_id, approval_number, siret, asp_measure, asp_id,
			asp_batch_file, asp_batch_line_number, created_at, updated_at) VALUES ('fiche', 'SENT', ?, ?, ?, 'ACI_DC', 1, 'RIAE_FS_20260302100000.json', 1, ?, ?)`,
			app.ID, pass.Number, co.SIRET, now, now).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Cancel(ctx, emp, app.PublicID)
		wantFault(t, err, ErrFicheSent)
		if got := f.reload(app.PublicID); got.State != Accepted || got.ApprovalID == nil || f.count("approval") != 1 {
			t.Errorf("the hire or its PASS changed: %+v", got)
		}
	})
}

// TestAccept_200ConcurrentHiresGet200DistinctNumbers: the numbers never collide, on either
// engine, and no hire fails.
func TestAccept_200ConcurrentHiresGet200DistinctNumbers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		const n = 200
		apps := make([]*Application, n)
		for i := range apps {
			js, jsa := f.jobSeeker()
			f.eligible(js)
			apps[i] = f.submit(jsa, js, co)
		}
		today := Day(f.clk.Now())
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, app := range apps {
			wg.Go(func() {
				_, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &today})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var distinct int
		if err := d.NewRaw("SELECT COUNT(DISTINCT number) FROM approval").Scan(context.Background(), &distinct); err != nil {
			t.Fatal(err)
		}
		if distinct != n || f.count("approval") != n {
			t.Errorf("%d distinct numbers for %d PASS", distinct, f.count("approval"))
		}
	})
}

// TestAccept_ThePersonHiredTwiceAtOnceGetsOnePASS: two SIAE accept the same person at the same
// moment; the acceptances take turns, the second reuses the first's PASS (or finds its
// candidature gone obsolete, a French conflict), and there is one PASS.
func TestAccept_ThePersonHiredTwiceAtOnceGetsOnePASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		type hire struct {
			app *Application
			emp actor.Actor
		}
		var hires []hire
		for range 2 {
			co, emp := f.openEmployer(org.ACI)
			hires = append(hires, hire{f.submit(jsa, js, co), emp})
		}
		today := Day(f.clk.Now())
		var wg sync.WaitGroup
		errs := make([]error, len(hires))
		for i, h := range hires {
			wg.Go(func() {
				_, errs[i] = f.svc.Accept(context.Background(), h.emp, h.app.PublicID, AcceptInput{HiringStartAt: &today})
			})
		}
		wg.Wait()
		passes := map[int64]bool{}
		for i, err := range errs {
			var fe *fault.Error
			switch {
			case err == nil:
				if p := f.passOf(hires[i].app); p != nil {
					passes[p.ID] = true
				}
			case !errors.As(err, &fe) || fe.Kind != fault.KindConflict:
				t.Errorf("unexpected error %v", err)
			}
		}
		if len(passes) != 1 || f.count("approval") != 1 {
			t.Errorf("%d PASS linked, %d PASS", len(passes), f.count("approval"))
		}
	})
}

// failInserts makes every insert into table fail, as a crash between two steps would.
func (f *fixture) failInserts(table string) (restore func()) {
	f.t.Helper()
	ctx := context.Background()
	stmts := []string{`CREATE TRIGGER fail_insert BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, 'injected'); END`}
	drop := []string{`DROP TRIGGER fail_insert`}
	if f.d.Engine == db.Postgres {
		stmts = []string{`CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$`,
			`CREATE TRIGGER fail_insert BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION fail_insert()`}
		drop = []string{`DROP TRIGGER fail_insert ON ` + table, `DROP FUNCTION fail_insert()`}
	}
	for _, q := range stmts {
		if _, err := f.d.ExecContext(ctx, q); err != nil {
			f.t.Fatal(err)
		}
	}
	return func() {
		for _, q := range drop {
			if _, err := f.d.ExecContext(ctx, q); err != nil {
				f.t.Fatal(err)
			}
		}
	}
}

// TestAccept_AFailureAfterThePASSLeavesNothing: a failure after the PASS is issued (writing the
// timeline fails) rolls back the PASS and the acceptance together.
func TestAccept_AFailureAfterThePASSLeavesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		co, emp := f.openEmployer(org.ACI)
		app := f.submit(jsa, js, co)
		restore := f.failInserts("job_application_transition_log")
		today := Day(f.clk.Now())
		if _, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err == nil {
			t.Fatal("accepted despite the failure")
		}
		restore()
		if got := f.reload(app.PublicID); got.State != New || got.ApprovalID != nil {
			t.Errorf("candidature %+v", got)
		}
		if f.count("approval") != 0 {
			t.Error("a PASS without its candidature")
		}
		if _, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		if p := f.passOf(app); p == nil || p.Number != "999990000001" {
			t.Errorf("PASS after the failure %+v", p)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestEditContractDates_ThePASSFollowsANotYetStartedHireAndBoundsAStartedOne: applications.md
// §3.7 — a PASS that has not started moves with the contract's new start; one that has started
// refuses a start after its end, and nothing changes.
func TestEditContractDates_ThePASSFollowsANotYetStartedHireAndBoundsAStartedOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsa := f.jobSeeker()
		f.eligible(js)
		co, emp := f.openEmployer(org.ACI)
		app := f.submit(jsa, js, co)
		today := Day(f.clk.Now())
		start := today.AddDate(0, 0, 10)
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: &start}); err != nil {
			t.Fatal(err)
		}
		later := today.AddDate(0, 0, 20)
		if _, err := f.svc.EditContractDates(ctx, emp, app.PublicID, &later, nil); err != nil {
			t.Fatal(err)
		}
		if p := f.passOf(app); !p.StartAt.Equal(later) || !p.EndAt.Equal(later.AddDate(0, 0, 729)) {
			t.Errorf("PASS %s – %s, want it to follow the contract", p.StartAt, p.EndAt)
		}

		// Another hire of a person whose PASS started long ago and ends in 5 days.
		js2, jsa2 := f.jobSeeker()
		f.eligible(js2)
		f.pass(js2, today.AddDate(-1, 0, 0), today.AddDate(0, 0, 5))
		app2 := f.submit(jsa2, js2, co)
		tomorrow := today.AddDate(0, 0, 1)
		if _, err := f.svc.Accept(ctx, emp, app2.PublicID, AcceptInput{HiringStartAt: &tomorrow}); err != nil {
			t.Fatal(err)
		}
		tooLate := today.AddDate(0, 0, 6)
		_, err := f.svc.EditContractDates(ctx, emp, app2.PublicID, &tooLate, nil)
		if fault.FieldsOf(err).On("hiring_start_at") != "Le contrat doit débuter sur la période couverte par le PASS IAE." {
			t.Fatalf("err %v", err)
		}
		if got := f.reload(app2.PublicID); !got.HiringStartAt.Equal(tomorrow) {
			t.Errorf("start moved to %s", got.HiringStartAt)
		}
	})
}

// TestExport_EligibilityAndPASSColumns: applications.md §4 « Exports » — the columns of the
// original, in its order, and for each candidature the job seeker's eligibility (a prescriber's
// diagnosis or a valid PASS), whether the hire may be controlled (the SIAE's own diagnosis
// issued its PASS) and the latest PASS.
func TestExport_EligibilityAndPASSColumns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		wantHeaders := []string{"Civilité candidat", "Nom candidat", "Prénom candidat", "Email candidat", "Téléphone candidat",
			"Date de naissance candidat", "Ville candidat", "Département candidat", "Nom structure employeur", "Type employeur",
			"Métiers", "Source de la candidature", "Nom organisation prescripteur", "Nom utilisateur prescripteur",
			"Date de la candidature", "Statut de la candidature", "Dates de début d’embauche", "Dates de fin d’embauche",
			"Motifs de refus", "Éligibilité IAE validée", "Eligible au contrôle", "Numéro PASS IAE", "Début PASS IAE",
			"Fin PASS IAE", "Statut PASS IAE"}
		if fmt.Sprint(ExportHeaders) != fmt.Sprint(wantHeaders) {
			t.Fatalf("headers %q", ExportHeaders)
		}
		co, emp := f.openEmployer(org.EI)
		today := Day(f.clk.Now())
		// Hired on the EI's own diagnosis: eligible through the PASS, controllable.
		own, ownA := f.jobSeeker()
		f.withNIR(own)
		app := f.submit(ownA, own, co)
		if _, err := f.svc.Eligibility.CreateIAE(ctx, emp, own.PublicID, f.level1()[:1], eligibility.CreateOptions{ForHiring: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: &today}); err != nil {
			t.Fatal(err)
		}
		// Waiting, with a prescriber's diagnosis: eligible, no PASS.
		waiting, waitingA := f.jobSeeker()
		f.diagnosed(waiting)
		f.clk.Advance(time.Minute)
		f.submit(waitingA, waiting, co)
		// Waiting, nothing: not eligible.
		none, noneA := f.jobSeeker()
		f.clk.Advance(time.Minute)
		f.submit(noneA, none, co)

		var rows []ExportRow
		if err := f.svc.ExportInbox(ctx, emp, Filters{}, func(r ExportRow) error { rows = append(rows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows", len(rows))
		}
		got := func(r ExportRow) string {
			start := ""
			if r.PASSStart != nil {
				start = r.PASSStart.Format(time.DateOnly)
			}
			return fmt.Sprintf("%s|%s|%s|%s|%s", r.Eligible, r.Controllable, r.PASSNumber, start, r.PASSState)
		}
		want := []string{"non|non|||", "oui|non|||", "oui|oui|999990000001|" + today.Format(time.DateOnly) + "|Valide"}
		for i, r := range rows {
			if got(r) != want[i] {
				t.Errorf("row %d: %s, want %s", i, got(r), want[i])
			}
		}
	})
}

// TestInbox_EligibilityPASSAndCriteriaFilters: applications.md §4 — eligibility « Valide » / « À
// valider », PASS IAE « Actif » / « Suspendu » / « Expiré » OR-ed, criteria AND-ed; an SIAE does
// not see another SIAE's diagnosis.
func TestInbox_EligibilityPASSAndCriteriaFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		today := Day(f.clk.Now())
		co, emp := f.openEmployer(org.ACI)
		_, otherEmp := f.openEmployer(org.EI)
		level1 := f.level1()
		names := map[string]*account.User{}
		apply := func(name string) *account.User {
			js, jsa := f.jobSeeker()
			names[name] = js
			f.clk.Advance(time.Minute)
			f.submit(jsa, js, co)
			return js
		}
		active := apply("active")
		f.pass(active, today.AddDate(0, -1, 0), today.AddDate(1, 0, 0))
		suspended := apply("suspended")
		p := f.pass(suspended, today.AddDate(0, -2, 0), today.AddDate(1, 0, 0))
		if _, err := d.NewRaw(`INSERT INTO suspension (approval_id, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			p.ID, today.AddDate(0, 0, -3), today.AddDate(0, 1, 0), f.clk.Now(), f.clk.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		expired := apply("expired") // a valid prescriber diagnosis lifts the waiting period
		f.pass(expired, today.AddDate(-2, 0, 0), today.AddDate(0, -1, 0))
		if _, err := f.svc.Eligibility.CreateIAE(ctx, f.prescriber(true), expired.PublicID, level1[:2], eligibility.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		otherSIAE := apply("other SIAE's diagnosis")
		if _, err := f.svc.Eligibility.CreateIAE(ctx, otherEmp, otherSIAE.PublicID, level1[:1], eligibility.CreateOptions{ForHiring: true}); err != nil {
			t.Fatal(err)
		}
		apply("nothing")

		list := func(query url.Values) string {
			t.Helper()
			fl, err := ParseFilters(query)
			if err != nil {
				t.Fatal(err)
			}
			page, err := f.svc.List(ctx, emp, ListInbox, fl)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range page.Rows {
				for n, js := range names {
					if js.PublicID == r.JobSeekerPublicID {
						got = append(got, n)
					}
				}
			}
			slices.Sort(got)
			return strings.Join(got, ", ")
		}
		crit := strings.TrimPrefix(level1[0], "level_1_")
		for _, tt := range []struct {
			query url.Values
			want  string
		}{
			{url.Values{"eligibility": {"validated"}}, "active, expired, suspended"},
			{url.Values{"eligibility": {"pending"}}, "nothing, other SIAE's diagnosis"},
			{url.Values{"eligibility": {"validated", "pending"}}, "active, expired, nothing, other SIAE's diagnosis, suspended"},
			{url.Values{"pass_iae": {"active"}}, "active"},
			{url.Values{"pass_iae": {"suspended"}}, "suspended"},
			{url.Values{"pass_iae": {"expired"}}, "expired"},
			{url.Values{"pass_iae": {"active", "expired"}}, "active, expired"},
			{url.Values{"criteria": {crit}}, "expired"},
			{url.Values{"criteria": {crit, "9999"}}, ""},
		} {
			if got := list(tt.query); got != tt.want {
				t.Errorf("%v: %q, want %q", tt.query, got, tt.want)
			}
		}
		// A GEIQ's inbox offers none of these filters.
		_, geiqEmp := f.openEmployer(org.GEIQ)
		if page, err := f.svc.List(ctx, geiqEmp, ListInbox, Filters{}); err != nil || page.IAE {
			t.Errorf("GEIQ inbox offers the IAE filters: %v", err)
		}
	})
}
