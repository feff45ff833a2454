package web

// devRoutes: the development mail outbox viewer at /dev/mails (only in dev mode).
func (s *Server) devRoutes() {}
