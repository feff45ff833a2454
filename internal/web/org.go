package web

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/org"
)

// orgRoutes: the organization a professional acts for (switcher, warning page), its card and
// settings, its members ("Collaborateurs") and antennas (actors.md §3-8, §12). Pages are
// addressed by the organization's uid; the org service checks that the viewer belongs to it.
func (s *Server) orgRoutes() {
	s.handle("POST /dashboard/switch-organization", Professional, s.switchOrganization)
	s.handle("GET /logout/warning/{kind}", LoggedIn, s.logoutWarning)
	s.handle("GET /organizations/{uid}", ProfessionalOrStaff, s.orgOverview)
	s.handle("POST /organizations/{uid}/applications", ProfessionalOrStaff, s.orgApplications)
	s.handle("GET /organizations/{uid}/edit", ProfessionalOrStaff, s.orgEditPage)
	s.handle("POST /organizations/{uid}/edit", ProfessionalOrStaff, s.orgEdit)
	s.handle("GET /organizations/{uid}/colleagues", ProfessionalOrStaff, s.orgMembers)
	s.handle("GET /organizations/{uid}/colleagues/{user}/{action}", ProfessionalOrStaff, s.orgMemberConfirmPage)
	s.handle("POST /organizations/{uid}/colleagues/{user}/{action}", ProfessionalOrStaff, s.orgMemberAction)
	s.handle("GET /organizations/{uid}/antennas/new", ProfessionalOrStaff, s.antennaPage)
	s.handle("POST /organizations/{uid}/antennas/new", ProfessionalOrStaff, s.createAntenna)
}

// orgFailed is fail, except for a company in its grace period, whose members pages are
// closed: its card, with the message (actors.md §4.3).
func (s *Server) orgFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, org.ErrGracePeriod) {
		s.setFlash(r, err.Error())
		http.Redirect(w, r, org.OverviewPath(r.PathValue("uid")), http.StatusSeeOther)
		return
	}
	s.fail(w, r, err)
}

// overviewData is the organization card with what the viewer may do there.
type overviewData struct {
	*org.Overview
	Facts []orgFact
	// Company settings, for any member of a company.
	ApplicationsBlocked bool
	SpontaneousOpen     bool
	CanCreateAntenna    bool
	CanEdit             bool
	HabilitationPending bool
}

// orgFact is one line of the card: a label and its value.
type orgFact struct{ Label, Value string }

