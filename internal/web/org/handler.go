// Package org serves the organization a professional acts for: the switcher and the warning
// page of professionals without organization, the organization card and its settings, its
// members ("Collaborateurs", with the pending invitations) and its antennas (actors.md §3-8, §12).
// Pages are addressed by the organization's uid; the org service checks that the viewer
// belongs to it and decides what they may do there.
package org

import (
	"embed"
	"net/http"

	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the pages of organizations.
type Handler struct {
	kit         *page.Kit
	tpl         *page.Templates
	orgs        *org.Service
	invitations *invitation.Service
}

// New builds the room; invitations lists the pending invitations of the members page.
func New(kit *page.Kit, orgs *org.Service, invitations *invitation.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, orgs: orgs, invitations: invitations}, nil
}

// Routes declares the pages of organizations.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("POST /dashboard/switch-organization", page.Professional, h.switchOrganization)
	rt.Handle("GET /logout/warning/{kind}", page.LoggedIn, h.logoutWarning, page.OpenToUnaffiliated)
	rt.Handle("GET /organizations/{uid}", page.ProfessionalOrStaff, h.overview)
	rt.Handle("POST /organizations/{uid}/applications", page.ProfessionalOrStaff, h.applications)
	rt.Handle("GET /organizations/{uid}/edit", page.ProfessionalOrStaff, h.editPage)
	rt.Handle("POST /organizations/{uid}/edit", page.ProfessionalOrStaff, h.edit)
	rt.Handle("GET /organizations/{uid}/colleagues", page.ProfessionalOrStaff, h.members)
	rt.Handle("GET /organizations/{uid}/colleagues/{user}/{action}", page.ProfessionalOrStaff, h.memberConfirmPage)
	rt.Handle("POST /organizations/{uid}/colleagues/{user}/{action}", page.ProfessionalOrStaff, h.memberAction)
	rt.Handle("GET /organizations/{uid}/antennas/new", page.ProfessionalOrStaff, h.antennaPage)
	rt.Handle("POST /organizations/{uid}/antennas/new", page.ProfessionalOrStaff, h.createAntenna)
}

// fail is Kit.Fail, except for what the state of the organization refuses (a conflict: a
// company in its grace period, whose members pages are closed; a company that cannot have
// antennas): its card, with the reason (actors.md §4.3, §4.5).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := fault.As(err); ok && e.Kind == fault.KindConflict {
		h.kit.SetFlash(r, e.Message)
		http.Redirect(w, r, org.OverviewPath(r.PathValue("uid")), http.StatusSeeOther)
		return
	}
	h.kit.Fail(w, r, err)
}
