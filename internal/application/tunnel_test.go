package application

import "testing"

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
