package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"emplois/internal/platform/fault"
)

//go:embed templates
var templateFS embed.FS

// Page is what every template receives: the layout reads Title, Viewer and Flash; the page reads Data.
type Page struct {
	Title         string
	Viewer        Viewer
	Flash         string
	Path          string
	StateIdentity bool
	Dev           bool
	Data          any
}

// templates holds one parsed set per page: the layout and partials plus that page's file.
type templates struct {
	pages map[string]*template.Template
}

// loadTemplates parses templates/layout.html and templates/partials/*.html as the base, then each
// other .html file as a page on a clone of the base. Page names are paths under templates/,
// e.g. "home.html" or "account/login.html". A page file defines "content" (and may define "title").
func loadTemplates(funcs template.FuncMap) (*templates, error) {
	base := template.New("layout.html").Funcs(funcs)
	base, err := base.ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	if partials, _ := fs.Glob(templateFS, "templates/partials/*.html"); len(partials) > 0 {
		if base, err = base.ParseFS(templateFS, partials...); err != nil {
			return nil, fmt.Errorf("web: parse partials: %w", err)
		}
	}
	t := &templates{pages: map[string]*template.Template{}}
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimPrefix(p, "templates/")
		if name == "layout.html" || strings.HasPrefix(name, "partials/") {
			return nil
		}
		page, err := template.Must(base.Clone()).ParseFS(templateFS, p)
		if err != nil {
			return fmt.Errorf("web: parse %s: %w", name, err)
		}
		t.pages[name] = page
		return nil
	})
	return t, err
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"static": s.static.url,
		"query":  url.QueryEscape,
		"nav":    s.navigation,
		// proconnect reports whether login with ProConnect is configured (login and signup pages).
		"proconnect": func() bool { return s.proconnect != nil },
	}
}

// render writes a full page (layout + page) with the given status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	s.renderTemplate(w, r, status, name, "layout", pageTitle(status, title), data)
}

// renderFragment writes only a named block of a page (for htmx requests). A block that starts
// with the "fragment_title" partial updates the document title with title.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, name, block, title string, data any) {
	s.renderTemplate(w, r, http.StatusOK, name, block, title, data)
}

// pageTitle is the title of a page answered with status: a refused form (400, 422, 429) says so
// first, so that a screen reader user hears it as the page changes (RGAA 8.6, 11.10).
func pageTitle(status int, title string) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusTooManyRequests:
		return "Erreur : " + title
	}
	return title
}

func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, status int, name, block, title string, data any) {
	t, ok := s.templates.pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("web: no template %s", name))
		return
	}
	page := Page{
		Title: title, Viewer: viewerFrom(r.Context()), Path: r.URL.Path,
		StateIdentity: s.cfg.StateIdentity, Dev: s.cfg.Dev, Data: data,
	}
	if block == "layout" { // a fragment (htmx) must not consume the message meant for the next page
		page.Flash = s.popFlash(r)
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, block, page); err != nil {
		s.serverError(w, r, fmt.Errorf("web: render %s: %w", name, err))
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

// errorPages are the French titles of the error pages.
var errorPages = map[int]string{
	http.StatusBadRequest:          "Requête invalide",
	http.StatusForbidden:           "Accès refusé",
	http.StatusNotFound:            "Page non trouvée",
	http.StatusConflict:            "Action impossible",
	http.StatusMethodNotAllowed:    "Méthode non autorisée",
	http.StatusTooManyRequests:     "Trop de requêtes",
	http.StatusInternalServerError: "Erreur inattendue",
}

// renderError writes the French error page for status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	title, ok := errorPages[status]
	if !ok {
		title = http.StatusText(status)
	}
	s.render(w, r, status, "error.html", title, map[string]any{"Status": status})
}

// fail answers what a service refused on a page (forms show their field errors themselves): the
// 404 or 403 page for what does not exist or may not be done, the error page with the service's
// message for an invalid or conflicting request, and the logged 500 page for anything else.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := fault.As(err)
	if !ok {
		s.serverError(w, r, err)
		return
	}
	status := e.Kind.Status()
	data := map[string]any{"Status": status}
	if e.Kind == fault.KindInvalid || e.Kind == fault.KindConflict {
		data["Message"] = e.Message
	}
	s.render(w, r, status, "error.html", errorPages[status], data)
}

// serverError logs err once, with the request id, and shows the French 500 page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "request_id", requestID(r.Context()), "path", r.URL.Path, "err", err)
	if t := s.templates.pages["error.html"]; t != nil {
		var buf bytes.Buffer
		page := Page{Title: errorPages[500], StateIdentity: s.cfg.StateIdentity, Data: map[string]any{"Status": 500}}
		if t.ExecuteTemplate(&buf, "layout", page) == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			buf.WriteTo(w)
			return
		}
	}
	http.Error(w, "Erreur inattendue", http.StatusInternalServerError)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// setFlash stores a one-time message shown on the next page.
func (s *Server) setFlash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), "flash", msg)
}

// popFlash returns and clears the one-time message. Outside the session middleware (a panic
// page) there is none.
func (s *Server) popFlash(r *http.Request) string {
	if _, ok := r.Context().Value(viewerKey{}).(Viewer); !ok {
		return ""
	}
	return s.sessions.PopString(r.Context(), "flash")
}
