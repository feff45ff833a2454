// Package apidocs serves the pages people read about the public API of partners (actors.md
// §18): the /api/ landing page and the documentation, rendered here from the OpenAPI document
// (no external Redoc bundle: the CSP allows only our own scripts, and no CDN is called). The
// API itself answers JSON from internal/api.
package apidocs

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"emplois/internal/api"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the API's documentation pages.
type Handler struct {
	tpl       *page.Templates
	docs      *apiDocsPage
	landing   landingPage
	pageLimit *page.Limit
}

// Config is what the pages show and how they are limited.
type Config struct {
	// BaseURL and RateLimitAPI (calls per minute of an anonymous client) appear in the examples.
	BaseURL      string
	RateLimitAPI int
	// Contact is the address partners write to for the rights some resources need (api.md §9).
	Contact string
	// PageLimit is the site-wide limit of anonymous HTML pages, which the landing page is under.
	PageLimit *page.Limit
}

// landingPage is what api/index.html shows.
type landingPage struct {
	Contact string
}

// New builds the documentation once, from the embedded OpenAPI document.
func New(kit *page.Kit, cfg Config) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	docs, err := newAPIDocsPage(cfg.BaseURL, cfg.RateLimitAPI)
	if err != nil {
		return nil, err
	}
	return &Handler{tpl: tpl, docs: docs, landing: landingPage{Contact: cfg.Contact}, pageLimit: cfg.PageLimit}, nil
}

// Routes declares the landing page (api.md §9: under the site-wide limit of HTML pages) and the
// documentation, open to everyone.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /api/{$}", page.Public, h.show("index.html", "API Les emplois de l’inclusion", h.landing),
		page.OpenToUnaffiliated, page.RateLimited(h.pageLimit))
	rt.Handle("GET /api/v1/redoc/{$}", page.Public, h.show("docs.html", "Documentation de l'API", h.docs), page.OpenToUnaffiliated)
}

func (h *Handler) show(name, title string, data any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.tpl.Render(w, r, http.StatusOK, name, title, data)
	}
}

// apiDocsPage is what api/docs.html and api/index.html show, built once at start from the
// OpenAPI document.
type apiDocsPage struct {
	Title       string
	Version     string
	Intro       []docBlock
	Operations  []docOperation
	Schemas     []docSchema
	RateLimit   int // anonymous calls per minute, 0: none
	ExampleCall string
	BaseURL     string
}

type docOperation struct {
	Method, Path, Summary string
	Anchor                string
	// TagAnchor is the anchor of the original's ReDoc page for the operation's tag
	// ("tag/candidats"), on the first operation of that tag: older links still land.
	TagAnchor   string
	Description []docParagraph
	Parameters  []docParameter
	Responses   []docResponse
}

type docParameter struct {
	Name, Type  string
	Required    bool
	Description []docParagraph
	Choices     []string
}

type docResponse struct {
	Status      string
	Description []docParagraph
	Schema      string // component name, "" when none
	Example     string // pretty JSON
}

type docSchema struct {
	Name        string
	Description string
	Fields      []docField
}

type docField struct {
	Name, Type, Ref string
	Description     []docParagraph
	Choices         []string
}

// docParagraph is a paragraph of a description: text, with `code` and **strong** spans.
type docParagraph []docSpan

type docSpan struct {
	Text   string
	Code   bool
	Strong bool
}

// docBlock is a block of the document's introduction: a title (Level 2 to 4, from Markdown's
// "#", "##" and deeper) or a paragraph (Level 0).
type docBlock struct {
	Level int
	Text  docParagraph
}

