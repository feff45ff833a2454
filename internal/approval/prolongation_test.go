package approval

import (
	"context"
	"errors"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// endingIn is the period of a PASS of the default duration that ends days after today.
func (f *fixture) endingIn(days int) Period {
	end := addDays(f.today(), days)
	return Period{Start: addDays(end, -DefaultDays+1), End: end}
}

func TestScenario15_ADirectProlongationMovesThePASSEnd(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, employer := f.hired("EI", f.endingIn(60).Start)
		f.exec(`UPDATE approval SET pe_notification_status = 'notification_success' WHERE id = ?`, a.ID)
		out, err := f.svc.Prolong(context.Background(), employer, a.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(a.EndAt, 30)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Request != nil || out.Prolongation == nil || out.Prolongation.ValidatedByID != nil || !out.Prolongation.StartAt.Equal(a.EndAt) {
			t.Fatalf("%+v", out)
		}
		got := f.get(a)
		if !got.EndAt.Equal(addDays(a.EndAt, 30)) || got.PENotificationStatus != notificationPending || len(got.Prolongations) != 1 {
			t.Errorf("end %s, FT %s", got.EndAt, got.PENotificationStatus)
		}
		// The next one chains from the new end; one starting elsewhere cannot exist (19).
		out, err = f.svc.Prolong(context.Background(), employer, a.PublicID, ProlongationInput{Reason: SeniorCDI, EndAt: addDays(got.EndAt, 3650)})
		if err != nil || !out.Prolongation.StartAt.Equal(got.EndAt) {
			t.Errorf("chained: %v", err)
		}
	})
}

func TestScenarios16To18_ARequestGrantedByTheHabilitatedPrescriber(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("AI", f.endingIn(60).Start)
		prescriber, email := f.prescriber(true)
		colleague, _ := f.prescriberMember(prescriber.Organization.ID, "AFPA")
		in := ProlongationInput{Reason: Senior, EndAt: addDays(a.EndAt, 365), PrescriberEmail: email}
		if err := f.svc.MayProlong(ctx, employer, a.PublicID); err != nil {
			t.Fatalf("the page: %v", err)
		}
		out, err := f.svc.Prolong(ctx, employer, a.PublicID, in)
		if err != nil {
			t.Fatal(err)
		}
		req := out.Request
		if req == nil || req.Status != RequestPending || *req.AssignedToID != prescriber.UserID || *req.PrescriberOrganizationID != prescriber.Organization.ID {
			t.Fatalf("request %+v", out)
		}
		if got := f.get(a); !got.EndAt.Equal(a.EndAt) || got.PendingRequest() == nil {
			t.Fatalf("a request moves nothing: %s", got.EndAt)
		}
		// 17: one pending request at a time; the page says so.
		if err := f.svc.MayProlong(ctx, employer, a.PublicID); !errors.Is(err, ErrRequestPending) {
			t.Errorf("the page with a pending request: %v", err)
		}
		if _, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(a.EndAt, 1)}); !errors.Is(err, ErrRequestPending) {
			t.Errorf("with a pending request: %v", err)
		}
		// Only the request's organization, still habilitated, processes it (23, §7).
		other, _ := f.prescriber(true)
		if _, err := f.svc.Grant(ctx, other, req.ID); !errors.Is(err, ErrRequestNotFound) {
			t.Errorf("other organization: %v", err)
		}
		if _, err := f.svc.Grant(ctx, employer, req.ID); !errors.Is(err, ErrRequestNotFound) {
			t.Errorf("employer: %v", err)
		}
		f.exec(`UPDATE prescriber_organization SET authorization_status = 'REFUSED' WHERE id = ?`, prescriber.Organization.ID)
		if _, err := f.svc.Grant(ctx, colleague, req.ID); !errors.Is(err, ErrNotHabilitated) {
			t.Errorf("no longer habilitated: %v", err)
		}
		f.exec(`UPDATE prescriber_organization SET authorization_status = 'VALIDATED' WHERE id = ?`, prescriber.Organization.ID)
		// 18: a colleague grants it.
		p, err := f.svc.Grant(ctx, colleague, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := f.get(a)
		if *p.ValidatedByID != colleague.UserID || *p.RequestID != req.ID || !got.EndAt.Equal(p.EndAt) || got.Requests[0].Status != RequestGranted ||
			got.Requests[0].ProcessedByID == nil || *got.Requests[0].ProcessedByID != colleague.UserID {
			t.Errorf("granted: %+v, end %s", got.Requests[0], got.EndAt)
		}
		if _, err := f.svc.Grant(ctx, colleague, req.ID); !errors.Is(err, ErrRequestGranted) {
			t.Errorf("granted twice: %v", err)
		}
	})
}

