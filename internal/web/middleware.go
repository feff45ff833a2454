package web

import (
	"context"
	"net/http"

	"emplois/internal/platform/httpx"
)

// middleware wraps the mux, outermost first: request id, access log, metrics, panic recovery,
// security headers, cross-origin protection of state-changing requests, session, viewer, rate
// limits of anonymous search pages and API calls (ratelimit.go).
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.rateLimit(h)
	h = s.withViewer(h)
	h = s.sessions.LoadAndSave(h)
	h = s.crossOriginProtection(h)
	h = httpx.SecurityHeaders(s.cfg.SecureCookies())(h)
	h = httpx.Recover(s.log, func(w http.ResponseWriter, r *http.Request) {
		s.serverError(w, r, errPanic)
	})(h)
	h = s.instrument(h)
	h = httpx.AccessLog(s.log)(h)
	return httpx.WithRequestID(h)
}

type panicError struct{}

func (panicError) Error() string { return "panic in handler" }

var errPanic error = panicError{}

// crossOriginProtection refuses cross-origin POST, PUT, PATCH and DELETE requests with a French 403
// (Go's CrossOriginProtection reads Sec-Fetch-Site and Origin, no token needed).
func (s *Server) crossOriginProtection(h http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden)
	}))
	return p.Handler(h)
}

func requestID(ctx context.Context) string { return httpx.RequestID(ctx) }
