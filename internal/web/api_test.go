package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/api"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

func newAPISite(t *testing.T, d *db.DB, configure ...func(*config.Config)) *testSite {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return newTestSite(t, d, configure...)
}

func TestSiaesAPI_AnswersOnTheOriginalsPath(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d)
		b := site.browser()
		page := decodeJSON[api.SiaePage](t, b.get("/api/v1/siaes/?departement=69"))
		if page.Count != 0 || page.Results == nil {
			t.Errorf("empty département: %+v", page)
		}
		res := b.get("/api/v1/siaes/")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, api.MsgSiaesFilterRequired) {
			t.Errorf("no parameter: %d %s", res.StatusCode, res.Body)
		}
		// Without the final slash, as a partner might type it: sent to the right address.
		if res := b.get("/api/v1/siaes?departement=69"); res.StatusCode/100 != 3 ||
			res.Header.Get("Location") != "/api/v1/siaes/?departement=69" {
			t.Errorf("without slash: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func TestOAS3_ServesTheOpenAPIDocument(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		res := newAPISite(t, d).browser().get("/api/v1/oas3/")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.oai.openapi+json") {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var doc api.Document
		if err := json.Unmarshal([]byte(res.Body), &doc); err != nil || doc.Paths["/siaes/"].Get == nil {
			t.Errorf("not the API's document: %v", err)
		}
	})
}

func TestAPIDocs_ShowEveryParameterAndFieldWithAnExampleCall(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d, func(c *config.Config) { c.RateLimitAPI = 12 })
		res := site.browser().get("/api/v1/redoc/")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d", res.StatusCode)
		}
		doc, err := api.OpenAPI()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, p := range doc.Paths["/siaes/"].Get.Parameters {
			want = append(want, "<code>"+p.Name+"</code>")
		}
		for name, schema := range doc.Components.Schemas {
			want = append(want, `id="schema-`+name+`"`)
			for field := range schema.Properties {
				want = append(want, "<code>"+field+"</code>")
			}
		}
		want = append(want, "<h1>API Les emplois de l&#39;inclusion</h1>", "12 appels par minute", "Retry-After",
			`curl -H &#34;Accept: application/json&#34; &#34;http://localhost:8080/api/v1/siaes/?code_insee=69123&amp;distance_max_km=25&#34;`)
		for _, w := range want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("documentation page lacks %s", w)
			}
		}
		if strings.Count(res.Body, "<h1") != 1 {
			t.Error("the page must have exactly one h1")
		}
		// Everything comes from our own origin: no Redoc bundle, no CDN.
		if strings.Contains(res.Body, "<script src=\"http") || strings.Contains(res.Body, "cdn.") {
			t.Error("the documentation loads something from another origin")
		}
		landing := site.browser().get("/api/")
		if landing.StatusCode != http.StatusOK || !strings.Contains(landing.Body, `href="/api/v1/redoc/"`) || !strings.Contains(landing.Body, `href="/api/v1/oas3/"`) {
			t.Errorf("landing page: %d", landing.StatusCode)
		}
	})
}

// fixedClock is a movable clock for the limiters.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// limitedSite serves with tiny limits (3 API calls, 2 search pages per minute) and a clock set
// 15 seconds into a minute. Requests may claim another client address through X-Forwarded-For:
// the test client is a trusted proxy.
func limitedSite(t *testing.T, d *db.DB) (*testSite, *fixedClock) {
	t.Helper()
	site := newAPISite(t, d, func(c *config.Config) {
		c.RateLimitAPI, c.RateLimitPages = 3, 2
		c.TrustedProxies = []string{"127.0.0.1", "::1"}
	})
	clock := &fixedClock{t: time.Date(2026, 3, 2, 12, 0, 15, 0, time.UTC)}
	site.Server.svc.APILimit.Now, site.Server.svc.PageLimit.Now = clock.Now, clock.Now
	return site, clock
}

