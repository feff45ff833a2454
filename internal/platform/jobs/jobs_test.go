package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

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

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newWorker(d *db.DB, c *clock, opt Options) *Worker {
	if c != nil {
		opt.Now = c.Now
	}
	opt.Log = quiet
	if opt.PollInterval == 0 {
		opt.PollInterval = 5 * time.Millisecond
	}
	return New(d, opt)
}

func loadJob(t *testing.T, d *db.DB, kind string) Job {
	t.Helper()
	var j Job
	if err := d.NewSelect().Model(&j).Where("kind = ?", kind).Scan(context.Background()); err != nil {
		t.Fatalf("load job %s: %v", kind, err)
	}
	return j
}

func enqueue(t *testing.T, d *db.DB, kind string, payload any, runAt time.Time, opts ...Option) {
	t.Helper()
	if err := Enqueue(context.Background(), d, kind, payload, runAt, opts...); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestEnqueue_InARolledBackTransactionLeavesNoJob(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("business change refused")
		err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if err := Enqueue(ctx, tx, "test.outbox", map[string]int{"n": 1}, time.Time{}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		n, err := d.NewSelect().Model((*Job)(nil)).Count(ctx)
		if err != nil || n != 0 {
			t.Fatalf("jobs after rollback = %d, %v; want 0", n, err)
		}
	})
}

func TestWorker_RunsJobWithItsPayloadAndMarksItDone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		var got struct{ PublicID string }
		w.Register("test.greet", func(ctx context.Context, payload []byte) error {
			return json.Unmarshal(payload, &got)
		})
		enqueue(t, d, "test.greet", map[string]string{"PublicID": "7c1f"}, c.Now())
		if n, err := w.Drain(ctx); err != nil || n != 1 {
			t.Fatalf("Drain = %d, %v; want 1 job", n, err)
		}
		if got.PublicID != "7c1f" {
			t.Errorf("payload = %+v", got)
		}
		j := loadJob(t, d, "test.greet")
		if j.Status != StatusDone || j.Attempts != 1 || j.FinishedAt == nil || j.LockedUntil != nil {
			t.Errorf("job = %+v; want done after 1 attempt, finished, unlocked", j)
		}
	})
}

func TestWorker_WaitsUntilRunAt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		w.Register("test.later", func(context.Context, []byte) error { return nil })
		enqueue(t, d, "test.later", nil, c.Now().Add(time.Hour))
		if ran, err := w.RunOne(ctx); err != nil || ran {
			t.Fatalf("RunOne before run_at = %v, %v; want nothing claimed", ran, err)
		}
		c.Advance(time.Hour)
		if ran, err := w.RunOne(ctx); err != nil || !ran {
			t.Fatalf("RunOne at run_at = %v, %v; want the job", ran, err)
		}
	})
}

func TestWorker_ClaimsOnlyKindsItHasHandlersFor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		w.Register("test.known", func(context.Context, []byte) error { return nil })
		enqueue(t, d, "test.unknown", nil, c.Now())
		if ran, err := w.RunOne(ctx); err != nil || ran {
			t.Fatalf("RunOne = %v, %v; want the unknown kind left alone", ran, err)
		}
		if j := loadJob(t, d, "test.unknown"); j.Status != StatusPending || j.Attempts != 0 {
			t.Errorf("unknown job = %+v; want untouched", j)
		}
	})
}