func TestProlong_TheAssigneeMustBeAHabilitatedPrescriber(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("AI", f.endingIn(60).Start)
		_, orienteur := f.prescriber(false)
		in := ProlongationInput{Reason: RQTH, EndAt: addDays(a.EndAt, 30), PrescriberEmail: orienteur}
		if _, err := f.svc.Prolong(ctx, employer, a.PublicID, in); !fault.FieldsOf(err).Has("prescriber_email") {
			t.Errorf("orienteur: %v", err)
		}
		// A member of two habilitated organizations: the choice is required.
		first, email := f.prescriber(true)
		second, _ := f.prescriber(true)
		f.exec(`INSERT INTO prescriber_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, FALSE, TRUE, ?, ?)`,
			first.UserID, second.Organization.ID, f.clk.Now(), f.clk.Now(), f.clk.Now())
		in.PrescriberEmail = email
		if _, err := f.svc.Prolong(ctx, employer, a.PublicID, in); !fault.FieldsOf(err).Has("prescriber_organization") {
			t.Errorf("two organizations: %v", err)
		}
		if f.count("prolongation_request") != 0 {
			t.Fatal("a refused request was stored")
		}
		in.PrescriberOrganizationID = second.Organization.ID
		out, err := f.svc.Prolong(ctx, employer, a.PublicID, in)
		if err != nil || *out.Request.PrescriberOrganizationID != second.Organization.ID {
			t.Errorf("chosen: %v", err)
		}
	})
}

func TestScenario19_ADeniedRequest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("ACI", f.endingIn(30).Start)
		prescriber, email := f.prescriber(true)
		out, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: ParticularDifficulties, EndAt: addDays(a.EndAt, 100), PrescriberEmail: email})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Deny(ctx, prescriber, out.Request.ID, DenyInput{Reason: DenyIAE, ReasonExplanation: "x"}); !fault.FieldsOf(err).Has("proposed_actions") {
			t.Errorf("IAE without actions: %v", err)
		}
		in := DenyInput{Reason: DenyIAE, ReasonExplanation: "Plus adapté", ProposedActions: []ProposedAction{ActionExitIAE, ActionOther}, ProposedActionsExplanation: "Formation"}
		if err := f.svc.Deny(ctx, prescriber, out.Request.ID, in); err != nil {
			t.Fatal(err)
		}
		got := f.get(a)
		var actions string
		if err := d.NewSelect().Table("prolongation_request_deny_information").Column("proposed_actions").Scan(ctx, &actions); err != nil {
			t.Fatal(err)
		}
		if got.Requests[0].Status != RequestDenied || !got.EndAt.Equal(a.EndAt) || actions != `["EXIT_IAE","OTHER"]` {
			t.Errorf("denied: %s %s %s", got.Requests[0].Status, got.EndAt, actions)
		}
		if _, err := f.svc.Grant(ctx, prescriber, out.Request.ID); !errors.Is(err, ErrRequestDenied) {
			t.Errorf("grant after deny: %v", err)
		}
	})
}

func TestScenario22_TheWindowEndsSixMonthsAfterThePASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		end := localtime.AddMonths(f.today(), -5)
		a, employer := f.hired("EI", addDays(end, -DefaultDays+1))
		if _, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(end, 30)}); err != nil {
			t.Errorf("5 months after: %v", err)
		}
		end = addDays(localtime.AddMonths(f.today(), -6), -1)
		b, employer := f.hired("EI", addDays(end, -DefaultDays+1))
		if _, err := f.svc.Prolong(ctx, employer, b.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(end, 30)}); !errors.Is(err, ErrTooLate) {
			t.Errorf("6 months and a day after: %v", err)
		}
		c, employer := f.hired("EI", f.endingIn(400).Start)
		if _, err := f.svc.Prolong(ctx, employer, c.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(c.EndAt, 30)}); !errors.Is(err, ErrTooEarly) {
			t.Errorf("13 months before: %v", err)
		}
	})
}

func TestProlong_EdgeCase18_AnOlderPASSIsNotProlonged(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		end := addDays(f.today(), -30)
		old, employer := f.hired("AI", addDays(end, -DefaultDays+1))
		if _, err := f.issue(old.UserID, f.today()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Prolong(ctx, employer, old.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(end, 30)}); !errors.Is(err, ErrNotLatest) {
			t.Errorf("older PASS: %v", err)
		}
		// Edge case 40: an SIAE that did not hire with it does not see it.
		if _, err := f.svc.Prolong(ctx, f.company("AI"), old.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(end, 30)}); !errors.Is(err, ErrNotFound) {
			t.Errorf("other SIAE: %v", err)
		}
	})
}

