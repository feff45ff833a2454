package approval

import (
	"context"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
)

func TestReminderDue_EdgeCase30_Days10_20And30NeverMoreThanThree(t *testing.T) {
	created := time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC) // 16:30 in Paris
	// A daily run: how many reminders a request has received at the end of each day.
	var last *time.Time
	sent := map[int]int{}
	total := 0
	for day := 0; day <= 60; day++ {
		run := time.Date(2026, 3, 2+day, 5, 15, 0, 0, time.UTC)
		if ReminderDue(created, last, Today(run)) {
			total++
			r := run
			last = &r
		}
		sent[day] = total
	}
	for _, c := range []struct{ day, want int }{
		{0, 0}, {9, 0}, {10, 1}, {19, 1}, {20, 2}, {29, 2}, {30, 3}, {31, 3}, {60, 3},
	} {
		if sent[c.day] != c.want {
			t.Errorf("day %d: %d reminders, want %d", c.day, sent[c.day], c.want)
		}
	}
	// The edges of the rule itself.
	day := func(n int) time.Time { return Today(created).AddDate(0, 0, n) }
	at := func(n int) *time.Time { t := created.AddDate(0, 0, n); return &t }
	for _, c := range []struct {
		name  string
		last  *time.Time
		today time.Time
		want  bool
	}{
		{"day 9, never reminded", nil, day(9), false},
		{"day 10, never reminded", nil, day(10), true},
		{"day 30, never reminded", nil, day(30), true},
		{"day 31, never reminded", nil, day(31), false},
		{"9 days after a reminder", at(10), day(19), false},
		{"10 days after a reminder", at(10), day(20), true},
		{"day 31, reminded on day 21", at(21), day(31), false},
	} {
		if got := ReminderDue(created, c.last, c.today); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestReminderTime_From0515UTC(t *testing.T) {
	for _, c := range []struct {
		at   string
		want bool
	}{{"05:14", false}, {"05:15", true}, {"04:59", false}, {"23:59", true}, {"00:00", false}} {
		now, _ := time.Parse("2006-01-02 15:04", "2026-03-02 "+c.at)
		if got := ReminderTime(now); got != c.want {
			t.Errorf("%s: %v, want %v", c.at, got, c.want)
		}
	}
}

func TestSendProlongationReminders_Scenario24AndEdgeCase31(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("AI", f.endingIn(60).Start)
		assignee, email := f.prescriber(true)
		orgID := assignee.Organization.ID
		// 9 admins and 5 plain members besides the assignee; the members logged in at different times.
		var admins, members []string
		for i := 0; i < 9; i++ {
			_, e := f.prescriberMember(orgID, "AFPA")
			admins = append(admins, e)
		}
		for i := 0; i < 5; i++ {
			m, e := f.prescriberMember(orgID, "AFPA")
			f.exec(`UPDATE prescriber_membership SET is_admin = FALSE WHERE user_id = ?`, m.UserID)
			f.exec(`UPDATE users SET last_login = ? WHERE id = ?`, f.clk.Now().Add(time.Duration(i)*time.Hour), m.UserID)
			members = append(members, e)
		}
		if _, err := f.svc.Prolong(ctx, employer, a.PublicID, ProlongationInput{Reason: Senior, EndAt: addDays(a.EndAt, 90), PrescriberEmail: email}); err != nil {
			t.Fatal(err)
		}
		created := f.today()
		run := func(days int, hour int) (int, []mail.OutboxMail) {
			t.Helper()
			mark := f.mark()
			now := time.Date(created.Year(), created.Month(), created.Day()+days, hour, 30, 0, 0, time.UTC)
			f.clk.set(now)
			n, err := f.svc.SendProlongationReminders(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			mails, _ := f.outbox(mark)
			return n, mails
		}
		if n, mails := run(9, 6); n != 0 || len(mails) != 0 {
			t.Fatalf("day 9: %d reminded, %d mails", n, len(mails))
		}
		if n, _ := run(10, 4); n != 0 {
			t.Fatalf("day 10 before 05:15 UTC: %d reminded", n)
		}
		n, mails := run(10, 6)
		if n != 1 || len(mails) != 11 {
			t.Fatalf("day 10: %d reminded, %d mails; want 1 and the assignee + 10 colleagues", n, len(mails))
		}
		to := map[string]bool{}
		for _, m := range mails {
			to[m.To] = true
			if !strings.HasPrefix(m.Subject, "Rappel : demande de prolongation du PASS IAE de ") || !strings.Contains(m.Text, "/approvals/prolongation/request/") {
				t.Errorf("mail %q:\n%s", m.Subject, m.Text)
			}
		}
		want := append([]string{email, members[4]}, admins...) // the admins, then the last to log in
		for _, e := range want {
			if !to[e] {
				t.Errorf("%s not reminded; got %v", e, to)
			}
		}
		if n, _ := run(10, 9); n != 0 {
			t.Errorf("a second run on day 10 reminded %d", n)
		}
		for _, c := range []struct{ day, want int }{{19, 0}, {20, 1}, {29, 0}, {30, 1}, {31, 0}, {40, 0}} {
			if n, _ := run(c.day, 6); n != c.want {
				t.Errorf("day %d: %d reminded, want %d", c.day, n, c.want)
			}
		}
		var sentAt time.Time
		if err := d.NewRaw("SELECT reminder_sent_at FROM prolongation_request").Scan(ctx, &sentAt); err != nil || !Today(sentAt).Equal(addDays(created, 30)) {
			t.Errorf("reminder_sent_at %s (%v), want day 30", sentAt, err)
		}
		// A decided request is not reminded.
		f.exec(`UPDATE prolongation_request SET status = 'DENIED', reminder_sent_at = NULL, created_at = ?`, f.clk.Now().AddDate(0, 0, -10))
		if n, _ := run(41, 6); n != 0 {
			t.Errorf("a denied request reminded: %d", n)
		}
	})
}
