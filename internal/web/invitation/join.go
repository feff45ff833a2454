package invitation

import (
	"errors"
	"net/http"
	"net/url"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/web/page"
)

func (h *Handler) unavailable(w http.ResponseWriter, r *http.Request, status int, heading string, err error) {
	login := ""
	if errors.Is(err, invitation.ErrAccepted) {
		login = "/accounts/login"
	}
	h.kit.Unavailable(w, r, status, heading, err.Error(), login)
}

// joinData is what join.html shows to an invitee without account.
type joinData struct {
	*invitation.View
	// ProConnect is the ProConnect login with the address as hint, "" when not offered.
	ProConnect string
	// Form is the password signup with the address fixed, nil when not offered.
	Form   *page.Form
	Action string
}

func joinSignupForm(v *invitation.View) *page.Form {
	return page.NewForm(append([]*page.Field{
		{Name: "first_name", Label: "Prénom", Autocomplete: "given-name", Required: true, Value: v.Invitation.FirstName},
		{Name: "last_name", Label: "Nom", Autocomplete: "family-name", Required: true, Value: v.Invitation.LastName},
	}, page.NewPasswordFields()...)...)
}

// proConnectLogin is the ProConnect login of the invitee, with their address as hint, back to next.
func proConnectLogin(email, next string) string {
	return "/proconnect/authorize?" + url.Values{"login_hint": {email}, "next": {next}}.Encode()
}

// joinOffers fills how an invitee without account may sign up (actors.md §7): ProConnect with
// the address as hint for prescribers and employers, a password form with the address fixed
// for labor inspectors, or for all when password signups are allowed.
func (h *Handler) joinOffers(v *invitation.View) joinData {
	d := joinData{View: v, Action: invitation.JoinPath(v.Invitation.UID)}
	if v.Invitation.Kind != invitation.LaborInspector && h.kit.ProConnect() {
		d.ProConnect = proConnectLogin(v.Invitation.Email, d.Action)
	}
	if v.Invitation.Kind == invitation.LaborInspector || h.accounts.ProfessionalPasswordAllowed() {
		d.Form = joinSignupForm(v)
	}
	return d
}

// invitationOfLink returns the invitation of the link's path, or answers (404 page, 500) and
// returns false.
func (h *Handler) invitationOfLink(w http.ResponseWriter, r *http.Request) (*invitation.View, bool) {
	vw, err := h.invitations.View(r.Context(), r.PathValue("invitation"))
	if errors.Is(err, invitation.ErrNotFound) || errors.Is(err, org.ErrNotFound) {
		h.unavailable(w, r, http.StatusNotFound, "Invitation introuvable", invitation.ErrNotFound)
		return nil, false
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
		return nil, false
	}
	return vw, true
}

// confirmData is what confirm.html shows to a logged-in visitor of the link.
type confirmData struct {
	*invitation.View
	// OtherAccount is the e-mail of the account logged in when it is not the invitee's.
	OtherAccount string
	Action       string
}

// join is the page of the mailed link. Opening it changes nothing (issue 8: it used to log
// another account out): another account logged in, or the invitee logged in, is asked to
// confirm with a button (joinPost); an unusable link gets an explanation (404, 410); an
// invitee with an account logs in (the login accepts the invitation); one without account is
// offered to create it.
func (h *Handler) join(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vw, ok := h.invitationOfLink(w, r)
	if !ok {
		return
	}
	inv, v := vw.Invitation, page.ViewerOf(r)
	title := "Rejoindre " + vw.Organization.Name
	confirm := confirmData{View: vw, Action: invitation.JoinPath(inv.UID)}
	if v.Authenticated() && v.Email != inv.Email {
		confirm.OtherAccount = v.Email
		h.tpl.Render(w, r, http.StatusOK, "confirm.html", title, confirm)
		return
	}
	if vw.Status == invitation.StatusAccepted && v.Authenticated() {
		if ok, err := h.orgs.IsActiveMember(ctx, vw.Organization.Type, vw.Organization.ID, v.UserID); err == nil && ok {
			h.kit.ActFor(ctx, vw.Organization)
			h.kit.SetFlash(r, "Vous êtes membre de « "+vw.Organization.Name+" ».")
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
			return
		}
	}
	switch vw.Status {
	case invitation.StatusAccepted:
		h.unavailable(w, r, http.StatusGone, "Invitation déjà utilisée", invitation.ErrAccepted)
		return
	case invitation.StatusExpired:
		h.unavailable(w, r, http.StatusGone, "Invitation expirée", invitation.ErrExpired)
		return
	case invitation.StatusCanceled:
		h.unavailable(w, r, http.StatusGone, "Invitation annulée", invitation.ErrCanceled)
		return
	}
	if !vw.Organization.Active || vw.Organization.InGracePeriod {
		h.unavailable(w, r, http.StatusGone, "Structure inactive", invitation.ErrOrganizationInactive)
		return
	}
	if v.Authenticated() {
		h.tpl.Render(w, r, http.StatusOK, "confirm.html", title, confirm)
		return
	}
	if vw.Account != nil {
		h.toLogin(w, r, vw)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "join.html", title, h.joinOffers(vw))
}

