package web

// registerRoutes declares every route of the site. Each domain registers its own in its file.
func (s *Server) registerRoutes() {
	s.mux.HandleFunc("GET /static/{name...}", s.static.serve) // assets: public, outside the route table
	s.shellRoutes()
	s.accountRoutes()
	s.orgRoutes()
	s.jobdescRoutes()
	s.searchRoutes()
	s.proconnectRoutes()
	s.invitationRoutes()
	s.proSignupRoutes()
	s.staffRoutes()
	s.referenceRoutes()
	s.apiRoutes()
	s.devRoutes()
	s.benchRoutes()
}
