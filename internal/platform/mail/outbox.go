// Package mail writes outgoing e-mails to the mail_outbox table, in the transaction of the change
// that causes them, and sends them later from the worker over SMTP. A mail is never lost when the
// SMTP server is down: it stays pending and is retried with backoff.
package mail

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Message is one e-mail, in French, with a plain-text and an HTML part.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Status of an outbox row.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
)

// OutboxMail is a stored message and its delivery state.
type OutboxMail struct {
	bun.BaseModel `bun:"table:mail_outbox"`

	ID            int64      `bun:"id,pk,autoincrement"`
	CreatedAt     time.Time  `bun:"created_at,notnull"`
	To            string     `bun:"to_addr,notnull"`
	Subject       string     `bun:"subject,notnull"`
	Text          string     `bun:"text_body,notnull"`
	HTML          string     `bun:"html_body,notnull"`
	Status        string     `bun:"status,notnull"`
	Attempts      int        `bun:"attempts,notnull"`
	NextAttemptAt time.Time  `bun:"next_attempt_at,notnull"`
	SentAt        *time.Time `bun:"sent_at"`
	LastError     string     `bun:"last_error,notnull"`
}

// Enqueue stores m in the outbox through idb, which should be the transaction of the business
// change so that the mail exists if and only if the change commits.
func Enqueue(ctx context.Context, idb bun.IDB, m Message) error {
	return EnqueueAll(ctx, idb, []Message{m})
}

// enqueueBatch is how many mails one INSERT of EnqueueAll carries.
const enqueueBatch = 200

// EnqueueAll is Enqueue for many messages, a few multi-row INSERTs instead of one each (an
// import that mails thousands of companies).
func EnqueueAll(ctx context.Context, idb bun.IDB, msgs []Message) error {
	now := time.Now().UTC()
	rows := make([]OutboxMail, len(msgs))
	for i, m := range msgs {
		if strings.TrimSpace(m.To) == "" || strings.TrimSpace(m.Subject) == "" {
			return fmt.Errorf("mail: enqueue: recipient and subject are required")
		}
		rows[i] = OutboxMail{
			CreatedAt: now, To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
			Status: StatusPending, NextAttemptAt: now,
		}
	}
	for start := 0; start < len(rows); start += enqueueBatch {
		batch := rows[start:min(start+enqueueBatch, len(rows))]
		if _, err := idb.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("mail: enqueue: %w", err)
		}
	}
	return nil
}
