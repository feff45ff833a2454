package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// loadOpenAPI reads a document with an independent implementation of OpenAPI 3, as partners'
// generators will, and validates it: every $ref resolved, every example matching its schema.
func loadOpenAPI(t *testing.T, doc []byte) *openapi3.T {
	t.Helper()
	d, err := openapi3.NewLoader().LoadFromData(doc)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := d.Validate(context.Background()); err != nil {
		t.Fatalf("the document does not validate: %v", err)
	}
	return d
}

func TestOpenAPI_ValidatesWithAnIndependentValidator(t *testing.T) {
	loadOpenAPI(t, openAPIJSON)
}

// The YAML served by default is the JSON document, key for key.
func TestOpenAPI_YAMLIsTheSameDocument(t *testing.T) {
	fromJSON, _ := json.Marshal(loadOpenAPI(t, openAPIJSON))
	fromYAML, _ := json.Marshal(loadOpenAPI(t, openAPIYAML))
	if string(fromJSON) != string(fromYAML) {
		t.Errorf("the YAML document differs from the JSON one")
	}
	if strings.HasPrefix(strings.TrimSpace(string(openAPIYAML)), "{") {
		t.Error("the YAML document is still written as JSON")
	}
}

// api.md §9: the original's title, version and description followed by the changelog; session
// and token as the only security schemes.
func TestOpenAPI_InfoIsTheOriginals(t *testing.T) {
	d := loadOpenAPI(t, openAPIJSON)
	if d.Info.Title != "API - Les emplois de l'inclusion" || d.Info.Version != "1.0.0" {
		t.Errorf("title %q, version %q", d.Info.Title, d.Info.Version)
	}
	desc := d.Info.Description
	if !strings.HasPrefix(desc, "Documentation de l'API **emplois.inclusion.beta.gouv.fr**\n\n# ") ||
		!strings.Contains(desc, "## 2026-07-09") || !strings.Contains(desc, "`X-API-salarieLangueFrancaise-like-asp`") {
		t.Errorf("description:\n%s", desc)
	}
	var schemes []string
	for name, s := range d.Components.SecuritySchemes {
		schemes = append(schemes, name+":"+s.Value.In)
	}
	if len(schemes) != 2 || !strings.Contains(strings.Join(schemes, " "), "tokenAuth:header") || !strings.Contains(strings.Join(schemes, " "), "cookieAuth:cookie") {
		t.Errorf("security schemes %v, want the token and the session", schemes)
	}
}

// P2: the nexus routes, machine to machine between inclusion services, are not documented.
func TestOpenAPI_DocumentsNoNexusRoute(t *testing.T) {
	d := loadOpenAPI(t, openAPIJSON)
	if len(d.Paths.Map()) == 0 {
		t.Fatal("no path")
	}
	for path := range d.Paths.Map() {
		if strings.Contains(path, "nexus") {
			t.Errorf("%s is documented", path)
		}
	}
}

func TestOpenAPIHandler_ServesYAMLByDefaultAndJSONOnRequest(t *testing.T) {
	for _, tc := range []struct {
		query, accept string
		status        int
		contentType   string
		body          []byte
		disposition   string
	}{
		{"", "", http.StatusOK, "application/vnd.oai.openapi; charset=utf-8", openAPIYAML, `inline; filename="schema.yaml"`},
		{"", "*/*", http.StatusOK, "application/vnd.oai.openapi; charset=utf-8", openAPIYAML, `inline; filename="schema.yaml"`},
		{"?format=yaml", "", http.StatusOK, "application/vnd.oai.openapi; charset=utf-8", openAPIYAML, `inline; filename="schema.yaml"`},
		{"?format=json", "", http.StatusOK, "application/vnd.oai.openapi+json; charset=utf-8", openAPIJSON, `inline; filename="schema.json"`},
		{"", "application/json", http.StatusOK, "application/vnd.oai.openapi+json; charset=utf-8", openAPIJSON, `inline; filename="schema.json"`},
		{"?format=xml", "", http.StatusNotFound, "application/json; charset=utf-8", []byte(`{"detail":"Pas trouvé."}` + "\n"), ""},
	} {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/oas3/"+tc.query, nil)
		if tc.accept != "" {
			r.Header.Set("Accept", tc.accept)
		}
		w := httptest.NewRecorder()
		OpenAPIHandler(w, r)
		if w.Code != tc.status || w.Header().Get("Content-Type") != tc.contentType ||
			w.Header().Get("Content-Disposition") != tc.disposition || w.Body.String() != string(tc.body) {
			t.Errorf("%s (Accept %q): %d %s %q %.80q", tc.query, tc.accept, w.Code, w.Header().Get("Content-Type"),
				w.Header().Get("Content-Disposition"), w.Body.String())
		}
	}
}
