package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/ratelimit"
)

// Rates of the original's throttles, per minute (api.md §1.6).
const (
	RatePerUser            = 120 // candidats, data-inclusion, marché, nexus, siaes for a known caller
	RatePerDepartment      = 120 // candidatures/recherche, shared by the tokens of a département
	RateEmployeeRecords    = 60  // employee-records and their notifications, per user
	RateCompanyToken       = 12  // embauches-geiq with a company token (the « anonymous » rate, §10 Q3)
	RateTokenAuthPerClient = 12  // token-auth, per client address (§10 Q9: the original has none)
)

// Throttles hands out the database-backed limiters of the API (internal/platform/ratelimit), one
// per rate, so that every instance counts in the same rows. A limit of 0 turns a throttle off.
type Throttles struct {
	DB *db.DB
	// Now is the clock of every limiter (tests move it).
	Now func() time.Time

	mu       sync.Mutex
	limiters map[int]*ratelimit.Limiter
}

// NewThrottles returns the limiters over d.
func NewThrottles(d *db.DB) *Throttles { return &Throttles{DB: d, Now: time.Now} }

// PerMinute is the limiter of n calls per minute.
func (t *Throttles) PerMinute(n int) *ratelimit.Limiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.limiters == nil {
		t.limiters = map[int]*ratelimit.Limiter{}
	}
	l := t.limiters[n]
	if l == nil {
		l = ratelimit.New(t.DB, n, time.Minute)
		l.Now = func() time.Time { return t.Now() }
		t.limiters[n] = l
	}
	return l
}

// Throttle counts an endpoint's calls per bucket (api.md §1.6; buckets per token and per
// endpoint family rather than the original's shared ones, §10 Q2–Q4).
type Throttle struct {
	// Scope names the counters ("candidats", "employee-records"...): two endpoints share a
	// bucket only when they share a scope.
	Scope   string
	Limiter *ratelimit.Limiter
	// Bucket is the key counted for a call; "" leaves the call uncounted by this throttle.
	Bucket func(id Identity) string
}

// allow counts the call and says whether it may go on, and else how long to wait. When the
// database cannot count, the call goes on (the original fails open too) and a warning is logged.
func (t Throttle) allow(ctx context.Context, log *slog.Logger, r *http.Request, id Identity) (time.Duration, bool) {
	bucket := t.Bucket(id)
	if bucket == "" || !t.Limiter.On() {
		return 0, true
	}
	dec, err := t.Limiter.Allow(ctx, "api-"+t.Scope+":"+bucket)
	if err != nil {
		log.Warn("api throttle not counted", "request_id", httpx.RequestID(r.Context()), "scope", t.Scope, "err", err)
		return 0, true
	}
	return dec.RetryAfter, dec.Allowed
}

// Buckets of the throttles.

// ByUser counts per user (user token or session); other callers are not counted.
func ByUser(id Identity) string {
	if id.UserID == 0 {
		return ""
	}
	return "user-" + strconv.FormatInt(id.UserID, 10)
}

// ByToken counts per family token (per service account); others are not counted.
func ByToken(id Identity) string {
	if id.Token == nil || id.UserID != 0 {
		return ""
	}
	return "token-" + strconv.FormatInt(id.Token.ID, 10)
}

// ByDepartment counts per département: all the tokens of one département share the bucket.
func ByDepartment(id Identity) string {
	if id.Token == nil || id.Token.Department == "" {
		return ""
	}
	return "department-" + id.Token.Department
}

// ByCaller counts an identified caller: per user, else per token.
func ByCaller(id Identity) string {
	if b := ByUser(id); b != "" {
		return b
	}
	return ByToken(id)
}

// ByAnonymousClient counts the calls without credentials per client address.
func ByAnonymousClient(id Identity) string {
	if id.Authenticated() {
		return ""
	}
	return "client-" + ratelimit.ClientKey(id.ClientIP)
}

// ByClient counts every call per client address.
func ByClient(id Identity) string { return "client-" + ratelimit.ClientKey(id.ClientIP) }
