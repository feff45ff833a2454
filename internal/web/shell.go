package web

import (
	"net/http"
	"net/url"
)

// shellRoutes are the pages of the site frame: home, help, legal pages, health and metrics.
func (s *Server) shellRoutes() {
	s.handle("GET /{$}", Public, s.home)
	s.handle("GET /aide", Public, s.page("aide.html", "Aide"))
	s.handle("GET /mentions-legales", Public, s.page("legal/mentions-legales.html", "Mentions légales"))
	s.handle("GET /accessibilite", Public, s.page("legal/accessibilite.html", "Déclaration d'accessibilité"))
	s.handle("GET /donnees-personnelles", Public, s.page("legal/donnees-personnelles.html", "Données personnelles"))
	s.handle("GET /cgu", Public, s.page("legal/cgu.html", "Conditions générales d'utilisation"))
	s.handle("GET /healthz", Public, s.healthz)
	// Operational: open unless EMPLOIS_METRICS_TOKEN is set (see metricsHandler).
	s.handle("GET /metrics", Public, s.metricsHandler())
	s.handle("/", Public, func(w http.ResponseWriter, r *http.Request) { s.renderError(w, r, http.StatusNotFound) })
}

// homeData tells the home page which entry points exist yet.
type homeData struct {
	SearchEmployers   bool
	SearchPrescribers bool
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home.html", "Accueil", homeData{
		SearchEmployers:   s.hasPage("/search/employers"),
		SearchPrescribers: s.hasPage("/search/prescribers"),
	})
}

// page serves a static page of the frame (help, legal notices).
func (s *Server) page(name, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, name, title, nil)
	}
}

// navLink is one entry of the main navigation.
type navLink struct {
	Label, Href string
	Current     bool
}

// mainNavigation lists the main menu. An entry whose page is not served yet is left out, so the
// menu never holds a dead link and grows as the search pages land.
var mainNavigation = []navLink{
	{Label: "Rechercher un emploi inclusif", Href: "/search/employers"},
	{Label: "Rechercher un prescripteur", Href: "/search/prescribers"},
	{Label: "Aide", Href: "/aide"},
}

// navigation returns the main menu for a page at path (template func "nav").
func (s *Server) navigation(path string) []navLink {
	var links []navLink
	for _, l := range mainNavigation {
		if s.hasPage(l.Href) {
			l.Current = path == l.Href
			links = append(links, l)
		}
	}
	return links
}

// hasPage reports whether a GET of path reaches a registered page rather than the 404 catch-all.
func (s *Server) hasPage(path string) bool {
	_, pattern := s.mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}})
	return pattern != "" && pattern != "/"
}

// healthz answers 200 when the database answers, 503 otherwise (for load balancer checks).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.PingContext(r.Context()); err != nil {
		s.log.Error("healthz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("base de données injoignable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
