// Package signup serves the professional signup journeys (actors.md §10.2-10.5): the start of
// the signup (ProConnect, or a password when professionals may use one), the choice of the kind
// of organization, then the prescriber (prescriber.go), France Travail agent
// (france_travail.go) and employer (employer.go) journeys of a logged-in professional. The job
// seeker signup is the account room's.
package signup

import (
	"embed"
	"encoding/json"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/signup"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the professional signup journeys.
type Handler struct {
	kit         *page.Kit
	tpl         *page.Templates
	accounts    *account.Service
	orgs        *org.Service
	signups     *signup.Service
	invitations *invitation.Service
}

// New builds the room.
func New(kit *page.Kit, accounts *account.Service, orgs *org.Service, signups *signup.Service,
	invitations *invitation.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, accounts: accounts, orgs: orgs, signups: signups, invitations: invitations}, nil
}

// Routes declares the signup pages, all open to professionals without organization (they are
// how one joins an organization).
func (h *Handler) Routes(rt *page.Router) {
	open := page.OpenToUnaffiliated
	rt.Handle("GET /signup/professional", page.Public, h.professionalPage, open)
	rt.Handle("GET /signup/professional/kind", page.ProfessionalAccount, h.professionalKindPage, open)
	rt.Handle("GET /signup/professional/password", page.Public, h.passwordSignupPage, open)
	rt.Handle("POST /signup/professional/password", page.Public, h.passwordSignup, open)
	rt.Handle("GET /signup/professional/password/sent", page.Public, h.passwordSignupSent, open)

	rt.Handle("GET /signup/prescriber", page.ProfessionalAccount, h.prescriberStartPage, open)
	rt.Handle("POST /signup/prescriber", page.ProfessionalAccount, h.prescriberStart, open)
	rt.Handle("GET /signup/prescriber/existing", page.ProfessionalAccount, h.prescriberExistingPage, open)
	rt.Handle("POST /signup/prescriber/request-invitation", page.ProfessionalAccount, h.prescriberRequestInvitation, open)
	rt.Handle("GET /signup/prescriber/kind", page.ProfessionalAccount, h.prescriberKindPage, open)
	rt.Handle("POST /signup/prescriber/kind", page.ProfessionalAccount, h.prescriberKind, open)
	rt.Handle("GET /signup/prescriber/authorization", page.ProfessionalAccount, h.prescriberAuthorizationPage, open)
	rt.Handle("POST /signup/prescriber/authorization", page.ProfessionalAccount, h.prescriberAuthorization, open)
	rt.Handle("GET /signup/prescriber/organization", page.ProfessionalAccount, h.prescriberOrganizationPage, open)
	rt.Handle("POST /signup/prescriber/organization", page.ProfessionalAccount, h.prescriberOrganization, open)

	rt.Handle("GET /signup/france-travail", page.ProfessionalAccount, h.franceTravailPage, open)
	rt.Handle("POST /signup/france-travail", page.ProfessionalAccount, h.franceTravail, open)
	rt.Handle("GET /signup/france-travail/confirm", page.ProfessionalAccount, h.franceTravailConfirmPage, open)
	rt.Handle("POST /signup/france-travail/confirm", page.ProfessionalAccount, h.franceTravailConfirm, open)

	rt.Handle("GET /signup/employer", page.ProfessionalAccount, h.employerStartPage, open)
	rt.Handle("POST /signup/employer", page.ProfessionalAccount, h.employerStart, open)
	rt.Handle("GET /signup/employer/select", page.ProfessionalAccount, h.employerSelectPage, open)
	rt.Handle("POST /signup/employer/select", page.ProfessionalAccount, h.employerSelect, open)
	rt.Handle("POST /signup/employer/request-invitation", page.ProfessionalAccount, h.employerRequestInvitation, open)
	rt.Handle("GET /signup/employer/sent", page.ProfessionalAccount, h.employerSentPage, open)
	rt.Handle("GET /signup/employer/join/{company}/{token}", page.Public, h.employerJoinPage, open)
	rt.Handle("POST /signup/employer/join/{company}/{token}", page.ProfessionalAccount, h.employerJoin, open)
}

// Each journey keeps what the previous steps chose in its own session key, bound to the user: a
// later step reached without it answers 403 (actors.md §10.3).
const (
	sessionPrescriber    = "signup.prescriber"
	sessionEmployer      = "signup.employer"
	sessionFranceTravail = "signup.france_travail"
)

// journeyOwner binds a journey's state to the user who started it.
type journeyOwner struct{ UserID int64 }

func (o journeyOwner) owner() int64 { return o.UserID }

// saveJourney stores a journey's state in the session.
func (h *Handler) saveJourney(r *http.Request, key string, state any) error {
	b, err := json.Marshal(state)
	if err != nil {
		return err
	}
	h.kit.Sessions().Put(r.Context(), key, string(b))
	return nil
}

// loadJourney reads a journey's state into state; false when there is none for this user.
func (h *Handler) loadJourney(r *http.Request, key string, state interface{ owner() int64 }) bool {
	raw := h.kit.Sessions().GetString(r.Context(), key)
	if raw == "" || json.Unmarshal([]byte(raw), state) != nil {
		return false
	}
	return state.owner() == page.ViewerOf(r).UserID
}

// endJourney forgets a finished journey and acts for the organization just joined, with a message.
func (h *Handler) endJourney(r *http.Request, key string, joined org.Ref, flash string) {
	h.kit.Sessions().Remove(r.Context(), key)
	h.kit.ActFor(r.Context(), joined)
	h.kit.SetFlash(r, flash)
}

// unavailable shows why the signup cannot go on: an invalid link, a wrong kind of account.
func (h *Handler) unavailable(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	h.kit.Unavailable(w, r, status, heading, message, "")
}
