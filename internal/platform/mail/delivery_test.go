package mail_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
	"emplois/internal/platform/mail/mailtest"
)

const from = "Les emplois de l'inclusion <ne-pas-repondre@inclusion.gouv.fr>"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts a second from now, so that the mails a test queues are due.
func newClock() *clock { return &clock{t: time.Now().UTC().Add(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newSender(t *testing.T, d *db.DB, url string, c *clock, tlsConfig *tls.Config) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(d, mail.SenderOptions{SMTPURL: url, From: from, Now: c.Now, Log: quiet, TLSConfig: tlsConfig})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func enqueue(t *testing.T, d *db.DB, m mail.Message) {
	t.Helper()
	if err := mail.Enqueue(context.Background(), d, m); err != nil {
		t.Fatal(err)
	}
}

func outbox(t *testing.T, d *db.DB) []mail.OutboxMail {
	t.Helper()
	var rows []mail.OutboxMail
	if err := d.NewSelect().Model(&rows).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rows
}

func plainURL(s *mailtest.Server) string { return "smtp://" + s.Addr + "?tls=none" }

func TestDeliverDue_SendsTextAndHTMLPartsWithFrenchHeaders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t, "", mailtest.Options{})
		c := newClock()
		enqueue(t, d, mail.Compose("marie.curie@example.org", "Réinitialisation de votre mot de passe", mail.Body{
			Greeting:   "Bonjour Marie,",
			Paragraphs: []string{"Vous avez demandé à réinitialiser votre mot de passe."},
			Action:     &mail.Action{Label: "Choisir un nouveau mot de passe", URL: "https://emplois.example/accounts/reset/abc"},
		}))
		sent, err := newSender(t, d, plainURL(srv), c, nil).DeliverDue(context.Background())
		if err != nil || sent != 1 {
			t.Fatalf("DeliverDue = %d, %v; want 1 sent", sent, err)
		}
		got := srv.Received()
		if len(got) != 1 {
			t.Fatalf("server received %d messages; want 1", len(got))
		}
		if got[0].From != "ne-pas-repondre@inclusion.gouv.fr" || fmt.Sprint(got[0].To) != "[marie.curie@example.org]" {
			t.Errorf("envelope = %s -> %v", got[0].From, got[0].To)
		}
		m, err := mailtest.Parse(got[0].Data)
		if err != nil {
			t.Fatal(err)
		}
		row := outbox(t, d)[0]
		for name, want := range map[string]string{
			"From":           `"Les emplois de l'inclusion" <ne-pas-repondre@inclusion.gouv.fr>`,
			"To":             "<marie.curie@example.org>",
			"Message-Id":     fmt.Sprintf("<outbox-%d.%d@inclusion.gouv.fr>", row.ID, row.CreatedAt.Unix()),
			"Auto-Submitted": "auto-generated",
		} {
			if v := m.Header.Get(name); v != want {
				t.Errorf("header %s = %q; want %q", name, v, want)
			}
		}
		if m.Subject != "Réinitialisation de votre mot de passe" {
			t.Errorf("subject = %q", m.Subject)
		}
		if m.ContentType != "multipart/alternative" || !strings.EqualFold(m.TextCharset, "utf-8") || !strings.EqualFold(m.HTMLCharset, "utf-8") {
			t.Errorf("content type %s, charsets %q %q; want multipart/alternative in UTF-8", m.ContentType, m.TextCharset, m.HTMLCharset)
		}
		if !strings.Contains(m.Text, "Vous avez demandé à réinitialiser votre mot de passe.") ||
			!strings.Contains(m.Text, "https://emplois.example/accounts/reset/abc") {
			t.Errorf("text part = %q", m.Text)
		}
		if !strings.Contains(m.HTML, `<html lang="fr">`) || !strings.Contains(m.HTML, "Vous avez demandé à réinitialiser") {
			t.Errorf("html part = %q", m.HTML)
		}
		if row.Status != mail.StatusSent || row.SentAt == nil || row.Attempts != 1 {
			t.Errorf("outbox row = %+v; want sent after 1 attempt", row)
		}
	})
}

