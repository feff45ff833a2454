package web

import (
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// newShellServer builds a server over a fresh database with the given environment.
func newShellServer(t *testing.T, d *db.DB, env map[string]string) *Server {
	t.Helper()
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if _, set := env["EMPLOIS_BLOB_URL"]; !set {
		cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
	}
	if d == nil {
		d = dbtest.Open(t, db.SQLite)
	}
	svc, err := app.New(context.Background(), cfg, d, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// shellGet sends a request through the whole middleware chain.
func shellGet(t *testing.T, s *Server, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func shellBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestErrorPages_AreFrenchWithTheirStatus(t *testing.T) {
	s := newShellServer(t, nil, nil)
	s.router.Raw("GET /test-panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	for _, tc := range []struct {
		target string
		status int
		want   string
	}{
		{"/test-panic", http.StatusInternalServerError, "le service rencontre un problème"},
	} {
		resp := shellGet(t, s, tc.target)
		page := shellBody(t, resp)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.target, resp.StatusCode, tc.status)
		}
		if !strings.Contains(page, tc.want) || !strings.Contains(page, `lang="fr"`) {
			t.Errorf("%s: page lacks %q", tc.target, tc.want)
		}
	}
	for status, want := range map[int]string{403: "droits nécessaires", 429: "trop de tentatives"} {
		rec := httptest.NewRecorder()
		s.kit.Error(rec, httptest.NewRequest(http.MethodGet, "/", nil), status)
		if rec.Code != status || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("error %d: status %d, page lacks %q", status, rec.Code, want)
		}
	}
}

func TestSecurityHeaders_ArePresentAndHSTSOnlyOverHTTPS(t *testing.T) {
	for _, tc := range []struct {
		baseURL  string
		wantHSTS bool
	}{{"http://localhost:8080", false}, {"https://emplois.example.fr", true}} {
		s := newShellServer(t, nil, map[string]string{"EMPLOIS_BASE_URL": tc.baseURL})
		h := shellGet(t, s, "/").Header
		for name, want := range map[string]string{
			"Content-Security-Policy": "script-src 'self'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		} {
			if !strings.Contains(h.Get(name), want) {
				t.Errorf("%s: header %s = %q, want %q", tc.baseURL, name, h.Get(name), want)
			}
		}
		if strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
			t.Errorf("CSP allows inline code: %s", h.Get("Content-Security-Policy"))
		}
		if got := h.Get("Strict-Transport-Security") != ""; got != tc.wantHSTS {
			t.Errorf("%s: HSTS sent = %v, want %v", tc.baseURL, got, tc.wantHSTS)
		}
	}
}

func TestStatic_ServesHashedNamesWithImmutableCacheAndRefusesWrongHashes(t *testing.T) {
	s := newShellServer(t, nil, nil)
	for _, tc := range []struct{ rel, contentType string }{
		{"css/app.css", "text/css; charset=utf-8"},
		{"vendor/dsfr/dsfr.min.css", "text/css; charset=utf-8"},
		{"vendor/dsfr/dsfr.module.min.js", "text/javascript; charset=utf-8"},
		{"vendor/htmx/htmx.min.js", "text/javascript; charset=utf-8"},
		{"vendor/dsfr/fonts/Marianne-Regular.woff2", "font/woff2"},
	} {
		u := s.static.url(tc.rel)
		resp := shellGet(t, s, u)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", u, resp.StatusCode)
		}
		if got := resp.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, got)
		}
		if got := resp.Header.Get("Content-Type"); got != tc.contentType {
			t.Errorf("%s: Content-Type %q, want %q", u, got, tc.contentType)
		}
		hash := regexp.MustCompile(`\.[0-9a-f]{10}`)
		wrong := hash.ReplaceAllString(u, ".0123456789")
		if wrong == u {
			t.Fatalf("%s: no hash in the URL", u)
		}
		if resp := shellGet(t, s, wrong); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d for a wrong hash, want 404", wrong, resp.StatusCode)
		}
	}
}

