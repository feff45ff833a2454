package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"emplois/internal/api"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/ratelimit"
)

// rateLimits slow down scrapers (issue 4): an anonymous client address may load so many search
// pages and make so many API calls per minute (EMPLOIS_RATE_LIMIT_PAGES, EMPLOIS_RATE_LIMIT_API;
// 0 turns a limit off). The counters live in the database, so the limits hold across all the
// instances behind a load balancer. Logged-in users are not limited.
type rateLimits struct {
	pages *ratelimit.Limiter
	api   *ratelimit.Limiter
}

func newRateLimits(cfg config.Config, d *db.DB) *rateLimits {
	return &rateLimits{
		pages: ratelimit.New(d, cfg.RateLimitPages, time.Minute),
		api:   ratelimit.New(d, cfg.RateLimitAPI, time.Minute),
	}
}

// Paths under a limit. The search pages belong to internal/web/search*.go; the limit is applied
// here by prefix so that every search page, and the htmx fragments they load, count.
const (
	searchPagesPrefix = "/search/"
	apiPrefix         = "/api/v1/"
)

// apiDocPaths are under /api/v1/ but are documentation, read by people: not limited.
var apiDocPaths = map[string]bool{"/api/v1/oas3/": true, "/api/v1/redoc/": true}

// limiterFor returns the limiter of the request's path and the name of its counter, or nil.
func (l *rateLimits) limiterFor(path string) (*ratelimit.Limiter, string) {
	switch {
	case strings.HasPrefix(path, searchPagesPrefix):
		return l.pages, "pages"
	case strings.HasPrefix(path, apiPrefix) && !apiDocPaths[path]:
		return l.api, "api"
	}
	return nil, ""
}

// rateLimit refuses, with a 429 and Retry-After, the requests of an anonymous client address
// over its limit: JSON on the API, the French error page elsewhere. It runs after the viewer is
// known (logged-in users pass). When the database cannot count, the request passes: the limit
// protects the service, it must not take it down.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limiter, scope := s.limits.limiterFor(r.URL.Path)
		if !limiter.On() || viewerFrom(r.Context()).Authenticated() {
			next.ServeHTTP(w, r)
			return
		}
		dec, err := limiter.Allow(r.Context(), scope+":"+ratelimit.ClientKey(s.clientIP.Of(r)))
		if err != nil {
			s.log.Warn("rate limit not counted", "request_id", requestID(r.Context()), "err", err)
		}
		if dec.Allowed {
			next.ServeHTTP(w, r)
			return
		}
		secs := dec.RetryAfterSeconds()
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		if scope == "api" {
			api.WriteError(w, http.StatusTooManyRequests, fmt.Sprintf("Trop de requêtes. Réessayez dans %s.", frenchSeconds(secs)))
			return
		}
		if r.Header.Get("HX-Request") == "true" {
			// htmx swaps no error answer: have it reload the page, which shows the 429 page.
			w.Header().Set("HX-Refresh", "true")
		}
		s.render(w, r, http.StatusTooManyRequests, "error.html", errorPages[http.StatusTooManyRequests],
			map[string]any{"Status": http.StatusTooManyRequests, "RetryAfter": frenchSeconds(secs)})
	})
}

// frenchSeconds is "1 seconde", "42 secondes".
func frenchSeconds(n int) string {
	if n <= 1 {
		return "1 seconde"
	}
	return strconv.Itoa(n) + " secondes"
}
