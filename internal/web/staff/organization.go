package staff

import (
	"net/http"
	"strconv"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/staff"
	"emplois/internal/web/page"
)

// orgData is an organization's page.
type orgData struct {
	*staff.OrganizationDetail
	Facts   page.Facts
	Members []orgMemberRow
	History []eventRow
	Pager   *page.Pager
	// Prescriber organizations: the habilitation decisions offered, and the kind form.
	CanValidate, CanRefuse bool
	KindForm               *page.Form
	Kinds                  []option
	HabilitationError      string
}

type orgMemberRow struct {
	URL, Name, Email, JoinedAt               string
	IsAdmin, MembershipActive, AccountActive bool
}

func (h *Handler) organization(w http.ResponseWriter, r *http.Request) {
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	h.renderOrganization(w, r, http.StatusOK, pageNo, nil, "")
}

// renderOrganization shows an organization's page, with a refused kind form or habilitation
// decision when there is one.
func (h *Handler) renderOrganization(w http.ResponseWriter, r *http.Request, status, pageNo int, kindForm *page.Form, habilitationError string) {
	o, err := h.staff.Organization(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"), pageNo)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := orgData{OrganizationDetail: o, Facts: page.Facts{ID: "staff-facts"}, History: events(o.History),
		HabilitationError: habilitationError}
	add := d.Facts.Add
	add("Famille", o.Ref.Type.Label())
	add("Type", o.Ref.KindLabel())
	switch {
	case o.Company != nil:
		c := o.Company
		add("Raison sociale", c.Name)
		add("Enseigne", c.Brand)
		add("SIRET", c.SIRET)
		add("Origine", c.Source.Label())
		switch a := c.ActivityAt(h.orgs.Now()); {
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
				d.KindForm = page.NewForm(&page.Field{Name: "kind", Label: "Type d'organisation", Value: string(p.Kind)})
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
		d.Members = append(d.Members, orgMemberRow{URL: userPath(m.PublicID), Name: m.DisplayName(), Email: m.Email,
			JoinedAt: localtime.Date(m.JoinedAt), IsAdmin: m.IsAdmin, MembershipActive: m.MembershipActive, AccountActive: m.UserActive})
	}
	d.Pager = page.NewPager("membres", orgPath(o.Ref.UID), nil, "page", o.Members.Page, o.Members.Pages)
	h.tpl.Render(w, r, status, "organization.html", o.Ref.Name+" - Administration", d)
}

// Habilitation decisions, as they appear in URLs.
const (
	actionValidate = "validate"
	actionRefuse   = "refuse"
)

func habilitationConfirm(o *org.Overview, action string) (confirmData, bool) {
	p := o.Prescriber
	d := confirmData{Subtitle: p.Kind.Label() + " · " + p.AuthorizationStatus.Label(),
		FormAction: orgPath(p.UID) + "/habilitation/" + action, CancelURL: orgPath(p.UID)}
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
	case actionValidate:
		t = org.Validate
		d.Title = "Valider l'habilitation de " + p.Name
		d.Explanation = "Les membres de « " + p.Name + " » deviendront prescripteurs habilités. " + told
		d.Submit = "Valider l'habilitation"
	case actionRefuse:
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

// prescriber loads a prescriber organization's card for a habilitation decision.
func (h *Handler) prescriber(w http.ResponseWriter, r *http.Request) (*org.Overview, bool) {
	o, err := h.orgs.Overview(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err == nil && o.Prescriber == nil {
		err = org.ErrNotFound
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, false
	}
	return o, true
}

func (h *Handler) habilitationPage(w http.ResponseWriter, r *http.Request) {
	o, ok := h.prescriber(w, r)
	if !ok {
		return
	}
	d, ok := habilitationConfirm(o, r.PathValue("action"))
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "confirm.html", d.Title, d)
}

func (h *Handler) habilitation(w http.ResponseWriter, r *http.Request) {
	o, ok := h.prescriber(w, r)
	if !ok {
		return
	}
	action := r.PathValue("action")
	d, ok := habilitationConfirm(o, action)
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	var err error
	var msg string
	switch action {
	case actionValidate:
		err = h.orgs.ValidateHabilitation(r.Context(), h.kit.ActorOf(r), o.Ref.UID)
		msg = "L'habilitation de « " + o.Ref.Name + " » est validée : ses membres en sont informés par e-mail."
	case actionRefuse:
		err = h.orgs.RefuseHabilitation(r.Context(), h.kit.ActorOf(r), o.Ref.UID)
		msg = "L'habilitation de « " + o.Ref.Name + " » est refusée : l'organisation est maintenant de type « Autre » et ses membres en sont informés par e-mail."
	}
	if refusal := habilitationRefusal(err); refusal != "" {
		d.Error, d.Impossible = refusal, true
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "confirm.html", d.Title, d)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, msg)
	http.Redirect(w, r, orgPath(o.Ref.UID), http.StatusSeeOther)
}

// habilitationRefusal is the French reason why the org service refused a habilitation decision
// (the organization's state or its kind do not allow it), "" for no error or another one.
func habilitationRefusal(err error) string {
	if e, ok := fault.As(err); ok && (e.Kind == fault.KindConflict || e.Kind == fault.KindInvalid) {
		return e.Message
	}
	return ""
}

func (h *Handler) prescriberKind(w http.ResponseWriter, r *http.Request) {
	o, ok := h.prescriber(w, r)
	if !ok {
		return
	}
	f := page.NewForm(&page.Field{Name: "kind", Label: "Type d'organisation"})
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	kind := org.PrescriberKind(f.Fields["kind"].Value)
	err := h.orgs.ChangePrescriberKind(r.Context(), h.kit.ActorOf(r), o.Ref.UID, kind)
	if err != nil {
		if f.Show(err) {
			h.renderOrganization(w, r, http.StatusUnprocessableEntity, 1, f, "")
			return
		}
		h.kit.Fail(w, r, err)
		return
	}
	p, err := h.orgs.Prescriber(r.Context(), o.Ref.UID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Le type de « "+p.Name+" » est maintenant « "+p.Kind.Label()+" » ; habilitation : "+p.AuthorizationStatus.Label()+".")
	http.Redirect(w, r, orgPath(o.Ref.UID), http.StatusSeeOther)
}