// paragraphs cuts an OpenAPI description (Markdown subset: blank lines between paragraphs,
// `code` between backquotes, **strong** between double stars) into what the template renders,
// escaped by html/template.
func paragraphs(s string) []docParagraph {
	var out []docParagraph
	for _, block := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if p := spans(block); len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// spans cuts one paragraph into its plain, `code` and **strong** spans (no strong inside code).
func spans(block string) docParagraph {
	var p docParagraph
	for i, part := range strings.Split(strings.TrimSpace(block), "`") {
		if i%2 == 1 {
			if part != "" {
				p = append(p, docSpan{Text: part, Code: true})
			}
			continue
		}
		for j, text := range strings.Split(part, "**") {
			if text != "" {
				p = append(p, docSpan{Text: text, Strong: j%2 == 1})
			}
		}
	}
	return p
}

// blocks cuts the document's description into titles and paragraphs: "# Titre" is a title of
// the page's second level (the page's h1 is the document's title), "## Titre" of the third.
func blocks(s string) []docBlock {
	var out []docBlock
	for _, block := range strings.Split(strings.TrimSpace(s), "\n\n") {
		block = strings.TrimSpace(block)
		level := 0
		if hashes := len(block) - len(strings.TrimLeft(block, "#")); hashes > 0 && strings.HasPrefix(block[hashes:], " ") {
			level, block = min(hashes+1, 4), block[hashes+1:]
		}
		if p := spans(block); len(p) > 0 {
			out = append(out, docBlock{Level: level, Text: p})
		}
	}
	return out
}

// docSchemaOrder is the order the documentation presents the schemas in: the envelope, then
// what it holds.
var docSchemaOrder = []string{"PaginatedSiaeList", "Siae", "Poste", "Lieu", "PaginatedCandidatList", "Candidat",
	"RechercheCandidatures", "PaginatedCandidatureList", "Candidature", "PosteRecherche",
	"PaginatedStructureList", "Structure",
	"PaginatedMarcheCompanyList", "MarcheCompany",
	"PaginatedEmbaucheGEIQList", "EmbaucheGEIQ", "ActionGEIQ",
	"PaginatedEmployeeRecordList", "EmployeeRecord", "PaginatedEmployeeRecordNotificationList", "EmployeeRecordNotification",
	"AuthToken", "Token", "ValidationError", "Error"}

// documentedPaths are the endpoints the documentation presents, in order.
var documentedPaths = []string{"/siaes/",
	"/candidats/",
	"/candidatures/recherche/",
	"/data-inclusion/",
	"/marche/",
	"/embauches-geiq/",
	"/employee-records/",
	"/employee-record-notifications/",
	"/token-auth/",
}

// newAPIDocsPage builds the documentation from the OpenAPI document.
func newAPIDocsPage(baseURL string, rateLimit int) (*apiDocsPage, error) {
	doc, err := api.OpenAPI()
	if err != nil {
		return nil, err
	}
	prefix := "/api/v1"
	if len(doc.Servers) > 0 {
		prefix = doc.Servers[0].URL
	}
	p := &apiDocsPage{Title: doc.Info.Title, Version: doc.Info.Version, Intro: blocks(doc.Info.Description),
		RateLimit: rateLimit, BaseURL: baseURL,
		ExampleCall: fmt.Sprintf("curl -H \"Accept: application/json\" \"%s%s/siaes/?code_insee=69123&distance_max_km=25\"", baseURL, prefix)}
	tagged := map[string]bool{}
	for _, path := range documentedPaths {
		op, method := doc.Paths[path].Get, "GET"
		if op == nil {
			op, method = doc.Paths[path].Post, "POST"
		}
		if op == nil {
			return nil, fmt.Errorf("apidocs: openapi.json: no GET or POST %s", path)
		}
		o := docOperation{Method: method, Path: prefix + path, Summary: op.Summary, Anchor: op.OperationID,
			Description: paragraphs(op.Description)}
		if len(op.Tags) > 0 && !tagged[op.Tags[0]] {
			o.TagAnchor, tagged[op.Tags[0]] = "tag/"+op.Tags[0], true
		}
		for _, param := range op.Parameters {
			o.Parameters = append(o.Parameters, docParameter{Name: param.Name, Type: param.Schema.TypeLabel(),
				Required: param.Required, Description: paragraphs(param.Description), Choices: param.Schema.Enum})
		}
		for _, status := range []string{"200", "400", "401", "403", "404", "405", "429"} {
			resp := op.Responses[status]
			if resp == nil {
				continue
			}
			dr := docResponse{Status: status, Description: paragraphs(resp.Description)}
			if media, ok := resp.Content["application/json"]; ok {
				dr.Schema = media.Schema.RefName()
				var pretty bytes.Buffer
				if len(media.Example) > 0 && json.Indent(&pretty, media.Example, "", "  ") == nil {
					dr.Example = pretty.String()
				}
			}
			o.Responses = append(o.Responses, dr)
		}
		p.Operations = append(p.Operations, o)
	}
	for _, name := range docSchemaOrder {
		sc := doc.Components.Schemas[name]
		if sc == nil {
			return nil, fmt.Errorf("apidocs: openapi.json: no schema %s", name)
		}
		ds := docSchema{Name: name, Description: sc.Description}
		for _, field := range sc.PropertyNames() {
			prop := sc.Properties[field]
			ref := prop.RefName()
			if ref == "" && prop.Items != nil {
				ref = prop.Items.RefName()
			}
			ds.Fields = append(ds.Fields, docField{Name: field, Type: prop.TypeLabel(), Ref: ref,
				Description: paragraphs(prop.Description), Choices: prop.Enum})
		}
		p.Schemas = append(p.Schemas, ds)
	}
	return p, nil
}
