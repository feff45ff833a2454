package web

import (
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/signup"
)

// The France Travail agent signup (actors.md §10.4): the SAFIR code of the agency, a
// confirmation, then the agent joins it.

type franceTravailJourney struct {
	journeyOwner
	CodeSAFIR string
}

func safirForm() *Form {
	return newForm(&Field{Name: "code_safir", Label: "Code SAFIR de votre agence", Required: true, Autocomplete: "off",
		Hint: "5 chiffres. Votre responsable ou l'intranet France Travail vous l'indiquent."})
}

// franceTravailAgent refuses the journey to addresses that are not France Travail ones.
func (s *Server) franceTravailAgent(w http.ResponseWriter, r *http.Request) bool {
	if !account.IsFranceTravailEmail(viewerFrom(r.Context()).Email) {
		s.render(w, r, http.StatusForbidden, "invitation/unavailable.html", "Inscription réservée aux agents France Travail",
			invitationUnavailableData{Heading: "Inscription réservée aux agents France Travail", Message: signup.ErrNotFranceTravailEmail.Error()})
		return false
	}
	return true
}

func (s *Server) franceTravailPage(w http.ResponseWriter, r *http.Request) {
	if !s.franceTravailAgent(w, r) {
		return
	}
	s.render(w, r, http.StatusOK, "signup/france_travail.html", "Inscription agent France Travail", map[string]any{"Form": safirForm()})
}

func (s *Server) franceTravail(w http.ResponseWriter, r *http.Request) {
	if !s.franceTravailAgent(w, r) {
		return
	}
	f := safirForm()
	if !s.parseForm(w, r, f) {
		return
	}
	v := viewerFrom(r.Context())
	p, err := s.signups.FranceTravailAgency(r.Context(), v.Email, f.Fields["code_safir"].Value)
	if err != nil {
		if !showRefusal(f, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "signup/france_travail.html", "Inscription agent France Travail", map[string]any{"Form": f})
		return
	}
	if err := s.saveJourney(r, sessionSignupFranceTravail, franceTravailJourney{journeyOwner{v.UserID}, p.CodeSAFIR}); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/france-travail/confirm", http.StatusSeeOther)
}

// franceTravailAgency loads the agency the journey chose, 403 without it.
func (s *Server) franceTravailAgency(w http.ResponseWriter, r *http.Request) (*org.PrescriberOrganization, bool) {
	j := &franceTravailJourney{}
	if !s.loadJourney(r, sessionSignupFranceTravail, j) || j.CodeSAFIR == "" {
		s.renderError(w, r, http.StatusForbidden)
		return nil, false
	}
	p, err := s.signups.FranceTravailAgency(r.Context(), viewerFrom(r.Context()).Email, j.CodeSAFIR)
	if err != nil {
		if fault.FieldsOf(err) != nil || errors.Is(err, signup.ErrNotFranceTravailEmail) {
			s.renderError(w, r, http.StatusForbidden)
		} else {
			s.serverError(w, r, err)
		}
		return nil, false
	}
	return p, true
}

func (s *Server) franceTravailConfirmPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.franceTravailAgency(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "signup/france_travail_confirm.html", "Rejoindre votre agence", map[string]any{"Agency": p})
}

func (s *Server) franceTravailConfirm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.franceTravailAgency(w, r)
	if !ok {
		return
	}
	if _, err := s.signups.JoinFranceTravailAgency(r.Context(), s.actorOf(r), viewerFrom(r.Context()).Email, p.CodeSAFIR); err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), sessionSignupFranceTravail)
	s.switchTo(r, org.TypePrescriber, p.UID)
	s.setFlash(r, "Vous avez rejoint « "+p.Name+" ».")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
