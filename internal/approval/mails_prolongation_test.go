package approval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
)

// outbox is the mails written since the mark, one line each: "to | subject".
func (f *fixture) outbox(after int64) ([]mail.OutboxMail, string) {
	f.t.Helper()
	var mails []mail.OutboxMail
	if err := f.d.NewSelect().Model(&mails).Where("id > ?", after).OrderExpr("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	var lines []string
	for _, m := range mails {
		lines = append(lines, m.To+" | "+m.Subject)
	}
	return mails, strings.Join(lines, "\n")
}

func (f *fixture) mark() int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw("SELECT COALESCE(MAX(id), 0) FROM mail_outbox").Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func TestMails_Scenarios16To19_TheAssigneeThenTheEmployerAndTheJobSeeker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.WithMail(MailSettings{BaseURL: "https://emplois.example.org"})
		ctx := context.Background()
		prescriber, email := f.prescriber(true)
		employerMail := func(e int64) string { return f.email(e) }

		// 16: the request is mailed to its assignee, with a link to it.
		a, employer := f.hired("AI", f.endingIn(60).Start)
		mark := f.mark()
		out, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: RQTH, EndAt: addDays(a.EndAt, 90), PrescriberEmail: email})
		if err != nil {
			t.Fatal(err)
		}
		mails, list := f.outbox(mark)
		if len(mails) != 1 || mails[0].To != email || !strings.Contains(mails[0].Text, "https://emplois.example.org"+RequestPath(out.Request.ID)) ||
			!strings.Contains(mails[0].Text, a.DisplayNumber()) {
			t.Fatalf("request mails:\n%s\n%s", list, mails[0].Text)
		}
		// 18: granted, the employer and the job seeker learn the new end.
		mark = f.mark()
		if _, err := f.svc.Grant(ctx, prescriber, out.Request.ID); err != nil {
			t.Fatal(err)
		}
		mails, list = f.outbox(mark)
		want := fmt.Sprintf("%s | Prolongation du PASS IAE de Julie Martin acceptée\n%s | Prolongation de votre PASS IAE acceptée",
			employerMail(employer.UserID), employerMail(a.UserID))
		if list != want {
			t.Fatalf("grant mails:\n%s\nwant\n%s", list, want)
		}
		newEnd := f.get(a).EndAt.Format("02/01/2006")
		for _, m := range mails {
			if !strings.Contains(m.Text, "valide jusqu'au "+newEnd) {
				t.Errorf("mail to %s without the new end %s:\n%s", m.To, newEnd, m.Text)
			}
		}

		// 19: denied, both learn why; the actions proposed are told.
		b, employerB := f.hired("AI", f.endingIn(60).Start)
		out, err = f.svc.Prolong(ctx, employerB, b.PublicID, ProlongationInput{Reason: Senior, EndAt: addDays(b.EndAt, 90), PrescriberEmail: email})
		if err != nil {
			t.Fatal(err)
		}
		mark = f.mark()
		deny := DenyInput{Reason: DenyIAE, ReasonExplanation: "Le parcours est achevé.", ProposedActions: []ProposedAction{ActionExitIAE},
			ProposedActionsExplanation: "Orientation vers un emploi classique."}
		if err := f.svc.Deny(ctx, prescriber, out.Request.ID, deny); err != nil {
			t.Fatal(err)
		}
		mails, list = f.outbox(mark)
		if len(mails) != 2 || mails[0].To != employerMail(employerB.UserID) || mails[1].To != employerMail(b.UserID) {
			t.Fatalf("deny mails:\n%s", list)
		}
		for _, m := range mails {
			if !strings.Contains(m.Subject, "refusée") || !strings.Contains(m.Text, DenyIAE.Label()) || !strings.Contains(m.Text, ActionExitIAE.Label()) {
				t.Errorf("deny mail to %s:\n%s", m.To, m.Text)
			}
		}
		if !strings.Contains(mails[0].Text, "Le parcours est achevé.") {
			t.Errorf("the employer is told the explanation:\n%s", mails[0].Text)
		}

		// A direct prolongation sends nothing (§2.11).
		c, employerC := f.hired("EI", f.endingIn(60).Start)
		mark = f.mark()
		if _, err := f.svc.Prolong(ctx, employerC, c.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(c.EndAt, 30)}); err != nil {
			t.Fatal(err)
		}
		if _, list := f.outbox(mark); list != "" {
			t.Errorf("direct prolongation mails:\n%s", list)
		}
	})
}
