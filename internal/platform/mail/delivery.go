package mail

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	gomail "github.com/wneessen/go-mail"

	"emplois/internal/platform/db"
	"emplois/internal/platform/jobs"
)

// Delivery rules.
const (
	// GiveUpAfter is how long a mail is retried before it is marked failed: like a mail server's
	// queue lifetime, long enough to outlast any outage of the SMTP relay.
	GiveUpAfter = 5 * 24 * time.Hour
	// Retention is how long sent and failed mails are kept (actors.md §19: outgoing mail log, 62 days).
	Retention = 62 * 24 * time.Hour
	// deliveryLease is how long a claimed mail is reserved for the sender that claimed it; a
	// sender that dies mid-batch leaves its mails to be retried after it.
	deliveryLease = 5 * time.Minute
	// defaultBatch is how many mails go over one SMTP connection.
	defaultBatch = 20
)

// RetryDelay is the wait before the retry that follows attempt n (1-based): 1 min, 5 min,
// 15 min, then every hour until GiveUpAfter.
func RetryDelay(n int) time.Duration {
	delays := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}
	if n < 1 {
		n = 1
	}
	return delays[min(n, len(delays))-1]
}

// SenderOptions configure a Sender.
type SenderOptions struct {
	// SMTPURL is EMPLOIS_SMTP_URL (see ParseSMTPURL).
	SMTPURL string
	// From is the sender, e.g. "Les emplois de l'inclusion <ne-pas-repondre@inclusion.gouv.fr>".
	From string
	// TLSConfig overrides the TLS settings (tests trust their own certificate); nil uses the
	// system roots.
	TLSConfig *tls.Config
	// BatchSize is how many mails go over one connection (default 20).
	BatchSize int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives delivery events; they name mails by outbox id, never by address or content.
	Log *slog.Logger
}

// Sender delivers the outbox over SMTP.
type Sender struct {
	db     *db.DB
	smtp   SMTPSettings
	from   *netmail.Address
	domain string
	tls    *tls.Config
	batch  int
	now    func() time.Time
	log    *slog.Logger
}

// NewSender checks the settings and returns a sender over d.
func NewSender(d *db.DB, o SenderOptions) (*Sender, error) {
	settings, err := ParseSMTPURL(o.SMTPURL)
	if err != nil {
		return nil, err
	}
	from, err := netmail.ParseAddress(o.From)
	if err != nil {
		return nil, fmt.Errorf("mail: EMPLOIS_MAIL_FROM %q is not an address: %w", o.From, err)
	}
	s := &Sender{db: d, smtp: settings, from: from, domain: from.Address[strings.LastIndex(from.Address, "@")+1:],
		tls: o.TLSConfig, batch: o.BatchSize, now: o.Now, log: o.Log}
	if s.batch <= 0 {
		s.batch = defaultBatch
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s, nil
}

// Settings returns the parsed SMTP settings (String() hides the password).
func (s *Sender) Settings() SMTPSettings { return s.smtp }

// DeliverDue sends the due mails of the outbox, batch after batch, until none is due, the SMTP
// server cannot be reached (the error is returned; the batch's mails are retried later), or the
// worker is stopping. It returns how many mails left.
//
// The worker runs it as a periodic task every few seconds. Each batch is claimed on its own
// (attempts + 1, next_attempt_at pushed out by a lease, FOR UPDATE SKIP LOCKED on PostgreSQL), so
// overlapping runs on several instances never send a mail twice.
func (s *Sender) DeliverDue(ctx context.Context) (int, error) {
	sent := 0
	for !jobs.Stopping(ctx) {
		batch, err := s.claim(ctx)
		if err != nil || len(batch) == 0 {
			return sent, err
		}
		n, err := s.deliver(ctx, batch)
		sent += n
		if err != nil {
			return sent, err
		}
		if len(batch) < s.batch {
			break
		}
	}
	if sent > 0 {
		s.log.Info("mails delivered", "count", sent)
	}
	return sent, nil
}

// claim reserves the next due mails: their next_attempt_at moves a lease ahead, so another
// sender skips them, and a sender that dies leaves them due again when the lease ends.
func (s *Sender) claim(ctx context.Context) ([]OutboxMail, error) {
	now := s.now().UTC()
	var rows []OutboxMail
	err := s.db.ClaimRows(ctx, db.Claim{Table: "mail_outbox",
		Set: "attempts = attempts + 1, next_attempt_at = ?", SetArgs: []any{now.Add(deliveryLease)},
		Due: "status = 'pending' AND next_attempt_at <= ?", DueArgs: []any{now},
		Order: "next_attempt_at, id", Limit: s.batch,
		Returning: "id, created_at, to_addr, subject, text_body, html_body, status, attempts, next_attempt_at, sent_at, last_error"}, &rows)
	if err != nil {
		return nil, fmt.Errorf("mail: claim due mails: %w", err)
	}
	slices.SortFunc(rows, func(a, b OutboxMail) int { return cmp.Compare(a.ID, b.ID) })
	return rows, nil
}

// deliver sends a claimed batch over one connection and records each mail's outcome.
func (s *Sender) deliver(ctx context.Context, batch []OutboxMail) (int, error) {
	client, err := s.smtp.client(s.tls)
	if err != nil {
		return 0, s.retryAll(ctx, batch, fmt.Errorf("mail: SMTP client: %w", err))
	}
	var msgs []*gomail.Msg
	var rows []OutboxMail
	for _, row := range batch {
		m, err := s.message(row)
		if err != nil {
			s.fail(ctx, row, err)
			continue
		}
		msgs, rows = append(msgs, m), append(rows, row)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return 0, s.retryAll(ctx, rows, fmt.Errorf("mail: connect to %s: %w", s.smtp, err))
	}
	batchErr := client.SendWithSMTPClient(conn, msgs...)
	client.CloseWithSMTPClient(conn)

	var sentIDs []int64
	for i, m := range msgs {
		row := rows[i]
		switch {
		case m.IsDelivered():
			sentIDs = append(sentIDs, row.ID)
		case m.SendError() != nil && permanentRejection(m.SendError()):
			s.fail(ctx, row, m.SendError())
		case m.SendError() != nil:
			s.retry(ctx, row, m.SendError())
		default: // the connection broke before this mail was tried
			s.retry(ctx, row, batchErr)
		}
	}
	if len(sentIDs) > 0 {
		_, err := s.db.NewUpdate().Model((*OutboxMail)(nil)).
			Set("status = ?", StatusSent).Set("sent_at = ?", s.now().UTC()).Set("last_error = ''").
			Where("id IN (?)", bun.List(sentIDs)).
			Exec(context.WithoutCancel(ctx))
		if err != nil {
			// The mails left; recording it failed. They will be sent again after the lease:
			// a duplicate is better than a loss.
			return 0, fmt.Errorf("mail: record %d sent mails: %w", len(sentIDs), err)
		}
		s.log.Debug("mails sent", "outbox_ids", sentIDs)
	}
	return len(sentIDs), nil
}

// message builds the MIME message: multipart/alternative with the text part first, UTF-8
// headers, and a Message-ID stable across retries so that receivers can drop a duplicate.
func (s *Sender) message(row OutboxMail) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(s.from)
	if err := m.To(row.To); err != nil {
		return nil, fmt.Errorf("invalid recipient: %w", err)
	}
	m.Subject(row.Subject)
	m.SetMessageIDWithValue(fmt.Sprintf("outbox-%d.%d@%s", row.ID, row.CreatedAt.Unix(), s.domain))
	m.SetDateWithValue(s.now())
	m.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no automatic replies
	m.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	m.SetBodyString(gomail.TypeTextPlain, row.Text)
	if row.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, row.HTML)
	}
	return m, nil
}

