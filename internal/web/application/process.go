package application

import "emplois/internal/web/page"

// processRoutes declares the candidature page and the employer's processing.
func (h *Handler) processRoutes(rt *page.Router) {}
