// Package shell serves the frame of the site: the home page, help and legal pages, the health
// check for load balancers, the metrics and the French 404 of unknown paths.
package shell

import (
	"embed"
	"net/http"

	"emplois/internal/platform/db"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the pages of the frame.
type Handler struct {
	kit     *page.Kit
	tpl     *page.Templates
	db      *db.DB
	metrics http.HandlerFunc
}

// New builds the room; metrics serves the Prometheus exposition.
func New(kit *page.Kit, d *db.DB, metrics http.HandlerFunc) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, db: d, metrics: metrics}, nil
}

// Routes declares the pages of the frame, open to everyone, professionals without organization
// included (the legal pages must stay readable).
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /{$}", page.Public, h.home)
	for _, p := range []struct{ path, name, title string }{
		{"/aide", "aide.html", "Aide"},
		{"/mentions-legales", "legal/mentions-legales.html", "Mentions légales"},
		{"/accessibilite", "legal/accessibilite.html", "Déclaration d'accessibilité"},
		{"/donnees-personnelles", "legal/donnees-personnelles.html", "Données personnelles"},
		{"/cgu", "legal/cgu.html", "Conditions générales d'utilisation"},
	} {
		rt.Handle("GET "+p.path, page.Public, h.static(p.name, p.title), page.OpenToUnaffiliated)
	}
	rt.Handle("GET /healthz", page.Public, h.healthz, page.OpenToUnaffiliated)
	// Operational: open unless EMPLOIS_METRICS_TOKEN is set.
	rt.Handle("GET /metrics", page.Public, h.metrics, page.OpenToUnaffiliated)
	rt.Handle("/", page.Public, func(w http.ResponseWriter, r *http.Request) { h.kit.Error(w, r, http.StatusNotFound) })
}

// homeData tells the home page which entry points are served.
type homeData struct {
	SearchEmployers   bool
	SearchPrescribers bool
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "home.html", "Accueil", homeData{
		SearchEmployers:   h.kit.HasNav("/search/employers"),
		SearchPrescribers: h.kit.HasNav("/search/prescribers"),
	})
}

// static serves a page without data (help, legal notices).
func (h *Handler) static(name, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.tpl.Render(w, r, http.StatusOK, name, title, nil)
	}
}

// healthz answers 200 when the database answers, 503 otherwise (for load balancer checks).
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := h.db.PingContext(r.Context()); err != nil {
		h.kit.Log().Error("healthz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("base de données injoignable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
