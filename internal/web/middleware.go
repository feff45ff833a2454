package web

import (
	"net/http"

	"emplois/internal/platform/httpx"
)

// middleware wraps the mux, outermost first: request id, access log, metrics, panic recovery,
// security headers, cross-origin protection of state-changing requests, session, viewer (the
// policies, the organization gate and the rate limits apply per route: page.Router.Handle).
func (s *Server) middleware(h http.Handler) http.Handler {
	cfg := s.svc.Config
	h = s.kit.ResolveViewer(h)
	h = s.kit.Sessions().LoadAndSave(h)
	h = s.crossOriginProtection(h)
	h = httpx.SecurityHeaders(cfg.SecureCookies())(h)
	h = httpx.Recover(s.svc.Log, func(w http.ResponseWriter, r *http.Request) {
		s.kit.ServerError(w, r, errPanic)
	})(h)
	h = s.instrument(h)
	h = httpx.AccessLog(s.svc.Log)(h)
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
		s.kit.Error(w, r, http.StatusForbidden)
	}))
	return p.Handler(h)
}
