package org

import (
	"net/http"

	"emplois/internal/web/page"
)

// The organization a professional acts for (actors.md §8): resolved at each request by the
// kernel, chosen with the header switcher, and the gate that keeps professionals without
// organization out.

type logoutWarningData struct {
	FranceTravail bool
}

// logoutWarning explains to a professional without organization why they cannot use the service
// and offers to log out.
func (h *Handler) logoutWarning(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	if kind != page.WarningNoOrganization && kind != page.WarningFranceTravailOrg {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	if !page.ViewerOf(r).Unaffiliated() {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "no_organization.html", "Aucune structure", logoutWarningData{FranceTravail: kind == page.WarningFranceTravailOrg})
}

// switchOrganization makes the posted organization the current one, when it is one of those
// the professional may act for (the viewer's list, from the org service), then goes back to the
// dashboard.
func (h *Handler) switchOrganization(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	key := r.PostForm.Get("organization")
	for _, a := range page.ViewerOf(r).Organizations {
		if a.Key() == key {
			h.kit.ActFor(r.Context(), a.Ref)
			h.kit.SetFlash(r, "Vous agissez maintenant pour « "+a.Name+" ».")
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
			return
		}
	}
	h.kit.Error(w, r, http.StatusForbidden)
}
