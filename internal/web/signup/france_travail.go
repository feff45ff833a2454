package signup

import (
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/signup"
	"emplois/internal/web/page"
)

// The France Travail agent signup (actors.md §10.4): the SAFIR code of the agency, a
// confirmation, then the agent joins it.

type franceTravailJourney struct {
	journeyOwner
	CodeSAFIR string
}

func safirForm() *page.Form {
	return page.NewForm(&page.Field{Name: "code_safir", Label: "Code SAFIR de votre agence", Required: true, Autocomplete: "off",
		Hint: "5 chiffres. Votre responsable ou l'intranet France Travail vous l'indiquent."})
}

// franceTravailAgent refuses the journey to addresses that are not France Travail ones.
func (h *Handler) franceTravailAgent(w http.ResponseWriter, r *http.Request) bool {
	if !account.IsFranceTravailEmail(page.ViewerOf(r).Email) {
		h.unavailable(w, r, http.StatusForbidden, "Inscription réservée aux agents France Travail", signup.ErrNotFranceTravailEmail.Error())
		return false
	}
	return true
}

func (h *Handler) franceTravailPage(w http.ResponseWriter, r *http.Request) {
	if !h.franceTravailAgent(w, r) {
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "france_travail.html", "Inscription agent France Travail", map[string]any{"Form": safirForm()})
}

func (h *Handler) franceTravail(w http.ResponseWriter, r *http.Request) {
	if !h.franceTravailAgent(w, r) {
		return
	}
	f := safirForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	v := page.ViewerOf(r)
	p, err := h.signups.FranceTravailAgency(r.Context(), v.Email, f.Fields["code_safir"].Value)
	if err != nil {
		if !f.Show(err) {
			h.kit.ServerError(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "france_travail.html", "Inscription agent France Travail", map[string]any{"Form": f})
		return
	}
	if err := h.saveJourney(r, sessionFranceTravail, franceTravailJourney{journeyOwner{v.UserID}, p.CodeSAFIR}); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/france-travail/confirm", http.StatusSeeOther)
}

// franceTravailAgency loads the agency the journey chose, 403 without it.
func (h *Handler) franceTravailAgency(w http.ResponseWriter, r *http.Request) (*org.PrescriberOrganization, bool) {
	j := &franceTravailJourney{}
	if !h.loadJourney(r, sessionFranceTravail, j) || j.CodeSAFIR == "" {
		h.kit.Error(w, r, http.StatusForbidden)
		return nil, false
	}
	p, err := h.signups.FranceTravailAgency(r.Context(), page.ViewerOf(r).Email, j.CodeSAFIR)
	if err != nil {
		if fault.FieldsOf(err) != nil || errors.Is(err, signup.ErrNotFranceTravailEmail) {
			h.kit.Error(w, r, http.StatusForbidden)
		} else {
			h.kit.ServerError(w, r, err)
		}
		return nil, false
	}
	return p, true
}

func (h *Handler) franceTravailConfirmPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.franceTravailAgency(w, r)
	if !ok {
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "france_travail_confirm.html", "Rejoindre votre agence", map[string]any{"Agency": p})
}

func (h *Handler) franceTravailConfirm(w http.ResponseWriter, r *http.Request) {
	p, ok := h.franceTravailAgency(w, r)
	if !ok {
		return
	}
	if _, err := h.signups.JoinFranceTravailAgency(r.Context(), h.kit.ActorOf(r), page.ViewerOf(r).Email, p.CodeSAFIR); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.endJourney(r, sessionFranceTravail, org.Ref{Type: org.TypePrescriber, UID: p.UID}, "Vous avez rejoint « "+p.Name+" ».")
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
