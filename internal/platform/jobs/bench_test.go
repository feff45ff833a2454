package jobs

import (
	"context"
	"sync"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// fill inserts n due jobs of kind in batches (not timed).
func fill(b *testing.B, d *db.DB, kind string, n int) {
	b.Helper()
	now := time.Now().UTC().Add(-time.Second)
	for done := 0; done < n; {
		batch := make([]Job, 0, min(500, n-done))
		for range cap(batch) {
			batch = append(batch, Job{Kind: kind, Payload: "{}", Status: StatusPending, RunAt: now, MaxAttempts: DefaultMaxAttempts, CreatedAt: now})
		}
		if _, err := d.NewInsert().Model(&batch).ExcludeColumn("id").Exec(context.Background()); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
}

// BenchmarkWorker_ClaimRunRecord measures the queue itself: claim, run an empty handler, record
// the outcome, with 1 and 4 goroutines claiming side by side.
func BenchmarkWorker_ClaimRunRecord(b *testing.B) {
	for _, engine := range dbtest.Engines() {
		for _, goroutines := range []int{1, 4} {
			b.Run(string(engine)+"/goroutines="+string(rune('0'+goroutines)), func(b *testing.B) {
				d := dbtest.Open(b, engine)
				fill(b, d, "bench.noop", b.N)
				if engine == db.Postgres {
					// Fresh statistics, as autovacuum keeps them in production: with the empty
					// table's, the planner sorts the whole backlog at each claim.
					if _, err := d.ExecContext(context.Background(), "ANALYZE job"); err != nil {
						b.Fatal(err)
					}
				}
				w := New(d, Options{Log: quiet})
				w.Register("bench.noop", func(context.Context, []byte) error { return nil })
				b.ResetTimer()
				var wg sync.WaitGroup
				for range goroutines {
					wg.Go(func() {
						if _, err := w.Drain(context.Background()); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
				if n, _ := d.NewSelect().Model((*Job)(nil)).Where("status = ?", StatusDone).Count(context.Background()); int(n) != b.N {
					b.Fatalf("%d jobs done; want %d", n, b.N)
				}
			})
		}
	}
}
