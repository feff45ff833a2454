package web

// Test harness for page tests: a real Server over a dbtest database, served by httptest, and
// "browsers" (HTTP clients with their own cookie jar that do not follow redirects).
//
//	dbtest.Run(t, func(t *testing.T, d *db.DB) {
//		site := newTestSite(t, d)
//		b := site.loginAs(site.createJobSeeker("alice@example.org"), testPassword)
//		res := b.get("/dashboard") // res.StatusCode, res.Body, res.Header
//	})

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
	"emplois/internal/platform/session"
)

// testPassword passes the password rules for the accounts the harness creates.
const testPassword = "Velo-Rouge-Sous-La-Pluie-42"

type testSite struct {
	t      *testing.T
	DB     *db.DB
	Server *Server
	URL    string
	Clock  *testClock
	Log    *lockedBuffer
}

// testClock drives the account rules (token expiry, throttle window, absolute session lifetime).
// It starts at the real time, since the session store compares expiries with the real clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// lockedBuffer collects the server log (handlers write from their own goroutines).
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestSite serves a new Server over d with the default configuration, changed by configure.
func newTestSite(t *testing.T, d *db.DB, configure ...func(*config.Config)) *testSite {
	t.Helper()
	// Development mode, as `make run`: the outbox at /dev/mails is part of the routes under test.
	cfg, err := config.Load(func(k string) (string, bool) { return "1", k == "EMPLOIS_DEV" })
	if err != nil {
		t.Fatal(err)
	}
	// Every request of a test comes from 127.0.0.1: page tests run without rate limits, and the
	// tests of the limits turn them on (ratelimit_test.go).
	cfg.RateLimitPages, cfg.RateLimitAPI = 0, 0
	for _, c := range configure {
		c(&cfg)
	}
	logs := &lockedBuffer{}
	svc, err := app.New(context.Background(), cfg, d, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Now().UTC()}
	svc.SetClock(clock.Now)
	svc.Accounts.Params = account.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	s, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &testSite{t: t, DB: d, Server: s, URL: srv.URL, Clock: clock, Log: logs}
}

// testBrowser is one visitor, with its own cookies.
type testBrowser struct {
	site   *testSite
	client *http.Client
}

type testResponse struct {
	*http.Response
	Body string
}

// browser returns a new visitor without cookies.
func (ts *testSite) browser() *testBrowser {
	jar, _ := cookiejar.New(nil)
	return &testBrowser{site: ts, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *testBrowser) do(req *http.Request) *testResponse {
	b.site.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.site.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.site.t.Fatal(err)
	}
	return &testResponse{Response: res, Body: string(body)}
}

func (b *testBrowser) get(path string) *testResponse {
	b.site.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	return b.do(req)
}

// post submits a form the way a same-origin page does.
func (b *testBrowser) post(path string, form url.Values) *testResponse {
	b.site.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.site.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// sessionToken is the visitor's session cookie value ("" when none).
func (b *testBrowser) sessionToken() string {
	u, _ := url.Parse(b.site.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == session.CookieName {
			return c.Value
		}
	}
	return ""
}

// follow GETs the Location of a redirect response.
func (b *testBrowser) follow(res *testResponse) *testResponse {
	b.site.t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode < 300 || res.StatusCode > 399 || loc == "" {
		b.site.t.Fatalf("expected a redirect, got %d", res.StatusCode)
	}
	return b.get(loc)
}

// createJobSeeker creates a verified job seeker account with testPassword.
func (ts *testSite) createJobSeeker(email string) *account.User {
	ts.t.Helper()
	return ts.createUser(account.JobSeeker, email, "Alice", "Martin")
}

// createUser stores an active, verified password account of any kind with testPassword. (There
// is no signup for professionals yet, so the fixture writes the row itself.)
func (ts *testSite) createUser(kind account.Kind, email, firstName, lastName string) *account.User {
	ts.t.Helper()
	hash, err := account.HashPassword(testPassword, ts.Server.accounts.Params)
	if err != nil {
		ts.t.Fatal(err)
	}
	now := time.Now().UTC()
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: account.Django,
		PasswordHash: hash, FirstName: firstName, LastName: lastName, IsActive: true,
		EmailVerifiedAt: &now, DateJoined: now}
	if _, err := ts.DB.NewInsert().Model(u).Exec(context.Background()); err != nil {
		ts.t.Fatal(err)
	}
	return u
}

// loginAs returns a new visitor logged in as u (whose password is testPassword).
func (ts *testSite) loginAs(u *account.User) *testBrowser {
	ts.t.Helper()
	b := ts.browser()
	res := b.post("/accounts/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		ts.t.Fatalf("login as %s: %d\n%s", u.Email, res.StatusCode, res.Body)
	}
	return b
}

func (ts *testSite) mails() []mail.OutboxMail {
	ts.t.Helper()
	var mails []mail.OutboxMail
	if err := ts.DB.NewSelect().Model(&mails).OrderExpr("id").Scan(context.Background()); err != nil {
		ts.t.Fatal(err)
	}
	return mails
}

var mailLink = regexp.MustCompile(`https?://[^\s/]+(/\S+)`)

// linkIn returns the path of the first link under prefix in the newest mail to `to`.
func (ts *testSite) linkIn(to, prefix string) string {
	ts.t.Helper()
	mails := ts.mails()
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].To != to {
			continue
		}
		for _, m := range mailLink.FindAllStringSubmatch(mails[i].Text, -1) {
			if strings.HasPrefix(m[1], prefix) {
				return m[1]
			}
		}
	}
	ts.t.Fatalf("no mail to %s with a link under %s", to, prefix)
	return ""
}

func wantStatus(t *testing.T, res *testResponse, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, res.Body)
	}
}

func wantBody(t *testing.T, res *testResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.Body, p) {
			t.Errorf("%s %s: body lacks %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}
