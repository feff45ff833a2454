package approval

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

func kindOf(err error) fault.Kind {
	k, _ := fault.KindOf(err)
	return k
}

func TestScenario10_SuspendingMovesThePASSEndAndResetsTheFTNotification(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("ACI", addDays(f.today(), -30))
		f.exec(`UPDATE approval SET pe_notification_status = 'notification_success' WHERE id = ?`, a.ID)
		sus, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: f.today(), EndAt: addDays(f.today(), 10), Reason: ContractSuspended})
		if err != nil {
			t.Fatal(err)
		}
		got := f.get(a)
		if !got.EndAt.Equal(addDays(a.EndAt, 10)) || got.State(f.today()) != StateSuspended || got.State(f.today()).Label() != "Valide (suspendu)" {
			t.Errorf("end %s, state %s", got.EndAt, got.State(f.today()))
		}
		if got.PENotificationStatus != notificationPending {
			t.Errorf("FT status %s", got.PENotificationStatus)
		}
		if len(got.Suspensions) != 1 || got.Suspensions[0].ID != sus.ID || *got.Suspensions[0].CompanyID != employer.Organization.ID {
			t.Errorf("suspensions %+v", got.Suspensions)
		}
		// Already suspended: refused.
		if _, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: f.today(), EndAt: f.today(), Reason: ContractSuspended}); !errors.Is(err, ErrSuspended) {
			t.Errorf("twice: %v", err)
		}
	})
}

func TestScenario11_OnlyTheLastSIAEHirerSuspends(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, first := f.hired("EI", addDays(f.today(), -60))
		later := f.company("AI")
		f.hire(a.UserID, later, addDays(f.today(), -10), f.clk.Now().Add(-time.Minute), a.ID)
		// A GEIQ hire afterwards does not count: it is not an SIAE.
		f.hire(a.UserID, f.company("GEIQ"), f.today(), f.clk.Now(), 0)
		in := SuspensionInput{StartAt: f.today(), EndAt: addDays(f.today(), 3), Reason: ContractBroken}
		if _, err := f.svc.Suspend(ctx, first, a.PublicID, in); !errors.Is(err, ErrNotLastHirer) || kindOf(err) != fault.KindForbidden {
			t.Errorf("earlier employer: %v", err)
		}
		// Edge case 40: an SIAE that never hired with the PASS does not see it.
		if _, err := f.svc.Suspend(ctx, f.company("ACI"), a.PublicID, in); kindOf(err) != fault.KindNotFound {
			t.Errorf("other SIAE: %v", err)
		}
		prescriber, _ := f.prescriber(true)
		if _, err := f.svc.Suspend(ctx, prescriber, a.PublicID, in); kindOf(err) != fault.KindNotFound {
			t.Errorf("prescriber: %v", err)
		}
		if err := f.svc.MaySuspend(ctx, first, a.PublicID); !errors.Is(err, ErrNotLastHirer) {
			t.Errorf("the page of the earlier employer: %v", err)
		}
		if err := f.svc.MaySuspend(ctx, later, a.PublicID); err != nil {
			t.Errorf("the page of the last hirer: %v", err)
		}
		if _, err := f.svc.Suspend(ctx, later, a.PublicID, in); err != nil {
			t.Errorf("last hirer: %v", err)
		}
		if err := f.svc.MaySuspend(ctx, later, a.PublicID); !errors.Is(err, ErrSuspended) {
			t.Errorf("the page once suspended: %v", err)
		}
		if f.count("suspension") != 1 {
			t.Error("refusals wrote a suspension")
		}
	})
}

func TestScenario12_ANewHireLiftsTheSuspension(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("ACI", addDays(f.today(), -100))
		if _, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: addDays(f.today(), -20), EndAt: addDays(f.today(), 40), Reason: ContractBroken}); err != nil {
			t.Fatal(err)
		}
		var lift Lift
		err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var err error
			lift, err = f.svc.LiftForHire(ctx, tx, employer, a.ID, f.today())
			return err
		})
		if err != nil || lift != LiftEnd {
			t.Fatalf("%v %v", lift, err)
		}
		got := f.get(a)
		if !got.Suspensions[0].EndAt.Equal(addDays(f.today(), -1)) || got.State(f.today()) != StateValid || !got.EndAt.Equal(addDays(a.EndAt, 19)) {
			t.Errorf("suspension %s, state %s, end %s", got.Suspensions[0].EndAt, got.State(f.today()), got.EndAt)
		}
	})
}

func TestLiftForHire_EdgeCase37(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		newEmployer := f.company("AI")
		lift := func(a *Approval) Lift {
			var l Lift
			err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				var err error
				l, err = f.svc.LiftForHire(ctx, tx, newEmployer, a.ID, f.today())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		a, employer := f.hired("ACI", addDays(f.today(), -100))
		if _, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: f.today(), EndAt: addDays(f.today(), 40), Reason: FinishedContract}); err != nil {
			t.Fatal(err)
		}
		if l := lift(a); l != LiftDelete || f.count("suspension") != 0 || !f.get(a).EndAt.Equal(a.EndAt) {
			t.Errorf("a hire on the suspension's first day deletes it: %v", l)
		}
		// A legacy reason stays.
		now := f.clk.Now()
		f.exec(`INSERT INTO suspension (approval_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'SICKNESS', ?, ?)`,
			a.ID, addDays(f.today(), -5), addDays(f.today(), 5), now, now)
		if l := lift(a); l != LiftNone {
			t.Errorf("legacy: %v", l)
		}
	})
}

