package page

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	"emplois/internal/platform/httpx"
)

// kernelFS holds the layout, the shared partials and the kernel's own pages (error.html).
//
//go:embed templates
var kernelFS embed.FS

// Data is what every template receives: the layout reads Title, Viewer and Flash; the page reads Data.
type Data struct {
	Title         string
	Viewer        Viewer
	Flash         string
	Path          string
	StateIdentity bool
	Dev           bool
	Data          any
}

// Templates holds one parsed set per page of a room: the layout and partials plus that page's file.
type Templates struct {
	kit   *Kit
	pages map[string]*template.Template
}

// parseBase parses the layout and the shared partials.
func parseBase(funcs template.FuncMap) (*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(kernelFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("page: parse layout: %w", err)
	}
	return base, nil
}

// Templates parses every .html file under dir of fsys as a page on a clone of the layout. Page
// names are paths under dir ("list.html", "signup/kind.html"). A page file defines "content"
// and may define other blocks rendered alone as fragments. Files under dir/partials are not
// pages: they are parsed into every page of the room.
func (k *Kit) Templates(fsys fs.FS, dir string) (*Templates, error) {
	room, err := k.base.Clone()
	if err != nil {
		return nil, err
	}
	if partials, _ := fs.Glob(fsys, path.Join(dir, "partials/*.html")); len(partials) > 0 {
		if room, err = room.ParseFS(fsys, partials...); err != nil {
			return nil, fmt.Errorf("page: parse partials of %s: %w", dir, err)
		}
	}
	t := &Templates{kit: k, pages: map[string]*template.Template{}}
	err = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimPrefix(p, dir+"/")
		if strings.HasPrefix(name, "partials/") {
			return nil
		}
		page, err := template.Must(room.Clone()).ParseFS(fsys, p)
		if err != nil {
			return fmt.Errorf("page: parse %s: %w", p, err)
		}
		t.pages[name] = page
		return nil
	})
	return t, err
}

func (k *Kit) funcs() template.FuncMap {
	return template.FuncMap{
		"static":        k.cfg.StaticURL,
		"query":         url.QueryEscape,
		"nav":           k.navigation,
		"proconnect":    k.ProConnect,
		"franceconnect": k.FranceConnect,
		"connect":       connectButton,
		"pagerLink":     func(target, url string) pagerLink { return pagerLink{target, url} },
	}
}

// Render writes a full page (layout + page) with the given status.
func (t *Templates) Render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t.kit.render(w, r, status, t, name, title, data)
}

// Fragment writes only a named block of a page (for htmx requests), with a 200. A block that
// starts with the "fragment_title" partial updates the document title with title, which says
// « Erreur » first when status is that of a refusal.
func (t *Templates) Fragment(w http.ResponseWriter, r *http.Request, status int, name, block, title string, data any) {
	t.kit.execute(w, r, http.StatusOK, t, name, block, Title(status, title), data)
}

func (k *Kit) render(w http.ResponseWriter, r *http.Request, status int, t *Templates, name, title string, data any) {
	k.execute(w, r, status, t, name, "layout", Title(status, title), data)
}

// Title is the title of a page answered with status: a refused form (400, 422, 429) says so
// first, so that a screen reader user hears it as the page changes (RGAA 8.6, 11.10).
func Title(status int, title string) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusTooManyRequests:
		return "Erreur : " + title
	}
	return title
}

func (k *Kit) execute(w http.ResponseWriter, r *http.Request, status int, t *Templates, name, block, title string, data any) {
	tpl, ok := t.pages[name]
	if !ok {
		k.ServerError(w, r, fmt.Errorf("page: no template %s", name))
		return
	}
	d := Data{Title: title, Viewer: ViewerOf(r), Path: r.URL.Path,
		StateIdentity: k.cfg.StateIdentity, Dev: k.cfg.Dev, Data: data}
	if block == "layout" { // a fragment (htmx) must not consume the message meant for the next page
		d.Flash = k.PopFlash(r)
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := tpl.ExecuteTemplate(buf, block, d); err != nil {
		k.ServerError(w, r, fmt.Errorf("page: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// renderBuffers reuses the buffers pages are rendered into: a search page is some 40 KB, which a
// fresh buffer would reach through several copies on every request.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 { // an exceptional page: let it go rather than hold its memory
		return
	}
	buf.Reset()
	renderBuffers.Put(buf)
}

// errorTitles are the French titles of the error pages.
var errorTitles = map[int]string{
	http.StatusBadRequest:          "Requête invalide",
	http.StatusForbidden:           "Accès refusé",
	http.StatusNotFound:            "Page non trouvée",
	http.StatusMethodNotAllowed:    "Méthode non autorisée",
	http.StatusTooManyRequests:     "Trop de requêtes",
	http.StatusInternalServerError: "Erreur inattendue",
}

// errorData is what error.html shows besides its title.
type errorData struct {
	Status int
	// Message is a French sentence of the domain that explains the refusal, if any.
	Message string
	// RetryAfter is set on the 429 of a rate limit ("42 secondes").
	RetryAfter string
}

// Error writes the French error page for status.
func (k *Kit) Error(w http.ResponseWriter, r *http.Request, status int) {
	k.errorPage(w, r, status, "")
}

func (k *Kit) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	title, ok := errorTitles[status]
	if !ok {
		title = http.StatusText(status)
	}
	k.render(w, r, status, k.own, "error.html", title, errorData{Status: status, Message: message})
}

// ServerError logs err once, with the request id, and shows the French 500 page.
func (k *Kit) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	k.log.Error("request failed", "request_id", RequestID(r), "path", r.URL.Path, "err", err)
	if tpl := k.own.pages["error.html"]; tpl != nil {
		var buf bytes.Buffer
		d := Data{Title: errorTitles[500], StateIdentity: k.cfg.StateIdentity, Data: errorData{Status: 500}}
		if tpl.ExecuteTemplate(&buf, "layout", d) == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			buf.WriteTo(w)
			return
		}
	}
	http.Error(w, "Erreur inattendue", http.StatusInternalServerError)
}

// RequestID is the id of the request, for logs.
func RequestID(r *http.Request) string { return httpx.RequestID(r.Context()) }

// Plural is "1 employeur", "12 employeurs": a count with its noun, singular for 0 and 1 as French
// has it ("0 candidature").
func Plural(n int, one, many string) string {
	if n == 0 || n == 1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

// ConnectButton is the DSFR button of an identity provider (partial "connect_button").
type ConnectButton struct {
	Slug, Brand, Modifier, URL, InfoURL string
}

// connectButton is the button of the provider slug ("proconnect", "franceconnect") to url.
func connectButton(slug, url string) ConnectButton {
	if slug == "proconnect" {
		return ConnectButton{Slug: slug, Brand: "ProConnect", Modifier: "fr-connect--pro", URL: url, InfoURL: "https://www.proconnect.gouv.fr/"}
	}
	return ConnectButton{Slug: slug, Brand: "FranceConnect", URL: url, InfoURL: "https://franceconnect.gouv.fr/"}
}
