package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// openAPIJSON is the OpenAPI 3 document of the public API, written by hand beside the code it
// describes; tests check that it lists every parameter the handlers read and every field they
// write, and that an independent validator accepts it. Its server URL is relative ("/api/v1"), so
// the same document serves every deployment.
//
//go:embed openapi.json
var openAPIJSON []byte

// openAPIYAML is the same document in YAML, the format served by default (api.md §9), converted
// once at start; a test checks that it reads back as the JSON document.
var openAPIYAML = mustYAML(openAPIJSON)

// MsgNotFound is the framework's 404 body for an unknown ?format= of the OpenAPI document.
const MsgNotFound = "Pas trouvé."

// OpenAPIHandler answers GET /api/v1/oas3/ with the OpenAPI document, as the original: YAML
// unless ?format=json (or an Accept header asking for JSON and not YAML), an unknown format
// 404.
func OpenAPIHandler(w http.ResponseWriter, r *http.Request) {
	body, contentType, name := openAPIYAML, "application/vnd.oai.openapi; charset=utf-8", "schema.yaml"
	switch format := r.URL.Query().Get(ParamFormat); format {
	case "json":
		body, contentType, name = openAPIJSON, "application/vnd.oai.openapi+json; charset=utf-8", "schema.json"
	case "yaml":
	case "":
		if accept := r.Header.Get("Accept"); strings.Contains(accept, "json") && !strings.Contains(accept, "yaml") {
			body, contentType, name = openAPIJSON, "application/vnd.oai.openapi+json; charset=utf-8", "schema.json"
		}
	default:
		WriteError(w, http.StatusNotFound, MsgNotFound)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Vary", "Accept")
	w.Write(body)
}

// mustYAML converts the embedded document, which is known at build time: a failure is a bug that
// the tests catch, not a condition to serve around.
func mustYAML(doc []byte) []byte {
	b, err := jsonToYAML(doc)
	if err != nil {
		panic(fmt.Sprintf("api: openapi.json to YAML: %v", err))
	}
	return b
}

// jsonToYAML rewrites a JSON document in YAML's block style, keys in the same order. JSON is
// YAML already: the document is read as YAML nodes and written back with each node's style
// cleared, so the encoder quotes only the strings that would otherwise read as something else.
func jsonToYAML(doc []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	var plain func(n *yaml.Node)
	plain = func(n *yaml.Node) {
		n.Style = 0
		for _, c := range n.Content {
			plain(c)
		}
	}
	plain(&root)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Document is the part of an OpenAPI 3 document that the documentation page shows.
type Document struct {
	OpenAPI    string              `json:"openapi"`
	Info       Info                `json:"info"`
	Servers    []Server            `json:"servers"`
	Paths      map[string]PathItem `json:"paths"`
	Components struct {
		Schemas map[string]*Schema `json:"schemas"`
	} `json:"components"`
}

type Info struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type Server struct {
	URL         string `json:"url"`
	Description string `json:"description"`
}

// PathItem holds the operations of a path: GET, or POST for the search of candidatures.
type PathItem struct {
	Get  *Operation `json:"get"`
	Post *Operation `json:"post"`
}

type Operation struct {
	OperationID string      `json:"operationId"`
	Tags        []string    `json:"tags"`
	Summary     string      `json:"summary"`
	Description string      `json:"description"`
	Parameters  []Parameter `json:"parameters"`
	// Security names the credentials the operation takes (empty: public).
	Security  []map[string][]string `json:"security"`
	Responses map[string]*Response  `json:"responses"`
}

type Parameter struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Required    bool    `json:"required"`
	Description string  `json:"description"`
	Schema      *Schema `json:"schema"`
}

type Response struct {
	Description string                     `json:"description"`
	Headers     map[string]Parameter       `json:"headers"`
	Content     map[string]MediaTypeObject `json:"content"`
}

type MediaTypeObject struct {
	Schema  *Schema         `json:"schema"`
	Example json.RawMessage `json:"example"`
}

// Schema is a JSON schema, as far as the API's documents use them.
type Schema struct {
	Ref         string             `json:"$ref"`
	Type        string             `json:"type"`
	Format      string             `json:"format"`
	Description string             `json:"description"`
	Nullable    bool               `json:"nullable"`
	Enum        []string           `json:"enum"`
	Required    []string           `json:"required"`
	Properties  map[string]*Schema `json:"properties"`
	Items       *Schema            `json:"items"`
	AllOf       []*Schema          `json:"allOf"`
	Minimum     *float64           `json:"minimum"`
	Maximum     *float64           `json:"maximum"`
	Default     json.RawMessage    `json:"default"`
	Example     json.RawMessage    `json:"example"`
}

// RefName is the name of the component a schema points at ("Poste"), through allOf too.
func (s *Schema) RefName() string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return strings.TrimPrefix(s.Ref, "#/components/schemas/")
	}
	if len(s.AllOf) == 1 {
		return s.AllOf[0].RefName()
	}
	return ""
}

// TypeLabel is the schema's type as the documentation shows it: "string (date-time)",
// "tableau de Poste", "Lieu ou null".
func (s *Schema) TypeLabel() string {
	if s == nil {
		return ""
	}
	var t string
	switch {
	case s.RefName() != "":
		t = s.RefName()
	case s.Type == "array" && s.Items != nil:
		t = "tableau de " + s.Items.TypeLabel()
	case s.Format != "":
		t = s.Type + " (" + s.Format + ")"
	default:
		t = s.Type
	}
	if s.Nullable {
		t += " ou null"
	}
	return t
}

// PropertyNames are the schema's properties in the order of Required (the order the API writes
// them), then the others by name.
func (s *Schema) PropertyNames() []string {
	seen := map[string]bool{}
	var names []string
	for _, n := range s.Required {
		if _, ok := s.Properties[n]; ok && !seen[n] {
			names, seen[n] = append(names, n), true
		}
	}
	var rest []string
	for n := range s.Properties {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// OpenAPI returns the parsed OpenAPI document.
func OpenAPI() (*Document, error) {
	var d Document
	if err := json.Unmarshal(openAPIJSON, &d); err != nil {
		return nil, fmt.Errorf("api: openapi.json: %w", err)
	}
	return &d, nil
}
