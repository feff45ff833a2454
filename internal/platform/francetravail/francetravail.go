// Package francetravail is the client of France Travail's partner API (asp.md §6.1–6.2): the
// OAuth2 token of the partner realm, kept in the database so that every instance and the worker
// share it, and the common handling of requests and answers. Each call of the API is a method
// over that core: Agencies (asp.md §4) here; « rechercher individu certifié » and « mise à jour
// PASS IAE » (§6.3–6.4) in pass.go, through Client.call; the agent API of the TH certification
// (§7.2), with the agent realm's token, in rqth.go.
package francetravail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// Timeout bounds every request to France Travail (asp.md §6.2).
const Timeout = 60 * time.Second

// DefaultRetryAfter is the wait a 429 answer asks for when it has no usable Retry-After header.
const DefaultRetryAfter = 60 * time.Second

// maxErrorBody is how much of an error answer an Error keeps.
const maxErrorBody = 1000

// Config is the registration of the service at France Travail.
type Config struct {
	// AuthBaseURL is the token server, APIBaseURL the API's root, both without a trailing slash.
	AuthBaseURL, APIBaseURL string
	ClientID                string
	ClientSecret            config.Secret
}

// FromConfig is the registration read from the service settings, ok=false when the calls to
// France Travail are off (EMPLOIS_FT_API_BASE_URL empty).
func FromConfig(cfg config.Config) (c Config, ok bool) {
	if !cfg.FranceTravailEnabled() {
		return Config{}, false
	}
	return Config{AuthBaseURL: cfg.FTAuthBaseURL, APIBaseURL: cfg.FTAPIBaseURL, ClientID: cfg.FTClientID,
		ClientSecret: cfg.FTClientSecret}, true
}

// Client calls France Travail's partner API, and its agent API (asp.md §7.2) with the same
// registration. It is safe for concurrent use.
type Client struct {
	cfg    Config
	tokens *tokens // the partner realm's
	agent  *tokens // the agent realm's
	http   *http.Client
}

// New returns a client of c whose tokens are cached in d. Tests move now to expire them.
func New(d *db.DB, c Config, now func() time.Time) *Client {
	// A redirect is an answer, not a place to follow: France Travail answers 302 to an agent
	// call missing its headers (asp.md §7.2), and following it would hide that.
	h := &http.Client{Timeout: Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Client{cfg: c, http: h,
		tokens: &tokens{db: d, cfg: c, http: h, now: now, realm: PartnerRealm, scopes: PartnerScopes},
		agent:  &tokens{db: d, cfg: c, http: h, now: now, realm: AgentRealm, scopes: AgentScopes}}
}

// ErrorKind is the outcome of a failed call (asp.md §6.2).
type ErrorKind string

const (
	// RateLimited: France Travail answered 429; RetryAfter says when to try again.
	RateLimited ErrorKind = "rate_limited"
	// HTTPStatus: any other status than 200, 204 and 206, from the API or from the token endpoint.
	HTTPStatus ErrorKind = "http_status"
	// Network: no answer (connection refused, timeout, DNS); its code is "http_error".
	Network ErrorKind = "http_error"
	// BadAnswer: a 200 whose body is not the JSON expected.
	BadAnswer ErrorKind = "bad_answer"
)

// Error is a call to France Travail that did not give an answer to use. Every Error is
// retryable: the caller tries again on a later run (asp.md §6.2, §8: the token endpoint's
// failures too). Body never reaches a log whole: it may echo what was sent.
type Error struct {
	Kind       ErrorKind
	Path       string // the endpoint called, without the base URL
	Status     int    // the HTTP status, 0 without an answer
	Body       string // the answer's body, at most maxErrorBody bytes
	RetryAfter time.Duration
	Err        error // the network failure
}

func (e *Error) Error() string {
	switch e.Kind {
	case Network:
		return fmt.Sprintf("francetravail: %s: http_error: %v", e.Path, e.Err)
	case RateLimited:
		return fmt.Sprintf("francetravail: %s: rate limited, retry after %s", e.Path, e.RetryAfter)
	case BadAnswer:
		return fmt.Sprintf("francetravail: %s: unreadable answer: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("francetravail: %s: HTTP %d", e.Path, e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// Code is the error's code as France Travail's outcomes record it: "http_error" without an
// answer, else the kind.
func (e *Error) Code() string { return string(e.Kind) }

// Retryable reports whether err is a failed call to France Travail to try again later.
func Retryable(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// call sends a request to the partner API at path with in as JSON body (none when nil) and
// decodes a 200 or 206 answer into out (ignored when nil); a 204 leaves out as it is and returns
// noContent=true. A missing or expired token is fetched first; a 401 drops the cached one.
func (c *Client) call(ctx context.Context, method, path string, in, out any) (noContent bool, err error) {
	return c.send(ctx, c.tokens, nil, method, path, in, out)
}

// send is call with the token of realm t and extra headers.
func (c *Client) send(ctx context.Context, t *tokens, headers map[string]string, method, path string, in, out any) (noContent bool, err error) {
	auth, err := t.get(ctx)
	if err != nil {
		return false, err
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return false, fmt.Errorf("francetravail: %s: encode: %w", path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.APIBaseURL+path, body)
	if err != nil {
		return false, fmt.Errorf("francetravail: %s: %w", path, err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return false, &Error{Kind: Network, Path: path, Err: err}
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK, http.StatusPartialContent:
		if out == nil {
			return false, nil
		}
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			return false, &Error{Kind: BadAnswer, Path: path, Status: res.StatusCode, Err: err}
		}
		return false, nil
	case http.StatusNoContent:
		return true, nil
	case http.StatusTooManyRequests:
		return false, &Error{Kind: RateLimited, Path: path, Status: res.StatusCode, Body: readBody(res.Body),
			RetryAfter: retryAfter(res.Header.Get("Retry-After"))}
	case http.StatusUnauthorized:
		// A token revoked or refused before its expiry: the next call fetches a new one.
		if err := t.drop(ctx); err != nil {
			return false, err
		}
	}
	return false, &Error{Kind: HTTPStatus, Path: path, Status: res.StatusCode, Body: readBody(res.Body)}
}

// readBody keeps the start of an error answer.
func readBody(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, maxErrorBody))
	return string(b)
}

// retryAfter reads a Retry-After header in seconds, DefaultRetryAfter when absent or unreadable.
func retryAfter(h string) time.Duration {
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	return DefaultRetryAfter
}