func TestWorker_RetriesFailingJobWithExponentialBackoff(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		calls := 0
		w.Register("test.flaky", func(context.Context, []byte) error {
			calls++
			if calls < 3 {
				return fmt.Errorf("remote service unavailable (%d)", calls)
			}
			return nil
		})
		enqueue(t, d, "test.flaky", nil, c.Now())
		for attempt, wait := range []time.Duration{30 * time.Second, time.Minute} {
			if ran, err := w.RunOne(ctx); err != nil || !ran {
				t.Fatalf("attempt %d: RunOne = %v, %v", attempt+1, ran, err)
			}
			j := loadJob(t, d, "test.flaky")
			want := fmt.Sprintf("remote service unavailable (%d)", attempt+1)
			if j.Status != StatusPending || j.Attempts != attempt+1 || j.LastError != want || !j.RunAt.Equal(c.Now().Add(wait)) {
				t.Fatalf("after attempt %d: job = %+v; want pending, retry at now+%s, error %q", attempt+1, j, wait, want)
			}
			c.Advance(wait - time.Second)
			if ran, _ := w.RunOne(ctx); ran {
				t.Fatalf("attempt %d: retried before its backoff ended", attempt+1)
			}
			c.Advance(time.Second)
		}
		if ran, err := w.RunOne(ctx); err != nil || !ran {
			t.Fatalf("third attempt: RunOne = %v, %v", ran, err)
		}
		if j := loadJob(t, d, "test.flaky"); j.Status != StatusDone || j.Attempts != 3 || j.LastError != "" {
			t.Errorf("job = %+v; want done after 3 attempts, error cleared", j)
		}
	})
}

func TestWorker_RetriesAfterTheDelayTheHandlerAsksFor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		w.Register("test.throttled", func(context.Context, []byte) error {
			return RetryAfter(errors.New("429 Too Many Requests"), 12*time.Hour)
		})
		enqueue(t, d, "test.throttled", nil, c.Now())
		if ran, err := w.RunOne(ctx); err != nil || !ran {
			t.Fatalf("RunOne = %v, %v", ran, err)
		}
		j := loadJob(t, d, "test.throttled")
		if j.Status != StatusPending || j.Attempts != 1 || j.LastError != "429 Too Many Requests" || !j.RunAt.Equal(c.Now().Add(12*time.Hour)) {
			t.Fatalf("job = %+v; want pending, retried 12 h later, not after the default 30 s", j)
		}
	})
}

func TestEnqueueOnce_QueuesOneJobPerPayloadWhileItWaits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		for _, id := range []int{1, 1, 2} {
			if err := EnqueueOnce(ctx, d, "test.once", map[string]int{"id": id}, c.Now()); err != nil {
				t.Fatal(err)
			}
		}
		count := func() int {
			n, err := d.NewSelect().Model((*Job)(nil)).Where("kind = 'test.once'").Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		if n := count(); n != 2 {
			t.Fatalf("%d jobs; want 2 (one per payload)", n)
		}
		w := newWorker(d, c, Options{})
		w.Register("test.once", func(context.Context, []byte) error { return nil })
		w.Drain(ctx)
		if err := EnqueueOnce(ctx, d, "test.once", map[string]int{"id": 1}, c.Now()); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 3 {
			t.Fatalf("%d jobs; want 3: a finished job does not stop a new one", n)
		}
	})
}

func TestBackoff_DoublesFromThirtySecondsUpToOneHour(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 32 * time.Minute},
		{8, time.Hour}, {9, time.Hour}, {50, time.Hour},
	} {
		if got := Backoff(tc.attempt); got != tc.want {
			t.Errorf("Backoff(%d) = %s; want %s", tc.attempt, got, tc.want)
		}
	}
}

func TestWorker_MarksJobFailedAfterMaxAttempts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{Backoff: func(int) time.Duration { return time.Minute }})
		calls := 0
		w.Register("test.broken", func(context.Context, []byte) error { calls++; return errors.New("always broken") })
		enqueue(t, d, "test.broken", nil, c.Now(), MaxAttempts(3))
		for range 5 {
			w.Drain(ctx)
			c.Advance(time.Minute)
		}
		j := loadJob(t, d, "test.broken")
		if calls != 3 || j.Status != StatusFailed || j.Attempts != 3 || j.LastError != "always broken" || j.FinishedAt == nil {
			t.Errorf("calls = %d, job = %+v; want 3 calls then failed with the last error", calls, j)
		}
	})
}

