package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/api"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

func newAPISite(t *testing.T, d *db.DB, configure ...func(*config.Config)) *webtest.Site {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return webtest.New(t, d, configure...)
}

func TestSiaesAPI_AnswersOnTheOriginalsPath(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d)
		b := site.Browser()
		page := webtest.DecodeJSON[api.SiaePage](t, b.Get("/api/v1/siaes/?departement=69"))
		if page.Count != 0 || page.Results == nil {
			t.Errorf("empty département: %+v", page)
		}
		res := b.Get("/api/v1/siaes/")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, api.MsgSiaesFilterRequired) {
			t.Errorf("no parameter: %d %s", res.StatusCode, res.Body)
		}
		// Without the final slash, as a partner might type it: sent to the right address.
		if res := b.Get("/api/v1/siaes?departement=69"); res.StatusCode/100 != 3 ||
			res.Header.Get("Location") != "/api/v1/siaes/?departement=69" {
			t.Errorf("without slash: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// api.md §9 and P2: the document anonymously, in YAML by default and in JSON on request, without
// the nexus routes.
func TestOAS3_ServesTheOpenAPIDocumentInYAMLAndJSON(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newAPISite(t, d).Browser()
		res := b.Get("/api/v1/oas3/")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.oai.openapi;") ||
			!strings.HasPrefix(res.Body, "openapi: 3.") || !strings.Contains(res.Body, "\n  /siaes/:\n") {
			t.Errorf("YAML: %d %s %.60q", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
		}
		res = b.Get("/api/v1/oas3/?format=json")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.oai.openapi+json") {
			t.Fatalf("JSON: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var doc api.Document
		if err := json.Unmarshal([]byte(res.Body), &doc); err != nil || doc.Paths["/siaes/"].Get == nil {
			t.Errorf("not the API's document: %v", err)
		}
		for path := range doc.Paths {
			if strings.Contains(path, "nexus") {
				t.Errorf("%s is documented", path)
			}
		}
	})
}

// limitedSite serves with tiny limits (3 API calls, 2 search pages per minute) and a clock set
// 15 seconds into a minute. Requests may claim another client address through X-Forwarded-For:
// the test client is a trusted proxy.
func limitedSite(t *testing.T, d *db.DB) (*webtest.Site, *webtest.Clock) {
	t.Helper()
	site := newAPISite(t, d, func(c *config.Config) {
		c.RateLimitAPI, c.RateLimitPages = 3, 2
		c.TrustedProxies = []string{"127.0.0.1", "::1"}
	})
	clock := &webtest.Clock{}
	clock.Set(time.Date(2026, 3, 2, 12, 0, 15, 0, time.UTC))
	site.Services.APILimit.Now, site.Services.PageLimit.Now, site.Services.APIThrottles.Now = clock.Now, clock.Now, clock.Now
	return site, clock
}

func TestRateLimit_RefusesTheAPICallsOverTheLimitWithRetryAfter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, clock := limitedSite(t, d)
		b := site.Browser()
		const path = "/api/v1/siaes/?departement=69"
		for i := 1; i <= 3; i++ {
			if res := b.GetFrom(path, "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Fatalf("call %d: %d %s", i, res.StatusCode, res.Body)
			}
		}
		res := b.GetFrom(path, "203.0.113.7")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "45" ||
			res.Body != `{"detail":"Requête ralentie. Disponible à nouveau dans 45 secondes."}`+"\n" {
			t.Fatalf("4th call: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), res.Body)
		}
		// The partner API's throttle counts apart from the site's autocompletes; another address
		// has its own count; the documentation is never limited.
		if res := b.GetFrom("/api/v1/autocomplete/cities?q=lyon", "203.0.113.7"); res.StatusCode != http.StatusOK {
			t.Errorf("autocomplete: %d", res.StatusCode)
		}
		if res := b.GetFrom(path, "203.0.113.8"); res.StatusCode != http.StatusOK {
			t.Errorf("another address: %d", res.StatusCode)
		}
		for _, doc := range []string{"/api/v1/redoc/", "/api/v1/oas3/", "/api/"} {
			if res := b.GetFrom(doc, "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Errorf("%s over the limit: %d", doc, res.StatusCode)
			}
		}
		clock.Set(time.Date(2026, 3, 2, 12, 1, 0, 0, time.UTC))
		if res := b.GetFrom(path, "203.0.113.7"); res.StatusCode != http.StatusOK {
			t.Errorf("next minute: %d", res.StatusCode)
		}
	})
}

