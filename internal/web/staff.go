package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/staff"
)

// staffRoutes: the staff back office (actors.md §20): search accounts and organizations, an
// account's and an organization's page with their history, deactivate or reactivate an account,
// decide a prescriber organization's habilitation, change its kind, create a company. Every page
// is for staff only; the account and org services check it again and audit every change.
func (s *Server) staffRoutes() {
	s.handle("GET /staff/{$}", StaffOnly, s.staffHome)
	s.handle("GET /staff/users/{public_id}", StaffOnly, s.staffUser)
	s.handle("GET /staff/users/{public_id}/{action}", StaffOnly, s.staffUserConfirmPage)
	s.handle("POST /staff/users/{public_id}/{action}", StaffOnly, s.staffUserAction)
	s.handle("GET /staff/organizations/{uid}", StaffOnly, s.staffOrganization)
	s.handle("GET /staff/organizations/{uid}/habilitation/{action}", StaffOnly, s.staffHabilitationPage)
	s.handle("POST /staff/organizations/{uid}/habilitation/{action}", StaffOnly, s.staffHabilitation)
	s.handle("POST /staff/organizations/{uid}/kind", StaffOnly, s.staffPrescriberKind)
	s.handle("GET /staff/companies/new", StaffOnly, s.staffCompanyPage)
	s.handle("POST /staff/companies/new", StaffOnly, s.staffCreateCompany)
}

// Paths of the back office pages.
func staffUserPath(publicID string) string { return "/staff/users/" + publicID }
func staffOrgPath(uid string) string       { return "/staff/organizations/" + uid }

// maxStaffQuery bounds the search text (a name, an e-mail, a SIRET).
const maxStaffQuery = 100

// pager is the pagination of one list of a page, whose other parameters it keeps.
type pager struct {
	Label       string // what is paginated, for the navigation's accessible name
	Page, Pages int
	Prev, Next  string // URLs, "" at the ends
}

