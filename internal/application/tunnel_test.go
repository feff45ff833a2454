package application

import (
	"context"
	"emplois/internal/application/resumetest"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestApplyWizardNext_AStepIsReachableOnceTheOneBeforeIsValidatedAndASentTunnelOnlyShowsItsEnd(t *testing.T) {
	for _, c := range []struct {
		reached Step
		sent    bool
		step    Step
		want    Step
		ok      bool
	}{
		{"", false, StepCheck, StepCheck, true},
		{"", false, StepJobs, StepCheck, false},
		{"", false, StepEnd, StepCheck, false},
		{StepCheck, false, StepJobs, StepJobs, true},
		{StepCheck, false, StepConfirm, StepJobs, false},
		{StepJobs, false, StepCheck, StepCheck, true},
		{StepMessage, false, StepConfirm, StepConfirm, true},
		{StepMessage, false, StepEnd, StepConfirm, false},
		{StepMessage, true, StepConfirm, StepEnd, false},
		{StepMessage, true, StepCheck, StepEnd, false},
		{StepMessage, true, StepEnd, StepEnd, true},
	} {
		w := &ApplyWizard{Reached: c.reached}
		if c.sent {
			w.SentID = "x"
		}
		if got, ok := w.Next(c.step); got != c.want || ok != c.ok {
			t.Errorf("reached %q, sent %v, step %q: %q %v, want %q %v", c.reached, c.sent, c.step, got, ok, c.want, c.ok)
		}
	}
	if Step("job-seeker").Valid() || !StepEnd.Valid() || !StepConfirm.Valid() {
		t.Error("Valid")
	}
}

func TestPurgeApplyWizards_RemovesExpiredTunnelsAndTheCVsOfThoseNeverSent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.EI, spontaneousOpen())
		f.employer(co)
		js, _ := f.jobSeeker()
		pro := f.prescriber(true)
		walk := func() *ApplyWizard {
			w, err := f.svc.StartApply(ctx, pro, co.UID, "", js.PublicID)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.svc.ConfirmApplyCheck(ctx, pro, w); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.ChooseApplyJobs(ctx, pro, w, nil, true); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.WriteApplyMessage(ctx, pro, w, ApplyMessage{Message: "Bonjour", Resume: resumetest.PDF()}); err != nil {
				t.Fatal(err)
			}
			return w
		}
		abandoned, sent := walk(), walk()
		app, err := f.svc.SendApply(ctx, pro, sent)
		if err != nil {
			t.Fatal(err)
		}
		if app.ResumeKey != sent.ResumeKey || abandoned.ResumeKey == sent.ResumeKey {
			t.Fatalf("CVs %q, %q, candidature's %q", abandoned.ResumeKey, sent.ResumeKey, app.ResumeKey)
		}
		if n, err := f.svc.PurgeApplyWizards(ctx, f.clk.Now()); err != nil || n != 0 {
			t.Fatalf("purged %d before expiry, %v", n, err)
		}
		f.clk.Advance(ApplyWizardTTL + time.Minute)
		if n, err := f.svc.PurgeApplyWizards(ctx, f.clk.Now()); err != nil || n != 2 {
			t.Fatalf("purged %d, %v", n, err)
		}
		for key, want := range map[string]bool{abandoned.ResumeKey: false, sent.ResumeKey: true} {
			if ok, err := f.svc.blobs.Exists(ctx, key); err != nil || ok != want {
				t.Errorf("CV %s exists %v (%v), want %v", key, ok, err, want)
			}
		}
		if n := f.count("wizard_session"); n != 0 {
			t.Errorf("%d tunnels left", n)
		}
	})
}

func TestApplyTunnel_The24HourRuleClosesATunnelWithItsCV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co := f.company(org.EI, spontaneousOpen())
		f.employer(co)
		js, jsa := f.jobSeeker()
		pro := f.prescriber(false)
		w, err := f.svc.StartApply(ctx, pro, co.UID, "", js.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{f.svc.ConfirmApplyCheck(ctx, pro, w), f.svc.ChooseApplyJobs(ctx, pro, w, nil, true),
			f.svc.WriteApplyMessage(ctx, pro, w, ApplyMessage{Message: "Bonjour", Resume: resumetest.PDF()})} {
			if err != nil {
				t.Fatal(err)
			}
		}
		f.submit(jsa, js, co)
		_, err = f.svc.ApplyPageOf(ctx, pro, w, StepConfirm)
		wantFault(t, err, ErrRecentProxy)
		if ok, err := f.svc.blobs.Exists(ctx, w.ResumeKey); err != nil || ok {
			t.Errorf("the closed tunnel's CV is still stored (%v)", err)
		}
		if _, err := f.svc.ApplyWizardOf(ctx, pro, w.Key); err != ErrApplyWizardNotFound {
			t.Errorf("the tunnel is still open: %v", err)
		}
		if n := f.count("job_application"); n != 1 {
			t.Errorf("%d candidatures", n)
		}
	})
}
