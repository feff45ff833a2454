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
		// The document's description: its title line, then the changelog as titles and paragraphs.
		want = append(want, "<h1>API - Les emplois de l&#39;inclusion</h1>", "12 appels par minute", "Retry-After",
			"<p>Documentation de l&#39;API <strong>emplois.inclusion.beta.gouv.fr</strong></p>",
			"<h2>Journal des modifications</h2>", "<h3>2026-07-09</h3>",
			"<strong>Les clients doivent être mis à jour avant le 01/11/2026</strong>",
			`href="/api/v1/oas3/?format=json"`,
			// The anchors of the original's ReDoc page, which « Accès aux APIs » links to.
			`id="tag/employee-records"`, `id="tag/candidats"`, `id="tag/siaes"`,
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
	})
}

// P1 (api.md §9): the landing page, anonymously, with the original's texts, the contact address
// of the configuration and the button to the documentation.
func TestAPILanding_ShowsTheOriginalsTextsAndOpensTheDocumentation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d, func(c *config.Config) { c.APIContactEmail = "partenaires@example.org" })
		res := site.Browser().Get("/api/")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d", res.StatusCode)
		}
		for _, want := range []string{
			"<title>API Les emplois de l’inclusion",
			"<h1>API Les emplois de l’inclusion</h1>",
			"L'API des emplois de l'inclusion met à disposition des données de la plateforme.",
			"Cette API est encore en construction et est appelée à évoluer.",
			"Version: 1",
			"L’accès à certaines ressources peut nécessiter une authentification avec des droits particuliers.",
			`<a href="mailto:partenaires@example.org">nous contacter</a>`,
			"<h2>Documentation</h2>",
			"Cette documentation est générée automatiquement à partir du code.",
			`<a class="fr-btn" href="/api/v1/redoc/">Ouvrir la documentation</a>`,
			`href="/api/v1/oas3/"`, `href="/api/v1/oas3/?format=json"`,
			`href="/api/" aria-current="page">API</a>`, // the footer leads here
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("landing page lacks %s", want)
			}
		}
		if strings.Count(res.Body, "<h1") != 1 {
			t.Error("the page must have exactly one h1")
		}
	})
}
