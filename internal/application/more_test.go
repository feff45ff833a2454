package application

import (
	"context"
	"strings"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestComments_MembersAddThemAndOnlyTheAuthorDeletesOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.ACI, spontaneousOpen())
		emma, other := f.employer(co), f.employer(co)
		js, _ := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, co)

		c, err := f.svc.AddComment(ctx, emma, app.PublicID, "  À rappeler lundi.  ")
		if err != nil {
			t.Fatal(err)
		}
		if c.Message != "À rappeler lundi." || c.CompanyID != co.ID {
			t.Errorf("comment %+v", c)
		}
		list, err := f.svc.Comments(ctx, other, app.PublicID)
		if err != nil || len(list) != 1 || list[0].Mine || list[0].AuthorName == "" {
			t.Fatalf("another member sees %+v, %v", list, err)
		}
		if err := f.svc.DeleteComment(ctx, other, app.PublicID, c.PublicID); err == nil {
			t.Error("a member deleted another member's comment")
		} else if k, _ := fault.KindOf(err); k != fault.KindForbidden {
			t.Errorf("kind %v", k)
		}
		if err := f.svc.DeleteComment(ctx, emma, app.PublicID, c.PublicID); err != nil {
			t.Fatal(err)
		}
		if f.count("job_application_comment") != 0 {
			t.Error("the comment is still there")
		}
	})
}

func TestComments_AnEmptyOrTooLongMessageIsAFieldErrorAndNothingIsWritten(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		js, _ := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, co)
		for _, msg := range []string{"   ", strings.Repeat("é", MaxCommentLength+1)} {
			_, err := f.svc.AddComment(ctx, emp, app.PublicID, msg)
			if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != "message" {
				t.Errorf("%d characters: %v", len(msg), err)
			}
		}
		if _, err := f.svc.AddComment(ctx, emp, app.PublicID, strings.Repeat("é", MaxCommentLength)); err != nil {
			t.Errorf("2000 characters refused: %v", err)
		}
		if f.count("job_application_comment") != 1 {
			t.Error("a refused comment was written")
		}
	})
}

func TestComments_PermissionsPerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		js, jsa := f.jobSeeker()
		sender := f.prescriber(true)
		app := f.submit(sender, js, co)
		staff := actor.Actor{UserID: f.user(actor.Staff, "Sam").ID, Kind: actor.Staff}
		for _, tc := range []struct {
			name string
			a    actor.Actor
		}{
			{"job seeker", jsa}, {"prescriber sender", sender}, {"staff", staff},
			{"member of another company", f.employer(f.company(org.EI))}, {"anonymous", actor.Actor{}},
		} {
			if _, err := f.svc.AddComment(ctx, tc.a, app.PublicID, "Note"); err != ErrNotFound {
				t.Errorf("%s adds: %v", tc.name, err)
			}
			if _, err := f.svc.Comments(ctx, tc.a, app.PublicID); err != ErrNotFound {
				t.Errorf("%s reads: %v", tc.name, err)
			}
		}
		if f.count("job_application_comment") != 0 {
			t.Error("a comment was written")
		}
	})
}

func TestTransfer_DeletesTheCommentsOfTheOrigin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, target := f.company(org.ACI, spontaneousOpen()), f.company(org.EI)
		emp := f.employer(co)
		f.join("company_membership", emp.UserID, target.ID, false)
		js, _ := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, co)
		if _, err := f.svc.AddComment(ctx, emp, app.PublicID, "Interne"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Transfer(ctx, emp, app.PublicID, target.UID); err != nil {
			t.Fatal(err)
		}
		if f.count("job_application_comment") != 0 {
			t.Error("the origin's comments survived the internal transfer")
		}
	})
}

