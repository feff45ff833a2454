package approval

import (
	"net/http"
	"strconv"

	"emplois/internal/approval"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// manualPageSize is the candidatures shown per page of the staff queue.
const manualPageSize = 50

// manualRow is one candidature of the queue as manual.html shows it.
type manualRow struct {
	approval.ManualItem
	HiringStart, AcceptedOn string
	JobSeekerURL            string
}

type manualData struct {
	Rows  []manualRow
	Total int
	Pager *page.Pager
}

// manualQueue lists the PASS staff must deliver or refuse by hand (§2.8-6).
func (h *Handler) manualQueue(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	items, total, err := h.approvals.ManualQueue(r.Context(), h.kit.ActorOf(r), n, manualPageSize)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := manualData{Total: total, Pager: page.NewPager("candidatures", approval.ManualQueuePath, r.URL.Query(), "page", n, (total+manualPageSize-1)/manualPageSize)}
	for _, it := range items {
		row := manualRow{ManualItem: it, JobSeekerURL: "/staff/users/" + it.JobSeekerPublicID}
		if it.HiringStartAt != nil {
			row.HiringStart = localtime.Date(*it.HiringStartAt)
		}
		if it.AcceptedAt != nil {
			row.AcceptedOn = localtime.Date(*it.AcceptedAt)
		}
		d.Rows = append(d.Rows, row)
	}
	h.tpl.Render(w, r, http.StatusOK, "manual.html", "PASS IAE à délivrer manuellement", d)
}

// manualDeliver issues the PASS of a candidature of the queue.
func (h *Handler) manualDeliver(w http.ResponseWriter, r *http.Request) {
	a, err := h.approvals.DeliverManually(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Le PASS IAE "+a.DisplayNumber()+" est délivré : l'employeur en est informé par e-mail.")
	http.Redirect(w, r, approval.ManualQueuePath, http.StatusSeeOther)
}

// manualRefuse refuses the PASS of a candidature of the queue.
func (h *Handler) manualRefuse(w http.ResponseWriter, r *http.Request) {
	if err := h.approvals.RefuseManually(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id")); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Le PASS IAE est refusé : l'employeur en est informé par e-mail.")
	http.Redirect(w, r, approval.ManualQueuePath, http.StatusSeeOther)
}