// permanentRejection reports a 5xx answer to a mail's recipient or content: retrying cannot
// help. A 5xx at connection, authentication or MAIL FROM is a configuration problem of ours,
// retried like an outage so that no mail is lost while it is fixed.
func permanentRejection(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.IsTemp() {
		return false
	}
	code := se.ErrorCode()
	return code >= 500 && code < 600 &&
		(se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose)
}

// retryAll reschedules a batch after a connection failure and returns err.
func (s *Sender) retryAll(ctx context.Context, rows []OutboxMail, err error) error {
	for _, row := range rows {
		s.retry(ctx, row, err)
	}
	return err
}

// retry reschedules one mail with backoff, or marks it failed once GiveUpAfter has passed.
func (s *Sender) retry(ctx context.Context, row OutboxMail, cause error) {
	now := s.now().UTC()
	if now.Sub(row.CreatedAt) >= GiveUpAfter {
		s.fail(ctx, row, fmt.Errorf("undelivered for %s: %w", GiveUpAfter, cause))
		return
	}
	next := now.Add(RetryDelay(row.Attempts))
	_, err := s.db.NewUpdate().Model((*OutboxMail)(nil)).
		Set("next_attempt_at = ?", next).Set("last_error = ?", truncate(errText(cause))).
		Where("id = ? AND status = ?", row.ID, StatusPending).
		Exec(context.WithoutCancel(ctx))
	if err != nil {
		s.log.Error("mail: recording a delivery failure failed; retried after the lease", "outbox_id", row.ID, "err", err)
		return
	}
	s.log.Warn("mail not delivered, will retry", "outbox_id", row.ID, "attempt", row.Attempts,
		"retry_at", next, "err", redactAddresses(errText(cause)))
}

// fail marks a mail failed for good; it stays in the outbox (visible, purged with the others).
func (s *Sender) fail(ctx context.Context, row OutboxMail, cause error) {
	_, err := s.db.NewUpdate().Model((*OutboxMail)(nil)).
		Set("status = ?", StatusFailed).Set("last_error = ?", truncate(errText(cause))).
		Where("id = ? AND status = ?", row.ID, StatusPending).
		Exec(context.WithoutCancel(ctx))
	if err != nil {
		s.log.Error("mail: recording a rejected mail failed", "outbox_id", row.ID, "err", err)
		return
	}
	s.log.Error("mail rejected for good", "outbox_id", row.ID, "attempt", row.Attempts, "err", redactAddresses(errText(cause)))
}

func errText(err error) string {
	if err == nil {
		return "connection closed before the mail was sent"
	}
	return err.Error()
}

func truncate(s string) string {
	const max = 1000
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "") + "…"
}

var addressPattern = regexp.MustCompile(`([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+)`)

// redactAddresses keeps the first letter and the domain of e-mail addresses in a server's
// answer ("m***@example.org"), so that logs never carry a full address.
func redactAddresses(s string) string {
	return addressPattern.ReplaceAllString(s, "$1***@$2")
}

// Purge deletes the sent and failed mails created before the cutoff (actors.md §19: the
// outgoing mail log is kept 62 days, see Retention). Pending mails are never purged.
func Purge(ctx context.Context, idb bun.IDB, before time.Time) (int64, error) {
	res, err := idb.NewDelete().Model((*OutboxMail)(nil)).
		Where("status IN (?)", bun.List([]string{StatusSent, StatusFailed})).
		Where("created_at < ?", before.UTC()).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("mail: purge: %w", err)
	}
	return res.RowsAffected()
}
