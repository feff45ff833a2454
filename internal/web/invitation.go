package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// Invitations (actors.md §7): members invite colleagues from the "Collaborateurs" page, invitees
// follow the mailed link, and every professional login accepts the pending invitations of its
// address (startSession calls acceptInvitationsAtLogin).

func (s *Server) invitationRoutes() {
	s.handle("GET /organizations/{uid}/invitations/new", Professional, s.invitePage)
	s.handle("POST /organizations/{uid}/invitations/new", Professional, s.invite)
	s.handle("POST /organizations/{uid}/invitations/{invitation}/cancel", ProfessionalOrStaff, s.cancelInvitation)
	s.handle("GET /invitations/{invitation}/join", Public, s.joinInvitation)
	s.handle("POST /invitations/{invitation}/join", Public, s.joinInvitationSignup)
}

// inviteRow is one person of the invitation form.
type inviteRow struct {
	Number                     int
	Email, FirstName, LastName *Field
}

// inviteData is what invitation/new.html shows.
type inviteData struct {
	Target     *invitation.Target
	Rows       []inviteRow
	Error      string
	Action     string
	MembersURL string
	CanAddRow  bool
	Remaining  int
}

func newInviteData(t *invitation.Target, n int) *inviteData {
	n = min(max(n, 1), invitation.MaxBatch)
	d := &inviteData{Target: t, Action: invitation.NewPath(t.Organization.UID), MembersURL: org.MembersPath(t.Organization.UID),
		CanAddRow: n < invitation.MaxBatch, Remaining: max(invitation.MaxPending-t.Pending, 0)}
	hint := ""
	if t.FranceTravail {
		hint = "Adresse @francetravail.fr ou @pole-emploi.fr."
	}
	for i := 0; i < n; i++ {
		suffix := "_" + strconv.Itoa(i)
		d.Rows = append(d.Rows, inviteRow{Number: i + 1,
			Email:     &Field{Name: "email" + suffix, Label: "Adresse e-mail", Type: "email", Autocomplete: "off", Hint: hint},
			FirstName: &Field{Name: "first_name" + suffix, Label: "Prénom", Autocomplete: "off"},
			LastName:  &Field{Name: "last_name" + suffix, Label: "Nom", Autocomplete: "off"},
		})
	}
	return d
}

// fields returns every field of the form by name.
func (d *inviteData) fields() map[string]*Field {
	m := map[string]*Field{}
	for _, r := range d.Rows {
		for _, f := range []*Field{r.Email, r.FirstName, r.LastName} {
			m[f.Name] = f
		}
	}
	return m
}

// inviteTarget resolves the organization the viewer invites to, answering otherwise; with 50
// pending invitations the viewer is sent back to the members page with the reason (§22, 17).
func (s *Server) inviteTarget(w http.ResponseWriter, r *http.Request) (*invitation.Target, bool) {
	t, err := s.invitations.Target(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err != nil {
		s.orgFailed(w, r, err)
		return nil, false
	}
	if t.Full() {
		s.setFlash(r, (&invitation.TooManyError{Pending: t.Pending}).Error())
		http.Redirect(w, r, org.MembersPath(t.Organization.UID), http.StatusSeeOther)
		return nil, false
	}
	return t, true
}

func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) {
	t, ok := s.inviteTarget(w, r)
	if !ok {
		return
	}
	d := newInviteData(t, 3)
	q := r.URL.Query() // an invitation request mails a link with the requester filled in
	d.Rows[0].Email.Value, d.Rows[0].FirstName.Value, d.Rows[0].LastName.Value = q.Get("email"), q.Get("first_name"), q.Get("last_name")
	s.render(w, r, http.StatusOK, "invitation/new.html", "Inviter des collaborateurs", d)
}

