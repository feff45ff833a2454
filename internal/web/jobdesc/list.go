package jobdesc

import (
	"fmt"
	"net/http"
	"strings"

	"emplois/internal/jobdesc"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// listData is what list.html shows.
type listData struct {
	CompanyName, KindLabel, CardURL string
	Blocked                         bool
	Reminder                        bool
	ReminderText                    string
	Spontaneous                     spontaneousState
	Rows                            []ficheRow
	CountText                       string
}

type spontaneousState struct {
	Open     bool
	Since    string
	Reminder bool
	ClosesOn string
}

type ficheRow struct {
	UID, Name, Location, Contract, UpdatedOn, ClosesOn string
	OpenPositions                                      int
	Open, Reminder, First, Last                        bool
	CardURL, EditURL, StatusURL, RefreshURL, MoveURL   string
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	o, err := h.jobdescs.Overview(r.Context(), a, jobdesc.CompanyOf(a))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	co := o.Company
	data := listData{CompanyName: co.DisplayName(), KindLabel: co.Kind.Label(), Blocked: co.BlockJobApplications,
		Reminder: o.Reminder}
	if jobdesc.CardVisible(co.Kind, co.IsSearchable, co.ActivityAt(o.Now)) {
		data.CardURL = jobdesc.CompanyCardPath(co.UID)
	}
	if since := co.SpontaneousApplicationsOpenSince; since != nil {
		data.Spontaneous = spontaneousState{Open: true, Since: localtime.Date(*since), Reminder: o.SpontaneousReminder,
			ClosesOn: localtime.Date(jobdesc.ClosesOn(*since))}
	}
	stale := 0
	for i, f := range o.Fiches {
		row := ficheRow{UID: f.UID, Name: f.DisplayName(), Location: jobdesc.LocationLabel(f, co),
			Contract: f.ContractLabel(), OpenPositions: f.OpenPositions, Open: f.IsActive,
			UpdatedOn: localtime.Date(f.LastEmployerUpdateAt), Reminder: jobdesc.FicheNeedsReminder(f, o.Now),
			ClosesOn: localtime.Date(jobdesc.ClosesOn(f.LastEmployerUpdateAt)), First: i == 0, Last: i == len(o.Fiches)-1,
			CardURL: jobdesc.CardPath(f.UID)}
		base := "/company/job_description/" + f.UID
		row.EditURL, row.StatusURL, row.RefreshURL, row.MoveURL = base+"/edit", base+"/status", base+"/refresh", base+"/move"
		if row.Reminder {
			stale++
		}
		data.Rows = append(data.Rows, row)
	}
	data.CountText = page.Plural(len(o.Fiches), "fiche de poste", "fiches de poste")
	switch {
	case stale == 1:
		data.ReminderText = "Une fiche de poste ouverte n'a pas été actualisée depuis 60 jours ou plus."
	case stale > 1:
		data.ReminderText = fmt.Sprintf("%d fiches de poste ouvertes n'ont pas été actualisées depuis 60 jours ou plus.", stale)
	}
	if o.SpontaneousReminder {
		data.ReminderText = strings.TrimSpace(data.ReminderText + " Vos candidatures spontanées n'ont pas été actualisées depuis 60 jours ou plus.")
	}
	h.tpl.Render(w, r, http.StatusOK, "list.html", "Métiers et recrutements", data)
}

// setStatus opens (open=1) or closes (open=0) a fiche.
func (h *Handler) setStatus(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	open := r.PostForm.Get("open") == "1"
	f, err := h.jobdescs.SetOpen(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"), open)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if open {
		h.kit.SetFlash(r, "La fiche de poste « "+f.DisplayName()+" » est ouverte : elle reçoit des candidatures pendant 90 jours, renouvelables.")
	} else {
		h.kit.SetFlash(r, "La fiche de poste « "+f.DisplayName()+" » est fermée : elle ne reçoit plus de candidatures.")
	}
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

// refresh is the "Actualiser" button.
func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	f, err := h.jobdescs.Refresh(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "La fiche de poste « "+f.DisplayName()+" » est actualisée.")
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

// move moves a fiche up or down the list.
func (h *Handler) move(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	delta := 1
	switch r.PostForm.Get("direction") {
	case "up":
		delta = -1
	case "down":
	default:
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	uid := r.PathValue("uid")
	if err := h.jobdescs.Move(r.Context(), h.kit.ActorOf(r), uid, delta); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+uid, http.StatusSeeOther)
}

// spontaneousApplications opens, refreshes or closes the spontaneous applications.
func (h *Handler) spontaneousApplications(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	var open bool
	var msg string
	switch r.PostForm.Get("action") {
	case "open":
		open, msg = true, "Les candidatures spontanées sont ouvertes pour 90 jours."
	case "refresh":
		open, msg = true, "Les candidatures spontanées sont actualisées : elles restent ouvertes 90 jours."
	case "close":
		msg = "Les candidatures spontanées sont fermées."
	default:
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	a := h.kit.ActorOf(r)
	if err := h.jobdescs.SetSpontaneous(r.Context(), a, jobdesc.CompanyOf(a), open); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, msg)
	http.Redirect(w, r, jobdesc.ListPath, http.StatusSeeOther)
}