func (b *testBrowser) getFrom(path, clientIP string, headers ...string) *testResponse {
	b.site.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	req.Header.Set("X-Forwarded-For", clientIP)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func TestRateLimit_RefusesTheAPICallsOverTheLimitWithRetryAfter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, clock := limitedSite(t, d)
		b := site.browser()
		const path = "/api/v1/siaes/?departement=69"
		for i := 1; i <= 3; i++ {
			if res := b.getFrom(path, "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Fatalf("call %d: %d %s", i, res.StatusCode, res.Body)
			}
		}
		res := b.getFrom(path, "203.0.113.7")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "45" ||
			res.Body != `{"detail":"Trop de requêtes. Réessayez dans 45 secondes."}`+"\n" {
			t.Fatalf("4th call: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), res.Body)
		}
		// Every API call counts, whatever its path; another address has its own count; the
		// documentation is never limited.
		if res := b.getFrom("/api/v1/autocomplete/cities?q=lyon", "203.0.113.7"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("autocomplete over the limit: %d", res.StatusCode)
		}
		if res := b.getFrom(path, "203.0.113.8"); res.StatusCode != http.StatusOK {
			t.Errorf("another address: %d", res.StatusCode)
		}
		for _, doc := range []string{"/api/v1/redoc/", "/api/v1/oas3/", "/api/"} {
			if res := b.getFrom(doc, "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Errorf("%s over the limit: %d", doc, res.StatusCode)
			}
		}
		clock.Set(time.Date(2026, 3, 2, 12, 1, 0, 0, time.UTC))
		if res := b.getFrom(path, "203.0.113.7"); res.StatusCode != http.StatusOK {
			t.Errorf("next minute: %d", res.StatusCode)
		}
	})
}

func TestRateLimit_RefusesTheSearchPagesOverTheLimitWithTheFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := limitedSite(t, d)
		b := site.browser()
		const path = "/search/employers?city=69123"
		for i := 1; i <= 2; i++ {
			if res := b.getFrom(path, "203.0.113.7"); res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("page %d refused", i)
			}
		}
		res := b.getFrom(path, "203.0.113.7")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "45" ||
			!strings.Contains(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(res.Body, "Vous avez effectué trop de recherches en peu de temps.") ||
			!strings.Contains(res.Body, "Réessayez dans 45 secondes.") {
			t.Fatalf("3rd page: %d Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), res.Body)
		}
		// An htmx update is told to reload the page, which then shows the 429 page.
		hx := b.getFrom(path, "203.0.113.7", "HX-Request", "true")
		if hx.StatusCode != http.StatusTooManyRequests || hx.Header.Get("HX-Refresh") != "true" {
			t.Errorf("htmx request: %d HX-Refresh %q", hx.StatusCode, hx.Header.Get("HX-Refresh"))
		}
		// Pages outside the search are not limited, nor is the API by the page counter.
		for _, p := range []string{"/", "/api/v1/siaes/?departement=69"} {
			if res := b.getFrom(p, "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}
	})
}

func TestRateLimit_DoesNotLimitLoggedInUsers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := limitedSite(t, d)
		b := site.loginAs(site.createUser(account.JobSeeker, "alice@example.org", "Alice", "Martin"))
		for i := 1; i <= 10; i++ {
			if res := b.getFrom("/api/v1/siaes/?departement=69", "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Fatalf("call %d: %d", i, res.StatusCode)
			}
		}
	})
}

func TestRateLimit_IsOffAtZero(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d, func(c *config.Config) { c.RateLimitAPI, c.RateLimitPages = 0, 0 })
		b := site.browser()
		for i := 1; i <= 30; i++ {
			if res := b.get("/api/v1/siaes/?departement=69"); res.StatusCode != http.StatusOK {
				t.Fatalf("call %d: %d", i, res.StatusCode)
			}
		}
		var rows int
		if err := d.NewRaw("SELECT COUNT(*) FROM rate_limit_counter").Scan(context.Background(), &rows); err != nil || rows != 0 {
			t.Errorf("%d counters written with the limits off (%v)", rows, err)
		}
	})
}

// Two instances behind a load balancer share the database, hence the counters.
func TestRateLimit_HoldsAcrossInstances(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		first, clock := limitedSite(t, d)
		second := newTestSite(t, d, func(c *config.Config) {
			c.RateLimitAPI = 3
			c.TrustedProxies = []string{"127.0.0.1", "::1"}
		})
		second.Server.svc.APILimit.Now = clock.Now
		const path = "/api/v1/siaes/?departement=69"
		first.browser().getFrom(path, "203.0.113.7")
		second.browser().getFrom(path, "203.0.113.7")
		first.browser().getFrom(path, "203.0.113.7")
		if res := second.browser().getFrom(path, "203.0.113.7"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("4th call over two instances: %d", res.StatusCode)
		}
	})
}

func decodeJSON[T any](t *testing.T, res *testResponse) T {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q", ct)
	}
	var v T
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("%v in %s", err, res.Body)
	}
	return v
}