func TestWorker_FailsPermanentErrorWithoutRetrying(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		w.Register("test.invalid", func(context.Context, []byte) error {
			return Permanent(errors.New("candidature introuvable"))
		})
		enqueue(t, d, "test.invalid", nil, c.Now())
		w.Drain(ctx)
		if j := loadJob(t, d, "test.invalid"); j.Status != StatusFailed || j.Attempts != 1 {
			t.Errorf("job = %+v; want failed after 1 attempt", j)
		}
	})
}

func TestWorker_TurnsHandlerPanicIntoRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		w.Register("test.panic", func(context.Context, []byte) error { panic("nil map") })
		enqueue(t, d, "test.panic", nil, c.Now())
		if ran, err := w.RunOne(ctx); err != nil || !ran {
			t.Fatalf("RunOne = %v, %v", ran, err)
		}
		if j := loadJob(t, d, "test.panic"); j.Status != StatusPending || j.Attempts != 1 || len(j.LastError) < 10 || j.LastError[:10] != "panic: nil" {
			t.Errorf("job = %+v; want pending with the panic recorded", j)
		}
	})
}

func TestWorker_ReclaimsJobWhenLeaseOfDeadWorkerEnds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		noop := func(context.Context, []byte) error { return nil }
		dead := newWorker(d, c, Options{Name: "dead", Lease: time.Minute})
		dead.Register("test.lease", noop)
		alive := newWorker(d, c, Options{Name: "alive", Lease: time.Minute})
		ran := 0
		alive.Register("test.lease", func(context.Context, []byte) error { ran++; return nil })
		enqueue(t, d, "test.lease", nil, c.Now())

		// The dead worker claims the job and never reports back.
		lost, err := dead.claim(ctx)
		if err != nil || lost == nil {
			t.Fatalf("claim = %v, %v", lost, err)
		}
		c.Advance(time.Minute - time.Second)
		if got, _ := alive.RunOne(ctx); got {
			t.Fatal("job taken over while its lease was still running")
		}
		c.Advance(time.Second)
		if got, err := alive.RunOne(ctx); err != nil || !got || ran != 1 {
			t.Fatalf("RunOne after lease = %v, %v (ran %d); want the job taken over", got, err, ran)
		}
		// The dead worker comes back late: its outcome must not overwrite the new one.
		dead.record(ctx, lost, errors.New("late failure"), quiet)
		if j := loadJob(t, d, "test.lease"); j.Status != StatusDone || j.Attempts != 2 || j.ClaimedBy[:5] != "alive" {
			t.Errorf("job = %+v; want done by alive after 2 claims", j)
		}
	})
}

func TestWorker_FailsJobWhoseLastAttemptLeaseEnded(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{Lease: time.Minute})
		ran := false
		w.Register("test.crasher", func(context.Context, []byte) error { ran = true; return nil })
		enqueue(t, d, "test.crasher", nil, c.Now(), MaxAttempts(1))
		if _, err := w.claim(ctx); err != nil { // crashes its worker on the only attempt
			t.Fatal(err)
		}
		c.Advance(time.Minute)
		w.Drain(ctx)
		if j := loadJob(t, d, "test.crasher"); ran || j.Status != StatusFailed {
			t.Errorf("ran = %v, job = %+v; want failed without running again", ran, j)
		}
	})
}

func TestWorker_HeartbeatKeepsLongJobLeased(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{Lease: 30 * time.Millisecond})
		renewed := make(chan struct{})
		w.Register("test.long", func(ctx context.Context, _ []byte) error {
			first := loadJob(t, d, "test.long").LockedUntil
			c.Advance(time.Hour) // the heartbeat writes now+lease with the moved clock
			waitFor(t, "a heartbeat", func() bool {
				j := loadJob(t, d, "test.long")
				return j.LockedUntil != nil && j.LockedUntil.After(*first)
			})
			close(renewed)
			return nil
		})
		enqueue(t, d, "test.long", nil, c.Now())
		if ran, err := w.RunOne(ctx); err != nil || !ran {
			t.Fatalf("RunOne = %v, %v", ran, err)
		}
		<-renewed
		if j := loadJob(t, d, "test.long"); j.Status != StatusDone {
			t.Errorf("job = %+v; want done", j)
		}
	})
}