func TestStatic_GzipsTextForClientsThatAcceptIt(t *testing.T) {
	s := newShellServer(t, nil, nil)
	u := s.static.url("vendor/dsfr/dsfr.min.css")
	plain := shellBody(t, shellGet(t, s, u))
	resp := shellGet(t, s, u, "Accept-Encoding", "br, gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != plain {
		t.Error("gzipped body differs from the plain one")
	}
	if resp := shellGet(t, s, u, "Accept-Encoding", "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refuses it")
	}
}

// TestStatic_VendoredCSSReferencesResolve checks that every url() in the vendored stylesheets
// reaches a served file: the folder hash keeps DSFR's relative references working.
func TestStatic_VendoredCSSReferencesResolve(t *testing.T) {
	s := newShellServer(t, nil, nil)
	ref := regexp.MustCompile(`url\(\s*["']?([^"')]+)["']?\s*\)`)
	for _, css := range []string{"vendor/dsfr/dsfr.min.css", "vendor/dsfr/icons.min.css"} {
		base := s.static.url(css)
		refs := 0
		for _, m := range ref.FindAllStringSubmatch(shellBody(t, shellGet(t, s, base)), -1) {
			target := m[1]
			if strings.HasPrefix(target, "data:") || strings.HasSuffix(target, ".woff") {
				continue // inline images; woff fallbacks are never fetched by woff2-capable browsers
			}
			refs++
			u := path.Join(path.Dir(base), target)
			if resp := shellGet(t, s, u); resp.StatusCode != http.StatusOK {
				t.Errorf("%s references %s: status %d", css, target, resp.StatusCode)
			}
		}
		if refs == 0 {
			t.Errorf("%s: no url() reference found", css)
		}
	}
}

func TestMetrics_CountRequestsByRoutePatternAndStatusClass(t *testing.T) {
	s := newShellServer(t, nil, nil)
	shellGet(t, s, "/")
	shellGet(t, s, "/une-page-au-nom-unique")
	shellGet(t, s, s.static.url("css/app.css"))
	resp := shellGet(t, s, "/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	page := shellBody(t, resp)
	for _, want := range []string{
		`emplois_http_requests_total{route="GET /{$}",status="2xx"} 1`,
		`emplois_http_requests_total{route="/",status="4xx"} 1`,
		`emplois_http_requests_total{route="GET /static/{name...}",status="2xx"} 1`,
		`emplois_http_request_duration_seconds_count{route="GET /{$}",status="2xx"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(page, "une-page-au-nom-unique") {
		t.Error("metrics label a raw path")
	}
}

func TestMetrics_RequireTheBearerTokenWhenOneIsSet(t *testing.T) {
	s := newShellServer(t, nil, map[string]string{"EMPLOIS_METRICS_TOKEN": "s3cret"})
	for _, tc := range []struct {
		auth string
		want int
	}{{"", http.StatusUnauthorized}, {"Bearer wrong", http.StatusUnauthorized}, {"Bearer s3cret", http.StatusOK}} {
		if resp := shellGet(t, s, "/metrics", "Authorization", tc.auth); resp.StatusCode != tc.want {
			t.Errorf("Authorization %q: status %d, want %d", tc.auth, resp.StatusCode, tc.want)
		}
	}
}

func TestRoutes_EachDeclaresANamedPolicy(t *testing.T) {
	s := newShellServer(t, nil, nil)
	if len(s.Routes()) == 0 {
		t.Fatal("empty route table")
	}
	for _, r := range s.Routes() {
		if r.Policy.Name == "" || r.Policy.Allow == nil {
			t.Errorf("route %q has no named policy", r.Pattern)
		}
	}
}

func TestAcceptsGzip_ReadsTheHeader(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "br, gzip;q=0.8": true, "gzip;q=0": false, "*": true, "identity": false, "deflate, GZIP": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
