package signup

import (
	"errors"
	"net/http"

	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/web/page"
)

// The prescriber / orienteur signup (actors.md §10.3): SIRET and department, the organizations
// already registered (ask to join one), the kind, for "Autre" the habilitation questions, then
// the organization's card; the professional becomes its admin.

// prescriberJourney is what the steps chose so far.
type prescriberJourney struct {
	journeyOwner
	SIRET, Department  string
	Kind               org.PrescriberKind
	Answered           bool // the habilitation questions of kind "Autre"
	ClaimsHabilitation bool
}

// choiceField is a select or a group of radio buttons (partials "signup_select", "signup_radios").
type choiceField struct {
	Name, Label, Hint, Error string
	Options                  []choiceOption
}

type choiceOption struct {
	Value, Label, Hint string
	Checked            bool
}

func (c *choiceField) set(value string) {
	for i := range c.Options {
		c.Options[i].Checked = c.Options[i].Value == value
	}
}

func (c *choiceField) value() string {
	for _, o := range c.Options {
		if o.Checked {
			return o.Value
		}
	}
	return ""
}

// prescriberJourneyOf loads the journey; without it (a step reached directly) the page is
// refused with 403 and false is returned. need tells whether the state is far enough.
func (h *Handler) prescriberJourneyOf(w http.ResponseWriter, r *http.Request, need func(*prescriberJourney) bool) (*prescriberJourney, bool) {
	j := &prescriberJourney{}
	if !h.loadJourney(r, sessionPrescriber, j) || j.SIRET == "" || !need(j) {
		h.kit.Error(w, r, http.StatusForbidden)
		return nil, false
	}
	return j, true
}

// Step 1: SIRET and department.

type prescriberStartData struct {
	Form       *page.Form
	Department *choiceField
}

func (h *Handler) newPrescriberStartData(r *http.Request) (*prescriberStartData, error) {
	depts, err := h.signups.Departments(r.Context())
	if err != nil {
		return nil, err
	}
	d := &prescriberStartData{
		Form: page.NewForm(&page.Field{Name: "siret", Label: "Numéro SIRET de votre organisation", Required: true, Autocomplete: "off",
			Hint: "14 chiffres, espaces acceptés. Vous le trouverez sur l'annuaire des entreprises (annuaire-entreprises.data.gouv.fr)."}),
		Department: &choiceField{Name: "department", Label: "Département de votre organisation"},
	}
	d.Department.Options = append(d.Department.Options, choiceOption{Value: "", Label: "Sélectionnez un département"})
	for _, dep := range depts {
		d.Department.Options = append(d.Department.Options, choiceOption{Value: dep.Code, Label: dep.Code + " - " + dep.Name})
	}
	return d, nil
}

func (h *Handler) prescriberStartPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.newPrescriberStartData(r)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "prescriber_siret.html", "Inscription prescripteur", d)
}

