package web

// referenceRoutes: city and job appellation autocomplete (htmx fragments and JSON API).
func (s *Server) referenceRoutes() {}
