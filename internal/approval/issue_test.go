package approval

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestIssue_NumbersFollowThePrefixedSequenceOfBothTables(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, err := f.issue(f.jobSeeker(), f.today())
		if err != nil {
			t.Fatal(err)
		}
		if a.Number != "XXXXX0000001" || !a.EndAt.Equal(DefaultEnd(f.today())) || a.Origin != OriginDefault {
			t.Fatalf("first PASS: %s %s %s", a.Number, a.EndAt, a.Origin)
		}
		// An FT number of another scheme is ignored (5); a cancelled number is never reused (6).
		now := f.clk.Now()
		f.exec(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at) VALUES ('ft', '999990000099', ?, ?, ?, 'pe_approval', ?, ?)`,
			d2("2020-01-01"), d2("2021-12-30"), f.jobSeeker(), now, now)
		f.exec(`INSERT INTO cancelled_approval (number, start_at, end_at, origin, created_at) VALUES ('XXXXX8888882', ?, ?, 'default', ?)`,
			d2("2020-01-01"), d2("2021-12-30"), now)
		b, err := f.issue(f.jobSeeker(), f.today())
		if err != nil || b.Number != "XXXXX8888883" {
			t.Fatalf("after a cancelled XXXXX8888882: %v %v", b, err)
		}
		got := f.get(b)
		if got.DisplayNumber() != "XXXXX 88 88883" || got.OriginSIAESIRET == nil || *got.OriginSIAESIRET != "12345678900001" ||
			got.PENotificationStatus != notificationPending || got.EligibilityDiagnosisID == nil {
			t.Errorf("stored: %+v", got)
		}
		events, err := audit.List(context.Background(), d, 0, 10)
		if err != nil || len(events) != 2 || events[0].Action != ActionIssued {
			t.Errorf("audit: %v %v", events, err)
		}
	})
}

func d2(s string) time.Time { return d(s) }

func TestIssue_RefusedWhileTheUserHoldsAValidPASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js := f.jobSeeker()
		start := addDays(f.today(), -DefaultDays+1) // ends today: still valid (edge case 1)
		if _, err := f.issue(js, start); err != nil {
			t.Fatal(err)
		}
		if _, err := f.issue(js, f.today()); !errors.Is(err, ErrAlreadyValid) {
			t.Fatalf("a PASS ending today is valid: %v", err)
		}
		f.setToday(addDays(f.today(), 1))
		if _, err := f.issue(js, f.today()); err != nil {
			t.Fatalf("once it ended: %v", err)
		}
	})
}

func TestIssue_ConcurrentIssuesGetDistinctNumbersAndOnePASSPerPerson(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		const n = 200
		people := make([]int64, n)
		diagnoses := make([]int64, n)
		for i := range people {
			people[i] = f.jobSeeker()
			diagnoses[i] = f.diagnosis(people[i])
		}
		issue := func(i int) (*Approval, error) {
			var a *Approval
			err := d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
				var err error
				a, err = f.svc.Issue(ctx, tx, IssueInput{UserID: people[i], StartAt: f.today(), EligibilityDiagnosisID: diagnoses[i]})
				return err
			})
			return a, err
		}
		var wg sync.WaitGroup
		numbers := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, err := issue(i)
				errs[i] = err
				if a != nil {
					numbers[i] = a.Number
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, num := range numbers {
			if errs[i] != nil {
				t.Fatalf("issue %d: %v", i, errs[i])
			}
			if seen[num] {
				t.Fatalf("number %s given twice", num)
			}
			seen[num] = true
		}
		if !seen[fmt.Sprintf("XXXXX%07d", n)] || !seen["XXXXX0000001"] {
			t.Errorf("the numbers are not 1..%d", n)
		}

		// The same person twice at once: one PASS, one refusal.
		twice := f.jobSeeker()
		people[0], diagnoses[0] = twice, f.diagnosis(twice)
		people[1], diagnoses[1] = twice, diagnoses[0]
		for i := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = issue(i) }()
		}
		wg.Wait()
		ok, refused := 0, 0
		for _, err := range errs[:2] {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrAlreadyValid):
				refused++
			default:
				t.Fatal(err)
			}
		}
		count, err := d.NewSelect().Table("approval").Where("user_id = ?", twice).Count(context.Background())
		if ok != 1 || refused != 1 || err != nil || count != 1 {
			t.Errorf("same person: %d issued, %d refused, %d stored (%v)", ok, refused, count, err)
		}
	})
}

func TestCancel_WritesTheSnapshotAndNeverReusesTheNumber(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, employer := f.hired("EI", f.today())
		if _, err := f.svc.Suspend(context.Background(), employer, a.PublicID, SuspensionInput{StartAt: f.today(), EndAt: addDays(f.today(), 5), Reason: ContractSuspended}); err != nil {
			t.Fatal(err)
		}
		staff := actor.Actor{UserID: employer.UserID, Kind: actor.Staff}
		err := d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error { return f.svc.Cancel(ctx, tx, staff, a.ID) })
		if err != nil {
			t.Fatal(err)
		}
		var c CancelledApproval
		if err := d.NewSelect().Model(&c).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if c.Number != a.Number || c.OriginSIAEKind != "ACI" || c.OriginSIAESIRET == nil || *c.OriginSIAESIRET != "12345678900001" ||
			c.UserLastName != "Martin" || c.UserNIR == "" || c.UserBirthdate == nil || c.UserIDNationalPE != "12345678901" {
			t.Errorf("snapshot: %+v", c)
		}
		if f.count("approval") != 0 || f.count("suspension") != 0 {
			t.Error("the PASS and its suspension remain")
		}
		linked, _ := d.NewSelect().Table("job_application").Where("approval_id IS NOT NULL").Count(context.Background())
		if linked != 0 {
			t.Error("the candidature still points to the PASS")
		}
		var notFound *fault.Error
		err = d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error { return f.svc.Cancel(ctx, tx, staff, a.ID) })
		if !errors.As(err, &notFound) || notFound.Kind != fault.KindNotFound {
			t.Errorf("cancelling twice: %v", err)
		}
		b, err := f.issue(f.jobSeeker(), f.today())
		if err != nil || b.Number != "XXXXX0000002" {
			t.Errorf("next number: %v %v", b, err)
		}
	})
}

func TestReuseForHire_MovesTheStartOfAPASSNotStartedYet(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		reuse := func(a *Approval, start time.Time) (*Approval, error) {
			var got *Approval
			err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				var err error
				got, err = f.svc.ReuseForHire(ctx, tx, actor.Actor{}, a.ID, start)
				return err
			})
			return got, err
		}
		future, err := f.issue(f.jobSeeker(), addDays(f.today(), 20))
		if err != nil {
			t.Fatal(err)
		}
		f.exec(`UPDATE approval SET pe_notification_status = 'notification_success'`)
		got, err := reuse(future, addDays(f.today(), 5))
		if err != nil || !got.StartAt.Equal(addDays(f.today(), 5)) || !got.EndAt.Equal(DefaultEnd(addDays(f.today(), 5))) || f.get(future).PENotificationStatus != notificationPending {
			t.Errorf("earlier hire: %v %v", got, err)
		}
		// A later hire leaves it as it is.
		if got, err := reuse(future, addDays(f.today(), 30)); err != nil || !got.StartAt.Equal(addDays(f.today(), 5)) {
			t.Errorf("later hire: %v %v", got, err)
		}
		started, err := f.issue(f.jobSeeker(), addDays(f.today(), -5))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := reuse(started, f.today()); err != nil || !got.StartAt.Equal(started.StartAt) {
			t.Errorf("started: %v %v", got, err)
		}
		if _, err := reuse(started, addDays(started.EndAt, 1)); !errors.Is(err, ErrHiringAfterEnd) {
			t.Errorf("after its end: %v", err)
		}
		if _, err := reuse(started, started.EndAt); err != nil {
			t.Errorf("on its end: %v", err)
		}
	})
}

func TestDeletedWithCandidature_EdgeCase12(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, _ := f.hired("AI", f.today())
		deletable := func() bool {
			ok, err := DeletedWithCandidature(ctx, d, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !deletable() {
			t.Error("one accepted candidature")
		}
		f.hire(a.UserID, f.company("ACI"), f.today(), f.clk.Now(), a.ID)
		f.exec(`UPDATE job_application SET state = 'cancelled', approval_delivery_mode = '' WHERE id = (SELECT MAX(id) FROM job_application)`)
		if !deletable() {
			t.Error("a cancelled sibling is ignored")
		}
		f.hire(a.UserID, f.company("EI"), f.today(), f.clk.Now(), a.ID)
		if deletable() {
			t.Error("two accepted candidatures")
		}
		f.exec(`UPDATE job_application SET state = 'cancelled', approval_delivery_mode = '' WHERE approval_id = ?`, a.ID)
		if deletable() {
			t.Error("no accepted candidature")
		}
		f.exec(`UPDATE job_application SET state = 'accepted' WHERE id = (SELECT MIN(id) FROM job_application)`)
		f.exec(`UPDATE approval SET origin = 'ai_stock', eligibility_diagnosis_id = NULL WHERE id = ?`, a.ID)
		if deletable() {
			t.Error("AI stock")
		}
	})
}

func TestIssue_NeedsADiagnosisAndAStart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js := f.jobSeeker()
		diagnosis := f.diagnosis(js)
		for _, c := range []struct {
			in   IssueInput
			want error
		}{
			{IssueInput{UserID: js, StartAt: f.today()}, ErrNoDiagnosis},
			{IssueInput{UserID: js, EligibilityDiagnosisID: diagnosis}, ErrNoStart},
		} {
			err := d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
				_, err := f.svc.Issue(ctx, tx, c.in)
				return err
			})
			if !errors.Is(err, c.want) {
				t.Errorf("%v, want %v", err, c.want)
			}
		}
		if f.count("approval") != 0 {
			t.Error("a PASS was stored")
		}
	})
}
