// Package invitation serves the invitations (actors.md §7): members invite colleagues from the
// "Collaborateurs" page, invitees follow the mailed link. Every professional login accepts the
// pending invitations of its address (the kernel's Kit.StartSession).
package invitation

import (
	"embed"
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the invitation pages.
type Handler struct {
	kit         *page.Kit
	tpl         *page.Templates
	invitations *invitation.Service
	orgs        *org.Service
	accounts    *account.Service
}

// New builds the room.
func New(kit *page.Kit, invitations *invitation.Service, orgs *org.Service, accounts *account.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, invitations: invitations, orgs: orgs, accounts: accounts}, nil
}

// Routes declares the invitation pages; the link's pages are open to anyone who has it.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /organizations/{uid}/invitations/new", page.Professional, h.invitePage)
	rt.Handle("POST /organizations/{uid}/invitations/new", page.Professional, h.invite)
	rt.Handle("POST /organizations/{uid}/invitations/{invitation}/cancel", page.ProfessionalOrStaff, h.cancel)
	rt.Handle("GET /invitations/{invitation}/join", page.Public, h.join, page.OpenToUnaffiliated)
	rt.Handle("POST /invitations/{invitation}/join", page.Public, h.joinPost, page.OpenToUnaffiliated)
}

// fail is Kit.Fail, except for a company in its grace period, whose members pages are closed:
// its card, with the message (actors.md §4.3).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, org.ErrGracePeriod) {
		h.kit.SetFlash(r, org.ErrGracePeriod.Message)
		http.Redirect(w, r, org.OverviewPath(r.PathValue("uid")), http.StatusSeeOther)
		return
	}
	h.kit.Fail(w, r, err)
}