func (s *Server) orgOverview(w http.ResponseWriter, r *http.Request) {
	o, err := s.orgs.Overview(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err != nil {
		s.orgFailed(w, r, err)
		return
	}
	d := overviewData{Overview: o, CanEdit: o.ViewerIsAdmin && o.Ref.Type != org.TypeInstitution}
	add := func(label, value string) {
		if value != "" {
			d.Facts = append(d.Facts, orgFact{label, value})
		}
	}
	add("Type", o.Ref.KindLabel())
	switch {
	case o.Company != nil:
		c := o.Company
		add("Raison sociale", c.Name)
		add("SIRET", c.SIRET)
		add("Adresse", c.OneLine())
		add("E-mail de contact", c.Email)
		add("Téléphone", c.Phone)
		add("Site web", c.Website)
		add("Présentation", c.Description)
		add("Type d'accompagnement", c.ProvidedSupport)
		d.ApplicationsBlocked, d.SpontaneousOpen = c.BlockJobApplications, c.SpontaneousApplicationsOpen()
		d.CanCreateAntenna = o.ViewerIsAdmin && org.AntennaParentProblem(c.Kind, c.ActivityAt(s.orgs.Now())) == ""
	case o.Prescriber != nil:
		p := o.Prescriber
		add("Habilitation", p.AuthorizationStatus.Label())
		add("SIRET", p.SIRET)
		add("Code SAFIR", p.CodeSAFIR)
		add("Adresse", p.OneLine())
		add("E-mail de contact", p.Email)
		add("Téléphone", p.Phone)
		add("Site web", p.Website)
		add("Présentation", p.Description)
		d.HabilitationPending = p.AuthorizationStatus == org.AuthorizationNotSet
	case o.Institution != nil:
		i := o.Institution
		add("Département", i.Department)
		add("Région", i.Region)
		add("Adresse", i.OneLine())
	}
	add("Collaborateurs actifs", strconv.Itoa(o.ActiveMembers))
	s.render(w, r, http.StatusOK, "org/overview.html", o.Ref.Name+" - Mon organisation", d)
}

// orgApplications turns "bloquer les candidatures" and the spontaneous applications on or off
// (any member of the company).
func (s *Server) orgApplications(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	uid := r.PathValue("uid")
	var err error
	var msg string
	switch r.PostForm.Get("action") {
	case "block":
		err, msg = s.orgs.SetJobApplicationsBlocked(r.Context(), s.actorOf(r), uid, true), "Les candidatures sont bloquées : plus aucune nouvelle candidature ne peut vous être adressée."
	case "unblock":
		err, msg = s.orgs.SetJobApplicationsBlocked(r.Context(), s.actorOf(r), uid, false), "Les candidatures sont de nouveau ouvertes."
	case "open_spontaneous":
		err, msg = s.orgs.SetSpontaneousApplications(r.Context(), s.actorOf(r), uid, true), "Les candidatures spontanées sont ouvertes."
	case "close_spontaneous":
		err, msg = s.orgs.SetSpontaneousApplications(r.Context(), s.actorOf(r), uid, false), "Les candidatures spontanées sont fermées."
	default:
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		s.orgFailed(w, r, err)
		return
	}
	s.setFlash(r, msg)
	http.Redirect(w, r, org.OverviewPath(uid), http.StatusSeeOther)
}

// orgEditData is the edit form of a company or prescriber organization card.
type orgEditData struct {
	Organization org.Ref
	Company      bool
	NameReadOnly bool // France Travail agencies
	Form         *Form
}

func companyEditForm(c *org.Company) *Form {
	f := newForm(
		&Field{Name: "brand", Label: "Enseigne", Hint: "Nom sous lequel votre structure est connue, s'il diffère de la raison sociale.", Value: c.Brand},
		&Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email", Hint: "Affiché sur la fiche publique de votre structure.", Value: c.Email},
		&Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455", Value: c.Phone},
		&Field{Name: "website", Label: "Site web", Type: "url", Autocomplete: "url", Hint: "Format attendu : https://www.exemple.fr", Value: c.Website},
		&Field{Name: "description", Label: "Présentation de l'activité", Value: c.Description},
		&Field{Name: "provided_support", Label: "Type d'accompagnement proposé", Value: c.ProvidedSupport},
	)
	return f
}

func prescriberEditForm(p *org.PrescriberOrganization) *Form {
	return newForm(
		&Field{Name: "name", Label: "Nom de l'organisation", Required: true, Value: p.Name},
		&Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email", Value: p.Email},
		&Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455", Value: p.Phone},
		&Field{Name: "website", Label: "Site web", Type: "url", Autocomplete: "url", Hint: "Format attendu : https://www.exemple.fr", Value: p.Website},
		&Field{Name: "description", Label: "Présentation", Hint: "Affichée sur votre fiche publique lorsque votre habilitation est validée.", Value: p.Description},
	)
}

// orgEditable loads the card for its edit page: admins (or staff) of a company or a prescriber
// organization.
func (s *Server) orgEditable(w http.ResponseWriter, r *http.Request) (*org.Overview, bool) {
	o, err := s.orgs.Overview(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err == nil && (!o.ViewerIsAdmin || o.Institution != nil) {
		err = org.ErrForbidden
	}
	if err != nil {
		s.orgFailed(w, r, err)
		return nil, false
	}
	return o, true
}

func (s *Server) orgEditPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.orgEditable(w, r)
	if !ok {
		return
	}
	s.renderOrgEdit(w, r, http.StatusOK, o, nil)
}

func (s *Server) renderOrgEdit(w http.ResponseWriter, r *http.Request, status int, o *org.Overview, f *Form) {
	d := orgEditData{Organization: o.Ref, Company: o.Company != nil, Form: f}
	if d.Form == nil && o.Company != nil {
		d.Form = companyEditForm(o.Company)
	}
	if d.Form == nil {
		d.Form = prescriberEditForm(o.Prescriber)
	}
	d.NameReadOnly = o.Prescriber != nil && o.Prescriber.IsFranceTravail()
	s.render(w, r, status, "org/edit.html", "Modifier "+o.Ref.Name, d)
}

func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request) {
	o, ok := s.orgEditable(w, r)
	if !ok {
		return
	}
	var f *Form
	if o.Company != nil {
		f = companyEditForm(o.Company)
	} else {
		f = prescriberEditForm(o.Prescriber)
	}
	if !s.parseForm(w, r, f) {
		return
	}
	contact := org.Contact{Email: f.Fields["email"].Value, Phone: f.Fields["phone"].Value,
		Website: f.Fields["website"].Value, Description: f.Fields["description"].Value}
	var err error
	if o.Company != nil {
		err = s.orgs.UpdateCompany(r.Context(), s.actorOf(r), o.Ref.UID, org.CompanyUpdate{Brand: f.Fields["brand"].Value,
			ProvidedSupport: f.Fields["provided_support"].Value, Contact: contact})
	} else {
		name := f.Fields["name"].Value
		if o.Prescriber.IsFranceTravail() {
			name = o.Prescriber.Name // read-only: the field is not even posted
			f.Fields["name"].Value = name
		}
		err = s.orgs.UpdatePrescriber(r.Context(), s.actorOf(r), o.Ref.UID, org.PrescriberUpdate{Name: name, Contact: contact})
	}
	if err != nil {
		if showRefusal(f, err) {
			s.renderOrgEdit(w, r, http.StatusUnprocessableEntity, o, f)
			return
		}
		s.orgFailed(w, r, err)
		return
	}
	s.setFlash(r, "Les informations de votre organisation sont enregistrées.")
	http.Redirect(w, r, org.OverviewPath(o.Ref.UID), http.StatusSeeOther)
}