func TestRateLimit_RefusesTheSearchPagesOverTheLimitWithTheFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := limitedSite(t, d)
		b := site.Browser()
		const path = "/search/employers?city=69123"
		for i := 1; i <= 2; i++ {
			if res := b.GetFrom(path, "203.0.113.7"); res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("page %d refused", i)
			}
		}
		res := b.GetFrom(path, "203.0.113.7")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "45" ||
			!strings.Contains(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(res.Body, "Vous avez effectué trop de recherches en peu de temps.") ||
			!strings.Contains(res.Body, "Réessayez dans 45 secondes.") {
			t.Fatalf("3rd page: %d Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), res.Body)
		}
		// An htmx update is told to reload the page, which then shows the 429 page.
		hx := b.GetFrom(path, "203.0.113.7", "HX-Request", "true")
		if hx.StatusCode != http.StatusTooManyRequests || hx.Header.Get("HX-Refresh") != "true" {
			t.Errorf("htmx request: %d HX-Refresh %q", hx.StatusCode, hx.Header.Get("HX-Refresh"))
		}
		// Pages outside the search are not limited, nor is the API by the page counter.
		for _, p := range []string{"/", "/api/v1/siaes/?departement=69", "/api/v1/redoc/"} {
			if res := b.GetFrom(p, "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}
		// The API's landing page is under the site-wide limit of HTML pages (api.md §9).
		if res := b.GetFrom("/api/", "203.0.113.7"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("/api/ over the page limit: %d", res.StatusCode)
		}
		if res := b.GetFrom("/api/", "203.0.113.8"); res.StatusCode != http.StatusOK {
			t.Errorf("/api/ from another address: %d", res.StatusCode)
		}
	})
}

func TestRateLimit_DoesNotLimitLoggedInUsers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, _ := limitedSite(t, d)
		b := site.LoginAs(site.CreateUser(account.JobSeeker, "alice@example.org", "Alice", "Martin"))
		for i := 1; i <= 10; i++ {
			if res := b.GetFrom("/api/v1/siaes/?departement=69", "203.0.113.7"); res.StatusCode != http.StatusOK {
				t.Fatalf("call %d: %d", i, res.StatusCode)
			}
		}
	})
}

func TestRateLimit_IsOffAtZero(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d, func(c *config.Config) { c.RateLimitAPI, c.RateLimitPages = 0, 0 })
		b := site.Browser()
		for i := 1; i <= 30; i++ {
			if res := b.Get("/api/v1/siaes/?departement=69"); res.StatusCode != http.StatusOK {
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
		second := webtest.New(t, d, func(c *config.Config) {
			c.RateLimitAPI = 3
			c.TrustedProxies = []string{"127.0.0.1", "::1"}
		})
		second.Services.APILimit.Now, second.Services.APIThrottles.Now = clock.Now, clock.Now
		const path = "/api/v1/siaes/?departement=69"
		first.Browser().GetFrom(path, "203.0.113.7")
		second.Browser().GetFrom(path, "203.0.113.7")
		first.Browser().GetFrom(path, "203.0.113.7")
		if res := second.Browser().GetFrom(path, "203.0.113.7"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("4th call over two instances: %d", res.StatusCode)
		}
	})
}

// embauches-geiq/ through the site's real sessions (api.md §6): a staff account reads every
// GEIQ's hires once it holds the permission superuser, and is refused before.
func TestEmbauchesGEIQAPI_OpensToTheSessionOfASuperuserOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d)
		staff := site.CreateUser(account.Staff, "su@example.org", "Sacha", "Super")
		b := site.LoginAs(staff)
		if res := b.Get("/api/v1/embauches-geiq/"); res.StatusCode != http.StatusForbidden ||
			!strings.Contains(res.Body, api.MsgPermissionDenied) {
			t.Fatalf("staff without the permission: %d %s", res.StatusCode, res.Body)
		}
		if _, err := site.Services.Accounts.GrantPermission(t.Context(), staff.Email, account.PermSuperuser); err != nil {
			t.Fatal(err)
		}
		res := b.Get("/api/v1/embauches-geiq/?siren=123456789")
		if page := webtest.DecodeJSON[api.Page[api.EmbaucheGEIQ]](t, res); res.StatusCode != http.StatusOK || page.Count != 0 || page.Results == nil {
			t.Errorf("superuser: %d %s", res.StatusCode, res.Body)
		}
		if res := site.Browser().Get("/api/v1/embauches-geiq/"); res.StatusCode != http.StatusUnauthorized ||
			res.Header.Get("WWW-Authenticate") != "Token" {
			t.Errorf("anonymous: %d %v", res.StatusCode, res.Header)
		}
	})
}