func newPager(label string, base url.Values, param string, page, pages int) pager {
	p := pager{Label: label, Page: page, Pages: pages}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		v.Set(param, strconv.Itoa(n))
		return "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(min(page-1, pages))
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// staffHomeData is the staff home.
type staffHomeData struct {
	*staff.Home
	Form                             *Form
	Scopes                           []option
	Users                            []staffUserRow
	Orgs                             []staffOrgRow
	Pending                          []staffPendingRow
	UsersPager, OrgsPager, PendPager pager
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

type staffUserRow struct {
	URL, Name, Email, Kind string
	Active                 bool
}

type staffOrgRow struct {
	URL, Name, Type, Kind, Status string
}

type staffPendingRow struct {
	URL, Name, Kind, SIRET, Department, CreatedAt string
}

func (s *Server) staffHome(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	atoi := func(name string) int { n, _ := strconv.Atoi(q.Get(name)); return n }
	text := strings.TrimSpace(q.Get("q"))
	form := newForm(&Field{Name: "q", Label: "Rechercher", Type: "search", Value: text,
		Hint: "Adresse e-mail, nom ou identifiant d'un compte ; nom, SIRET, SIREN, code SAFIR ou identifiant d'une organisation."})
	query := staff.Query{Text: text, Scope: staff.Scope(q.Get("scope")), UsersPage: atoi("users_page"),
		OrgsPage: atoi("orgs_page"), PendingPage: atoi("pending_page")}
	if utf8.RuneCountInString(text) > maxStaffQuery {
		form.Fields["q"].Error = "La recherche ne peut pas dépasser " + strconv.Itoa(maxStaffQuery) + " caractères."
		query.Text = ""
	}
	home, err := s.staff.Home(r.Context(), s.actorOf(r), query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := staffHomeData{Home: home, Form: form}
	for _, sc := range staff.Scopes {
		d.Scopes = append(d.Scopes, option{Value: string(sc), Label: sc.Label(), Selected: sc == home.Query.Scope})
	}
	base := url.Values{}
	for _, k := range []string{"q", "scope", "users_page", "orgs_page", "pending_page"} {
		if v := q.Get(k); v != "" {
			base.Set(k, v)
		}
	}
	if u := home.Users; u != nil {
		for _, usr := range u.Items {
			d.Users = append(d.Users, staffUserRow{URL: staffUserPath(usr.PublicID), Name: usr.DisplayName(), Email: usr.Email,
				Kind: usr.Kind.Label(), Active: usr.IsActive})
		}
		d.UsersPager = newPager("comptes", base, "users_page", u.Page, u.Pages)
	}
	if o := home.Orgs; o != nil {
		for _, ref := range o.Items {
			d.Orgs = append(d.Orgs, staffOrgRow{URL: staffOrgPath(ref.UID), Name: ref.Name, Type: ref.Type.Label(),
				Kind: ref.KindLabel(), Status: staffOrgStatus(ref)})
		}
		d.OrgsPager = newPager("organisations", base, "orgs_page", o.Page, o.Pages)
	}
	for _, p := range home.Pending.Items {
		d.Pending = append(d.Pending, staffPendingRow{URL: staffOrgPath(p.UID), Name: p.Name, Kind: p.Kind.Label(),
			SIRET: p.SIRET, Department: p.Department, CreatedAt: localtime.Date(p.CreatedAt)})
	}
	d.PendPager = newPager("organisations en attente", base, "pending_page", home.Pending.Page, home.Pending.Pages)
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "staff/home.html", "Administration", d)
}

// staffOrgStatus is the state of an organization in lists: habilitation of prescribers, activity
// of companies.
func staffOrgStatus(ref org.Ref) string {
	switch ref.Type {
	case org.TypePrescriber:
		return ref.AuthorizationStatus.Label()
	case org.TypeCompany:
		switch {
		case ref.InGracePeriod:
			return "En période de grâce"
		case ref.Active:
			return "Active"
		}
		return "Inactive"
	}
	return ""
}

// staffUserData is an account's page.
type staffUserData struct {
	*staff.UserDetail
	Facts       []orgFact
	Memberships []staffMembershipRow
	History     []staffEventRow
	// ActionURL and ActionLabel: deactivate an active account, reactivate an inactive one ("" on
	// one's own account).
	ActionURL, ActionLabel string
}

type staffMembershipRow struct {
	URL, Name, Type, Role, JoinedAt string
	IsAdmin, IsActive               bool
}

// staffEventRow is one line of a history.
type staffEventRow struct {
	At, Label, Actor, ActorURL, ClientIP string
	Details                              []staff.Detail
}

func staffEvents(events []staff.Event) []staffEventRow {
	rows := make([]staffEventRow, len(events))
	for i, e := range events {
		row := staffEventRow{At: localtime.DateTime(e.At), Label: e.Label, Actor: e.ActorName, ClientIP: e.ClientIP, Details: e.Details}
		if e.ActorPublicID != "" {
			row.ActorURL = staffUserPath(e.ActorPublicID)
		}
		if row.Actor == "" && e.ActorPublicID == "" {
			row.Actor = "Système"
		}
		rows[i] = row
	}
	return rows
}

// Account actions, as they appear in URLs.
const (
	staffActionDeactivate = "deactivate"
	staffActionReactivate = "reactivate"
)

func (s *Server) staffUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.staff.User(r.Context(), s.actorOf(r), r.PathValue("public_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := staffUserData{UserDetail: u, History: staffEvents(u.History)}
	usr := u.User
	add := func(label, value string) {
		if value != "" {
			d.Facts = append(d.Facts, orgFact{label, value})
		}
	}
	add("Type de compte", usr.Kind.Label())
	add("Adresse e-mail", usr.Email)
	add("Civilité", usr.Title.Label())
	add("Prénom", usr.FirstName)
	add("Nom", usr.LastName)
	add("Téléphone", usr.Phone)
	add("Mode de connexion", usr.IdentityProvider.Label())
	add("Identifiant", usr.PublicID)
	add("Inscrit le", localtime.Date(usr.DateJoined))
	verified, lastLogin := "Non", "Jamais"
	if usr.EmailVerifiedAt != nil {
		verified = "Oui, le " + localtime.Date(*usr.EmailVerifiedAt)
	}
	if usr.LastLogin != nil {
		lastLogin = localtime.DateTime(*usr.LastLogin)
	}
	add("Adresse e-mail confirmée", verified)
	add("Dernière connexion", lastLogin)
	for _, m := range u.Memberships {
		a := org.Affiliation{Ref: m.Organization, IsAdmin: m.IsAdmin}
		d.Memberships = append(d.Memberships, staffMembershipRow{URL: staffOrgPath(m.Organization.UID), Name: m.Organization.Name,
			Type: m.Organization.Type.Label(), Role: a.RoleLabel(), JoinedAt: localtime.Date(m.JoinedAt), IsAdmin: m.IsAdmin, IsActive: m.IsActive})
	}
	switch {
	case u.IsViewer:
	case usr.IsActive:
		d.ActionURL, d.ActionLabel = staffUserPath(usr.PublicID)+"/"+staffActionDeactivate, "Désactiver le compte"
	default:
		d.ActionURL, d.ActionLabel = staffUserPath(usr.PublicID)+"/"+staffActionReactivate, "Réactiver le compte"
	}
	s.render(w, r, http.StatusOK, "staff/user.html", usr.DisplayName(), d)
}

// staffConfirmData is the confirmation page of a back office action.
type staffConfirmData struct {
	Title, Subtitle, Explanation, Submit string
	FormAction, CancelURL                string
	Error                                string
	// Impossible: the action cannot be done now (Error says why): no submit button.
	Impossible bool
}

func staffUserConfirm(u *account.User, action string) (staffConfirmData, bool) {
	d := staffConfirmData{Subtitle: u.Email, FormAction: staffUserPath(u.PublicID) + "/" + action, CancelURL: staffUserPath(u.PublicID)}
	name := u.DisplayName()
	switch action {
	case staffActionDeactivate:
		d.Title = "Désactiver le compte de " + name
		d.Explanation = name + " ne pourra plus se connecter et ses sessions ouvertes prendront fin immédiatement. Le compte, ses rattachements et son historique sont conservés : vous pourrez le réactiver."
		d.Submit = "Désactiver le compte"
	case staffActionReactivate:
		d.Title = "Réactiver le compte de " + name
		d.Explanation = name + " pourra de nouveau se connecter. Ses rattachements à des organisations sont inchangés."
		d.Submit = "Réactiver le compte"
	default:
		return d, false
	}
	return d, true
}

func (s *Server) staffUserConfirmPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.staff.User(r.Context(), s.actorOf(r), r.PathValue("public_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, ok := staffUserConfirm(u.User, r.PathValue("action"))
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if u.IsViewer && r.PathValue("action") == staffActionDeactivate {
		d.Error, d.Impossible = account.ErrDeactivateSelf.Error(), true
	}
	s.render(w, r, http.StatusOK, "staff/confirm.html", d.Title, d)
}

func (s *Server) staffUserAction(w http.ResponseWriter, r *http.Request) {
	publicID, action := r.PathValue("public_id"), r.PathValue("action")
	var u *account.User
	var err error
	var msg string
	switch action {
	case staffActionDeactivate:
		u, err = s.accounts.DeactivateUser(r.Context(), s.actorOf(r), publicID)
		msg = "Le compte est désactivé : ses sessions ouvertes ont pris fin."
	case staffActionReactivate:
		u, err = s.accounts.ReactivateUser(r.Context(), s.actorOf(r), publicID)
		msg = "Le compte est réactivé."
	default:
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if errors.Is(err, account.ErrDeactivateSelf) {
		target, lerr := s.accounts.ByPublicID(r.Context(), publicID)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		d, _ := staffUserConfirm(target, action)
		d.Error, d.Impossible = err.Error(), true
		s.render(w, r, http.StatusUnprocessableEntity, "staff/confirm.html", d.Title, d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, msg)
	http.Redirect(w, r, staffUserPath(u.PublicID), http.StatusSeeOther)
}

// staffOrgData is an organization's page.
type staffOrgData struct {
	*staff.OrganizationDetail
	Facts   []orgFact
	Members []staffOrgMemberRow
	History []staffEventRow
	Pager   pager
	// Prescriber organizations: the habilitation decisions offered, and the kind form.
	CanValidate, CanRefuse bool
	KindForm               *Form
	Kinds                  []option
	HabilitationError      string
}

type staffOrgMemberRow struct {
	URL, Name, Email, JoinedAt               string
	IsAdmin, MembershipActive, AccountActive bool
}

func (s *Server) staffOrganization(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	s.renderStaffOrganization(w, r, http.StatusOK, page, nil, "")
}

// renderStaffOrganization shows an organization's page, with a refused kind form or habilitation
// decision when there is one.
func (s *Server) renderStaffOrganization(w http.ResponseWriter, r *http.Request, status, page int, kindForm *Form, habilitationError string) {
	o, err := s.staff.Organization(r.Context(), s.actorOf(r), r.PathValue("uid"), page)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := staffOrgData{OrganizationDetail: o, History: staffEvents(o.History), HabilitationError: habilitationError}
	add := func(label, value string) {
		if value != "" {
			d.Facts = append(d.Facts, orgFact{label, value})
		}
	}
	add("Famille", o.Ref.Type.Label())
	add("Type", o.Ref.KindLabel())
	switch {
	case o.Company != nil:
		c := o.Company
		add("Raison sociale", c.Name)
		add("Enseigne", c.Brand)
		add("SIRET", c.SIRET)
		add("Origine", c.Source.Label())
		switch a := c.ActivityAt(s.orgs.Now()); {
		case a.InGracePeriod:
			add("Activité", "En période de grâce (convention terminée)")
		case a.Active:
			add("Activité", "Active")
		default:
			add("Activité", "Inactive")
		}
		add("Adresse", c.OneLine())
		add("Code INSEE de la commune", c.CommuneCode)
		add("E-mail de contact", c.Email)
		add("E-mail d'authentification", c.AuthEmail)
		add("Téléphone", c.Phone)
		add("Site web", c.Website)
		add("Créée le", localtime.Date(c.CreatedAt))
	case o.Prescriber != nil:
		p := o.Prescriber
		add("Habilitation", p.AuthorizationStatus.Label())
		if p.AuthorizationUpdatedAt != nil {
			add("Habilitation décidée le", localtime.DateTime(*p.AuthorizationUpdatedAt))
		}
		add("SIRET", p.SIRET)
		add("Code SAFIR", p.CodeSAFIR)
		if p.IsBRSA {
			add("Conventionnée pour le suivi des BRSA", "Oui")
		}
		add("Adresse", p.OneLine())
		add("E-mail de contact", p.Email)
		add("Téléphone", p.Phone)
		add("Site web", p.Website)
		add("Créée le", localtime.Date(p.CreatedAt))
		// "Valider" shows on every pending organization, kind "Autre" included: the confirmation
		// page then says why it cannot be done yet (actors.md §22, scenario 11).
		d.CanValidate = p.AuthorizationStatus == org.AuthorizationNotSet
		_, _, rerr := org.HabilitationAfter(p.Kind, p.AuthorizationStatus, org.Refuse)
		d.CanRefuse = rerr == nil
		if !p.IsFranceTravail() {
			d.KindForm = kindForm
			if d.KindForm == nil {
				d.KindForm = newForm(&Field{Name: "kind", Label: "Type d'organisation", Value: string(p.Kind)})
			}
			for _, k := range org.PrescriberKinds() {
				if k != org.FT {
					d.Kinds = append(d.Kinds, option{Value: string(k), Label: k.Label(), Selected: string(k) == d.KindForm.Fields["kind"].Value})
				}
			}
		}
	case o.Institution != nil:
		i := o.Institution
		add("Département", i.Department)
		add("Région", i.Region)
		add("Adresse", i.OneLine())
	}
	add("Collaborateurs actifs", strconv.Itoa(o.ActiveMembers))
	for _, m := range o.Members.Members {
		d.Members = append(d.Members, staffOrgMemberRow{URL: staffUserPath(m.PublicID), Name: m.DisplayName(), Email: m.Email,
			JoinedAt: localtime.Date(m.JoinedAt), IsAdmin: m.IsAdmin, MembershipActive: m.MembershipActive, AccountActive: m.UserActive})
	}
	d.Pager = newPager("membres", url.Values{}, "page", o.Members.Page, o.Members.Pages)
	s.render(w, r, status, "staff/organization.html", o.Ref.Name+" - Administration", d)
}

// Habilitation decisions, as they appear in URLs.
const (
	staffActionValidate = "validate"
	staffActionRefuse   = "refuse"
)

func staffHabilitationConfirm(o *org.Overview, action string) (staffConfirmData, bool) {
	p := o.Prescriber
	d := staffConfirmData{Subtitle: p.Kind.Label() + " · " + p.AuthorizationStatus.Label(),
		FormAction: staffOrgPath(p.UID) + "/habilitation/" + action, CancelURL: staffOrgPath(p.UID)}
	var told string
	switch o.ActiveMembers {
	case 0:
		told = "Elle n'a aucun membre actif à prévenir."
	case 1:
		told = "Son membre actif en sera informé par e-mail."
	default:
		told = "Ses " + strconv.Itoa(o.ActiveMembers) + " membres actifs en seront informés par e-mail."
	}
	var t org.HabilitationTransition
	switch action {
	case staffActionValidate:
		t = org.Validate
		d.Title = "Valider l'habilitation de " + p.Name
		d.Explanation = "Les membres de « " + p.Name + " » deviendront prescripteurs habilités. " + told
		d.Submit = "Valider l'habilitation"
	case staffActionRefuse:
		t = org.Refuse
		d.Title = "Refuser l'habilitation de " + p.Name
		d.Explanation = "L'organisation deviendra de type « Autre » et ses membres resteront orienteurs. " + told
		d.Submit = "Refuser l'habilitation"
	default:
		return d, false
	}
	if _, _, err := org.HabilitationAfter(p.Kind, p.AuthorizationStatus, t); err != nil {
		d.Error, d.Impossible = err.Error(), true
	}
	return d, true
}

// staffPrescriber loads a prescriber organization's card for a habilitation decision.
func (s *Server) staffPrescriber(w http.ResponseWriter, r *http.Request) (*org.Overview, bool) {
	o, err := s.orgs.Overview(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err == nil && o.Prescriber == nil {
		err = org.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return o, true
}

func (s *Server) staffHabilitationPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.staffPrescriber(w, r)
	if !ok {
		return
	}
	d, ok := staffHabilitationConfirm(o, r.PathValue("action"))
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	s.render(w, r, http.StatusOK, "staff/confirm.html", d.Title, d)
}

func (s *Server) staffHabilitation(w http.ResponseWriter, r *http.Request) {
	o, ok := s.staffPrescriber(w, r)
	if !ok {
		return
	}
	action := r.PathValue("action")
	d, ok := staffHabilitationConfirm(o, action)
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	var err error
	var msg string
	switch action {
	case staffActionValidate:
		err = s.orgs.ValidateHabilitation(r.Context(), s.actorOf(r), o.Ref.UID)
		msg = "L'habilitation de « " + o.Ref.Name + " » est validée : ses membres en sont informés par e-mail."
	case staffActionRefuse:
		err = s.orgs.RefuseHabilitation(r.Context(), s.actorOf(r), o.Ref.UID)
		msg = "L'habilitation de « " + o.Ref.Name + " » est refusée : l'organisation est maintenant de type « Autre » et ses membres en sont informés par e-mail."
	}
	if refusal := habilitationRefusal(err); refusal != "" {
		d.Error, d.Impossible = refusal, true
		s.render(w, r, http.StatusUnprocessableEntity, "staff/confirm.html", d.Title, d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, msg)
	http.Redirect(w, r, staffOrgPath(o.Ref.UID), http.StatusSeeOther)
}

// habilitationRefusal is the French reason why the org service refused a habilitation decision
// (the organization's state or its kind do not allow it), "" for no error or another one.
func habilitationRefusal(err error) string {
	if e, ok := fault.As(err); ok && (e.Kind == fault.KindConflict || e.Kind == fault.KindInvalid) {
		return e.Message
	}
	return ""
}

func (s *Server) staffPrescriberKind(w http.ResponseWriter, r *http.Request) {
	o, ok := s.staffPrescriber(w, r)
	if !ok {
		return
	}
	f := newForm(&Field{Name: "kind", Label: "Type d'organisation"})
	if !s.parseForm(w, r, f) {
		return
	}
	kind := org.PrescriberKind(f.Fields["kind"].Value)
	err := s.orgs.ChangePrescriberKind(r.Context(), s.actorOf(r), o.Ref.UID, kind)
	if err != nil {
		if showRefusal(f, err) {
			s.renderStaffOrganization(w, r, http.StatusUnprocessableEntity, 1, f, "")
			return
		}
		s.fail(w, r, err)
		return
	}
	p, err := s.orgs.Prescriber(r.Context(), o.Ref.UID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "Le type de « "+p.Name+" » est maintenant « "+p.Kind.Label()+" » ; habilitation : "+p.AuthorizationStatus.Label()+".")
	http.Redirect(w, r, staffOrgPath(o.Ref.UID), http.StatusSeeOther)
}
