package application

import (
	"context"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func (f *fixture) timelineOf(app *Application) []LogEntry {
	f.t.Helper()
	var list []LogEntry
	if err := f.d.NewSelect().Model(&list).Where("job_application_id = ?", app.ID).OrderExpr("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return list
}

// acceptedIn is a candidature of a new job seeker sent to co by sender and accepted by emp, its
// contract starting in days.
func (f *fixture) acceptedIn(emp actor.Actor, co *org.Company, sender actor.Actor, days int) *Application {
	f.t.Helper()
	js, _ := f.jobSeeker()
	app := f.submit(sender, js, co)
	start := Day(f.clk.Now()).AddDate(0, 0, days)
	if _, err := f.svc.Accept(context.Background(), emp, app.PublicID, AcceptInput{HiringStartAt: &start}); err != nil {
		f.t.Fatal(err)
	}
	return app
}

func TestScenario36_DirectHireCreatesAnAcceptedCandidatureSentByTheCompanyWithProcessAndAcceptLogs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		// Pending elsewhere: becomes « Embauché ailleurs » (R15).
		other := f.company(org.EI, spontaneousOpen())
		f.employer(other)
		pending := f.submit(jsa, js, other)
		f.clearMails()

		app, err := f.svc.DirectHire(ctx, emp, DirectHireInput{JobSeekerPublicID: js.PublicID,
			AcceptInput: AcceptInput{HiringStartAt: today(f)}}, false)
		if err != nil {
			t.Fatal(err)
		}
		got := f.reload(app.PublicID)
		if got.State != Accepted || got.SenderKind != SenderEmployer || got.SenderCompanyID == nil || *got.SenderCompanyID != co.ID ||
			got.SenderID == nil || *got.SenderID != emp.UserID || got.ProcessedAt == nil || got.ApprovalDeliveryMode != DeliveryAutomatic || got.ApprovalID == nil {
			t.Errorf("hired candidature %+v", got)
		}
		var names []TransitionName
		for _, e := range f.timelineOf(got) {
			names = append(names, e.Transition)
		}
		if len(names) != 2 || names[0] != TProcess || names[1] != TAccept {
			t.Errorf("logs %v, want process then accept", names)
		}
		if s := f.reload(pending.PublicID).State; s != Obsolete {
			t.Errorf("the pending candidature elsewhere is %s", s)
		}
		// R37: no « Nouvelle candidature » mail; the acceptance mails go to the job seeker and to
		// the employer as the proxy.
		for _, m := range f.mails() {
			if m.Subject == "Nouvelle candidature" {
				t.Errorf("a new candidature mail went to %s", m.To)
			}
		}
		// And the PASS IAE to the employer.
		if m := f.mailSubjects(); len(m) != 3 || m[0] != "Candidature acceptée" || m[1] != "Candidature acceptée" || m[2] != "PASS IAE pour Julie Martin" {
			t.Errorf("mails %v", m)
		}
		// A second POST within 10 seconds shows the first hire.
		again, err := f.svc.DirectHire(ctx, emp, DirectHireInput{JobSeekerPublicID: js.PublicID,
			AcceptInput: AcceptInput{HiringStartAt: today(f)}}, false)
		if err != nil || again.PublicID != app.PublicID {
			t.Errorf("double POST: %v, %v", again, err)
		}
		if n := f.count("job_application"); n != 2 {
			t.Errorf("%d candidatures", n)
		}
	})
}

