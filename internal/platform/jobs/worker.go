package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Handler runs one job. It receives the JSON payload given to Enqueue. A nil error marks the job
// done; an error schedules a retry (or fails the job at once when wrapped with Permanent).
// A handler may run more than once for the same job (a worker dying after the work but before
// recording it), so it must be idempotent.
type Handler func(ctx context.Context, payload []byte) error

// Options tune a Worker. The zero value is usable.
type Options struct {
	// Name identifies this instance in claimed_by and in logs (default: hostname-pid).
	Name string
	// Concurrency is the number of goroutines claiming jobs (default 1).
	Concurrency int
	// PollInterval is how long an idle worker waits before looking at the queue again, and how
	// often periodic tasks are checked (default 1 s).
	PollInterval time.Duration
	// Lease is how long a claimed job stays reserved without a heartbeat; a job whose worker
	// died is claimed again after it (default 2 min). The heartbeat renews it every third.
	Lease time.Duration
	// ShutdownGrace is how long Run waits, once its context ends, for the jobs in hand before
	// cancelling their context (default 20 s).
	ShutdownGrace time.Duration
	// Backoff gives the delay before the retry that follows attempt n (default Backoff).
	Backoff func(attempt int) time.Duration
	// PeriodicRetry is the delay before a failed periodic task runs again, when shorter than its
	// interval (default 1 min).
	PeriodicRetry time.Duration
	// Now is the clock (default time.Now); tests move it instead of sleeping.
	Now func() time.Time
	// Log receives job failures and lifecycle events (default slog.Default()).
	Log *slog.Logger
}

// Worker claims and runs jobs and periodic tasks. Register handlers and periodic tasks before
// calling Run.
type Worker struct {
	db       *db.DB
	opt      Options
	log      *slog.Logger
	handlers map[string]Handler
	kinds    []string

	mu       sync.Mutex // guards periodic's ensured/next
	periodic []*periodicTask
}

type periodicTask struct {
	name     string
	interval time.Duration
	fn       func(ctx context.Context) error
	ensured  bool      // the periodic_task row exists
	next     time.Time // next_run_at as last read from the database
}

