// Package httpx holds HTTP machinery shared by the pages and the API: request ids, panic
// recovery, security headers and the client address behind trusted proxies.
package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

type requestIDKey struct{}

// RequestID returns the id given to the request by WithRequestID.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithRequestID gives each request a random id, echoed in the X-Request-Id response header.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// SecurityHeaders sets the headers every response carries. The CSP allows only our own origin
// (DSFR icons are data: URIs inside its CSS). HSTS is sent only when the service is on HTTPS.
func SecurityHeaders(https bool) func(http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if https {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Recover turns a panic into a logged 500 handled by onPanic.
func Recover(log *slog.Logger, onPanic func(w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					log.Error("panic", "request_id", RequestID(r.Context()), "path", r.URL.Path, "panic", p)
					onPanic(w, r)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// StatusRecorder remembers the status code written, for logs and metrics.
type StatusRecorder struct {
	http.ResponseWriter
	Status int
}

func (s *StatusRecorder) WriteHeader(code int) {
	if s.Status == 0 {
		s.Status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *StatusRecorder) Write(b []byte) (int, error) {
	if s.Status == 0 {
		s.Status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *StatusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// AccessLog logs one line per request: method, path (no query string, which may hold personal
// data, and no one-time token, see RedactPath), status and duration.
func AccessLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &StatusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			log.Info("request", "request_id", RequestID(r.Context()), "method", r.Method, "path", RedactPath(r.URL.Path),
				"status", rec.Status, "duration_ms", float64(time.Since(start).Microseconds())/1000)
		})
	}
}

// RedactPath hides the path segments that look like secrets: e-mailed links carry one-time tokens
// in their path (/accounts/password/reset/<43 base64url characters>), which must not reach the
// logs (actors.md §19). A segment of 40 or more base64url characters becomes "REDACTED"; UUIDs
// (36 characters) and other identifiers stay readable.
func RedactPath(path string) string {
	segments := strings.Split(path, "/")
	for i, seg := range segments {
		if len(seg) >= 40 && strings.Trim(seg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == "" {
			segments[i] = "REDACTED"
		}
	}
	return strings.Join(segments, "/")
}

// ClientIP returns the client address: the connection's peer, or, when that peer is a trusted
// proxy, the right-most untrusted address of X-Forwarded-For.
type ClientIP struct{ trusted []*net.IPNet }

// NewClientIP parses the trusted proxy CIDRs (bare addresses are accepted too).
func NewClientIP(cidrs []string) (*ClientIP, error) {
	c := &ClientIP{}
	for _, s := range cidrs {
		if !strings.Contains(s, "/") {
			if strings.Contains(s, ":") {
				s += "/128"
			} else {
				s += "/32"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, err
		}
		c.trusted = append(c.trusted, n)
	}
	return c, nil
}

func (c *ClientIP) isTrusted(ip net.IP) bool {
	for _, n := range c.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// Of returns the client address of r.
func (c *ClientIP) Of(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer := net.ParseIP(host)
	if peer == nil || !c.isTrusted(peer) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(hops[i]))
		if ip == nil {
			break
		}
		if !c.isTrusted(ip) {
			return ip.String()
		}
	}
	return host
}

// LocalTarget returns target when it is a path of this site, as http.Redirect will send it
// (cleaned), else fallback. Used for every `next` a request carries (after login, after a saved
// search is deleted...), so that no link can send a user off-site (issue 8: "/\t/evil.example"
// and "/./\evil.example" did). Browsers drop tabs and newlines from a Location and read a
// backslash as a slash, so any control character, space or backslash refuses the target, as do
// two slashes in a row in its path (a host, before or after cleaning) and a scheme or a host.
func LocalTarget(target, fallback string) string {
	p, _, _ := strings.Cut(target, "?")
	if !strings.HasPrefix(target, "/") || strings.ContainsRune(target, '\\') || strings.Contains(p, "//") {
		return fallback
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c == 0x7f {
			return fallback
		}
	}
	cleaned := cleanRedirectPath(target)
	if strings.HasPrefix(cleaned, "//") {
		return fallback
	}
	u, err := url.Parse(cleaned)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return cleaned
}

// cleanRedirectPath applies to an absolute path the cleaning http.Redirect applies to it: the
// path before "?" goes through path.Clean, keeping a trailing slash.
func cleanRedirectPath(target string) string {
	p, query, _ := strings.Cut(target, "?")
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	if trailing && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if strings.Contains(target, "?") {
		return p + "?" + query
	}
	return p
}

// PrivateNoStore is the Cache-Control of a response to a logged-in user: neither the browser
// (back button on a shared computer) nor a proxy keeps it (issue 8).
const PrivateNoStore = "no-store, private"

// NoStore wraps w so that the response carries Cache-Control PrivateNoStore, unless the handler
// set its own (static assets keep their year of caching).
func NoStore(w http.ResponseWriter) http.ResponseWriter { return &noStoreWriter{ResponseWriter: w} }

type noStoreWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *noStoreWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if h := w.Header(); h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", PrivateNoStore)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *noStoreWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