func TestScenario13And39_EndingASuspensionOnTheReturnDay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("AI", addDays(f.today(), -100))
		sus, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: addDays(f.today(), -10), EndAt: addDays(f.today(), 20), Reason: ContractSuspended})
		if err != nil {
			t.Fatal(err)
		}
		for _, back := range []time.Time{addDays(f.today(), -10), addDays(f.today(), 20)} {
			if err := f.svc.EndSuspension(ctx, employer, a.PublicID, sus.ID, back); !fault.FieldsOf(err).Has(fieldReturn) {
				t.Errorf("back %s: %v", back, err)
			}
		}
		if err := f.svc.EndSuspension(ctx, employer, a.PublicID, sus.ID, f.today()); err != nil {
			t.Fatal(err)
		}
		got := f.get(a)
		if !got.Suspensions[0].EndAt.Equal(addDays(f.today(), -1)) || !got.EndAt.Equal(addDays(a.EndAt, 9)) {
			t.Errorf("suspension end %s, PASS end %s", got.Suspensions[0].EndAt, got.EndAt)
		}
		// It has ended: it is no longer managed.
		if err := f.svc.DeleteSuspension(ctx, employer, a.PublicID, sus.ID); !errors.Is(err, ErrSuspensionNotInProgress) {
			t.Errorf("ended: %v", err)
		}
	})
}

func TestScenario14_ASuspensionStartsAtMost365DaysBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("ETTI", addDays(f.today(), -500))
		_, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: addDays(f.today(), -400), EndAt: f.today(), Reason: ContractSuspended})
		if !fault.FieldsOf(err).Has(fieldStart) || f.count("suspension") != 0 {
			t.Errorf("400 days back: %v", err)
		}
		if _, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: addDays(f.today(), -365), EndAt: f.today(), Reason: ContractSuspended}); err != nil {
			t.Errorf("365 days back: %v", err)
		}
	})
}

func TestSuspension_EdgeCase35And36_TheArithmeticAndTheMinimumStart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		hiring := addDays(f.today(), -10)
		a, employer := f.hired("EI", hiring)
		// Before the last hiring start: refused (36).
		if _, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: addDays(hiring, -1), EndAt: f.today(), Reason: ContractSuspended}); !fault.FieldsOf(err).Has(fieldStart) {
			t.Errorf("before the hire: %v", err)
		}
		start := hiring
		sus, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: start, EndAt: localtime.AddMonths(start, 6), Reason: ContractSuspended})
		if err != nil {
			t.Fatal(err)
		}
		delta := daysBetween(start, localtime.AddMonths(start, 6))
		if got := f.get(a); !got.EndAt.Equal(addDays(a.EndAt, delta)) {
			t.Fatalf("created: %s", got.EndAt)
		}
		// Shortened by 2 months: the PASS is shortened by as much.
		shorter := localtime.AddMonths(start, 4)
		if err := f.svc.EditSuspension(ctx, employer, a.PublicID, sus.ID, SuspensionInput{StartAt: start, EndAt: shorter, Reason: ContractBroken}); err != nil {
			t.Fatal(err)
		}
		got := f.get(a)
		if !got.EndAt.Equal(addDays(a.EndAt, daysBetween(start, shorter))) || got.Suspensions[0].Reason != ContractBroken {
			t.Fatalf("shortened: %s %s", got.EndAt, got.Suspensions[0].Reason)
		}
		if err := f.svc.DeleteSuspension(ctx, employer, a.PublicID, sus.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.get(a); !got.EndAt.Equal(a.EndAt) || len(got.Suspensions) != 0 {
			t.Errorf("deleted: %s", got.EndAt)
		}
		// A one-day suspension adds nothing (§7).
		if _, err := f.svc.Suspend(ctx, employer, a.PublicID, SuspensionInput{StartAt: f.today(), EndAt: f.today(), Reason: ContractSuspended}); err != nil {
			t.Fatal(err)
		}
		if got := f.get(a); !got.EndAt.Equal(a.EndAt) {
			t.Errorf("one day: %s", got.EndAt)
		}
	})
}

func TestSuspension_NotStartedOrExpiredPASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		future, employer := f.hired("ACI", addDays(f.today(), 3))
		in := SuspensionInput{StartAt: f.today(), EndAt: f.today(), Reason: ContractSuspended}
		if _, err := f.svc.Suspend(ctx, employer, future.PublicID, in); !errors.Is(err, ErrNotStarted) {
			t.Errorf("future: %v", err)
		}
		old, employer := f.hired("ACI", addDays(f.today(), -DefaultDays-5))
		if _, err := f.svc.Suspend(ctx, employer, old.PublicID, in); !errors.Is(err, ErrExpired) {
			t.Errorf("expired: %v", err)
		}
	})
}
