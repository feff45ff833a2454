// Package convention is the room of « Mes annexes financières » (actors.md §4.4): the annexes of
// the SIAE's convention with the ASP, and for an antenna the choice of its convention.
package convention

import (
	"embed"
	"net/http"

	"emplois/internal/convention"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the page.
type Handler struct {
	kit         *page.Kit
	tpl         *page.Templates
	conventions *convention.Service
}

// New builds the room.
func New(kit *page.Kit, conventions *convention.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, conventions: conventions}, nil
}

// Routes declares the page (the service checks the viewer is an admin of an SIAE with a
// convention).
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET "+convention.AnnexesPath, page.EmployerMember, h.show)
	rt.Handle("POST "+convention.AnnexesPath, page.EmployerMember, h.switchConvention)
}

// row is one annex as the table shows it.
type row struct {
	Number, Prefix, Suffix, State, Start, End string
	Active, Current                           bool
}

// table is one table of annexes; Switch adds the choice buttons.
type table struct {
	ID, Caption string
	Rows        []row
	Switch      bool
}

type pageData struct {
	*convention.AnnexesView
	Own, Choices table
}

func rows(lines []convention.AnnexLine, current *int64) []row {
	out := make([]row, len(lines))
	for i, l := range lines {
		out[i] = row{Number: l.Number, Prefix: l.Prefix(), Suffix: l.Suffix(), State: l.State.Label(),
			Start: localtime.Date(l.StartAt), End: localtime.Date(l.EndAt), Active: l.Active,
			Current: current != nil && *current == l.ConventionID}
	}
	return out
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	v, err := h.conventions.Annexes(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := pageData{AnnexesView: v,
		Own:     table{ID: "annexes-own", Caption: "Annexes financières de la convention", Rows: rows(v.Annexes, v.Company.ConventionID)},
		Choices: table{ID: "annexes-choices", Caption: "Annexes financières que vous pouvez choisir", Rows: rows(v.Choices, v.Company.ConventionID), Switch: true}}
	h.tpl.Render(w, r, http.StatusOK, "annexes.html", "Mes annexes financières", d)
}

func (h *Handler) switchConvention(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	if err := h.conventions.SwitchConvention(r.Context(), h.kit.ActorOf(r), r.PostForm.Get("number")); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Votre structure est désormais rattachée à la convention de cette annexe financière.")
	http.Redirect(w, r, convention.AnnexesPath, http.StatusSeeOther)
}