func (h *Handler) prescriberStart(w http.ResponseWriter, r *http.Request) {
	d, err := h.newPrescriberStartData(r)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	if !h.kit.ParseForm(w, r, d.Form) {
		return
	}
	d.Department.set(r.PostForm.Get("department"))
	start, err := h.signups.CheckPrescriberStart(r.Context(), d.Form.Fields["siret"].Value, r.PostForm.Get("department"))
	if fes := fault.FieldsOf(err); fes != nil {
		for _, fe := range fes {
			if fe.Field == "department" {
				d.Department.Error = fe.Message
			} else {
				d.Form.SetError(fe.Field, fe.Message)
			}
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prescriber_siret.html", "Inscription prescripteur", d)
		return
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	j := prescriberJourney{journeyOwner: journeyOwner{page.ViewerOf(r).UserID}, SIRET: start.SIRET, Department: start.Department}
	if err := h.saveJourney(r, sessionPrescriber, j); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	next := "/signup/prescriber/kind"
	if len(start.Matches) > 0 {
		next = "/signup/prescriber/existing"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Step 2: the organizations already registered.

// prescriberMatchRow is a registered organization the professional may ask to join.
type prescriberMatchRow struct {
	UID, Name, Kind, SIRET, City string
	Members                      int
}

func matchRow(m org.PrescriberMatch) prescriberMatchRow {
	return prescriberMatchRow{UID: m.UID, Name: m.Name, Kind: m.Kind.Label(), SIRET: m.SIRET, City: m.CityName, Members: m.ActiveMembers}
}

func (h *Handler) prescriberExistingPage(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, func(*prescriberJourney) bool { return true })
	if !ok {
		return
	}
	start, err := h.signups.CheckPrescriberStart(r.Context(), j.SIRET, j.Department)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	rows := make([]prescriberMatchRow, len(start.Matches))
	for i, m := range start.Matches {
		rows[i] = matchRow(m)
	}
	h.tpl.Render(w, r, http.StatusOK, "prescriber_existing.html", "Organisations déjà inscrites",
		map[string]any{"SIRET": j.SIRET, "Matches": rows})
}

// prescriberRequestInvitation asks the contact member of a registered organization (one the
// journey found) to invite the professional.
func (h *Handler) prescriberRequestInvitation(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, func(*prescriberJourney) bool { return true })
	if !ok {
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	start, err := h.signups.CheckPrescriberStart(r.Context(), j.SIRET, j.Department)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	uid, found := r.PostForm.Get("organization"), false
	for _, m := range start.Matches {
		found = found || m.UID == uid
	}
	if !found {
		h.kit.Error(w, r, http.StatusForbidden)
		return
	}
	back := "/signup/prescriber/existing"
	if r.PostForm.Get("from") == "kind" {
		back = "/signup/prescriber/kind"
	}
	h.requestInvitation(w, r, uid, back)
}

// requestInvitation sends an invitation request and goes back with the outcome.
func (h *Handler) requestInvitation(w http.ResponseWriter, r *http.Request, orgUID, back string) {
	contact, err := h.invitations.RequestInvitation(r.Context(), h.kit.ActorOf(r), orgUID)
	switch {
	case errors.Is(err, invitation.ErrNoContact), errors.Is(err, invitation.ErrAlreadyMember):
		h.kit.SetFlash(r, err.Error())
	case err != nil:
		h.kit.ServerError(w, r, err)
		return
	default:
		h.kit.SetFlash(r, "Votre demande d'invitation a été envoyée à "+contact.DisplayName()+". Vous recevrez un e-mail dès que vous serez invité.")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// Step 3: the kind.

type prescriberKindData struct {
	SIRET string
	Kind  *choiceField
	// Taken is the organization already registered with this SIRET and kind (§22, 14).
	Taken *prescriberMatchRow
}

func newPrescriberKindData(j *prescriberJourney) *prescriberKindData {
	d := &prescriberKindData{SIRET: j.SIRET, Kind: &choiceField{Name: "kind", Label: "Type de votre organisation",
		Hint: "Choisissez « Autre » si votre organisation n'est dans aucune de ces catégories."}}
	for _, k := range org.SignupPrescriberKinds() {
		d.Kind.Options = append(d.Kind.Options, choiceOption{Value: string(k), Label: k.Label()})
	}
	d.Kind.set(string(j.Kind))
	return d
}

func (h *Handler) prescriberKindPage(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, func(*prescriberJourney) bool { return true })
	if !ok {
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "prescriber_kind.html", "Type d'organisation", newPrescriberKindData(j))
}

func (h *Handler) prescriberKind(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, func(*prescriberJourney) bool { return true })
	if !ok {
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	d := newPrescriberKindData(j)
	kind := org.PrescriberKind(r.PostForm.Get("kind"))
	d.Kind.set(string(kind))
	if !kind.ChoosableAtSignup() {
		d.Kind.Error = "Choisissez le type de votre organisation."
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prescriber_kind.html", "Type d'organisation", d)
		return
	}
	taken, err := h.signups.KindTaken(r.Context(), j.SIRET, kind)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	if taken != nil {
		row := matchRow(*taken)
		d.Taken, d.Kind.Error = &row, org.MsgPrescriberTaken+" Demandez à l'un de ses membres de vous inviter."
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prescriber_kind.html", "Type d'organisation", d)
		return
	}
	j.Kind, j.Answered, j.ClaimsHabilitation = kind, false, false
	if err := h.saveJourney(r, sessionPrescriber, j); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	next := "/signup/prescriber/organization"
	if kind == org.OtherKind {
		next = "/signup/prescriber/authorization"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Step 3b: for kind "Autre", does a prefectoral order habilitate the organization?

type prescriberAuthorizationData struct {
	Habilitated, Prefectoral *choiceField
}

func yesNo(name, label, hint string) *choiceField {
	return &choiceField{Name: name, Label: label, Hint: hint, Options: []choiceOption{{Value: "yes", Label: "Oui"}, {Value: "no", Label: "Non"}}}
}

func newPrescriberAuthorizationData() *prescriberAuthorizationData {
	return &prescriberAuthorizationData{
		Habilitated: yesNo("habilitated", "Votre organisation est-elle habilitée à prescrire des parcours d'insertion par l'activité économique ?",
			"Une organisation habilitée permet aux candidats qu'elle oriente d'être embauchés en insertion sans autre diagnostic."),
		Prefectoral: yesNo("prefectoral", "Si oui : cette habilitation est-elle accordée par un arrêté préfectoral ?",
			"Vous devrez envoyer une copie de l'arrêté au support pour que l'habilitation soit validée."),
	}
}

func (h *Handler) prescriberAuthorizationPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.prescriberJourneyOf(w, r, func(j *prescriberJourney) bool { return j.Kind == org.OtherKind }); !ok {
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "prescriber_authorization.html", "Habilitation", newPrescriberAuthorizationData())
}

func (h *Handler) prescriberAuthorization(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, func(j *prescriberJourney) bool { return j.Kind == org.OtherKind })
	if !ok {
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	d := newPrescriberAuthorizationData()
	d.Habilitated.set(r.PostForm.Get("habilitated"))
	d.Prefectoral.set(r.PostForm.Get("prefectoral"))
	habilitated, prefectoral := d.Habilitated.value(), d.Prefectoral.value()
	if habilitated == "" {
		d.Habilitated.Error = "Répondez à cette question."
	}
	if habilitated == "yes" && prefectoral == "" {
		d.Prefectoral.Error = "Répondez à cette question."
	}
	if d.Habilitated.Error != "" || d.Prefectoral.Error != "" {
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prescriber_authorization.html", "Habilitation", d)
		return
	}
	j.Answered, j.ClaimsHabilitation = true, habilitated == "yes" && prefectoral == "yes"
	if err := h.saveJourney(r, sessionPrescriber, j); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/prescriber/organization", http.StatusSeeOther)
}

// Step 4: the organization's card, then creation.

type prescriberOrganizationData struct {
	SIRET, KindLabel, Status string
	Pending                  bool
	Form                     *page.Form
	City                     page.Combobox
}

func (j *prescriberJourney) ready() bool {
	return j.Kind.ChoosableAtSignup() && (j.Kind != org.OtherKind || j.Answered)
}

func newPrescriberOrganizationData(j *prescriberJourney, f *page.Form, communeCode string) *prescriberOrganizationData {
	if f == nil {
		f = page.NewForm(
			&page.Field{Name: "name", Label: "Nom de l'organisation", Required: true, Autocomplete: "organization"},
			&page.Field{Name: "address_line_1", Label: "Adresse", Autocomplete: "address-line1", Required: true},
			&page.Field{Name: "address_line_2", Label: "Complément d'adresse", Autocomplete: "address-line2"},
			&page.Field{Name: "post_code", Label: "Code postal", Autocomplete: "postal-code", Required: true, Hint: "Format attendu : 5 chiffres"},
			&page.Field{Name: "city", Label: "Ville", Required: true, Hint: "Commencez à saisir le nom de la ville, puis choisissez-la dans la liste."},
			&page.Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email"},
			&page.Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455"},
		)
	}
	status := org.InitialAuthorizationStatus(j.Kind, j.ClaimsHabilitation)
	return &prescriberOrganizationData{SIRET: j.SIRET, KindLabel: j.Kind.Label(), Status: status.Label(),
		Pending: status == org.AuthorizationNotSet, Form: f,
		City: page.Combobox{Field: f.Fields["city"], HiddenName: "commune_code", HiddenValue: communeCode, Endpoint: "/autocomplete/cities", ListID: "city-options"}}
}

func (h *Handler) prescriberOrganizationPage(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, (*prescriberJourney).ready)
	if !ok {
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "prescriber_organization.html", "Votre organisation", newPrescriberOrganizationData(j, nil, ""))
}

func (h *Handler) prescriberOrganization(w http.ResponseWriter, r *http.Request) {
	j, ok := h.prescriberJourneyOf(w, r, (*prescriberJourney).ready)
	if !ok {
		return
	}
	d := newPrescriberOrganizationData(j, nil, "")
	if !h.kit.ParseForm(w, r, d.Form) {
		return
	}
	communeCode := r.PostForm.Get("commune_code")
	d = newPrescriberOrganizationData(j, d.Form, communeCode)
	v := func(name string) string { return d.Form.Fields[name].Value }
	if !d.Form.Require("name", "address_line_1", "post_code", "city") {
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prescriber_organization.html", "Votre organisation", d)
		return
	}
	p, err := h.orgs.CreatePrescriberOrganization(r.Context(), h.kit.ActorOf(r), org.PrescriberInput{
		SIRET: j.SIRET, Kind: j.Kind, Name: v("name"), ClaimsHabilitation: j.ClaimsHabilitation,
		Contact: org.Contact{Email: v("email"), Phone: v("phone")},
		Address: org.AddressInput{Line1: v("address_line_1"), Line2: v("address_line_2"), PostCode: v("post_code"), City: v("city"), CommuneCode: communeCode},
	})
	if err != nil {
		if !d.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prescriber_organization.html", "Votre organisation", d)
		return
	}
	msg := "« " + p.Name + " » est inscrite et vous en êtes administrateur."
	if p.AuthorizationStatus == org.AuthorizationNotSet {
		msg += " Son habilitation sera vérifiée par l'équipe des emplois de l'inclusion."
	}
	h.endJourney(r, sessionPrescriber, org.Ref{Type: org.TypePrescriber, UID: p.UID}, msg)
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
