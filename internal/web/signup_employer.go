package web

import (
	"errors"
	"net/http"
	"net/url"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/signup"
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

func sirenForm() *Form {
	return newForm(&Field{Name: "siren", Label: "Numéro SIREN de votre structure", Required: true, Autocomplete: "off",
		Hint: "9 chiffres : le début du numéro SIRET de votre structure."})
}

func (s *Server) employerStartPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signup/employer_siren.html", "Inscription employeur", map[string]any{"Form": sirenForm()})
}

func (s *Server) employerStart(w http.ResponseWriter, r *http.Request) {
	f := sirenForm()
	if !s.parseForm(w, r, f) {
		return
	}
	siren, err := signup.CheckSIREN(f.Fields["siren"].Value)
	if err == nil {
		var choices *signup.EmployerChoices
		if choices, err = s.signups.EmployerChoices(r.Context(), siren); err == nil && choices.Empty() {
			err = fault.InvalidField("siren", signup.MsgNoCompany)
		}
	}
	if err != nil {
		if !showRefusal(f, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "signup/employer_siren.html", "Inscription employeur", map[string]any{"Form": f})
		return
	}
	if err := s.saveJourney(r, sessionSignupEmployer, employerJourney{journeyOwner: journeyOwner{viewerFrom(r.Context()).UserID}, SIREN: siren}); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/employer/select", http.StatusSeeOther)
}

// employerJourneyOf loads the journey, 403 without its SIREN.
func (s *Server) employerJourneyOf(w http.ResponseWriter, r *http.Request) (*employerJourney, bool) {
	j := &employerJourney{}
	if !s.loadJourney(r, sessionSignupEmployer, j) || j.SIREN == "" {
		s.renderError(w, r, http.StatusForbidden)
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

func (s *Server) employerSelectData(r *http.Request, j *employerJourney) (*employerSelectData, error) {
	choices, err := s.signups.EmployerChoices(r.Context(), j.SIREN)
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

func (s *Server) employerSelectPage(w http.ResponseWriter, r *http.Request) {
	j, ok := s.employerJourneyOf(w, r)
	if !ok {
		return
	}
	d, err := s.employerSelectData(r, j)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "signup/employer_select.html", "Votre structure", d)
}

// employerSelect mails the signup link of the company picked to its official address.
func (s *Server) employerSelect(w http.ResponseWriter, r *http.Request) {
	j, ok := s.employerJourneyOf(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	u, err := s.accounts.ByID(ctx, viewerFrom(ctx).UserID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var sent *signup.LinkSent
	uid := r.PostForm.Get("company")
	if uid == "" {
		err = fault.Invalid(signup.MsgChooseCompany)
	} else {
		sent, err = s.signups.SendEmployerLink(ctx, s.actorOf(r), u, j.SIREN, uid)
	}
	if k, _ := fault.KindOf(err); k == fault.KindInvalid || k == fault.KindConflict { // no address, members, not listed...
		d, derr := s.employerSelectData(r, j)
		if derr != nil {
			s.serverError(w, r, derr)
			return
		}
		d.Error = err.Error()
		s.render(w, r, http.StatusUnprocessableEntity, "signup/employer_select.html", "Votre structure", d)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	j.SentTo, j.Name = sent.To, sent.Company.DisplayName()
	if err := s.saveJourney(r, sessionSignupEmployer, j); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/employer/sent", http.StatusSeeOther)
}

// employerRequestInvitation asks the contact member of a company of the SIREN (one with
// members) to invite the professional.
func (s *Server) employerRequestInvitation(w http.ResponseWriter, r *http.Request) {
	j, ok := s.employerJourneyOf(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	d, err := s.employerSelectData(r, j)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	uid, found := r.PostForm.Get("company"), false
	for _, c := range d.Taken {
		found = found || c.UID == uid
	}
	if !found {
		s.renderError(w, r, http.StatusForbidden)
		return
	}
	s.requestInvitation(w, r, uid, "/signup/employer/select")
}

func (s *Server) employerSentPage(w http.ResponseWriter, r *http.Request) {
	j, ok := s.employerJourneyOf(w, r)
	if !ok {
		return
	}
	if j.SentTo == "" {
		s.renderError(w, r, http.StatusForbidden)
		return
	}
	s.render(w, r, http.StatusOK, "signup/employer_sent.html", "Lien d'inscription envoyé", j)
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
func (s *Server) employerJoinPage(w http.ResponseWriter, r *http.Request) {
	co, _, err := s.signups.EmployerLinkCompany(r.Context(), r.PathValue("company"), r.PathValue("token"))
	if errors.Is(err, signup.ErrLinkInvalid) {
		s.render(w, r, http.StatusGone, "invitation/unavailable.html", "Lien d'inscription invalide",
			invitationUnavailableData{Heading: "Lien d'inscription invalide", Message: err.Error()})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	here := r.URL.Path
	d := employerJoinData{Company: co, Action: here}
	v := viewerFrom(r.Context())
	switch {
	case !v.Authenticated():
		if s.proconnect != nil {
			d.ProConnect = "/proconnect/authorize?next=" + url.QueryEscape(here)
		}
		if s.passwordSignupAllowed() {
			d.Login = "/accounts/login?next=" + url.QueryEscape(here)
			d.PasswordSignup = "/signup/professional/password?next=" + url.QueryEscape(here)
		}
	case v.Kind != actor.Professional:
		s.render(w, r, http.StatusForbidden, "invitation/unavailable.html", "Inscription impossible",
			invitationUnavailableData{Heading: "Inscription impossible", Message: "Seul un compte professionnel peut rejoindre une structure : déconnectez-vous, puis connectez-vous avec votre compte professionnel."})
		return
	}
	s.render(w, r, http.StatusOK, "signup/employer_join.html", "Rejoindre "+co.DisplayName(), d)
}

func (s *Server) employerJoin(w http.ResponseWriter, r *http.Request) {
	co, err := s.signups.JoinWithEmployerLink(r.Context(), s.actorOf(r), r.PathValue("company"), r.PathValue("token"))
	if errors.Is(err, signup.ErrLinkInvalid) {
		s.render(w, r, http.StatusGone, "invitation/unavailable.html", "Lien d'inscription invalide",
			invitationUnavailableData{Heading: "Lien d'inscription invalide", Message: err.Error()})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), sessionSignupEmployer)
	s.switchTo(r, org.TypeCompany, co.UID)
	s.setFlash(r, "Vous avez rejoint « "+co.DisplayName()+" ».")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