func TestProlong_EdgeCase26AndScenario21_TheCumulativeCaps(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("AI", f.endingIn(60).Start)
		// Three yearly prolongations already (stored as they were, before the PASS's end).
		now := f.clk.Now()
		for i := range 3 {
			start := addDays(f.today(), -1000+365*i)
			f.exec(`INSERT INTO prolongation (approval_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'PARTICULAR_DIFFICULTIES', ?, ?)`,
				a.ID, start, addDays(start, 365), now, now)
		}
		if got := CapMaxEnd(ParticularDifficulties, a.EndAt, f.get(a).prolongedDays()); !got.Equal(a.EndAt) {
			t.Errorf("max end %s, want the start", got)
		}
		_, email := f.prescriber(true)
		for _, r := range []ProlongationReason{ParticularDifficulties, RQTH} {
			if _, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: r, EndAt: addDays(a.EndAt, 1), PrescriberEmail: email}); !fault.FieldsOf(err).Has(fieldReason) {
				t.Errorf("%s: %v", r, err)
			}
		}
		if _, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: Senior, EndAt: addDays(a.EndAt, 365), PrescriberEmail: email}); err != nil {
			t.Errorf("SENIOR up to 1825 days: %v", err)
		}
	})
}

func TestGrant_EdgeCase29_AnOverlapLeavesTheRequestPending(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("ACI", f.endingIn(60).Start)
		prescriber, email := f.prescriber(true)
		out, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: RQTH, EndAt: addDays(a.EndAt, 60), PrescriberEmail: email})
		if err != nil {
			t.Fatal(err)
		}
		now := f.clk.Now()
		f.exec(`INSERT INTO prolongation (approval_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'COMPLETE_TRAINING', ?, ?)`,
			a.ID, addDays(a.EndAt, 59), addDays(a.EndAt, 70), now, now)
		if _, err := f.svc.Grant(ctx, prescriber, out.Request.ID); kindOf(err) != fault.KindConflict {
			t.Fatalf("overlap: %v", err)
		}
		got := f.get(a)
		if got.Requests[0].Status != RequestPending || len(got.Prolongations) != 1 || !got.EndAt.Equal(a.EndAt) {
			t.Errorf("after the refused grant: %s, %d prolongations, end %s", got.Requests[0].Status, len(got.Prolongations), got.EndAt)
		}
	})
}

func TestEditProlongation_EdgeCase27_ShorteningFreesRoomUpToTheCap(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("ACI", f.endingIn(300).Start)
		// Five yearly SENIOR prolongations, the last ending at the PASS's end: 1825 days used.
		now := f.clk.Now()
		for i := range 5 {
			start := addDays(a.EndAt, -365*(5-i))
			f.exec(`INSERT INTO prolongation (approval_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'SENIOR', ?, ?)`,
				a.ID, start, addDays(start, 365), now, now)
		}
		_, email := f.prescriber(true)
		senior := func(days int) error {
			_, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: Senior, EndAt: addDays(f.get(a).EndAt, days), PrescriberEmail: email})
			return err
		}
		if err := senior(1); !fault.FieldsOf(err).Has(fieldReason) {
			t.Fatalf("cap used up: %v", err)
		}
		got := f.get(a)
		last, first := got.Prolongations[4], got.Prolongations[0]
		if err := f.svc.EditProlongation(ctx, employer, a.PublicID, first.ID, addDays(first.StartAt, 10), ""); kindOf(err) != fault.KindConflict {
			t.Errorf("editing an earlier one: %v", err)
		}
		if err := f.svc.EditProlongation(ctx, employer, a.PublicID, last.ID, addDays(last.StartAt, 366), ""); !fault.FieldsOf(err).Has(fieldEnd) {
			t.Errorf("lengthening past the cap: %v", err)
		}
		if err := f.svc.EditProlongation(ctx, employer, a.PublicID, last.ID, addDays(last.StartAt, 100), "Raccourcie"); err != nil {
			t.Fatal(err)
		}
		if got := f.get(a); !got.EndAt.Equal(addDays(a.EndAt, -265)) {
			t.Fatalf("PASS end %s", got.EndAt)
		}
		if err := senior(266); !fault.FieldsOf(err).Has(fieldEnd) {
			t.Errorf("past the freed room: %v", err)
		}
		if err := senior(265); err != nil {
			t.Errorf("up to the cap again: %v", err)
		}
	})
}
