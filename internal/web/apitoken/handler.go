// Package apitoken is the room of « Accès aux APIs » (api.md §1.2): the admin of the current
// company creates their API token (shown once), regenerates or deletes it, and sees the
// companies the token reaches.
package apitoken

import (
	"embed"
	"net/http"

	"emplois/internal/apitoken"
	"emplois/internal/org"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the page.
type Handler struct {
	kit    *page.Kit
	tpl    *page.Templates
	tokens *apitoken.Service
}

// New builds the room.
func New(kit *page.Kit, tokens *apitoken.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, tokens: tokens}, nil
}

// Routes declares the page; the service checks that the viewer is an admin of the company they
// act for (others get a 403).
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET "+apitoken.AccessPath, page.EmployerMember, h.show)
	rt.Handle("POST "+apitoken.AccessPath, page.EmployerMember, h.act)
}

// Form actions: create (no action, as the original), regenerate, revoke.
const (
	actionRegenerate = "regenerate"
	actionRevoke     = "revoke"
)

type company struct {
	Name, UID string
	Admin     bool
}

type pageData struct {
	// Masked is the key hidden but its last 3 characters, "" without token.
	Masked string
	// Key is the key of a token made now: shown this once.
	Key string
	// Done is the success message of the action just made.
	Done      string
	Companies []company
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	t, err := h.tokens.ForAdmin(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.render(w, r, pageData{Masked: masked(t)})
}

func (h *Handler) act(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	a := h.kit.ActorOf(r)
	switch r.PostForm.Get("action") {
	case actionRevoke:
		if err := h.tokens.RevokeOwn(r.Context(), a); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		h.render(w, r, pageData{Done: "Votre token d’API a été supprimé : il ne donne plus accès aux API."})
		return
	}
	out, err := h.tokens.CreateForAdmin(r.Context(), a, r.PostForm.Get("action") == actionRegenerate)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := pageData{Masked: masked(out.Token), Key: out.Key}
	switch {
	case out.Regenerated:
		d.Done = "Votre token a été regénéré avec succès."
	case out.Created:
		d.Done = "Votre nouveau token a été créé avec succès."
	}
	h.render(w, r, d)
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, d pageData) {
	// The companies the viewer belongs to, as the original lists them (name or brand, uid, admin).
	for _, o := range page.ViewerOf(r).Organizations {
		if o.Type == org.TypeCompany {
			d.Companies = append(d.Companies, company{Name: o.Name, UID: o.UID, Admin: o.IsAdmin})
		}
	}
	// A key shown must not stay in a cache or the browser's history.
	w.Header().Set("Cache-Control", "no-store")
	h.tpl.Render(w, r, http.StatusOK, "access.html", "Accès aux APIs", d)
}

func masked(t *apitoken.Token) string {
	if t == nil {
		return ""
	}
	return t.Masked()
}
