package web

import (
	"net/http"

	"emplois/internal/geo"
)

// benchRoutes: the reference page of the search benchmark (`make bench-search`, cmd/benchsearch).
// It does the least a real page does, one primary-key query rendered in the site layout, through
// the same middleware, so that the search pages can be measured against it on the same machine.
// Registered only with EMPLOIS_BENCH_ROUTES: it has no use in production.
func (s *Server) benchRoutes() {
	if !s.cfg.BenchRoutes {
		return // the path answers 404
	}
	s.handle("GET /bench/reference", Public, s.benchReference)
}

// benchReference shows a commune found by its INSEE code (?code=, Lyon by default).
func (s *Server) benchReference(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	if code == "" {
		code = geo.LyonCode
	}
	c, err := geo.NewStore(s.db).Commune(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "bench/reference.html", "Page de référence", c)
}
