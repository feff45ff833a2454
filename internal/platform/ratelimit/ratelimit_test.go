package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// at12h00m is the start of a one-minute window.
var at12h00m = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func newLimiter(d *db.DB, limit int) (*Limiter, *clock) {
	c := &clock{t: at12h00m}
	l := New(d, limit, time.Minute)
	l.Now = c.Now
	return l, c
}

func allow(t *testing.T, l *Limiter, key string) Decision {
	t.Helper()
	dec, err := l.Allow(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return dec
}

func TestLimiter_RefusesTheRequestAfterTheLimitWithTheTimeLeftInTheWindow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		l, c := newLimiter(d, 3)
		c.t = at12h00m.Add(15*time.Second + 400*time.Millisecond)
		for i := 1; i <= 3; i++ {
			if dec := allow(t, l, "api:192.0.2.1"); !dec.Allowed || dec.Hits != i {
				t.Fatalf("request %d: %+v, want allowed with %d hits", i, dec, i)
			}
		}
		dec := allow(t, l, "api:192.0.2.1")
		if dec.Allowed || dec.Hits != 4 {
			t.Fatalf("4th request: %+v, want refused", dec)
		}
		// 44.6 s are left in the window: the client is told 45, never less than what is left.
		if dec.RetryAfterSeconds() != 45 {
			t.Errorf("retry after %d s, want 45", dec.RetryAfterSeconds())
		}
	})
}

func TestLimiter_AllowsAgainInTheNextWindow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		l, c := newLimiter(d, 1)
		c.t = at12h00m.Add(59 * time.Second)
		allow(t, l, "pages:192.0.2.1")
		if dec := allow(t, l, "pages:192.0.2.1"); dec.Allowed || dec.RetryAfterSeconds() != 1 {
			t.Fatalf("second request in the window: %+v, want refused, retry after 1 s", dec)
		}
		c.t = at12h00m.Add(time.Minute)
		if dec := allow(t, l, "pages:192.0.2.1"); !dec.Allowed || dec.Hits != 1 {
			t.Fatalf("first request of the next window: %+v, want allowed", dec)
		}
	})
}

func TestLimiter_CountsEachKeyApart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		l, _ := newLimiter(d, 1)
		allow(t, l, "api:192.0.2.1")
		for _, key := range []string{"api:192.0.2.2", "pages:192.0.2.1"} {
			if dec := allow(t, l, key); !dec.Allowed {
				t.Errorf("%s refused by another key's requests", key)
			}
		}
	})
}

func TestLimiter_OffAllowsEverythingWithoutTouchingTheDatabase(t *testing.T) {
	l := New(nil, 0, time.Minute) // a nil database would panic if used
	for i := 0; i < 100; i++ {
		if dec, err := l.Allow(context.Background(), "api:192.0.2.1"); err != nil || !dec.Allowed {
			t.Fatalf("request %d: %+v, %v", i, dec, err)
		}
	}
	var nilLimiter *Limiter
	if nilLimiter.On() {
		t.Error("a nil limiter limits")
	}
}

// Several instances increment the same row: the count must be exact under concurrency, or a
// burst spread over instances would pass the limit.
func TestLimiter_CountsExactlyUnderConcurrentRequests(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		const limit, requests = 10, 40
		l, _ := newLimiter(d, limit)
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for i := 0; i < requests; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				dec, err := l.Allow(context.Background(), "api:192.0.2.9")
				if err != nil {
					t.Error(err)
					return
				}
				if dec.Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != limit {
			t.Errorf("%d requests allowed, want exactly %d", allowed, limit)
		}
		var hits int
		if err := d.NewRaw("SELECT hits FROM rate_limit_counter WHERE key = ?", "api:192.0.2.9").Scan(context.Background(), &hits); err != nil {
			t.Fatal(err)
		}
		if hits != requests {
			t.Errorf("counter at %d, want %d", hits, requests)
		}
	})
}

func TestPurge_DeletesOnlyWindowsStartedBeforeTheCutoff(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		l, c := newLimiter(d, 5)
		for _, m := range []int{0, 1, 2} {
			c.t = at12h00m.Add(time.Duration(m) * time.Minute)
			allow(t, l, "api:192.0.2.1")
		}
		n, err := Purge(context.Background(), d, at12h00m.Add(2*time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("purged %d, %v; want the 2 past windows", n, err)
		}
		if dec := allow(t, l, "api:192.0.2.1"); dec.Hits != 2 {
			t.Errorf("current window lost its count: %+v", dec)
		}
	})
}

func TestRetryAfter_IsRoundedUpAndAtLeastOneSecond(t *testing.T) {
	end := at12h00m.Add(time.Minute)
	for _, tc := range []struct {
		left time.Duration
		want time.Duration
	}{
		{60 * time.Second, 60 * time.Second},
		{30*time.Second + time.Millisecond, 31 * time.Second},
		{time.Millisecond, time.Second},
		{0, time.Second},
	} {
		if got := retryAfter(end.Add(-tc.left), end); got != tc.want {
			t.Errorf("%v left: retry after %v, want %v", tc.left, got, tc.want)
		}
	}
}

// BenchmarkLimiter_Allow measures the cost of the limit per request: one upsert. Run it with
// TEST_DATABASE_URL for PostgreSQL: go test -run XXX -bench Limiter ./internal/platform/ratelimit/
func BenchmarkLimiter_Allow(b *testing.B) {
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			d := dbtest.Open(b, engine)
			l := New(d, 1<<30, time.Minute)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// 100 clients sharing the windows, as a busy minute would.
				if _, err := l.Allow(ctx, fmt.Sprintf("api:192.0.2.%d", i%100)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLimiter_AllowParallel measures the upsert under concurrent requests (SQLite serializes
// writers; PostgreSQL locks one row per client).
func BenchmarkLimiter_AllowParallel(b *testing.B) {
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			d := dbtest.Open(b, engine)
			l := New(d, 1<<30, time.Minute)
			ctx := context.Background()
			var n sync.Mutex
			i := 0
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n.Lock()
					i++
					key := fmt.Sprintf("api:192.0.2.%d", i%100)
					n.Unlock()
					if _, err := l.Allow(ctx, key); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func TestClientKey_GroupsIPv6ByItsSlash64(t *testing.T) {
	for addr, want := range map[string]string{
		"203.0.113.7":          "203.0.113.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:203.0.113.7":   "::ffff:203.0.113.7",
		"pas une adresse":      "pas une adresse",
	} {
		if got := ClientKey(addr); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", addr, got, want)
		}
	}
}