// invite sends the invitations of the form; "Ajouter une ligne" (action=add_row) only shows the
// form again with one more row, so that the form works without JavaScript.
func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	t, ok := s.inviteTarget(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	n, _ := strconv.Atoi(r.PostForm.Get("rows"))
	d := newInviteData(t, n)
	for name, f := range d.fields() {
		f.Value = strings.TrimSpace(r.PostForm.Get(name))
	}
	if r.PostForm.Get("action") == "add_row" {
		values := d.fields()
		d = newInviteData(t, len(d.Rows)+1)
		for name, f := range d.fields() {
			if old, ok := values[name]; ok {
				f.Value = old.Value
			}
		}
		s.render(w, r, http.StatusOK, "invitation/new.html", "Inviter des collaborateurs", d)
		return
	}
	rows := make([]invitation.Invitee, len(d.Rows))
	for i, row := range d.Rows {
		rows[i] = invitation.Invitee{Email: row.Email.Value, FirstName: row.FirstName.Value, LastName: row.LastName.Value}
	}
	sent, err := s.invitations.Send(r.Context(), s.actorOf(r), t.Organization.UID, rows)
	fes := fault.FieldsOf(err)
	var tooMany *invitation.TooManyError
	switch {
	case fes != nil:
		fields := d.fields()
		for _, fe := range fes {
			if f, ok := fields[fe.Field]; ok {
				f.Error = fe.Message
			} else {
				d.Error = fe.Message
			}
		}
	case errors.As(err, &tooMany):
		d.Error = tooMany.Error()
	case err != nil:
		s.orgFailed(w, r, err)
		return
	}
	if err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, "invitation/new.html", "Inviter des collaborateurs", d)
		return
	}
	msg := "L'invitation a été envoyée à " + sent[0].Email + "."
	if len(sent) > 1 {
		msg = strconv.Itoa(len(sent)) + " invitations ont été envoyées."
	}
	s.setFlash(r, msg+" Elles sont valables "+strconv.Itoa(invitation.DefaultValidityDays)+" jours.")
	http.Redirect(w, r, org.MembersPath(t.Organization.UID), http.StatusSeeOther)
}

// pendingInvitations is the section of the "Collaborateurs" page listing pending invitations.
type pendingInvitations struct {
	NewURL string
	Rows   []pendingInvitationRow
}

type pendingInvitationRow struct {
	Name, Email, SentOn, LastDay, CancelURL string
}

// pendingInvitationsOf lists the pending invitations of the organization of a members page (one
// query); the invitation form is offered to members, not to staff.
func (s *Server) pendingInvitationsOf(r *http.Request, p *org.MembersPage) (*pendingInvitations, error) {
	list, err := s.invitations.PendingOf(r.Context(), p)
	if err != nil {
		return nil, err
	}
	d := &pendingInvitations{}
	if viewerFrom(r.Context()).Kind == actor.Professional {
		d.NewURL = invitation.NewPath(p.Organization.UID)
	}
	for i := range list {
		inv := &list[i]
		d.Rows = append(d.Rows, pendingInvitationRow{Name: inv.DisplayName(), Email: inv.Email, SentOn: localtime.Date(inv.SentAt),
			LastDay: inv.LastValidDay(), CancelURL: invitation.CancelPath(p.Organization.UID, inv.UID)})
	}
	return d, nil
}

func (s *Server) cancelInvitation(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	err := s.invitations.Cancel(r.Context(), s.actorOf(r), uid, r.PathValue("invitation"))
	switch {
	case errors.Is(err, invitation.ErrAccepted):
		s.setFlash(r, "Cette invitation a déjà été acceptée : elle ne peut plus être annulée.")
	case err != nil:
		s.orgFailed(w, r, err)
		return
	default:
		s.setFlash(r, "L'invitation a été annulée.")
	}
	http.Redirect(w, r, org.MembersPath(uid), http.StatusSeeOther)
}

// invitationUnavailableData explains why an invitation link cannot be used.
type invitationUnavailableData struct {
	Heading, Message string
	LoginURL         string
}

func (s *Server) invitationUnavailable(w http.ResponseWriter, r *http.Request, status int, heading string, err error) {
	d := invitationUnavailableData{Heading: heading, Message: err.Error()}
	if errors.Is(err, invitation.ErrAccepted) {
		d.LoginURL = "/accounts/login"
	}
	s.render(w, r, status, "invitation/unavailable.html", heading, d)
}

// joinData is what invitation/join.html shows to an invitee without account.
type joinData struct {
	*invitation.View
	// ProConnect is the ProConnect login with the address as hint, "" when not offered.
	ProConnect string
	// Form is the password signup with the address fixed, nil when not offered.
	Form   *Form
	Action string
}

func joinSignupForm(v *invitation.View) *Form {
	f := newForm(append([]*Field{
		{Name: "first_name", Label: "Prénom", Autocomplete: "given-name", Required: true, Value: v.Invitation.FirstName},
		{Name: "last_name", Label: "Nom", Autocomplete: "family-name", Required: true, Value: v.Invitation.LastName},
	}, newPasswordFields()...)...)
	return f
}

// passwordSignupAllowed reports whether professionals may sign up with a password (the same rule
// as their password login: EMPLOIS_PRO_PASSWORD_LOGIN, or ProConnect not configured).
func (s *Server) passwordSignupAllowed() bool {
	return s.cfg.ProPasswordLogin || s.proconnect == nil
}

