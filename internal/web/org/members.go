package org

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// membersData is the "Collaborateurs" page.
type membersData struct {
	*org.MembersPage
	Rows  []memberRow
	Pager *page.Pager
	// Invitations are the pending invitations (partials/invitation.html).
	Invitations *pendingInvitations
}

// memberRow is one member with the actions the viewer may take on them.
type memberRow struct {
	org.Member
	Self                               bool
	CanManage                          bool
	DeactivateURL, GrantURL, RevokeURL string
}

// pendingInvitations is the section of the "Collaborateurs" page listing pending invitations.
type pendingInvitations struct {
	NewURL string
	Rows   []pendingInvitationRow
}

type pendingInvitationRow struct {
	Name, Email, SentOn, LastDay, CancelURL string
}

func (h *Handler) members(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	p, err := h.orgs.Members(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"), n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	path := org.MembersPath(p.Organization.UID)
	d := membersData{MembersPage: p, Pager: page.NewPager("collaborateurs", path, nil, "page", p.Page, p.Pages)}
	if d.Invitations, err = h.pendingInvitationsOf(r, p); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	for _, m := range p.Members {
		base := path + "/" + m.PublicID + "/"
		d.Rows = append(d.Rows, memberRow{Member: m, Self: m.UserID == p.ViewerID, CanManage: p.Manages(m),
			DeactivateURL: base + actionDeactivate, GrantURL: base + actionGrantAdmin, RevokeURL: base + actionRevokeAdmin})
	}
	h.tpl.Render(w, r, http.StatusOK, "members.html", "Collaborateurs", d)
}

// pendingInvitationsOf lists the pending invitations of the organization of a members page (one
// query); the invitation form is offered to those its route lets through (members, not staff).
func (h *Handler) pendingInvitationsOf(r *http.Request, p *org.MembersPage) (*pendingInvitations, error) {
	list, err := h.invitations.PendingOf(r.Context(), p)
	if err != nil {
		return nil, err
	}
	d := &pendingInvitations{}
	if page.Professional.Allow(page.ViewerOf(r)) {
		d.NewURL = invitation.NewPath(p.Organization.UID)
	}
	for i := range list {
		inv := &list[i]
		d.Rows = append(d.Rows, pendingInvitationRow{Name: inv.DisplayName(), Email: inv.Email, SentOn: localtime.Date(inv.SentAt),
			LastDay: inv.LastValidDay(), CancelURL: invitation.CancelPath(p.Organization.UID, inv.UID)})
	}
	return d, nil
}

// Member administration actions, as they appear in URLs.
const (
	actionDeactivate  = "deactivate"
	actionGrantAdmin  = "grant-admin"
	actionRevokeAdmin = "revoke-admin"
)

// memberActionData is the confirmation page of an action on a member.
type memberActionData struct {
	*org.MemberView
	Action       string
	Title        string
	Explanation  string
	Submit       string
	NeedsConfirm bool // the member is the last admin: a checkbox must be ticked
	ConfirmError string
	FormAction   string
}

func memberActionText(action string, v *org.MemberView) (memberActionData, bool) {
	d := memberActionData{MemberView: v, Action: action,
		FormAction: org.MembersPath(v.Organization.UID) + "/" + v.Member.PublicID + "/" + action}
	name, orgName := v.Member.DisplayName(), v.Organization.Name
	switch action {
	case actionDeactivate:
		d.Title = "Retirer " + name + " de l'organisation"
		d.Explanation = name + " ne pourra plus agir au nom de « " + orgName + " ». Son compte est conservé et un e-mail l'en informera."
		d.Submit = "Retirer de l'organisation"
		d.NeedsConfirm = v.IsLastAdmin
	case actionGrantAdmin:
		d.Title = "Nommer " + name + " administrateur"
		d.Explanation = name + " pourra gérer les collaborateurs de « " + orgName + " » et modifier ses informations. Un e-mail l'en informera."
		d.Submit = "Nommer administrateur"
	case actionRevokeAdmin:
		d.Title = "Retirer les droits d'administrateur de " + name
		d.Explanation = name + " restera membre de « " + orgName + " » mais ne pourra plus gérer les collaborateurs. Un e-mail l'en informera."
		d.Submit = "Retirer les droits d'administrateur"
		d.NeedsConfirm = v.IsLastAdmin
	default:
		return d, false
	}
	return d, true
}

func (h *Handler) memberConfirmPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.orgs.MemberForAction(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"), r.PathValue("user"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, ok := memberActionText(r.PathValue("action"), v)
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "member_action.html", d.Title, d)
}

func (h *Handler) memberAction(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	ctx, who := r.Context(), h.kit.ActorOf(r)
	uid, user, action := r.PathValue("uid"), r.PathValue("user"), r.PathValue("action")
	confirmed := r.PostForm.Get("confirm_last_admin") == "on"
	var err error
	var msg string
	switch action {
	case actionDeactivate:
		err, msg = h.orgs.DeactivateMember(ctx, who, uid, user, confirmed), "Le collaborateur a été retiré de l'organisation."
	case actionGrantAdmin:
		err, msg = h.orgs.SetAdmin(ctx, who, uid, user, true, confirmed), "Le collaborateur est désormais administrateur."
	case actionRevokeAdmin:
		err, msg = h.orgs.SetAdmin(ctx, who, uid, user, false, confirmed), "Le collaborateur n'est plus administrateur."
	default:
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	var last *org.LastAdminError
	if errors.As(err, &last) {
		v, verr := h.orgs.MemberForAction(ctx, who, uid, user)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		d, _ := memberActionText(action, v)
		d.NeedsConfirm, d.ConfirmError = true, last.Error()
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "member_action.html", d.Title, d)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, msg)
	http.Redirect(w, r, org.MembersPath(uid), http.StatusSeeOther)
}
