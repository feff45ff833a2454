package application

import (
	"bytes"
	"context"
	"emplois/internal/application/resumetest"
	"io"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

// refusedWithResume is a candidature with a CV, sent by a prescriber to co and refused by emp.
func (f *fixture) refusedWithResume(emp actor.Actor, co *org.Company) *Application {
	f.t.Helper()
	js, _ := f.jobSeeker()
	app, err := f.svc.Submit(context.Background(), f.prescriber(true), SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID,
		Spontaneous: true, Message: "Candidat motivé.", Resume: resumetest.PDF()})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.svc.Refuse(context.Background(), emp, app.PublicID, RefuseInput{Reason: "no_position", Answer: "Pas de poste.",
		AnswerToPrescriber: "Désolés."}); err != nil {
		f.t.Fatal(err)
	}
	return f.reload(app.PublicID)
}

func TestScenario26_AnExternalTransferKeepingTheCVCreatesANewCandidatureAndLogsOnTheOriginal(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		orig := f.refusedWithResume(emp, co)
		target := f.company(org.EI)
		f.employer(target)
		job := f.fiche(target, true)

		draft, err := f.svc.ExternalTransferDraft(ctx, emp, orig.PublicID)
		if err != nil || !draft.HasResume || draft.Message != "Le 02/03/2026, Paul MARTIN a écrit :\nCandidat motivé." {
			t.Fatalf("draft %+v, %v", draft, err)
		}
		targets, err := f.svc.TransferTargets(ctx, emp, "structure", 10)
		if err != nil || len(targets) != 1 || targets[0].UID != target.UID {
			t.Errorf("targets %+v, %v (the own company is left out)", targets, err)
		}
		for _, q := range []string{"struc_ure", "%ucture", `structure\`} {
			if targets, err := f.svc.TransferTargets(ctx, emp, q, 10); err != nil || len(targets) != 0 {
				t.Errorf("%q is not a pattern: %+v, %v", q, targets, err)
			}
		}
		f.clearMails()
		in := ExternalTransferInput{TargetCompanyUID: target.UID, JobUIDs: []string{job.UID}, Message: draft.Message}
		_, err = f.svc.ExternalTransfer(ctx, emp, orig.PublicID, in)
		if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != "resume_choice" {
			t.Fatalf("no CV choice: %v", err)
		}
		in.ResumeChoice, in.Resume = KeepResume, []byte("ignored, not even a PDF")
		app, err := f.svc.ExternalTransfer(ctx, emp, orig.PublicID, in)
		if err != nil {
			t.Fatal(err)
		}
		if app.State != New || app.ToCompanyID != target.ID || app.SenderKind != SenderEmployer || *app.SenderCompanyID != co.ID ||
			*app.SenderID != emp.UserID || app.JobSeekerID != orig.JobSeekerID || app.ResumeKey == "" || app.ResumeKey == orig.ResumeKey {
			t.Errorf("new candidature %+v", app)
		}
		r, err := f.svc.OpenResume(ctx, emp, app.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(data, resumetest.PDF()) {
			t.Error("the kept CV is not the original's")
		}
		got := f.reload(orig.PublicID)
		logs := f.timelineOf(got)
		last := logs[len(logs)-1]
		if got.State != Refused || last.Transition != TExternalTransfer || last.TargetCompanyID == nil || *last.TargetCompanyID != target.ID {
			t.Errorf("original %s, log %+v", got.State, last)
		}
		// The target's members get « Nouvelle candidature », the transferring employer the proxy copy.
		subjects := map[string]int{}
		for _, m := range f.mails() {
			subjects[m.Subject]++
		}
		if subjects["Nouvelle candidature"] != 1 || subjects["Confirmation d'envoi de candidature pour Julie MARTIN"] != 1 {
			t.Errorf("mails %v", subjects)
		}
	})
}

func TestExternalTransfer_GuardsAndBadInputWriteNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		orig := f.refusedWithResume(emp, co)
		target := f.company(org.EI) // spontaneous candidatures closed
		f.employer(target)
		before := f.count("job_application")
		logs := len(f.timelineOf(orig))
		cases := map[string]struct {
			in   ExternalTransferInput
			want string
		}{
			"closed spontaneous": {ExternalTransferInput{TargetCompanyUID: target.UID, Spontaneous: true, Message: "m", ResumeChoice: DropResume}, "jobs"},
			"no message":         {ExternalTransferInput{TargetCompanyUID: target.UID, JobUIDs: []string{f.fiche(target, true).UID}, ResumeChoice: DropResume}, "message"},
			"a PNG as CV":        {ExternalTransferInput{TargetCompanyUID: target.UID, Spontaneous: true, Message: "m", ResumeChoice: DropResume, Resume: []byte("\x89PNG")}, "resume"},
			"unknown company":    {ExternalTransferInput{TargetCompanyUID: "nope", Spontaneous: true, Message: "m", ResumeChoice: DropResume}, "target"},
			"own company":        {ExternalTransferInput{TargetCompanyUID: co.UID, Spontaneous: true, Message: "m", ResumeChoice: DropResume}, "target"},
		}
		for name, c := range cases {
			_, err := f.svc.ExternalTransfer(ctx, emp, orig.PublicID, c.in)
			if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != c.want {
				t.Errorf("%s: %v", name, err)
			}
		}
		if f.count("job_application") != before || len(f.timelineOf(orig)) != logs {
			t.Error("a refused transfer wrote")
		}
		// Only a refused candidature leaves this way, and only for the company acted for.
		js, jsa := f.jobSeeker()
		fresh := f.submit(jsa, js, co)
		in := ExternalTransferInput{TargetCompanyUID: target.UID, JobUIDs: []string{f.fiche(target, true).UID}, Message: "m"}
		if _, err := f.svc.ExternalTransfer(ctx, emp, fresh.PublicID, in); err == nil || err.Error() != stateConflict(TExternalTransfer, New).Error() {
			t.Errorf("new candidature: %v", err)
		}
		for name, a := range map[string]actor.Actor{"job seeker": jsa, "prescriber": f.prescriber(true), "target's employer": f.employer(target)} {
			if _, err := f.svc.ExternalTransfer(ctx, a, orig.PublicID, in); err != ErrNotFound {
				t.Errorf("%s: %v", name, err)
			}
		}
		// The 24-hour rule of §3.0 holds: the job seeker applied to the target an hour ago.
		var jsPublic string
		if err := f.d.NewSelect().Table("users").Column("public_id").Where("id = ?", orig.JobSeekerID).Scan(ctx, &jsPublic); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(ctx, f.prescriber(true), SubmitInput{CompanyUID: target.UID, JobSeekerPublicID: jsPublic,
			JobUIDs: in.JobUIDs, Message: "m"}); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Hour)
		in.ResumeChoice = DropResume
		if _, err := f.svc.ExternalTransfer(ctx, emp, orig.PublicID, in); err != ErrRecentProxy {
			t.Errorf("24-hour rule: %v", err)
		}
	})
}

func TestReminders_MembersAreRemindedOnceOfEachCandidatureWaitingPastTheThreshold(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		f.svc.ReminderAfter = 10 * 24 * time.Hour
		co := f.company(org.ACI, spontaneousOpen())
		emp, muted := f.employer(co), f.employer(co)
		if err := f.svc.SetNotification(ctx, muted, NotifyReminder, ModeOff); err != nil {
			t.Fatal(err)
		}
		var apps []*Application
		for _, s := range []State{New, Processing, Postponed, New} {
			js, jsa := f.jobSeeker()
			app := f.submit(jsa, js, co)
			f.setState(app, s, f.clk.Now())
			apps = append(apps, app)
		}
		f.clk.Advance(9 * 24 * time.Hour)
		f.clearMails()
		if n, err := f.svc.SendReminders(ctx, f.clk.Now()); err != nil || n != 0 {
			t.Fatalf("before the threshold: %d, %v", n, err)
		}
		f.clk.Advance(2 * 24 * time.Hour)
		f.setState(apps[3], New, f.clk.Now().Add(-time.Hour)) // touched recently
		n, err := f.svc.SendReminders(ctx, f.clk.Now())
		if err != nil || n != 2 {
			t.Fatalf("%d reminded, %v", n, err)
		}
		m := f.mails()
		if len(m) != 1 || m[0].To != emailOfActor(f, emp) || m[0].Subject != "Candidatures en attente de réponse chez "+co.Name {
			t.Fatalf("mails %+v", m)
		}
		for i, app := range apps {
			if got := bytes.Contains([]byte(m[0].Text), []byte(DetailsPath(app.PublicID))); got != (i < 2) {
				t.Errorf("candidature %d named: %v", i, got)
			}
		}
		if !bytes.Contains([]byte(m[0].Text), []byte("depuis plus de 10 jours")) {
			t.Errorf("text %s", m[0].Text)
		}
		// Once per candidature: the next runs send nothing about them.
		f.clk.Advance(30 * 24 * time.Hour)
		f.setState(apps[2], Postponed, f.clk.Now())
		f.clearMails()
		if n, err := f.svc.SendReminders(ctx, f.clk.Now()); err != nil || n != 1 {
			t.Errorf("next run: %d, %v (only the 4th one)", n, err)
		}
	})
}

func emailOfActor(f *fixture, a actor.Actor) string {
	p, err := personByID(context.Background(), f.d, a.UserID)
	if err != nil {
		f.t.Fatal(err)
	}
	return p.Email
}

func TestWeeklyDigest_CollectsTheNewCandidatureMailsAndSendsThemOnceAWeek(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.ACI, spontaneousOpen())
		weekly, each := f.employer(co), f.employer(co)
		if err := f.svc.SetNotification(ctx, weekly, NotifyNewApplication, ModeWeekly); err != nil {
			t.Fatal(err)
		}
		f.clearMails()
		var apps []*Application
		for range 3 {
			js, jsa := f.jobSeeker()
			apps = append(apps, f.submit(jsa, js, co))
			f.clk.Advance(2 * 24 * time.Hour)
		}
		news := 0
		for _, m := range f.mails() {
			if m.Subject == "Nouvelle candidature" {
				news++
				if m.To != emailOfActor(f, each) {
					t.Errorf("a « Nouvelle candidature » mail went to %s", m.To)
				}
			}
		}
		if news != 3 {
			t.Errorf("%d new candidature mails to the member who wants each", news)
		}
		f.clearMails()
		// Six days after the first: not yet.
		if n, err := f.svc.SendWeeklyDigests(ctx, f.clk.Now()); err != nil || n != 0 {
			t.Fatalf("after 6 days: %d, %v", n, err)
		}
		f.clk.Advance(24 * time.Hour)
		if n, err := f.svc.SendWeeklyDigests(ctx, f.clk.Now()); err != nil || n != 1 {
			t.Fatalf("after 7 days: %d, %v", n, err)
		}
		m := f.mails()
		if len(m) != 1 || m[0].To != emailOfActor(f, weekly) || m[0].Subject != "Vos nouvelles candidatures de la semaine" {
			t.Fatalf("mails %+v", m)
		}
		for _, app := range apps {
			if !bytes.Contains([]byte(m[0].Text), []byte(DetailsPath(app.PublicID))) {
				t.Errorf("the digest leaves out %s", app.PublicID)
			}
		}
		if f.count("job_application_digest_item") != 0 {
			t.Error("the digest's candidatures are still kept")
		}
		if n, _ := f.svc.SendWeeklyDigests(ctx, f.clk.Now().Add(30*24*time.Hour)); n != 0 {
			t.Errorf("%d digests with nothing new", n)
		}
	})
}

func TestNotificationSettings_PerRoleAndAllOrNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.ACI, spontaneousOpen())
		emp, pres := f.employer(co), f.prescriber(false)
		_, jsa := f.jobSeeker()
		// A job seeker and staff have no settings.
		staff := f.user(actor.Staff, "Sam")
		for name, a := range map[string]actor.Actor{"job seeker": jsa, "staff": {UserID: staff.ID, Kind: actor.Staff}} {
			if _, err := f.svc.Notifications(ctx, a); err != ErrForbidden {
				t.Errorf("%s: %v", name, err)
			}
			if err := f.svc.SetNotification(ctx, a, NotifyAccepted, ModeOff); err != ErrForbidden {
				t.Errorf("%s sets: %v", name, err)
			}
		}
		modes, err := f.svc.Notifications(ctx, pres)
		if _, employerKind := modes[NotifyNewApplication]; err != nil || employerKind || len(modes) != len(NotificationKinds)-2 {
			t.Errorf("a prescriber's kinds %v, %v", modes, err)
		}
		// One refused choice writes nothing of the others.
		err = f.svc.SetNotifications(ctx, pres, map[NotificationKind]string{NotifyAccepted: ModeOff, NotifyRefused: ModeWeekly})
		if fs := fault.FieldsOf(err); len(fs) != 1 || fs[0].Field != string(NotifyRefused) {
			t.Fatalf("weekly refusals: %v", err)
		}
		if err := f.svc.SetNotification(ctx, pres, NotifyNewApplication, ModeOff); err == nil {
			t.Error("a prescriber set an employer's kind")
		}
		if n := f.count("job_application_notification_setting"); n != 0 {
			t.Errorf("%d settings written", n)
		}
		if err := f.svc.SetNotifications(ctx, emp, map[NotificationKind]string{NotifyNewApplication: ModeWeekly, NotifyAccepted: ModeOff}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetNotification(ctx, emp, NotifyAccepted, ModeOn); err != nil {
			t.Fatal(err)
		}
		modes, _ = f.svc.Notifications(ctx, emp)
		if modes[NotifyNewApplication] != ModeWeekly || modes[NotifyAccepted] != ModeOn || f.count("job_application_notification_setting") != 1 {
			t.Errorf("modes %v", modes)
		}
	})
}

func TestWeeklyDigest_AMemberWhoLeftGetsNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		leaving := f.employer(co)
		if err := f.svc.SetNotification(ctx, leaving, NotifyNewApplication, ModeWeekly); err != nil {
			t.Fatal(err)
		}
		js, jsa := f.jobSeeker()
		f.submit(jsa, js, co)
		if _, err := f.d.NewUpdate().Table("company_membership").Set("is_active = FALSE").Set("is_admin = FALSE").
			Where("user_id = ?", leaving.UserID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		f.clearMails()
		if n, err := f.svc.SendWeeklyDigests(ctx, f.clk.Now().Add(DigestEvery)); err != nil || n != 0 || len(f.mails()) != 0 {
			t.Errorf("%d digests, %v, mails %v", n, err, f.mails())
		}
		if f.count("job_application_digest_item") != 0 {
			t.Error("the items of a former member are kept")
		}
	})
}
