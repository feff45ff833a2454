package web

import (
	"net/http"
)

// shellRoutes are the pages of the site frame: home, legal pages, health.
func (s *Server) shellRoutes() {
	s.handle("GET /{$}", Public, s.home)
	s.handle("GET /healthz", Public, s.healthz)
	s.handle("/", Public, func(w http.ResponseWriter, r *http.Request) { s.renderError(w, r, http.StatusNotFound) })
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home.html", "Les emplois de l'inclusion", nil)
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