// toLogin sends an invitee who has an account to log in (the login accepts the invitation),
// back to the link afterwards.
func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request, vw *invitation.View) {
	if vw.Account.Kind != account.Professional {
		h.unavailable(w, r, http.StatusForbidden, "Invitation impossible", invitation.ErrNotProfessional)
		return
	}
	next := invitation.JoinPath(vw.Invitation.UID)
	if vw.Account.IdentityProvider == account.ProConnect && h.kit.ProConnect() {
		http.Redirect(w, r, proConnectLogin(vw.Invitation.Email, next), http.StatusSeeOther)
		return
	}
	msg := "Vous avez déjà un compte : connectez-vous pour rejoindre « " + vw.Organization.Name + " »."
	if logout := h.kit.PopFlash(r); logout != "" { // keep why this browser was logged out
		msg = logout + " " + msg
	}
	h.kit.SetFlash(r, msg)
	http.Redirect(w, r, page.LoginPath(next), http.StatusSeeOther)
}

// joinAsViewer is the confirmation of a logged-in visitor: another account is logged out and
// sent back to the link, the invitee joins.
func (h *Handler) joinAsViewer(w http.ResponseWriter, r *http.Request, vw *invitation.View, v page.Viewer) {
	ctx, inv := r.Context(), vw.Invitation
	if v.Email == inv.Email {
		h.accept(w, r, inv.UID)
		return
	}
	if err := h.accounts.RecordLogout(ctx, h.kit.ActorOf(r)); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	if err := h.kit.EndSession(ctx, "Vous étiez connecté avec le compte "+v.Email+" : vous avez été déconnecté, car cette invitation est adressée à "+inv.Email+"."); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, invitation.JoinPath(inv.UID), http.StatusSeeOther)
}

// accept makes the logged-in invitee a member and switches to the organization (an invitation
// the login just accepted counts as accepted here).
func (h *Handler) accept(w http.ResponseWriter, r *http.Request, uid string) {
	ctx := r.Context()
	who := h.kit.ActorOf(r)
	who.UserID = h.kit.LoggedInUserID(ctx) // the viewer, or the account just created
	a, err := h.invitations.Accept(ctx, who, uid)
	if errors.Is(err, invitation.ErrAccepted) {
		if vw, verr := h.invitations.View(ctx, uid); verr == nil {
			if ok, merr := h.orgs.IsActiveMember(ctx, vw.Organization.Type, vw.Organization.ID, who.UserID); merr == nil && ok {
				a, err = &invitation.Accepted{Invitation: vw.Invitation, Organization: vw.Organization}, nil
			}
		}
	}
	switch {
	case errors.Is(err, invitation.ErrNotProfessional):
		h.unavailable(w, r, http.StatusForbidden, "Invitation impossible", err)
		return
	case errors.Is(err, invitation.ErrOrganizationInactive), errors.Is(err, invitation.ErrExpired),
		errors.Is(err, invitation.ErrCanceled), errors.Is(err, invitation.ErrAccepted):
		h.unavailable(w, r, http.StatusGone, "Invitation inutilisable", err)
		return
	case err != nil:
		h.kit.ServerError(w, r, err)
		return
	}
	h.kit.ActFor(ctx, a.Organization)
	h.kit.SetFlash(r, "Vous avez rejoint « "+a.Organization.Name+" » : vous agissez maintenant pour cette organisation.")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// joinPost answers the buttons of the link's page: another account logged in is logged out,
// the invitee logged in joins; an invitee without account creates it from the invitation's
// form (address fixed and considered verified, since the link reached it), is logged in
// (which accepts the invitation) and lands in the organization.
func (h *Handler) joinPost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vw, ok := h.invitationOfLink(w, r)
	if !ok {
		return
	}
	if v := page.ViewerOf(r); v.Authenticated() {
		h.joinAsViewer(w, r, vw, v)
		return
	}
	d := h.joinOffers(vw)
	if vw.Account != nil || vw.Status != invitation.StatusPending || d.Form == nil {
		http.Redirect(w, r, invitation.JoinPath(vw.Invitation.UID), http.StatusSeeOther) // the link page says what to do
		return
	}
	if !h.kit.ParseForm(w, r, d.Form) {
		return
	}
	title := "Rejoindre " + vw.Organization.Name
	f := d.Form.Fields
	if f["password1"].Value != f["password2"].Value && f["password2"].Value != "" {
		f["password2"].Error = "Les deux mots de passe ne correspondent pas."
	}
	if !d.Form.Require("first_name", "last_name", "password1", "password2") || f["password2"].Error != "" {
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "join.html", title, d)
		return
	}
	u, err := h.accounts.CreateProfessional(ctx, account.ProfessionalInput{Email: vw.Invitation.Email, FirstName: f["first_name"].Value,
		LastName: f["last_name"].Value, Password: f["password1"].Value}, "invitation", h.kit.ClientIP(r))
	if err != nil {
		fes := fault.FieldsOf(err)
		for i := range fes {
			if fes[i].Field == "password" {
				fes[i].Field = "password1"
			}
		}
		if !d.Form.Show(err) {
			h.kit.ServerError(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "join.html", title, d)
		return
	}
	if err := h.kit.StartSession(ctx, u); err != nil { // also accepts the other pending invitations of the address
		h.kit.ServerError(w, r, err)
		return
	}
	h.accept(w, r, vw.Invitation.UID)
}
