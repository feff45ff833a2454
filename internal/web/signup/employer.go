package signup

import (
	"errors"
	"net/http"
	"net/url"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/signup"
	"emplois/internal/web/page"
)

// The employer signup (actors.md §10.5): the SIREN, the pick of a company without members (a
// link is mailed to its official address) or an invitation request to one with members, then
// the link, which makes the professional a member (admin when first).

type employerJourney struct {
	journeyOwner
	SIREN  string
	SentTo string // obfuscated address the link went to
	Name   string // the company picked
}

func sirenForm() *page.Form {
	return page.NewForm(&page.Field{Name: "siren", Label: "Numéro SIREN de votre structure", Required: true, Autocomplete: "off",
		Hint: "9 chiffres : le début du numéro SIRET de votre structure."})
}

func (h *Handler) employerStartPage(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "employer_siren.html", "Inscription employeur", map[string]any{"Form": sirenForm()})
}

func (h *Handler) employerStart(w http.ResponseWriter, r *http.Request) {
	f := sirenForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	siren, err := signup.CheckSIREN(f.Fields["siren"].Value)
	if err == nil {
		var choices *signup.EmployerChoices
		if choices, err = h.signups.EmployerChoices(r.Context(), siren); err == nil && choices.Empty() {
			err = fault.InvalidField("siren", signup.MsgNoCompany)
		}
	}
	if err != nil {
		if !f.Show(err) {
			h.kit.ServerError(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "employer_siren.html", "Inscription employeur", map[string]any{"Form": f})
		return
	}
	if err := h.saveJourney(r, sessionEmployer, employerJourney{journeyOwner: journeyOwner{page.ViewerOf(r).UserID}, SIREN: siren}); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/employer/select", http.StatusSeeOther)
}

// employerJourneyOf loads the journey, 403 without its SIREN.
func (h *Handler) employerJourneyOf(w http.ResponseWriter, r *http.Request) (*employerJourney, bool) {
	j := &employerJourney{}
	if !h.loadJourney(r, sessionEmployer, j) || j.SIREN == "" {
		h.kit.Error(w, r, http.StatusForbidden)
		return nil, false
	}
	return j, true
}

// companyRow is a company of the SIREN as the selection page shows it.
type companyRow struct {
	UID, Name, Kind, SIRET, City string
	Contact                      string // the member to ask for an invitation
}

type employerSelectData struct {
	SIREN       string
	Free, Taken []companyRow
	Error       string
}

func (h *Handler) employerSelectData(r *http.Request, j *employerJourney) (*employerSelectData, error) {
	choices, err := h.signups.EmployerChoices(r.Context(), j.SIREN)
	if err != nil {
		return nil, err
	}
	d := &employerSelectData{SIREN: j.SIREN}
	row := func(c *org.Company) companyRow {
		return companyRow{UID: c.UID, Name: c.DisplayName(), Kind: c.Kind.Label(), SIRET: c.SIRET, City: c.CityName}
	}
	for _, c := range choices.Free {
		d.Free = append(d.Free, row(c.Company))
	}
	for _, c := range choices.Taken {
		cr := row(c.Company)
		cr.Contact = c.Contact.DisplayName()
		d.Taken = append(d.Taken, cr)
	}
	return d, nil
}

func (h *Handler) employerSelectPage(w http.ResponseWriter, r *http.Request) {
	j, ok := h.employerJourneyOf(w, r)
	if !ok {
		return
	}
	d, err := h.employerSelectData(r, j)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "employer_select.html", "Votre structure", d)
}

