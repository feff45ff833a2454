package webtest

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"
)

func htmlUnescape(s string) string { return html.UnescapeString(s) }

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

// Title is the page's <title>; the test stops when there is none.
func (r *Response) Title(t testing.TB) string {
	t.Helper()
	m := titleRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("%s: no <title>", r.Request.URL.Path)
	}
	return m[1]
}

// WantStatus stops the test unless res has status.
func WantStatus(t testing.TB, res *Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, res.Body)
	}
}

// WantBody reports each part the body lacks.
func WantBody(t testing.TB, res *Response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.Body, p) {
			t.Errorf("%s %s: body lacks %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}

// WantNoBody reports each part the body holds.
func WantNoBody(t testing.TB, res *Response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(res.Body, p) {
			t.Errorf("%s %s: body holds %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}

// WantRedirect reports an answer other than a 303 to location.
func WantRedirect(t testing.TB, res *Response, location string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != location {
		t.Errorf("%s %s: %d to %q, want 303 to %q", res.Request.Method, res.Request.URL.Path, res.StatusCode, res.Header.Get("Location"), location)
	}
}

// QueryCounter counts the queries the database runs (all of them: the site's included). Install
// it with d.DB.WithQueryHook before building the site.
type QueryCounter struct{ n atomic.Int64 }

func (q *QueryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *QueryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// Count is the number of queries run so far.
func (q *QueryCounter) Count() int64 { return q.n.Load() }

// DecodeJSON reads a JSON answer into a T, failing the test when it is not one.
func DecodeJSON[T any](t testing.TB, res *Response) T {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q, want JSON", res.Request.Method, res.Request.URL.Path, ct)
	}
	var v T
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("%s %s: not JSON (%v): %s", res.Request.Method, res.Request.URL.Path, err, res.Body)
	}
	return v
}
