// Package ratelimit counts requests per key in fixed windows stored in the database (table
// rate_limit_counter), so that every instance behind a load balancer shares the same counters.
// One request costs one upsert; past windows are purged by a periodic task (Purge).
//
// A fixed window lets a client send up to twice the limit around a window boundary (the end of
// one window, then the start of the next): acceptable for its purpose, slowing scrapers down,
// and it keeps the cost at one row per client and window.
package ratelimit

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Limiter allows Limit requests per key in each Window. The zero Limit means no limit.
type Limiter struct {
	DB     *db.DB
	Limit  int
	Window time.Duration
	// Now is the clock (time.Now; tests move it).
	Now func() time.Time
}

// New returns a limiter of limit requests per window over d; limit 0 turns it off.
func New(d *db.DB, limit int, window time.Duration) *Limiter {
	return &Limiter{DB: d, Limit: limit, Window: window, Now: time.Now}
}

// Decision is the outcome of one request.
type Decision struct {
	Allowed bool
	// Hits is the number of requests of the key in the current window, this one included.
	Hits int
	// RetryAfter is how long until the window ends and the key may try again (whole seconds,
	// at least one); set when the request is refused.
	RetryAfter time.Duration
}

// RetryAfterSeconds is RetryAfter in whole seconds, for the Retry-After header and messages.
func (d Decision) RetryAfterSeconds() int { return int(d.RetryAfter / time.Second) }

// On reports whether the limiter limits anything.
func (l *Limiter) On() bool { return l != nil && l.Limit > 0 }

// Allow counts one request of key and says whether it is within the limit. A limiter that is
// off allows everything without touching the database.
func (l *Limiter) Allow(ctx context.Context, key string) (Decision, error) {
	if !l.On() {
		return Decision{Allowed: true}, nil
	}
	now := l.Now()
	start := windowStart(now, l.Window)
	hits, err := hit(ctx, l.DB, key, start.Unix())
	if err != nil {
		return Decision{Allowed: true}, err
	}
	d := Decision{Allowed: hits <= l.Limit, Hits: hits}
	if !d.Allowed {
		d.RetryAfter = retryAfter(now, start.Add(l.Window))
	}
	return d, nil
}

// windowStart is the start of the fixed window holding t: windows are aligned on multiples of
// their length since the Unix epoch, so every instance computes the same ones.
func windowStart(t time.Time, window time.Duration) time.Time {
	return t.Truncate(window)
}

// retryAfter is the time left until end, rounded up to the second and at least one second (a
// client told "0" would retry at once).
func retryAfter(now, end time.Time) time.Duration {
	left := end.Sub(now)
	secs := (left + time.Second - 1) / time.Second
	if secs < 1 {
		secs = 1
	}
	return secs * time.Second
}

// hit adds one request to the counter of (key, window) and returns the new count, in one
// statement: the upsert takes the row lock, so concurrent requests of several instances count
// exactly (SQLite 3.35+ and PostgreSQL both support ON CONFLICT ... RETURNING).
func hit(ctx context.Context, idb bun.IDB, key string, window int64) (int, error) {
	var hits int
	err := idb.NewRaw(`INSERT INTO rate_limit_counter (key, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counter.hits + 1
		RETURNING hits`, key, window).Scan(ctx, &hits)
	if err != nil {
		return 0, fmt.Errorf("ratelimit: count %s: %w", key, err)
	}
	return hits, nil
}

// Purge deletes the counters of windows that started before before, and says how many.
func Purge(ctx context.Context, idb bun.IDB, before time.Time) (int64, error) {
	res, err := idb.NewDelete().Table("rate_limit_counter").Where("window_start < ?", before.Unix()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("ratelimit: purge: %w", err)
	}
	return res.RowsAffected()
}

// ClientKey is what a limit counts for a client address: the IPv4 address, or the /64 network
// of an IPv6 address (one subscriber gets a whole /64 and could otherwise change address at each
// request).
func ClientKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}