// membersData is the "Collaborateurs" page.
type membersData struct {
	*org.MembersPage
	Rows             []memberRow
	PrevPage, NextPg int
	// Invitations are the pending invitations (invitation.go).
	Invitations *pendingInvitations
}

// memberRow is one member with the actions the viewer may take on them.
type memberRow struct {
	org.Member
	Self                               bool
	CanManage                          bool
	DeactivateURL, GrantURL, RevokeURL string
}

func (s *Server) orgMembers(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	p, err := s.orgs.Members(r.Context(), s.actorOf(r), r.PathValue("uid"), page)
	if err != nil {
		s.orgFailed(w, r, err)
		return
	}
	d := membersData{MembersPage: p}
	if d.Invitations, err = s.pendingInvitationsOf(r, p); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Page > 1 {
		d.PrevPage = p.Page - 1
	}
	if p.Page < p.Pages {
		d.NextPg = p.Page + 1
	}
	base := org.MembersPath(p.Organization.UID) + "/"
	for _, m := range p.Members {
		row := memberRow{Member: m, Self: m.UserID == p.ViewerID}
		row.CanManage = p.CanManage && !row.Self
		row.DeactivateURL = base + m.PublicID + "/" + actionDeactivate
		row.GrantURL = base + m.PublicID + "/" + actionGrantAdmin
		row.RevokeURL = base + m.PublicID + "/" + actionRevokeAdmin
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "org/members.html", "Collaborateurs", d)
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

func (s *Server) orgMemberConfirmPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.orgs.MemberForAction(r.Context(), s.actorOf(r), r.PathValue("uid"), r.PathValue("user"))
	if err != nil {
		s.orgFailed(w, r, err)
		return
	}
	d, ok := memberActionText(r.PathValue("action"), v)
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	s.render(w, r, http.StatusOK, "org/member_action.html", d.Title, d)
}

