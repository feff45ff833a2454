package application

import "emplois/internal/web/page"

// moreRoutes declares direct hire, the external transfer, comments, GEIQ prior actions and the
// contract dates.
func (h *Handler) moreRoutes(rt *page.Router) {}
