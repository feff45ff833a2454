// Package employeerecord is the room of the fiches salarié (approvals.md §2.15): the list of a
// company's fiches with its filters and the SIRET warning, the hires that may get one, and the
// actions on a fiche (disable, re-enable). Only the company's admins come in.
package employeerecord

import (
	"context"
	"embed"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"emplois/internal/employeerecord"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the fiches salarié pages.
type Handler struct {
	kit     *page.Kit
	tpl     *page.Templates
	records *employeerecord.Service
}

// New builds the room.
func New(kit *page.Kit, records *employeerecord.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, records: records}, nil
}

// Routes declares the room's pages.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET "+employeerecord.ListPath, page.EmployerMember, h.list)
	rt.Handle("GET "+employeerecord.AddPath, page.EmployerMember, h.add)
	h.wizardRoutes(rt)
	rt.Handle("POST /employee_record/{public_id}/disable", page.EmployerMember, h.action(h.records.Disable,
		"La fiche salarié est désactivée : elle ne sera pas envoyée à l'ASP."))
	rt.Handle("POST /employee_record/{public_id}/enable", page.EmployerMember, h.action(h.records.Enable,
		"La fiche salarié est réactivée : complétez-la pour l'envoyer à l'ASP."))
}

type listRow struct {
	Name, ApprovalNumber, HiringStart, Status, StatusClass, Problem string
	DisableURL, EnableURL                                           string
	// Application starts the wizard on the fiche (« Compléter », « Corriger et renvoyer »), with
	// Edit its label; empty when the fiche may not change.
	Application, Edit string
}

type statusChoice struct {
	Value, Label string
	Checked      bool
}

type listData struct {
	Statuses     []statusChoice
	Rows         []listRow
	Total        int
	Pager        *page.Pager
	SIRETChanged bool
}

// list shows the company's fiches in the chosen states (« Nouvelle » and « En erreur » by
// default, §2.15).
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var chosen []employeerecord.Status
	for _, s := range employeerecord.Statuses {
		if slices.Contains(q["status"], string(s)) {
			chosen = append(chosen, s)
		}
	}
	if len(chosen) == 0 {
		chosen = employeerecord.DefaultFilter
	}
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	l, err := h.records.List(r.Context(), h.kit.ActorOf(r), chosen, n)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := listData{Total: l.Total, SIRETChanged: l.SIRETChanged,
		Pager: page.NewPager("fiches salarié", employeerecord.ListPath, q, "page", n, (l.Total+employeerecord.PageSize-1)/employeerecord.PageSize)}
	for _, s := range employeerecord.Statuses {
		d.Statuses = append(d.Statuses, statusChoice{string(s), s.Label(), slices.Contains(chosen, s)})
	}
	for _, row := range l.Rows {
		lr := listRow{Name: row.FirstName + " " + row.LastName, ApprovalNumber: row.ApprovalNumber,
			Status: row.Status.Label(), StatusClass: statusClass(row.Status), Problem: problem(&row.Record)}
		if row.HiringStartAt != nil {
			lr.HiringStart = localtime.Date(*row.HiringStartAt)
		}
		if employeerecord.CanFire(employeerecord.TDisable, row.Status) {
			lr.DisableURL = employeerecord.ActionPath(row.PublicID, "disable")
		}
		if employeerecord.CanFire(employeerecord.TEnable, row.Status) {
			lr.EnableURL = employeerecord.ActionPath(row.PublicID, "enable")
		}
		switch row.Status {
		case employeerecord.StatusNew:
			lr.Application, lr.Edit = row.ApplicationPublicID, "Compléter"
		case employeerecord.StatusRejected, employeerecord.StatusProcessed:
			lr.Application, lr.Edit = row.ApplicationPublicID, "Corriger et renvoyer"
		}
		d.Rows = append(d.Rows, lr)
	}
	h.tpl.Render(w, r, http.StatusOK, "list.html", "Fiches salarié ASP", d)
}

func statusClass(s employeerecord.Status) string {
	switch s {
	case employeerecord.StatusProcessed:
		return "fr-badge--success"
	case employeerecord.StatusRejected:
		return "fr-badge--error"
	case employeerecord.StatusNew, employeerecord.StatusReady:
		return "fr-badge--new"
	case employeerecord.StatusSent:
		return "fr-badge--info"
	}
	return ""
}

// problem is what a rejected fiche's employer reads (asp.md §5.8): advice for the codes the
// service knows, « Erreur code : label » for the others.
func problem(r *employeerecord.Record) string {
	if r.Status != employeerecord.StatusRejected {
		return ""
	}
	return employeerecord.Advice(r.ASPProcessingCode, r.ASPProcessingLabel)
}

type addRow struct {
	Name, ApprovalNumber, HiringStart, Application string
}

// add lists the hires that may get a fiche (§2.15).
func (h *Handler) add(w http.ResponseWriter, r *http.Request) {
	cands, err := h.records.Candidates(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	var rows []addRow
	for _, c := range cands {
		row := addRow{Name: c.FirstName + " " + c.LastName, ApprovalNumber: c.ApprovalNumber, Application: c.ApplicationPublicID}
		if c.HiringStartAt != nil {
			row.HiringStart = localtime.Date(*c.HiringStartAt)
		}
		rows = append(rows, row)
	}
	h.tpl.Render(w, r, http.StatusOK, "add.html", "Créer une fiche salarié", rows)
}

// action fires an employer's action on a fiche and shows the list of its new state.
func (h *Handler) action(fire func(context.Context, actor.Actor, string) (*employeerecord.Record, error), done string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, err := fire(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		h.kit.SetFlash(r, done)
		http.Redirect(w, r, employeerecord.ListPath+"?"+url.Values{"status": {string(rec.Status)}}.Encode(), http.StatusSeeOther)
	}
}
