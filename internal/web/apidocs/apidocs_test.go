package apidocs_test

import (
	"net/http"
	"strings"
	"testing"

	"emplois/internal/api"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

func TestAPIDocs_ShowEveryParameterAndFieldWithAnExampleCall(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d, func(c *config.Config) { c.RateLimitAPI = 12 })
		res := site.Browser().Get("/api/v1/redoc/")
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
		landing := site.Browser().Get("/api/")
		if landing.StatusCode != http.StatusOK || !strings.Contains(landing.Body, `href="/api/v1/redoc/"`) || !strings.Contains(landing.Body, `href="/api/v1/oas3/"`) {
			t.Errorf("landing page: %d", landing.StatusCode)
		}
	})
}