// openTwice opens two handles on one fresh database, like two instances of the service.
func openTwice(t *testing.T, engine db.Engine) (*db.DB, *db.DB) {
	t.Helper()
	url := dbtest.URL(t, engine)
	var handles [2]*db.DB
	for i := range handles {
		d, err := db.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		handles[i] = d
	}
	if err := handles[0].Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return handles[0], handles[1]
}

func TestWorker_ClaimsEachJobExactlyOnceAcrossConcurrentWorkers(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			a, b := openTwice(t, engine)
			const jobs = 200
			var runs [jobs]atomic.Int32
			handler := func(_ context.Context, payload []byte) error {
				var p struct{ N int }
				if err := json.Unmarshal(payload, &p); err != nil {
					return err
				}
				runs[p.N].Add(1)
				return nil
			}
			for i := range jobs {
				enqueue(t, a, "test.count", map[string]int{"N": i}, time.Time{})
			}
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for i, d := range []*db.DB{a, b} {
				w := newWorker(d, nil, Options{Name: fmt.Sprintf("instance-%d", i), Concurrency: 3})
				w.Register("test.count", handler)
				wg.Go(func() { w.Run(ctx) })
			}
			waitFor(t, "every job done", func() bool {
				n, err := a.NewSelect().Model((*Job)(nil)).Where("status = ?", StatusDone).Count(context.Background())
				return err == nil && n == jobs
			})
			cancel()
			wg.Wait()
			for i := range runs {
				if n := runs[i].Load(); n != 1 {
					t.Errorf("job %d ran %d times; want exactly once", i, n)
				}
			}
			var claimers []string
			a.NewSelect().Model((*Job)(nil)).ColumnExpr("DISTINCT claimed_by").Scan(context.Background(), &claimers)
			t.Logf("%d jobs, claimed under %d distinct claims", jobs, len(claimers))
		})
	}
}

func TestWorker_RunsPeriodicTaskOncePerPeriodAcrossInstances(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			a, b := openTwice(t, engine)
			c := newClock()
			var runs atomic.Int32
			var workers []*Worker
			for i, d := range []*db.DB{a, b} {
				w := newWorker(d, c, Options{Name: fmt.Sprintf("instance-%d", i)})
				w.Every("test.nightly", 24*time.Hour, func(context.Context) error { runs.Add(1); return nil })
				workers = append(workers, w)
			}
			tick := func() {
				var wg sync.WaitGroup
				for _, w := range workers {
					wg.Go(func() {
						if err := w.RunPeriodic(context.Background()); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
			}
			for _, step := range []struct {
				advance time.Duration
				want    int32
			}{
				{0, 1},                          // due at first start, run by one instance
				{0, 1},                          // same instant: nothing more
				{23 * time.Hour, 1},             // within the period
				{time.Hour, 2},                  // next period
				{time.Second, 2},                //
				{72 * time.Hour, 3},             // after a long outage: once, not once per missed period
				{24*time.Hour - time.Second, 3}, //
				{time.Second, 4},                //
			} {
				c.Advance(step.advance)
				tick()
				tick()
				if got := runs.Load(); got != step.want {
					t.Fatalf("after advancing %s: %d runs; want %d", step.advance, got, step.want)
				}
			}
		})
	}
}

func TestWorker_RetriesFailedPeriodicTaskBeforeNextPeriod(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{PeriodicRetry: 5 * time.Minute})
		calls := 0
		w.Every("test.sync", 24*time.Hour, func(context.Context) error {
			calls++
			if calls == 1 {
				return errors.New("remote API down")
			}
			return nil
		})
		w.RunPeriodic(ctx)
		c.Advance(5*time.Minute - time.Second)
		w.RunPeriodic(ctx)
		if calls != 1 {
			t.Fatalf("calls = %d before the retry delay; want 1", calls)
		}
		c.Advance(time.Second)
		w.RunPeriodic(ctx)
		c.Advance(time.Hour)
		w.RunPeriodic(ctx)
		if calls != 2 {
			t.Errorf("calls = %d; want the failed run retried once after 5 min, then daily", calls)
		}
	})
}