func (s *Server) orgMemberAction(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	uid, user, action := r.PathValue("uid"), r.PathValue("user"), r.PathValue("action")
	confirmed := r.PostForm.Get("confirm_last_admin") == "on"
	actor := s.actorOf(r)
	var err error
	var msg string
	switch action {
	case actionDeactivate:
		err, msg = s.orgs.DeactivateMember(r.Context(), actor, uid, user, confirmed), "Le collaborateur a été retiré de l'organisation."
	case actionGrantAdmin:
		err, msg = s.orgs.SetAdmin(r.Context(), actor, uid, user, true, confirmed), "Le collaborateur est désormais administrateur."
	case actionRevokeAdmin:
		err, msg = s.orgs.SetAdmin(r.Context(), actor, uid, user, false, confirmed), "Le collaborateur n'est plus administrateur."
	default:
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	var last *org.LastAdminError
	if errors.As(err, &last) {
		v, verr := s.orgs.MemberForAction(r.Context(), actor, uid, user)
		if verr != nil {
			s.orgFailed(w, r, verr)
			return
		}
		d, _ := memberActionText(action, v)
		d.NeedsConfirm, d.ConfirmError = true, last.Error()
		s.render(w, r, http.StatusUnprocessableEntity, "org/member_action.html", d.Title, d)
		return
	}
	if err != nil {
		s.orgFailed(w, r, err)
		return
	}
	s.setFlash(r, msg)
	http.Redirect(w, r, org.MembersPath(uid), http.StatusSeeOther)
}

// antennaData is the antenna creation page.
type antennaData struct {
	Parent org.Ref
	Form   *Form
}

func antennaForm() *Form {
	return newForm(
		&Field{Name: "siret", Label: "Numéro SIRET de l'antenne", Required: true, Hint: "14 chiffres, commençant par le SIREN de votre structure."},
		&Field{Name: "name", Label: "Nom de l'antenne", Required: true},
		&Field{Name: "address_line_1", Label: "Adresse", Autocomplete: "address-line1", Required: true},
		&Field{Name: "address_line_2", Label: "Complément d'adresse", Autocomplete: "address-line2"},
		&Field{Name: "post_code", Label: "Code postal", Autocomplete: "postal-code", Required: true, Hint: "Format attendu : 5 chiffres"},
		&Field{Name: "city", Label: "Ville", Autocomplete: "address-level2", Required: true},
		&Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email"},
		&Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455"},
	)
}

// antennaParent checks the viewer may create an antenna of this company, answering otherwise.
func (s *Server) antennaParent(w http.ResponseWriter, r *http.Request) (*org.Overview, bool) {
	o, err := s.orgs.Overview(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err == nil && (o.Company == nil || !o.ViewerIsAdmin) {
		err = org.ErrForbidden
	}
	if err != nil {
		s.orgFailed(w, r, err)
		return nil, false
	}
	if p := org.AntennaParentProblem(o.Company.Kind, o.Company.ActivityAt(s.orgs.Now())); p != "" {
		s.setFlash(r, p)
		http.Redirect(w, r, org.OverviewPath(o.Ref.UID), http.StatusSeeOther)
		return nil, false
	}
	return o, true
}

func (s *Server) antennaPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.antennaParent(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "org/antenna.html", "Créer une antenne", antennaData{Parent: o.Ref, Form: antennaForm()})
}

func (s *Server) createAntenna(w http.ResponseWriter, r *http.Request) {
	o, ok := s.antennaParent(w, r)
	if !ok {
		return
	}
	f := antennaForm()
	if !s.parseForm(w, r, f) {
		return
	}
	v := func(name string) string { return f.Fields[name].Value }
	if !requireFields(f, "siret", "name", "address_line_1", "post_code", "city") {
		s.render(w, r, http.StatusUnprocessableEntity, "org/antenna.html", "Créer une antenne", antennaData{Parent: o.Ref, Form: f})
		return
	}
	c, err := s.orgs.CreateAntenna(r.Context(), s.actorOf(r), o.Ref.UID, org.AntennaInput{
		SIRET: v("siret"), Name: v("name"), Contact: org.Contact{Email: v("email"), Phone: v("phone")},
		Address: org.AddressInput{Line1: v("address_line_1"), Line2: v("address_line_2"), PostCode: v("post_code"), City: v("city")},
	})
	if err != nil {
		if showRefusal(f, err) {
			s.render(w, r, http.StatusUnprocessableEntity, "org/antenna.html", "Créer une antenne", antennaData{Parent: o.Ref, Form: f})
			return
		}
		s.orgFailed(w, r, err)
		return
	}
	s.switchTo(r, org.TypeCompany, c.UID)
	s.setFlash(r, "L'antenne « "+c.Name+" » est créée : vous en êtes administrateur et agissez maintenant pour elle.")
	http.Redirect(w, r, org.OverviewPath(c.UID), http.StatusSeeOther)
}