func TestDirectHire_ADryRunChecksEverythingAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.GEIQ)
		emp := f.employer(co)
		js, _ := f.jobSeeker()
		job := f.fiche(co, true)
		hours, training := 35, 100
		in := DirectHireInput{JobSeekerPublicID: js.PublicID, AcceptInput: AcceptInput{HiringStartAt: today(f), HiredJobUID: job.UID,
			GEIQ: GEIQContract{ContractType: ContractOther, NbHoursPerWeek: &hours, QualificationType: QualificationCQP,
				QualificationLevel: Level3, PlannedTrainingHours: &training}}}
		_, err := f.svc.DirectHire(ctx, emp, in, true)
		if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != "contract_type_details" {
			t.Fatalf("« Autre » without details: %v", err)
		}
		in.GEIQ.ContractTypeDetails = "CDD d'insertion"
		// A fiche of another company in the POST: a French error on the field.
		in.HiredJobUID = f.fiche(f.company(org.GEIQ), true).UID
		_, err = f.svc.DirectHire(ctx, emp, in, false)
		if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != "hired_job" || fs[0].Message != msgUnknownJob {
			t.Fatalf("another company's fiche: %v", err)
		}
		in.HiredJobUID = job.UID
		app, err := f.svc.DirectHire(ctx, emp, in, true)
		if err != nil || app == nil || app.State != Accepted {
			t.Fatalf("dry run: %v, %v", app, err)
		}
		for _, table := range []string{"job_application", "job_application_transition_log", "audit_event", "mail_outbox"} {
			if n := f.count(table); n != 0 {
				t.Errorf("the dry run wrote %d rows in %s", n, table)
			}
		}
		if _, err := f.svc.DirectHire(ctx, emp, in, false); err != nil {
			t.Fatal(err)
		}
		if n := f.count("job_application"); n != 1 {
			t.Errorf("%d candidatures", n)
		}
	})
}

func TestDirectHire_PermissionsPerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsa := f.jobSeeker()
		in := DirectHireInput{JobSeekerPublicID: js.PublicID, AcceptInput: AcceptInput{HiringStartAt: today(f)}}
		opcs := f.company(org.OPCS)
		ea := f.company(org.EA)
		staff := f.user(actor.Staff, "Sam")
		for name, a := range map[string]actor.Actor{
			"job seeker":    jsa,
			"prescriber":    f.prescriber(true),
			"orienteur":     f.prescriber(false),
			"OPCS employer": f.employer(opcs),
			"EA employer":   f.employer(ea),
			"staff":         {UserID: staff.ID, Kind: actor.Staff},
		} {
			if _, err := f.svc.DirectHire(ctx, a, in, false); err != ErrNoDirectHire {
				t.Errorf("%s: %v", name, err)
			}
			if _, err := f.svc.DirectHireStart(ctx, a, js.PublicID); err != ErrNoDirectHire {
				t.Errorf("%s starts: %v", name, err)
			}
		}
		// A member of the company acting for another one hires into the one acted for only; a
		// professional acting for a company they left is refused.
		_, emp := f.openEmployer(org.ACI)
		if _, err := f.svc.DirectHire(ctx, emp, DirectHireInput{JobSeekerPublicID: "not-a-job-seeker",
			AcceptInput: AcceptInput{HiringStartAt: today(f)}}, false); err != ErrJobSeekerNotFound {
			t.Errorf("unknown job seeker: %v", err)
		}
		if _, err := f.d.NewUpdate().Table("company_membership").Set("is_active = FALSE").Set("is_admin = FALSE").Where("user_id = ?", emp.UserID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DirectHire(ctx, emp, in, false); err == nil {
			t.Error("a former member hired")
		}
		if n := f.count("job_application"); n != 0 {
			t.Errorf("%d candidatures", n)
		}
	})
}

func TestDirectHire_APreviousCandidatureOfLessThan24HoursBlocksOnTheServer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		prev := f.submit(jsa, js, co)
		f.clk.Advance(time.Hour)
		start, err := f.svc.DirectHireStart(ctx, emp, js.PublicID)
		if err != nil || !start.Recent || len(start.Previous) != 1 || start.Previous[0].PublicID != prev.PublicID {
			t.Fatalf("start %+v, %v", start, err)
		}
		in := DirectHireInput{JobSeekerPublicID: js.PublicID, AcceptInput: AcceptInput{HiringStartAt: today(f)}}
		if _, err := f.svc.DirectHire(ctx, emp, in, false); err != ErrRecentProxy {
			t.Fatalf("within 24 hours: %v", err)
		}
		f.clk.Advance(24 * time.Hour)
		if start, _ := f.svc.DirectHireStart(ctx, emp, js.PublicID); start.Recent {
			t.Error("still recent after 25 hours")
		}
		in.HiringStartAt = today(f)
		if _, err := f.svc.DirectHire(ctx, emp, in, false); err != nil {
			t.Fatal(err)
		}
		// The earlier candidature to the same company is pending: it is now obsolete (R15).
		if s := f.reload(prev.PublicID).State; s != Obsolete {
			t.Errorf("previous candidature %s", s)
		}
	})
}