func TestWorker_RunsPeriodicTaskAtOnceWhenIntervalShortened(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		var calls atomic.Int32
		fn := func(context.Context) error { calls.Add(1); return nil }
		daily := newWorker(d, c, Options{})
		daily.Every("test.cleanup", 24*time.Hour, fn)
		daily.RunPeriodic(ctx)
		hourly := newWorker(d, c, Options{})
		hourly.Every("test.cleanup", time.Hour, fn)
		c.Advance(time.Minute)
		hourly.RunPeriodic(ctx)
		c.Advance(time.Minute)
		hourly.RunPeriodic(ctx)
		if got := calls.Load(); got != 2 {
			t.Errorf("calls = %d; want the new hourly schedule to apply at once, then hourly", got)
		}
	})
}

func TestWorker_FinishesJobInHandAndStopsClaimingWhenContextEnds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		started, release := make(chan struct{}), make(chan struct{})
		var stoppingSeen, cancelledSeen bool
		w := newWorker(d, nil, Options{})
		w.Register("test.slow", func(ctx context.Context, payload []byte) error {
			if string(payload) != `"first"` {
				t.Errorf("claimed %s after the stop", payload)
				return nil
			}
			close(started)
			<-release
			stoppingSeen, cancelledSeen = Stopping(ctx), ctx.Err() != nil
			return nil
		})
		enqueue(t, d, "test.slow", "first", time.Now().Add(-time.Minute))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		<-started
		enqueue(t, d, "test.slow", "second", time.Time{})
		cancel()
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("Run = %v", err)
		}
		if !stoppingSeen || cancelledSeen {
			t.Errorf("in-hand job saw Stopping = %v, cancelled = %v; want told to stop but not cancelled", stoppingSeen, cancelledSeen)
		}
		var rows []Job
		d.NewSelect().Model(&rows).Order("id").Scan(context.Background())
		if len(rows) != 2 || rows[0].Status != StatusDone || rows[1].Status != StatusPending || rows[1].Attempts != 0 {
			t.Errorf("jobs = %+v; want the first done and the second untouched", rows)
		}
	})
}

func TestWorker_CancelsJobInHandAfterGracePeriod(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		started := make(chan struct{})
		w := newWorker(d, nil, Options{ShutdownGrace: 20 * time.Millisecond})
		w.Register("test.stuck", func(ctx context.Context, _ []byte) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
		enqueue(t, d, "test.stuck", nil, time.Time{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		<-started
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run = %v", err)
		}
		if j := loadJob(t, d, "test.stuck"); j.Status != StatusPending || j.Attempts != 1 || j.LastError != "context canceled" {
			t.Errorf("job = %+v; want back to pending for a retry", j)
		}
	})
}

func TestPurgeFinished_DeletesOnlyOldFinishedJobs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		w := newWorker(d, c, Options{})
		w.Register("test.old", func(context.Context, []byte) error { return nil })
		w.Register("test.recent", func(context.Context, []byte) error { return nil })
		enqueue(t, d, "test.old", nil, c.Now())
		enqueue(t, d, "test.pending", nil, c.Now())
		w.Drain(ctx)
		c.Advance(40 * 24 * time.Hour)
		enqueue(t, d, "test.recent", nil, c.Now())
		w.Drain(ctx)
		n, err := PurgeFinished(ctx, d, c.Now().Add(-30*24*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("PurgeFinished = %d, %v; want 1", n, err)
		}
		var kinds []string
		d.NewSelect().Model((*Job)(nil)).Column("kind").Order("kind").Scan(ctx, &kinds)
		if fmt.Sprint(kinds) != "[test.pending test.recent]" {
			t.Errorf("left %v", kinds)
		}
	})
}