func TestDeliverDue_KeepsMailsWhileServerIsDownAndSendsThemOnceItIsBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, "", mailtest.Options{})
		addr := srv.Addr
		srv.Stop() // the SMTP server is down
		c := newClock()
		s := newSender(t, d, plainURL(srv), c, nil)
		for i := range 3 {
			enqueue(t, d, mail.Message{To: fmt.Sprintf("candidat%d@example.org", i), Subject: "Candidature reçue", Text: "Bonjour"})
		}

		if sent, err := s.DeliverDue(ctx); err == nil || sent != 0 {
			t.Fatalf("DeliverDue while down = %d, %v; want 0 and the connection error", sent, err)
		}
		for _, row := range outbox(t, d) {
			if row.Status != mail.StatusPending || row.Attempts != 1 || !row.NextAttemptAt.Equal(c.Now().Add(time.Minute).Truncate(time.Microsecond)) || row.LastError == "" {
				t.Errorf("row while down = %+v; want pending, 1 attempt, retry in 1 min, error kept", row)
			}
		}
		if sent, err := s.DeliverDue(ctx); err != nil || sent != 0 {
			t.Fatalf("DeliverDue before the retry time = %d, %v; want nothing tried", sent, err)
		}

		up := mailtest.Start(t, addr, mailtest.Options{}) // back, on the same address
		c.Advance(time.Minute)
		if sent, err := s.DeliverDue(ctx); err != nil || sent != 3 {
			t.Fatalf("DeliverDue once back = %d, %v; want 3", sent, err)
		}
		if sent, _ := s.DeliverDue(ctx); sent != 0 {
			t.Fatalf("second DeliverDue sent %d more; want none", sent)
		}
		if got := up.Received(); len(got) != 3 {
			t.Fatalf("server received %d messages; want 3", len(got))
		}
		for _, row := range outbox(t, d) {
			if row.Status != mail.StatusSent || row.Attempts != 2 || row.LastError != "" {
				t.Errorf("row = %+v; want sent at the 2nd attempt", row)
			}
		}
	})
}

func TestDeliverDue_FailsPermanentRejectionAndRetriesTemporaryOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t, "", mailtest.Options{Reject: func(rcpt string) *smtp.SMTPError {
			switch rcpt {
			case "inconnu@example.org":
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user inconnu@example.org"}
			case "plein@example.org":
				return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}
			}
			return nil
		}})
		c := newClock()
		for _, to := range []string{"inconnu@example.org", "plein@example.org", "ok@example.org"} {
			enqueue(t, d, mail.Message{To: to, Subject: "Objet", Text: "Texte"})
		}
		sent, err := newSender(t, d, plainURL(srv), c, nil).DeliverDue(context.Background())
		if err != nil || sent != 1 {
			t.Fatalf("DeliverDue = %d, %v; want 1 sent", sent, err)
		}
		rows := outbox(t, d)
		if rows[0].Status != mail.StatusFailed || !strings.Contains(rows[0].LastError, "550") {
			t.Errorf("550 row = %+v; want failed with the server's answer", rows[0])
		}
		if rows[1].Status != mail.StatusPending || rows[1].Attempts != 1 || !strings.Contains(rows[1].LastError, "452") {
			t.Errorf("452 row = %+v; want pending for a retry", rows[1])
		}
		if rows[2].Status != mail.StatusSent {
			t.Errorf("good row = %+v; want sent", rows[2])
		}
	})
}