// employerSelect mails the signup link of the company picked to its official address.
func (h *Handler) employerSelect(w http.ResponseWriter, r *http.Request) {
	j, ok := h.employerJourneyOf(w, r)
	if !ok {
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	ctx := r.Context()
	u, err := h.accounts.ByID(ctx, page.ViewerFrom(ctx).UserID)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	var sent *signup.LinkSent
	uid := r.PostForm.Get("company")
	if uid == "" {
		err = fault.Invalid(signup.MsgChooseCompany)
	} else {
		sent, err = h.signups.SendEmployerLink(ctx, h.kit.ActorOf(r), u, j.SIREN, uid)
	}
	if k, _ := fault.KindOf(err); k == fault.KindInvalid || k == fault.KindConflict { // no address, members, not listed...
		d, derr := h.employerSelectData(r, j)
		if derr != nil {
			h.kit.ServerError(w, r, derr)
			return
		}
		d.Error = err.Error()
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "employer_select.html", "Votre structure", d)
		return
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	j.SentTo, j.Name = sent.To, sent.Company.DisplayName()
	if err := h.saveJourney(r, sessionEmployer, j); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/employer/sent", http.StatusSeeOther)
}

// employerRequestInvitation asks the contact member of a company of the SIREN (one with
// members) to invite the professional.
func (h *Handler) employerRequestInvitation(w http.ResponseWriter, r *http.Request) {
	j, ok := h.employerJourneyOf(w, r)
	if !ok {
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	d, err := h.employerSelectData(r, j)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	uid, found := r.PostForm.Get("company"), false
	for _, c := range d.Taken {
		found = found || c.UID == uid
	}
	if !found {
		h.kit.Error(w, r, http.StatusForbidden)
		return
	}
	h.requestInvitation(w, r, uid, "/signup/employer/select")
}

func (h *Handler) employerSentPage(w http.ResponseWriter, r *http.Request) {
	j, ok := h.employerJourneyOf(w, r)
	if !ok {
		return
	}
	if j.SentTo == "" {
		h.kit.Error(w, r, http.StatusForbidden)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "employer_sent.html", "Lien d'inscription envoyé", j)
}

// employerJoinData is the page of the signup link.
type employerJoinData struct {
	Company *org.Company
	Action  string
	// For a visitor not logged in: ways to log in or sign up, then come back here.
	ProConnect, Login, PasswordSignup string
}

// employerJoinPage checks the link: an invalid one gets an explanation (410); a visitor is asked
// to log in or sign up first; a professional confirms (the join is a POST).
func (h *Handler) employerJoinPage(w http.ResponseWriter, r *http.Request) {
	co, _, err := h.signups.EmployerLinkCompany(r.Context(), r.PathValue("company"), r.PathValue("token"))
	if errors.Is(err, signup.ErrLinkInvalid) {
		h.unavailable(w, r, http.StatusGone, "Lien d'inscription invalide", err.Error())
		return
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	here := r.URL.Path
	d := employerJoinData{Company: co, Action: here}
	v := page.ViewerOf(r)
	switch {
	case !v.Authenticated():
		if h.kit.ProConnect() {
			d.ProConnect = "/proconnect/authorize?next=" + url.QueryEscape(here)
		}
		if h.accounts.ProfessionalPasswordAllowed() {
			d.Login = page.LoginPath(here)
			d.PasswordSignup = "/signup/professional/password?next=" + url.QueryEscape(here)
		}
	case v.Kind != actor.Professional:
		h.unavailable(w, r, http.StatusForbidden, "Inscription impossible", "Seul un compte professionnel peut rejoindre une structure : déconnectez-vous, puis connectez-vous avec votre compte professionnel.")
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "employer_join.html", "Rejoindre "+co.DisplayName(), d)
}

func (h *Handler) employerJoin(w http.ResponseWriter, r *http.Request) {
	co, err := h.signups.JoinWithEmployerLink(r.Context(), h.kit.ActorOf(r), r.PathValue("company"), r.PathValue("token"))
	if errors.Is(err, signup.ErrLinkInvalid) {
		h.unavailable(w, r, http.StatusGone, "Lien d'inscription invalide", err.Error())
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.endJourney(r, sessionEmployer, org.Ref{Type: org.TypeCompany, UID: co.UID}, "Vous avez rejoint « "+co.DisplayName()+" ».")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
