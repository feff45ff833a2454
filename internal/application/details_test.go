package application

import (
	"context"
	"slices"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func names(ts []Transition) []TransitionName {
	out := make([]TransitionName, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func TestActionsFor_ReadsTheTableAndLeavesOutWhatOtherActsFire(t *testing.T) {
	for _, tc := range []struct {
		who   Who
		state State
		want  []TransitionName
	}{
		{ByEmployer, New, []TransitionName{TProcess, TPostpone, TAddToPool, TAccept, TRefuse, TTransfer}},
		{ByEmployer, PriorToHire, []TransitionName{TPostpone, TAccept, TRefuse, TTransfer}},
		{ByEmployer, Accepted, []TransitionName{TCancel}},
		{ByEmployer, Refused, []TransitionName{TAccept, TTransfer, TExternalTransfer}},
		{ByEmployer, Obsolete, []TransitionName{TAddToPool, TAccept, TTransfer}},
		{ByStaff, Obsolete, []TransitionName{TAccept, TReset}},
		{ByStaff, New, []TransitionName{TProcess, TAccept}},
		{ByStaff, Accepted, []TransitionName{TCancel}},
	} {
		if got := names(ActionsFor(tc.who, tc.state)); !slices.Equal(got, tc.want) {
			t.Errorf("%v from %s: %v, want %v", tc.who, tc.state, got, tc.want)
		}
	}
	// Whatever the state, every action is a line of the table that leaves it for them.
	for _, s := range States {
		for _, tr := range ActionsFor(ByEmployer, s) {
			if !tr.Allows(s) || !tr.Who.Has(ByEmployer) || implicitTransitions[tr.Name] {
				t.Errorf("%s offered from %s", tr.Name, s)
			}
		}
	}
}

func TestDetails_EachSideSeesItsPartOfARefusal(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		orienteur := f.prescriber(false)
		js, jsa := f.jobSeeker()
		app := f.submit(orienteur, js, co)
		if _, err := f.svc.Refuse(ctx, emp, app.PublicID, RefuseInput{Reason: ReasonOther, Answer: "Non.", AnswerToPrescriber: "Le poste est pourvu."}); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.Details(ctx, jsa, app.PublicID, SenderPage)
		if err != nil {
			t.Fatal(err)
		}
		if mine.Side != SideJobSeeker || mine.RefusalReason != "" || mine.AnswerToPrescriber != "" || mine.App.Answer != "Non." || mine.EmployerContact != "" {
			t.Errorf("the job seeker sees %+v", mine)
		}
		sent, err := f.svc.Details(ctx, orienteur, app.PublicID, SenderPage)
		if err != nil {
			t.Fatal(err)
		}
		if sent.Side != SideSender || sent.RefusalReason != ReasonOther || sent.ReasonShared || sent.AnswerToPrescriber != "Le poste est pourvu." ||
			!sent.Masked || sent.JobSeekerName != "J… M…" || sent.SenderKind != "Orienteur" || sent.EmployerContact == "" || len(sent.Actions) != 0 {
			t.Errorf("the orienteur sees %+v", sent)
		}
		received, err := f.svc.Details(ctx, emp, app.PublicID, EmployerPage)
		if err != nil {
			t.Fatal(err)
		}
		if received.Side != SideEmployer || received.Masked || received.RefusalReason != ReasonOther ||
			!slices.Equal(names(received.Actions), []TransitionName{TAccept, TTransfer, TExternalTransfer}) || !received.CanArchive ||
			len(received.History) != 2 || received.History[0].Label != "Passé en « Candidature déclinée »" || received.History[0].By == "" {
			t.Errorf("the employer sees %+v", received)
		}
		// Pages of the other side are not found.
		for _, tc := range []struct {
			a actor.Actor
			p Page
		}{{jsa, EmployerPage}, {orienteur, EmployerPage}, {emp, SenderPage}, {f.prescriber(true), SenderPage}, {actor.Actor{}, SenderPage}} {
			if _, err := f.svc.Details(ctx, tc.a, app.PublicID, tc.p); err != ErrNotFound {
				t.Errorf("%+v on page %d: %v", tc.a, tc.p, err)
			}
		}
	})
}

// TestDetails_EmployersNoLongerSeeACandidatureAfterTwoYearsUnlessAccepted: R31 (scenario 31).
func TestDetails_EmployersNoLongerSeeACandidatureAfterTwoYearsUnlessAccepted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		old := f.submit(jsa, js, co)
		f.clk.Advance(ResubmitAfter)
		hired := f.submit(jsa, js, co)
		if _, err := f.svc.Accept(ctx, emp, hired.PublicID, AcceptInput{HiringStartAt: today(f)}); err != nil {
			t.Fatal(err)
		}
		f.clk.t = f.clk.t.AddDate(VisibleYears, 0, 1)
		if _, err := f.svc.Details(ctx, emp, old.PublicID, EmployerPage); err != ErrNotFound {
			t.Errorf("an old candidature: %v", err)
		}
		if _, err := f.svc.Details(ctx, emp, hired.PublicID, EmployerPage); err != nil {
			t.Errorf("an old accepted candidature: %v", err)
		}
		if _, err := f.svc.Details(ctx, jsa, old.PublicID, SenderPage); err != nil {
			t.Errorf("the job seeker's own: %v", err)
		}
	})
}