func TestDeliverDue_BacksOffThenGivesUpAfterFiveDays(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, "", mailtest.Options{})
		srv.Stop()
		c := newClock()
		s := newSender(t, d, plainURL(srv), c, nil)
		enqueue(t, d, mail.Message{To: "a@example.org", Subject: "Objet", Text: "Texte"})
		var waits []time.Duration
		for range 200 {
			if _, err := s.DeliverDue(ctx); err == nil {
				break // nothing due any more: failed for good
			}
			row := outbox(t, d)[0]
			if row.Status != mail.StatusPending {
				break
			}
			wait := row.NextAttemptAt.Sub(c.Now()).Round(time.Second)
			waits = append(waits, wait)
			c.Advance(wait)
		}
		row := outbox(t, d)[0]
		if row.Status != mail.StatusFailed || !strings.Contains(row.LastError, "undelivered for 120h0m0s") {
			t.Fatalf("row = %+v; want failed after five days", row)
		}
		if fmt.Sprint(waits[:5]) != "[1m0s 5m0s 15m0s 1h0m0s 1h0m0s]" {
			t.Errorf("retry delays = %v; want 1 min, 5 min, 15 min, then hourly", waits[:5])
		}
		if len(waits) < 115 {
			t.Errorf("only %d retries before giving up; want about one an hour for five days", len(waits))
		}
	})
}

func TestDeliverDue_AuthenticatesOverOpportunisticSTARTTLS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		serverTLS, clientTLS := mailtest.SelfSignedTLS(t)
		srv := mailtest.Start(t, "", mailtest.Options{TLS: serverTLS, Users: map[string]string{"relay": "p@ss:word"}})
		enqueue(t, d, mail.Message{To: "a@example.org", Subject: "Objet", Text: "Texte"})
		url := "smtp://relay:p%40ss%3Aword@" + srv.Addr
		if sent, err := newSender(t, d, url, newClock(), clientTLS).DeliverDue(context.Background()); err != nil || sent != 1 {
			t.Fatalf("DeliverDue = %d, %v; want 1", sent, err)
		}
		if got := srv.Received(); len(got) != 1 || !got[0].TLS || got[0].User != "relay" {
			t.Errorf("received = %+v; want one message, authenticated as relay, over TLS", got)
		}
	})
}

func TestDeliverDue_NeverSendsCredentialsOverClearConnectionUnlessTLSNone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		// No STARTTLS. Not on 127.0.0.1: go-mail, like net/smtp, trusts localhost with clear credentials.
		srv := mailtest.Start(t, "127.0.0.2:0", mailtest.Options{Users: map[string]string{"relay": "secret"}})
		enqueue(t, d, mail.Message{To: "a@example.org", Subject: "Objet", Text: "Texte"})
		c := newClock()
		if sent, err := newSender(t, d, "smtp://relay:secret@"+srv.Addr, c, nil).DeliverDue(context.Background()); err == nil || sent != 0 {
			t.Fatalf("opportunistic without STARTTLS: DeliverDue = %d, %v; want refused", sent, err)
		}
		if row := outbox(t, d)[0]; row.Status != mail.StatusPending {
			t.Fatalf("row = %+v; want still pending", row)
		}
		c.Advance(time.Minute)
		if sent, err := newSender(t, d, "smtp://relay:secret@"+srv.Addr+"?tls=none", c, nil).DeliverDue(context.Background()); err != nil || sent != 1 {
			t.Fatalf("tls=none: DeliverDue = %d, %v; want sent", sent, err)
		}
	})
}

func TestDeliverDue_TwoSendersDeliverThousandMailsExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 mails: skipped with -short")
	}
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			var handles []*db.DB
			for range 2 {
				h, err := db.Open(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { h.Close() })
				handles = append(handles, h)
			}
			if err := handles[0].Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			srv := mailtest.Start(t, "", mailtest.Options{})
			const n = 1000
			for i := range n {
				enqueue(t, handles[0], mail.Compose(fmt.Sprintf("personne%d@example.org", i), "Votre candidature a été acceptée",
					mail.Body{Paragraphs: []string{"L'employeur a accepté votre candidature."}}))
			}
			c := newClock()
			start := time.Now()
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for _, h := range handles {
				s := newSender(t, h, plainURL(srv), c, nil)
				wg.Go(func() {
					sent, err := s.DeliverDue(context.Background())
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += sent
					mu.Unlock()
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			t.Logf("%s: %d mails delivered by two senders in %s (%.0f mails/s)", engine, total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())

			seen := map[string]int{}
			for _, r := range srv.Received() {
				seen[r.To[0]]++
			}
			if total != n || len(seen) != n {
				t.Fatalf("sent %d, %d distinct recipients received; want %d", total, len(seen), n)
			}
			for to, k := range seen {
				if k != 1 {
					t.Errorf("%s received %d copies", to, k)
				}
			}
			left, _ := handles[0].NewSelect().Model((*mail.OutboxMail)(nil)).Where("status <> ?", mail.StatusSent).Count(context.Background())
			if left != 0 {
				t.Errorf("%d mails not marked sent", left)
			}
		})
	}
}