func TestScenario34_AddingAPriorActionMovesToPriorToHireAndDeletingTheLastBackToProcessing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.GEIQ)
		js, _ := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, co)
		if _, err := f.svc.Process(ctx, emp, app.PublicID); err != nil {
			t.Fatal(err)
		}
		start := Day(f.clk.Now())
		end := start.AddDate(0, 0, 10)
		first, err := f.svc.AddPriorAction(ctx, emp, app.PublicID, PriorActionInput{Action: ActionPMSMP, StartAt: &start, EndAt: &end})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.reload(app.PublicID).State; got != PriorToHire {
			t.Fatalf("state %s after the first prior action", got)
		}
		second, err := f.svc.AddPriorAction(ctx, emp, app.PublicID, PriorActionInput{Action: ActionPOE, StartAt: &start, EndAt: &end})
		if err != nil {
			t.Fatal(err)
		}
		later := end.AddDate(0, 0, 5)
		if _, err := f.svc.UpdatePriorAction(ctx, emp, app.PublicID, second.PublicID, PriorActionInput{Action: ActionAFPR, StartAt: &start, EndAt: &later}); err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.PriorActions(ctx, emp, app.PublicID)
		if err != nil || len(list) != 2 {
			t.Fatalf("%d prior actions, %v", len(list), err)
		}
		if err := f.svc.DeletePriorAction(ctx, emp, app.PublicID, first.PublicID); err != nil {
			t.Fatal(err)
		}
		if got := f.reload(app.PublicID).State; got != PriorToHire {
			t.Errorf("state %s with one prior action left", got)
		}
		if err := f.svc.DeletePriorAction(ctx, emp, app.PublicID, second.PublicID); err != nil {
			t.Fatal(err)
		}
		if got := f.reload(app.PublicID).State; got != Processing {
			t.Errorf("state %s after deleting the last prior action", got)
		}
		var logs []LogEntry
		if err := d.NewSelect().Model(&logs).Where("job_application_id = ?", app.ID).OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, l := range logs {
			names = append(names, string(l.Transition))
		}
		if got := strings.Join(names, ","); got != "process,move_to_prior_to_hire,cancel_prior_to_hire" {
			t.Errorf("timeline %s", got)
		}
	})
}

func TestPriorActions_AreForGEIQOnlyFrozenOnceAcceptedAndCheckTheirDates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		start := Day(f.clk.Now())
		end := start.AddDate(0, 0, 3)
		in := PriorActionInput{Action: ActionMRS, StartAt: &start, EndAt: &end}

		aci, aciEmp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, aci)
		if _, err := f.svc.AddPriorAction(ctx, aciEmp, app.PublicID, in); err != ErrNotGEIQ {
			t.Errorf("ACI: %v", err)
		}

		geiq, emp := f.openEmployer(org.GEIQ)
		gapp := f.submit(f.prescriber(true), js, geiq)
		if _, err := f.svc.AddPriorAction(ctx, jsa, gapp.PublicID, in); err != ErrNotFound {
			t.Errorf("job seeker: %v", err)
		}
		if _, err := f.svc.AddPriorAction(ctx, f.employer(f.company(org.GEIQ)), gapp.PublicID, in); err != ErrNotFound {
			t.Errorf("member of another GEIQ: %v", err)
		}
		before := start.AddDate(0, 0, -1)
		_, err := f.svc.AddPriorAction(ctx, emp, gapp.PublicID, PriorActionInput{Action: "X", StartAt: &start, EndAt: &before})
		if fs := fault.FieldsOf(err); len(fs) != 2 {
			t.Errorf("bad form: %v", err)
		}
		if f.count("job_application_prior_action") != 0 || f.reload(gapp.PublicID).State != New {
			t.Error("a refused prior action changed something")
		}

		pa, err := f.svc.AddPriorAction(ctx, emp, gapp.PublicID, in)
		if err != nil {
			t.Fatal(err)
		}
		f.setState(gapp, Accepted, f.clk.Now().Add(-time.Hour))
		if _, err := f.svc.AddPriorAction(ctx, emp, gapp.PublicID, in); err != ErrPriorActionsFrozen {
			t.Errorf("add once accepted: %v", err)
		}
		if _, err := f.svc.UpdatePriorAction(ctx, emp, gapp.PublicID, pa.PublicID, in); err != ErrPriorActionsFrozen {
			t.Errorf("update once accepted: %v", err)
		}
		if err := f.svc.DeletePriorAction(ctx, emp, gapp.PublicID, pa.PublicID); err != ErrPriorActionsFrozen {
			t.Errorf("delete once accepted: %v", err)
		}
	})
}
