package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// openAPIJSON is the OpenAPI 3 document of the public API, written by hand beside the code it
// describes; tests check that it lists every parameter the handlers read and every field they
// write. Its server URL is relative ("/api/v1"), so the same document serves every deployment.
//
//go:embed openapi.json
var openAPIJSON []byte

// OpenAPIHandler answers GET /api/v1/oas3/ with the OpenAPI document.
func OpenAPIHandler(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/vnd.oai.openapi+json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPIJSON)
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
