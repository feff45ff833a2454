// Package jobs runs background work from the database, without any other server.
//
// Design:
//   - A job is a row of the `job` table, inserted by Enqueue through the caller's transaction
//     (transactional outbox): the job exists if and only if the business change commits.
//   - A Worker claims due rows one at a time with a single UPDATE ... RETURNING. On PostgreSQL the
//     row is picked with FOR UPDATE SKIP LOCKED, so any number of instances share the queue
//     without blocking each other; on SQLite the UPDATE runs in an IMMEDIATE transaction (one
//     writer at a time), which gives the same exactly-once claim.
//   - A claim is a lease: the row is `running` until locked_until, which a heartbeat extends
//     while the handler runs. When a worker dies, its job becomes claimable again once the lease
//     ends. claimed_by carries a token unique to the claim and fences late writes from a worker
//     that lost its lease. run_at always holds the next time the row is due for a claim (the
//     lease end while running), so one partial index on run_at serves the claim in order.
//   - A failing job is retried with exponential backoff (capped) until max_attempts, then marked
//     `failed` and logged. attempts counts claims, so a job that crashes its worker also ends.
//   - Periodic tasks (Every) are rows of `periodic_task`: an instance runs a task only after
//     moving next_run_at forward with a conditional UPDATE, so each period runs once across all
//     instances. Tasks must be idempotent: a crash in the middle waits for the next period.
//   - Run stops claiming when its context ends and waits for the jobs in hand, whose context is
//     not cancelled (Stopping tells a long task to wrap up) until a grace period has passed.
//
// Times come from an injectable clock so that tests move time instead of sleeping.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Status of a job row.
const (
	StatusPending = "pending"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// DefaultMaxAttempts is how many times a job runs before it is marked failed. With the default
// backoff (30 s doubling, capped at 1 h) the last attempt comes about 3 hours after the first.
const DefaultMaxAttempts = 10

// Job is a stored job.
type Job struct {
	bun.BaseModel `bun:"table:job"`

	ID          int64      `bun:"id,pk,autoincrement"`
	Kind        string     `bun:"kind,notnull"`
	Payload     string     `bun:"payload,notnull"`
	Status      string     `bun:"status,notnull"`
	RunAt       time.Time  `bun:"run_at,notnull"`
	Attempts    int        `bun:"attempts,notnull"`
	MaxAttempts int        `bun:"max_attempts,notnull"`
	LockedUntil *time.Time `bun:"locked_until"`
	ClaimedBy   string     `bun:"claimed_by,notnull"`
	LastError   string     `bun:"last_error,notnull"`
	CreatedAt   time.Time  `bun:"created_at,notnull"`
	FinishedAt  *time.Time `bun:"finished_at"`
}

// Option changes how Enqueue stores a job.
type Option func(*Job)

// MaxAttempts sets how many times the job may run before it is marked failed.
func MaxAttempts(n int) Option {
	return func(j *Job) {
		if n > 0 {
			j.MaxAttempts = n
		}
	}
}

// Enqueue stores a job of the given kind through idb, which should be the transaction of the
// business change. payload is marshalled to JSON; the handler receives those bytes. The job is
// due at runAt (now when zero).
func Enqueue(ctx context.Context, idb bun.IDB, kind string, payload any, runAt time.Time, opts ...Option) error {
	if strings.TrimSpace(kind) == "" {
		return fmt.Errorf("jobs: enqueue: kind is required")
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: payload: %w", kind, err)
	}
	now := time.Now().UTC()
	if runAt.IsZero() {
		runAt = now
	}
	j := Job{Kind: kind, Payload: string(body), Status: StatusPending, RunAt: runAt.UTC(),
		MaxAttempts: DefaultMaxAttempts, CreatedAt: now}
	for _, o := range opts {
		o(&j)
	}
	if _, err := idb.NewInsert().Model(&j).ExcludeColumn("id").Exec(ctx); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", kind, err)
	}
	return nil
}

// EnqueueOnce is Enqueue unless a job of this kind with the same payload is already waiting or
// running: the work it asks for is queued once.
func EnqueueOnce(ctx context.Context, idb bun.IDB, kind string, payload any, runAt time.Time, opts ...Option) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: payload: %w", kind, err)
	}
	waiting, err := idb.NewSelect().Model((*Job)(nil)).Where("kind = ? AND payload = ?", kind, string(body)).
		Where("status IN (?)", bun.List([]string{StatusPending, StatusRunning})).Exists(ctx)
	if err != nil || waiting {
		return err
	}
	return Enqueue(ctx, idb, kind, payload, runAt, opts...)
}

// PurgeFinished deletes done and failed jobs finished before the cutoff (the worker runs it daily).
func PurgeFinished(ctx context.Context, idb bun.IDB, before time.Time) (int64, error) {
	res, err := idb.NewDelete().Model((*Job)(nil)).
		Where("finished_at < ?", before.UTC()).
		Where("status IN (?)", bun.List([]string{StatusDone, StatusFailed})).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purge: %w", err)
	}
	return res.RowsAffected()
}

// permanentError marks a handler error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent wraps a handler error so that the job is marked failed at once, without retries
// (an invalid payload, an object that no longer exists).
func Permanent(err error) error { return permanentError{err} }

// retryAtError carries the delay a handler asks for before the next attempt.
type retryAtError struct {
	err   error
	after time.Duration
}

func (e retryAtError) Error() string { return e.err.Error() }
func (e retryAtError) Unwrap() error { return e.err }

// RetryAfter wraps a handler error so that the next attempt comes after d instead of the default
// backoff (a partner that says when to come back, a retry schedule of the spec). The attempt
// still counts towards MaxAttempts.
func RetryAfter(err error, d time.Duration) error { return retryAtError{err, d} }

// Backoff returns the default delay before the retry that follows attempt n (1-based):
// 30 s, 1 min, 2 min, 4 min... capped at 1 hour.
func Backoff(n int) time.Duration {
	const base, limit = 30 * time.Second, time.Hour
	d := base
	for i := 1; i < n; i++ {
		d *= 2
		if d >= limit {
			return limit
		}
	}
	return d
}

type stoppingKey struct{}

// Stopping reports whether the worker running the current job or periodic task has been asked
// to stop. A task made of many independent steps (a batch of mails) checks it between steps and
// returns early; the rest is picked up by the next run or the next instance.
func Stopping(ctx context.Context) bool {
	ch, ok := ctx.Value(stoppingKey{}).(<-chan struct{})
	if !ok {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
