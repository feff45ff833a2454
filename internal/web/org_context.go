package web

import (
	"context"
	"net/http"
	"strings"

	"emplois/internal/account"
	"emplois/internal/org"
)

// The organization a professional acts for (actors.md §8): resolved at each request, chosen with
// the header switcher, and the gate that keeps professionals without organization out.

// sessionOrganization holds the key of the organization the professional chose ("company-<uid>").
const sessionOrganization = "org.current"

// resolveOrganization fills the viewer's organization context, in one query.
func (s *Server) resolveOrganization(ctx context.Context, v *Viewer) error {
	c, err := s.orgs.ContextFor(ctx, v.UserID, s.sessions.GetString(ctx, sessionOrganization))
	if err != nil {
		return err
	}
	v.Organization, v.Organizations = c.Current, c.Switcher()
	return nil
}

// unaffiliatedOpenPaths are the pages a professional without organization may still reach:
// login and logout, signup and invitations (to join one), the warning page itself, legal pages,
// the API and the autocompletes signup forms use (actors.md §8).
var unaffiliatedOpenPaths = []string{
	"/accounts/", "/signup/", "/invitations/", "/proconnect/", "/logout/", "/api/", "/autocomplete/",
	"/dev/", "/healthz", "/metrics", "/aide", "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/cgu",
}

// gateUnaffiliated sends a professional without organization to the warning page, from any other
// page; it reports whether it answered.
func (s *Server) gateUnaffiliated(w http.ResponseWriter, r *http.Request, v Viewer) bool {
	if !v.Unaffiliated() {
		return false
	}
	for _, p := range unaffiliatedOpenPaths {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	http.Redirect(w, r, "/logout/warning/"+warningKind(v), http.StatusSeeOther)
	return true
}

// Warning pages of professionals without organization.
const (
	warningNoOrganization   = "no_organization"
	warningFranceTravailOrg = "ft_no_ft_organization"
)

// warningKind: a France Travail agent (by e-mail) gets the dedicated warning.
func warningKind(v Viewer) string {
	if account.IsFranceTravailEmail(v.Email) {
		return warningFranceTravailOrg
	}
	return warningNoOrganization
}

type logoutWarningData struct {
	FranceTravail bool
}

// logoutWarning explains to a professional without organization why they cannot use the service
// and offers to log out.
func (s *Server) logoutWarning(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	kind := r.PathValue("kind")
	if kind != warningNoOrganization && kind != warningFranceTravailOrg {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if !v.Unaffiliated() {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "org/no_organization.html", "Aucune structure", logoutWarningData{FranceTravail: kind == warningFranceTravailOrg})
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
			s.sessions.Put(r.Context(), sessionOrganization, key)
			s.setFlash(r, "Vous agissez maintenant pour « "+a.Name+" ».")
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
			return
		}
	}
	s.renderError(w, r, http.StatusForbidden)
}

// switchTo makes an organization the current one (after creating an antenna).
func (s *Server) switchTo(r *http.Request, t org.Type, uid string) {
	s.sessions.Put(r.Context(), sessionOrganization, org.Affiliation{Ref: org.Ref{Type: t, UID: uid}}.Key())
}
