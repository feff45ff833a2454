package application

import "emplois/internal/web/page"

// listRoutes declares the lists, the batch bar and the exports.
func (h *Handler) listRoutes(rt *page.Router) {}
