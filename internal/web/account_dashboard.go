package web

import (
	"net/http"

	"emplois/internal/account"
)

// dashboardData tells the dashboard which cards to show. Professionals have no organization yet
// (organizations come with a later issue), so they all get the "no organization" explanation
// (actors.md §8, gate 4).
type dashboardData struct {
	JobSeeker      bool
	Staff          bool
	NoOrganization bool
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	kind := account.Kind(v.Kind)
	s.render(w, r, http.StatusOK, "dashboard/index.html", "Tableau de bord", dashboardData{
		JobSeeker:      kind == account.JobSeeker,
		Staff:          kind == account.Staff,
		NoOrganization: kind == account.Professional,
	})
}
