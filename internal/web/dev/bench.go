package dev

import (
	"net/http"

	"emplois/internal/geo"
)

// The reference page of the search benchmark (`make bench-search`, cmd/benchsearch) does the
// least a real page does, one primary-key query rendered in the site layout, through the same
// middleware, so that the search pages can be measured against it on the same machine. It has
// no use in production.

// benchReference shows a commune found by its INSEE code (?code=, Lyon by default).
func (h *Handler) benchReference(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	if code == "" {
		code = geo.LyonCode
	}
	c, err := geo.NewStore(h.db).Commune(r.Context(), code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "bench_reference.html", "Page de référence", c)
}