func TestScenario35_ContractDatesMoveWithin30DaysOfANotYetStartedContract(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		app := f.acceptedIn(emp, co, f.prescriber(true), 5)
		in5 := Day(f.clk.Now()).AddDate(0, 0, 5)
		in20, in31, yesterday := Day(f.clk.Now()).AddDate(0, 0, 20), Day(f.clk.Now()).AddDate(0, 0, 31), Day(f.clk.Now()).AddDate(0, 0, -1)
		for _, bad := range []time.Time{in31, yesterday} {
			_, err := f.svc.EditContractDates(ctx, emp, app.PublicID, &bad, nil)
			if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != "hiring_start_at" {
				t.Errorf("start %s: %v", bad, err)
			}
		}
		_, err := f.svc.EditContractDates(ctx, emp, app.PublicID, &in20, &in5)
		if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != "hiring_end_at" {
			t.Errorf("end before start: %v", err)
		}
		if got := f.reload(app.PublicID); !got.HiringStartAt.Equal(in5) {
			t.Errorf("a refused edit changed the start to %s", got.HiringStartAt)
		}
		end := in20.AddDate(1, 0, 0)
		if _, err := f.svc.EditContractDates(ctx, emp, app.PublicID, &in20, &end); err != nil {
			t.Fatal(err)
		}
		got := f.reload(app.PublicID)
		if !got.HiringStartAt.Equal(in20) || !got.HiringEndAt.Equal(end) {
			t.Errorf("dates %s %s", got.HiringStartAt, got.HiringEndAt)
		}
		logs := f.timelineOf(got)
		last := logs[len(logs)-1]
		if last.Transition != LogContractDates || last.FromState != Accepted || last.UserID == nil || *last.UserID != emp.UserID ||
			last.Details != `{"new_end":"`+end.Format(time.DateOnly)+`","new_start":"`+in20.Format(time.DateOnly)+`","old_end":"","old_start":"`+in5.Format(time.DateOnly)+`"}` {
			t.Errorf("log %+v", last)
		}
		want := "Dates du contrat modifiées : début le " + in20.Format("02/01/2006") + " (au lieu du " + in5.Format("02/01/2006") +
			"), fin le " + end.Format("02/01/2006")
		if got := ContractDatesChange(last); got != want {
			t.Errorf("timeline %q, want %q", got, want)
		}
		// Once the contract started, the dates are frozen.
		f.clk.Advance(20 * 24 * time.Hour)
		later := Day(f.clk.Now()).AddDate(0, 0, 3)
		if _, err := f.svc.EditContractDates(ctx, emp, app.PublicID, &later, nil); err != ErrDatesFrozen {
			t.Errorf("started contract: %v", err)
		}
	})
}

func TestContractDates_PermissionsPerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		sender := f.prescriber(true)
		app := f.acceptedIn(emp, co, sender, 5)
		jsa := actor.Actor{UserID: app.JobSeekerID, Kind: actor.JobSeeker} // the candidature's own job seeker
		in5 := Day(f.clk.Now()).AddDate(0, 0, 5)
		in10 := in5.AddDate(0, 0, 5)
		for name, a := range map[string]actor.Actor{"job seeker": jsa, "sender": sender, "other employer": f.employer(f.company(org.ACI))} {
			if _, err := f.svc.EditContractDates(ctx, a, app.PublicID, &in10, nil); err != ErrNotFound {
				t.Errorf("%s: %v", name, err)
			}
			if _, err := f.svc.ContractDatesOf(ctx, a, app.PublicID); err != ErrNotFound {
				t.Errorf("%s sees: %v", name, err)
			}
		}
		view, err := f.svc.ContractDatesOf(ctx, f.employer(co), app.PublicID)
		if err != nil || !view.Editable || !view.HiringStartAt.Equal(in5) {
			t.Errorf("a colleague sees %+v, %v", view, err)
		}
		// A new candidature is not accepted: its dates cannot be edited.
		js2, _ := f.jobSeeker()
		fresh := f.submit(sender, js2, co)
		if _, err := f.svc.EditContractDates(ctx, emp, fresh.PublicID, &in10, nil); err != ErrDatesFrozen {
			t.Errorf("new candidature: %v", err)
		}
	})
}