func TestPurge_DeletesSentAndFailedMailsOlderThan62DaysOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		old := time.Now().UTC().Add(-63 * 24 * time.Hour)
		recent := time.Now().UTC().Add(-61 * 24 * time.Hour)
		for _, r := range []struct {
			subject string
			status  string
			created time.Time
		}{
			{"old sent", mail.StatusSent, old}, {"old failed", mail.StatusFailed, old},
			{"old pending", mail.StatusPending, old}, {"recent sent", mail.StatusSent, recent},
		} {
			row := mail.OutboxMail{CreatedAt: r.created, To: "a@example.org", Subject: r.subject, Status: r.status, NextAttemptAt: r.created}
			if _, err := d.NewInsert().Model(&row).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		n, err := mail.Purge(ctx, d, time.Now().Add(-mail.Retention))
		if err != nil || n != 2 {
			t.Fatalf("Purge = %d, %v; want 2", n, err)
		}
		var left []string
		for _, r := range outbox(t, d) {
			left = append(left, r.Subject)
		}
		if fmt.Sprint(left) != "[old pending recent sent]" {
			t.Errorf("left %v", left)
		}
	})
}

func TestParseSMTPURL_ReadsHostPortCredentialsAndTLSMode(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want mail.SMTPSettings
		err  bool
	}{
		{url: "smtp://mail.example.org", want: mail.SMTPSettings{Host: "mail.example.org", Port: 25, TLS: mail.TLSOpportunistic}},
		{url: "smtp://u%40x:p%2Fw@mail.example.org:587", want: mail.SMTPSettings{Host: "mail.example.org", Port: 587, Username: "u@x", Password: "p/w", TLS: mail.TLSOpportunistic}},
		{url: "smtp://mail.example.org:587?tls=starttls", want: mail.SMTPSettings{Host: "mail.example.org", Port: 587, TLS: mail.TLSStartTLS}},
		{url: "smtp://relay:25?tls=none", want: mail.SMTPSettings{Host: "relay", Port: 25, TLS: mail.TLSNone}},
		{url: "smtp://relay?tls=tls", want: mail.SMTPSettings{Host: "relay", Port: 25, TLS: mail.TLSImplicit}},
		{url: "smtps://u:p@mail.example.org", want: mail.SMTPSettings{Host: "mail.example.org", Port: 465, Username: "u", Password: "p", TLS: mail.TLSImplicit}},
		{url: "smtps://mail.example.org?tls=none", err: true},
		{url: "smtp://relay?tls=maybe", err: true},
		{url: "smtp://relay?timeout=3", err: true},
		{url: "http://relay", err: true},
		{url: "smtp://relay:99999", err: true},
		{url: "smtp://", err: true},
	} {
		got, err := mail.ParseSMTPURL(tc.url)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v (error: %v)", tc.url, got, err, tc.want, tc.err)
		}
	}
}

func TestSMTPSettings_StringHidesThePassword(t *testing.T) {
	s, _ := mail.ParseSMTPURL("smtp://relay:hunter2@mail.example.org:587")
	if got := s.String(); strings.Contains(got, "hunter2") || !strings.Contains(got, "relay:***@mail.example.org:587") {
		t.Errorf("String() = %q", got)
	}
}

func TestRetryDelay_GrowsFromOneMinuteToHourly(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 5 * time.Minute, 3: 15 * time.Minute, 4: time.Hour, 40: time.Hour} {
		if got := mail.RetryDelay(n); got != want {
			t.Errorf("RetryDelay(%d) = %s; want %s", n, got, want)
		}
	}
}