// New returns a worker over d.
func New(d *db.DB, opt Options) *Worker {
	if opt.Name == "" {
		host, _ := os.Hostname()
		opt.Name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 1
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = time.Second
	}
	if opt.Lease <= 0 {
		opt.Lease = 2 * time.Minute
	}
	if opt.ShutdownGrace <= 0 {
		opt.ShutdownGrace = 20 * time.Second
	}
	if opt.Backoff == nil {
		opt.Backoff = Backoff
	}
	if opt.PeriodicRetry <= 0 {
		opt.PeriodicRetry = time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Worker{db: d, opt: opt, log: opt.Log.With("worker", opt.Name), handlers: map[string]Handler{}}
}

// Register sets the handler of a job kind. The worker claims only the kinds it has handlers for,
// so an instance running older code never takes a job it cannot run.
func (w *Worker) Register(kind string, h Handler) {
	if _, dup := w.handlers[kind]; dup {
		panic("jobs: handler registered twice for " + kind)
	}
	w.handlers[kind] = h
	w.kinds = append(w.kinds, kind)
}

// PeriodicTasks returns the names of the periodic tasks registered with Every.
func (w *Worker) PeriodicTasks() []string {
	names := make([]string, len(w.periodic))
	for i, p := range w.periodic {
		names[i] = p.name
	}
	return names
}

// Every runs fn once per interval across all instances sharing the database. The first run is
// due as soon as the worker starts (unless another instance ran it within the interval). fn must
// be idempotent: after a crash in the middle, it runs again at the next period; after an error
// it runs again after Options.PeriodicRetry.
func (w *Worker) Every(name string, interval time.Duration, fn func(ctx context.Context) error) {
	if interval <= 0 {
		panic("jobs: periodic task " + name + " needs a positive interval")
	}
	for _, p := range w.periodic {
		if p.name == name {
			panic("jobs: periodic task registered twice: " + name)
		}
	}
	w.periodic = append(w.periodic, &periodicTask{name: name, interval: interval, fn: fn})
}

func (w *Worker) now() time.Time { return w.opt.Now().UTC() }

// Run claims and runs jobs and periodic tasks until ctx ends. Then it stops claiming, lets the
// jobs and tasks in hand finish (their context stays alive for Options.ShutdownGrace, and
// Stopping reports true), and returns.
func (w *Worker) Run(ctx context.Context) error {
	base, hardStop := context.WithCancel(context.WithoutCancel(ctx))
	defer hardStop()
	base = context.WithValue(base, stoppingKey{}, ctx.Done())

	var wg sync.WaitGroup
	for range w.opt.Concurrency {
		wg.Go(func() { w.jobLoop(ctx, base) })
	}
	if len(w.periodic) > 0 {
		wg.Go(func() { w.periodicLoop(ctx, base) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	w.log.Info("worker started", "concurrency", w.opt.Concurrency, "kinds", w.kinds, "periodic", len(w.periodic))

	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	w.log.Info("worker stopping: finishing the jobs in hand")
	grace := time.NewTimer(w.opt.ShutdownGrace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		w.log.Warn("worker stopping: grace period over, cancelling the jobs in hand", "grace", w.opt.ShutdownGrace)
		hardStop()
		<-done
	}
	w.log.Info("worker stopped")
	return nil
}

// jobLoop claims with stop (the Run context) checked before every claim, and runs jobs with
// base, which outlives stop by the grace period.
func (w *Worker) jobLoop(stop, base context.Context) {
	for stop.Err() == nil {
		ran, err := w.RunOne(base)
		if err != nil {
			w.log.Error("claiming a job failed", "err", err)
		}
		if ran && err == nil {
			continue
		}
		// Idle (or the database is unreachable): wait, then look with a cheap read before taking
		// the write lock of a claim again.
		for {
			if !sleep(stop, w.opt.PollInterval) {
				return
			}
			if due, err := w.anyDue(base); err != nil || due {
				break
			}
		}
	}
}

func (w *Worker) periodicLoop(stop, base context.Context) {
	for {
		if err := w.RunPeriodic(base); err != nil {
			w.log.Error("periodic tasks: schedule unreadable", "err", err)
		}
		if !sleep(stop, w.opt.PollInterval) {
			return
		}
	}
}

// sleep waits d, or returns false as soon as ctx ends.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Drain runs due jobs one after another until none is due, and returns how many ran. Tests of
// other packages use it to run the jobs their code enqueued.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	n := 0
	for {
		ran, err := w.RunOne(ctx)
		if err != nil || !ran {
			return n, err
		}
		n++
	}
}

// RunOne claims one due job and runs it. It reports whether a job was claimed; the error is about
// the queue (the job's own failure is recorded on its row, not returned).
func (w *Worker) RunOne(ctx context.Context) (bool, error) {
	j, err := w.claim(ctx)
	if err != nil || j == nil {
		return false, err
	}
	w.execute(ctx, j)
	return true, nil
}

// jobColumns are the columns a claim returns, in the order of Job.
const jobColumns = "id, kind, payload, status, run_at, attempts, max_attempts, locked_until, claimed_by, last_error, created_at, finished_at"

// dueCondition selects the rows a claim may take: pending jobs whose run_at has come, and running
// jobs whose lease (run_at = locked_until while running) has ended because their worker died.
// It matches the partial index job_due_idx, which returns them in run_at order without a sort.
const dueCondition = "status IN ('pending', 'running') AND run_at <= ?"

// claim takes the oldest due job of a registered kind. The row is chosen and updated in one
// statement: FOR UPDATE SKIP LOCKED lets PostgreSQL instances claim side by side; SQLite has one
// writer, and the IMMEDIATE transaction (see db.Open) takes its lock before reading.
func (w *Worker) claim(ctx context.Context) (*Job, error) {
	if len(w.kinds) == 0 {
		return nil, nil
	}
	now := w.now()
	lease := now.Add(w.opt.Lease)
	var claimed []Job
	err := w.db.ClaimRows(ctx, db.Claim{Table: "job",
		Set:     "status = 'running', attempts = attempts + 1, run_at = ?, locked_until = ?, claimed_by = ?",
		SetArgs: []any{lease, lease, w.opt.Name + "/" + token()},
		Due:     dueCondition + " AND kind IN (?)", DueArgs: []any{now, bun.List(w.kinds)},
		Order: "run_at, id", Limit: 1, Returning: jobColumns}, &claimed)
	if err != nil {
		return nil, fmt.Errorf("jobs: claim: %w", err)
	}
	if len(claimed) == 0 {
		return nil, nil
	}
	return &claimed[0], nil
}

// anyDue reports whether a claim would find a job, with a read that takes no write lock.
func (w *Worker) anyDue(ctx context.Context) (bool, error) {
	if len(w.kinds) == 0 {
		return false, nil
	}
	now := w.now()
	return w.db.NewSelect().Model((*Job)(nil)).
		Where(dueCondition, now).Where("kind IN (?)", bun.List(w.kinds)).
		Exists(ctx)
}

func token() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// execute runs a claimed job under a heartbeat and records the outcome.
func (w *Worker) execute(ctx context.Context, j *Job) {
	log := w.log.With("job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	var runErr error
	if j.Attempts > j.MaxAttempts {
		// The lease of the last attempt ended without an outcome: its worker died running it.
		runErr = Permanent(errors.New("the worker running the last attempt stopped before it finished"))
	} else {
		hbCtx, stopHeartbeat := context.WithCancel(ctx)
		go w.heartbeat(hbCtx, j, log)
		runErr = w.call(ctx, j)
		stopHeartbeat()
	}
	w.record(context.WithoutCancel(ctx), j, runErr, log)
}

// call runs the handler, turning a panic into an error.
func (w *Worker) call(ctx context.Context, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return w.handlers[j.Kind](ctx, []byte(j.Payload))
}

// heartbeat extends the lease while the handler runs, so that a long job is not taken over.
func (w *Worker) heartbeat(ctx context.Context, j *Job, log *slog.Logger) {
	t := time.NewTicker(w.opt.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		lease := w.now().Add(w.opt.Lease)
		res, err := w.db.NewUpdate().Model((*Job)(nil)).
			Set("run_at = ?", lease).Set("locked_until = ?", lease).
			Where("id = ? AND claimed_by = ? AND status = ?", j.ID, j.ClaimedBy, StatusRunning).
			Exec(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("job heartbeat failed", "err", err)
			}
			continue
		}
		if n, _ := res.RowsAffected(); n == 0 {
			log.Warn("job lease lost: another worker may run it again")
			return
		}
	}
}

// record stores the outcome of a run. Its WHERE clause matches only while this claim holds the
// row, so a worker that lost its lease cannot overwrite the outcome of the one that took over.
func (w *Worker) record(ctx context.Context, j *Job, runErr error, log *slog.Logger) {
	now := w.now()
	q := w.db.NewUpdate().Model((*Job)(nil)).
		Where("id = ? AND claimed_by = ? AND status = ?", j.ID, j.ClaimedBy, StatusRunning).
		Set("locked_until = NULL")
	var permanent permanentError
	switch {
	case runErr == nil:
		q = q.Set("status = ?", StatusDone).Set("finished_at = ?", now).Set("last_error = ''")
	case errors.As(runErr, &permanent) || j.Attempts >= j.MaxAttempts:
		q = q.Set("status = ?", StatusFailed).Set("finished_at = ?", now).Set("last_error = ?", truncate(runErr.Error()))
		log.Error("job failed for good", "max_attempts", j.MaxAttempts, "err", runErr)
	default:
		retryAt := now.Add(w.opt.Backoff(j.Attempts))
		var asked retryAtError
		if errors.As(runErr, &asked) {
			retryAt = now.Add(asked.after)
		}
		q = q.Set("status = ?", StatusPending).Set("run_at = ?", retryAt).Set("last_error = ?", truncate(runErr.Error()))
		log.Warn("job failed, will retry", "retry_at", retryAt, "err", runErr)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		log.Error("recording the job outcome failed: it will run again after its lease", "err", err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		log.Warn("job outcome not recorded: its lease ended and another worker took it over")
	}
}

// truncate keeps stored errors short.
func truncate(s string) string {
	const max = 2000
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