// GET /api/v1/ (api.md §9): the original's router root, its three endpoints as absolute URLs of
// EMPLOIS_BASE_URL, for a logged-in user only; anonymously the framework's 403.
func TestAPIRoot_ListsTheRouterEndpointsToALoggedInUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d)
		res := site.Browser().Get("/api/v1/")
		if res.StatusCode != http.StatusForbidden || res.Body != `{"detail":"Informations d'authentification non fournies."}`+"\n" ||
			res.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("anonymous: %d %q %s", res.StatusCode, res.Header.Get("WWW-Authenticate"), res.Body)
		}
		js := site.CreateJobSeeker("root@example.org")
		res = site.LoginAs(js).Get("/api/v1/")
		want := `{"employee-records":"http://localhost:8080/api/v1/employee-records/",` +
			`"employee-record-notifications":"http://localhost:8080/api/v1/employee-record-notifications/",` +
			`"siaes":"http://localhost:8080/api/v1/siaes/"}` + "\n"
		if res.StatusCode != http.StatusOK || res.Body != want {
			t.Errorf("logged in: %d %s", res.StatusCode, res.Body)
		}
		if res := site.LoginAs(js).Post("/api/v1/", nil); res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST: %d %s", res.StatusCode, res.Body)
		}
	})
}

// Issue 12: /api/v1/siaes/ answers its refusals in the framework's shapes through the whole site
// (gate, handler, route table): a bare list for an error of no parameter, parameter → messages
// for a parameter's, {"detail": …} for 401, 404 and 405 (429: TestRateLimit_…).
func TestSiaesAPI_RefusalsHaveTheFrameworksShapes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d)
		b := site.Browser()
		for _, tc := range []struct {
			name, method, path, authorization string
			status                            int
			body, wwwAuthenticate             string
		}{
			{"no filter", "GET", "/api/v1/siaes/", "", 400,
				`["Les paramètres ` + "`code_insee` et `distance_max_km` sont obligatoires si ni `departement` ni `postes_dans_le_departement` ne sont spécifiés." + `"]`, ""},
			{"a parameter's errors", "GET", "/api/v1/siaes/?code_insee=69123&distance_max_km=101&o=nom", "", 400,
				`{"o":["Sélectionnez un choix valide. nom n’en fait pas partie."],"distance_max_km":["Assurez-vous que cette valeur est inférieure ou égale à 100."]}`, ""},
			{"unknown user token", "GET", "/api/v1/siaes/?departement=69", "Token 0123456789abcdef0123456789abcdef01234567", 401,
				`{"detail":"Token non valide."}`, "Token"},
			{"unknown city", "GET", "/api/v1/siaes/?code_insee=99999&distance_max_km=10", "", 404, `{"detail":"Pas de ville avec pour code_insee 99999"}`, ""},
			{"page beyond the last", "GET", "/api/v1/siaes/?departement=69&page=3", "", 404, `{"detail":"Page non valide."}`, ""},
			{"unknown format", "GET", "/api/v1/siaes/?departement=69&format=xml", "", 404, `{"detail":"Pas trouvé."}`, ""},
			{"wrong method", "DELETE", "/api/v1/siaes/?departement=69", "", 405, `{"detail":"Méthode « DELETE » non autorisée."}`, ""},
		} {
			req, _ := http.NewRequest(tc.method, site.URL+tc.path, nil)
			if tc.authorization != "" {
				req.Header.Set("Authorization", tc.authorization)
			}
			res := b.Do(req)
			if res.StatusCode != tc.status || res.Body != tc.body+"\n" || res.Header.Get("WWW-Authenticate") != tc.wwwAuthenticate ||
				res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("%s: %d %s (WWW-Authenticate %q, %s)\nwant %d %s", tc.name, res.StatusCode, res.Body,
					res.Header.Get("WWW-Authenticate"), res.Header.Get("Content-Type"), tc.status, tc.body)
			}
		}
	})
}
