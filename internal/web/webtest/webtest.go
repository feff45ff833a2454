// Package webtest is the harness of the page tests: the whole site, built as production builds
// it (app.New, web.New) over a dbtest database and served by httptest, and "browsers" (HTTP
// clients with their own cookie jar that do not follow redirects). Each room's tests use it from
// their external test package:
//
//	dbtest.Run(t, func(t *testing.T, d *db.DB) {
//		site := webtest.New(t, d)
//		b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
//		res := b.Get("/dashboard") // res.StatusCode, res.Body, res.Header
//	})
package webtest

import (
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
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/logtest"
	"emplois/internal/platform/mail"
	"emplois/internal/platform/session"
	"emplois/internal/web"
)

// Password passes the password rules for the accounts the harness creates.
const Password = "Velo-Rouge-Sous-La-Pluie-42"

// Site is the whole site over one test database.
type Site struct {
	T        testing.TB
	DB       *db.DB
	Config   config.Config
	Services *app.Services
	Server   *web.Server
	URL      string
	Clock    *Clock
	Log      *logtest.Buffer
}

// Clock drives the rules of every service (token expiry, throttle window, absolute session
// lifetime). It starts at the real time, since the session store compares expiries with the
// real clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// New serves the site over d with the default configuration in development mode (as `make run`:
// the outbox at /dev/mails is part of the routes under test), changed by configure. Page tests
// run without rate limits (every request comes from 127.0.0.1): the tests of the limits turn
// them on.
func New(t testing.TB, d *db.DB, configure ...func(*config.Config)) *Site {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
	cfg.Dev = true
	cfg.RateLimitPages, cfg.RateLimitAPI, cfg.RateLimitPASSVerify = 0, 0, 0
	for _, c := range configure {
		c(&cfg)
	}
	logs := &logtest.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	svc, err := app.New(context.Background(), cfg, d, log)
	if err != nil {
		t.Fatal(err)
	}
	clock := &Clock{t: time.Now().UTC()}
	svc.SetClock(clock.Now)
	svc.Accounts.Params = account.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	s, err := web.New(svc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &Site{T: t, DB: d, Config: cfg, Services: svc, Server: s, URL: srv.URL, Clock: clock, Log: logs}
}

// Browser is one visitor, with its own cookies.
type Browser struct {
	site   *Site
	client *http.Client
}

// Response is an answer with its body read.
type Response struct {
	*http.Response
	Body string
}

// Text is the page as a reader sees it (HTML entities decoded: "n&#39;existe" is "n'existe").
func (r *Response) Text() string { return htmlUnescape(r.Body) }

// Browser returns a new visitor without cookies.
func (s *Site) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{site: s, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Do sends a request and reads its answer.
func (b *Browser) Do(req *http.Request) *Response {
	b.site.T.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.site.T.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.site.T.Fatal(err)
	}
	return &Response{Response: res, Body: string(body)}
}

// Get loads path; headers are name, value pairs.
func (b *Browser) Get(path string, headers ...string) *Response {
	b.site.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.Do(req)
}

// GetHTMX loads path as htmx does (a fragment is wanted).
func (b *Browser) GetHTMX(path string) *Response {
	b.site.T.Helper()
	return b.Get(path, "HX-Request", "true")
}

// GetFrom loads path from a client address (the site must trust 127.0.0.1 as a proxy).
func (b *Browser) GetFrom(path, clientIP string, headers ...string) *Response {
	b.site.T.Helper()
	return b.Get(path, append([]string{"X-Forwarded-For", clientIP}, headers...)...)
}

// Post submits a form the way a same-origin page does.
func (b *Browser) Post(path string, form url.Values) *Response {
	b.site.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.site.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.Do(req)
}

// SessionToken is the visitor's session cookie value ("" when none).
func (b *Browser) SessionToken() string {
	u, _ := url.Parse(b.site.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == session.CookieName {
			return c.Value
		}
	}
	return ""
}

// Follow GETs the Location of a redirect response.
func (b *Browser) Follow(res *Response) *Response {
	b.site.T.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode < 300 || res.StatusCode > 399 || loc == "" {
		b.site.T.Fatalf("expected a redirect, got %d", res.StatusCode)
	}
	return b.Get(loc)
}

// CreateJobSeeker creates a verified job seeker account with Password.
func (s *Site) CreateJobSeeker(email string) *account.User {
	s.T.Helper()
	return s.CreateUser(account.JobSeeker, email, "Alice", "Martin")
}

// CreateUser stores an active, verified password account of any kind with Password.
func (s *Site) CreateUser(kind account.Kind, email, firstName, lastName string) *account.User {
	s.T.Helper()
	hash, err := account.HashPassword(Password, s.Services.Accounts.Params)
	if err != nil {
		s.T.Fatal(err)
	}
	now := time.Now().UTC()
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: account.Django,
		PasswordHash: hash, FirstName: firstName, LastName: lastName, IsActive: true,
		EmailVerifiedAt: &now, DateJoined: now}
	if kind == account.JobSeeker {
		// A job seeker whose profile has what the dashboard requires first (actors.md §14).
		u.Title, u.AddressLine1, u.PostCode, u.City, u.Department = account.Madame, "5 rue de la République", "69002", "Lyon", "69"
	}
	if _, err := s.DB.NewInsert().Model(u).Exec(context.Background()); err != nil {
		s.T.Fatal(err)
	}
	return u
}

// LoginAs returns a new visitor logged in as u (whose password is Password).
func (s *Site) LoginAs(u *account.User) *Browser {
	s.T.Helper()
	b := s.Browser()
	res := b.Post("/accounts/login", url.Values{"email": {u.Email}, "password": {Password}})
	if res.StatusCode != http.StatusSeeOther {
		s.T.Fatalf("login as %s: %d\n%s", u.Email, res.StatusCode, res.Body)
	}
	return b
}

// Mails are the mails of the outbox, oldest first.
func (s *Site) Mails() []mail.OutboxMail {
	s.T.Helper()
	var mails []mail.OutboxMail
	if err := s.DB.NewSelect().Model(&mails).OrderExpr("id").Scan(context.Background()); err != nil {
		s.T.Fatal(err)
	}
	return mails
}

var mailLink = regexp.MustCompile(`https?://[^\s/]+(/\S+)`)

// LinkIn returns the path of the first link under prefix in the newest mail to `to`.
func (s *Site) LinkIn(to, prefix string) string {
	s.T.Helper()
	mails := s.Mails()
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
	s.T.Fatalf("no mail to %s with a link under %s", to, prefix)
	return ""
}

// AuditActions lists the actions of the audit trail, oldest first, separated by spaces.
func (s *Site) AuditActions() string {
	s.T.Helper()
	events, err := audit.List(context.Background(), s.DB, 0, 1000)
	if err != nil {
		s.T.Fatal(err)
	}
	out := make([]string, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i].Action)
	}
	return strings.Join(out, " ")
}