// joinOffers fills how an invitee without account may sign up (actors.md §7): ProConnect with
// the address as hint for prescribers and employers, a password form with the address fixed
// for labor inspectors, or for all when password signups are allowed.
func (s *Server) joinOffers(v *invitation.View) joinData {
	d := joinData{View: v, Action: invitation.JoinPath(v.Invitation.UID)}
	if v.Invitation.Kind != invitation.LaborInspector && s.proconnect != nil {
		d.ProConnect = "/proconnect/authorize?" + url.Values{"login_hint": {v.Invitation.Email}, "next": {d.Action}}.Encode()
	}
	if v.Invitation.Kind == invitation.LaborInspector || s.passwordSignupAllowed() {
		d.Form = joinSignupForm(v)
	}
	return d
}

// invitationOfLink returns the invitation of the link's path, or answers (404 page, 500) and
// returns false.
func (s *Server) invitationOfLink(w http.ResponseWriter, r *http.Request) (*invitation.View, bool) {
	vw, err := s.invitations.View(r.Context(), r.PathValue("invitation"))
	if errors.Is(err, invitation.ErrNotFound) || errors.Is(err, org.ErrNotFound) {
		s.invitationUnavailable(w, r, http.StatusNotFound, "Invitation introuvable", invitation.ErrNotFound)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return vw, true
}

// confirmData is what invitation/confirm.html shows to a logged-in visitor of the link.
type confirmData struct {
	*invitation.View
	// OtherAccount is the e-mail of the account logged in when it is not the invitee's.
	OtherAccount string
	Action       string
}

// joinInvitation is the page of the mailed link. Opening it changes nothing (issue 8: it used to
// log another account out): another account logged in, or the invitee logged in, is asked to
// confirm with a button (joinInvitationSignup); an unusable link gets an explanation (404, 410);
// an invitee with an account logs in (the login accepts the invitation); one without account
// is offered to create it.
func (s *Server) joinInvitation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vw, ok := s.invitationOfLink(w, r)
	if !ok {
		return
	}
	inv, v := vw.Invitation, viewerFrom(ctx)
	confirm := confirmData{View: vw, Action: invitation.JoinPath(inv.UID)}
	if v.Authenticated() && v.Email != inv.Email {
		confirm.OtherAccount = v.Email
		s.render(w, r, http.StatusOK, "invitation/confirm.html", "Rejoindre "+vw.Organization.Name, confirm)
		return
	}
	if vw.Status == invitation.StatusAccepted && v.Authenticated() {
		if ok, err := s.orgs.IsActiveMember(ctx, vw.Organization.Type, vw.Organization.ID, v.UserID); err == nil && ok {
			s.switchTo(r, vw.Organization.Type, vw.Organization.UID)
			s.setFlash(r, "Vous êtes membre de « "+vw.Organization.Name+" ».")
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
			return
		}
	}
	switch vw.Status {
	case invitation.StatusAccepted:
		s.invitationUnavailable(w, r, http.StatusGone, "Invitation déjà utilisée", invitation.ErrAccepted)
		return
	case invitation.StatusExpired:
		s.invitationUnavailable(w, r, http.StatusGone, "Invitation expirée", invitation.ErrExpired)
		return
	case invitation.StatusCanceled:
		s.invitationUnavailable(w, r, http.StatusGone, "Invitation annulée", invitation.ErrCanceled)
		return
	}
	if !vw.Organization.Active || vw.Organization.InGracePeriod {
		s.invitationUnavailable(w, r, http.StatusGone, "Structure inactive", invitation.ErrOrganizationInactive)
		return
	}
	if v.Authenticated() {
		s.render(w, r, http.StatusOK, "invitation/confirm.html", "Rejoindre "+vw.Organization.Name, confirm)
		return
	}
	if vw.Account != nil {
		if vw.Account.Kind != account.Professional {
			s.invitationUnavailable(w, r, http.StatusForbidden, "Invitation impossible", invitation.ErrNotProfessional)
			return
		}
		next := invitation.JoinPath(inv.UID)
		if vw.Account.IdentityProvider == account.ProConnect && s.proconnect != nil {
			http.Redirect(w, r, "/proconnect/authorize?"+url.Values{"login_hint": {inv.Email}, "next": {next}}.Encode(), http.StatusSeeOther)
			return
		}
		msg := "Vous avez déjà un compte : connectez-vous pour rejoindre « " + vw.Organization.Name + " »."
		if logout := s.kit.PopFlash(r); logout != "" { // keep why this browser was logged out
			msg = logout + " " + msg
		}
		s.setFlash(r, msg)
		http.Redirect(w, r, "/accounts/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "invitation/join.html", "Rejoindre "+vw.Organization.Name, s.joinOffers(vw))
}

// joinAsViewer is the confirmation of a logged-in visitor: another account is logged out and
// sent back to the link, the invitee joins.
func (s *Server) joinAsViewer(w http.ResponseWriter, r *http.Request, vw *invitation.View, v Viewer) {
	ctx, inv := r.Context(), vw.Invitation
	if v.Email == inv.Email {
		s.acceptInvitation(w, r, inv.UID)
		return
	}
	if err := s.accounts.RecordLogout(ctx, s.actorOf(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.endSession(ctx, "Vous étiez connecté avec le compte "+v.Email+" : vous avez été déconnecté, car cette invitation est adressée à "+inv.Email+"."); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, invitation.JoinPath(inv.UID), http.StatusSeeOther)
}

// acceptInvitation makes the logged-in invitee a member and switches to the organization (an
// invitation the login just accepted counts as accepted here).
func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request, uid string) {
	ctx := r.Context()
	who := s.actorOf(r)
	who.UserID = s.kit.LoggedInUserID(ctx) // the viewer, or the account just created
	a, err := s.invitations.Accept(ctx, who, uid)
	if errors.Is(err, invitation.ErrAccepted) {
		if vw, verr := s.invitations.View(ctx, uid); verr == nil {
			if ok, merr := s.orgs.IsActiveMember(ctx, vw.Organization.Type, vw.Organization.ID, who.UserID); merr == nil && ok {
				a, err = &invitation.Accepted{Invitation: vw.Invitation, Organization: vw.Organization}, nil
			}
		}
	}
	switch {
	case errors.Is(err, invitation.ErrNotProfessional):
		s.invitationUnavailable(w, r, http.StatusForbidden, "Invitation impossible", err)
		return
	case errors.Is(err, invitation.ErrOrganizationInactive), errors.Is(err, invitation.ErrExpired),
		errors.Is(err, invitation.ErrCanceled), errors.Is(err, invitation.ErrAccepted):
		s.invitationUnavailable(w, r, http.StatusGone, "Invitation inutilisable", err)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.switchTo(r, a.Organization.Type, a.Organization.UID)
	s.setFlash(r, "Vous avez rejoint « "+a.Organization.Name+" » : vous agissez maintenant pour cette organisation.")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// joinInvitationSignup answers the buttons of the link's page: another account logged in is
// logged out, the invitee logged in joins; an invitee without account creates it from the
// invitation's form (address fixed and considered verified, since the link reached it), is
// logged in (which accepts the invitation) and lands in the organization.
func (s *Server) joinInvitationSignup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vw, ok := s.invitationOfLink(w, r)
	if !ok {
		return
	}
	if v := viewerFrom(ctx); v.Authenticated() {
		s.joinAsViewer(w, r, vw, v)
		return
	}
	d := s.joinOffers(vw)
	if vw.Account != nil || vw.Status != invitation.StatusPending || d.Form == nil {
		http.Redirect(w, r, invitation.JoinPath(vw.Invitation.UID), http.StatusSeeOther) // the link page says what to do
		return
	}
	if !s.parseForm(w, r, d.Form) {
		return
	}
	f := d.Form.Fields
	if f["password1"].Value != f["password2"].Value && f["password2"].Value != "" {
		f["password2"].Error = "Les deux mots de passe ne correspondent pas."
	}
	if !requireFields(d.Form, "first_name", "last_name", "password1", "password2") || f["password2"].Error != "" {
		s.render(w, r, http.StatusUnprocessableEntity, "invitation/join.html", "Rejoindre "+vw.Organization.Name, d)
		return
	}
	u, err := s.accounts.CreateProfessional(ctx, account.ProfessionalInput{Email: vw.Invitation.Email, FirstName: f["first_name"].Value,
		LastName: f["last_name"].Value, Password: f["password1"].Value}, "invitation", s.clientIP.Of(r))
	if err != nil {
		fes := fault.FieldsOf(err)
		for i := range fes {
			if fes[i].Field == "password" {
				fes[i].Field = "password1"
			}
		}
		if !showRefusal(d.Form, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "invitation/join.html", "Rejoindre "+vw.Organization.Name, d)
		return
	}
	if err := s.startSession(ctx, u); err != nil { // also accepts the other pending invitations of the address
		s.serverError(w, r, err)
		return
	}
	s.acceptInvitation(w, r, vw.Invitation.UID)
}
