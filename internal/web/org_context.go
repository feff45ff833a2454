package web

import (
	"net/http"

	"emplois/internal/web/page"

	"emplois/internal/org"
)

// The organization a professional acts for (actors.md §8): resolved at each request, chosen with
// the header switcher, and the gate that keeps professionals without organization out.

type logoutWarningData struct {
	FranceTravail bool
}

// logoutWarning explains to a professional without organization why they cannot use the service
// and offers to log out.
func (s *Server) logoutWarning(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	kind := r.PathValue("kind")
	if kind != page.WarningNoOrganization && kind != page.WarningFranceTravailOrg {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if !v.Unaffiliated() {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "org/no_organization.html", "Aucune structure", logoutWarningData{FranceTravail: kind == page.WarningFranceTravailOrg})
}

// switchOrganization makes the posted organization the current one, when the professional may act
// for it, then goes back to the dashboard.
func (s *Server) switchOrganization(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	key := r.PostForm.Get("organization")
	v := viewerFrom(r.Context())
	for _, a := range v.Organizations {
		if a.Key() == key {
			s.kit.ActFor(r.Context(), a.Ref)
			s.setFlash(r, "Vous agissez maintenant pour « "+a.Name+" ».")
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
			return
		}
	}
	s.renderError(w, r, http.StatusForbidden)
}

// switchTo makes an organization the current one (after creating an antenna).
func (s *Server) switchTo(r *http.Request, t org.Type, uid string) {
	s.kit.ActFor(r.Context(), org.Ref{Type: t, UID: uid})
}
