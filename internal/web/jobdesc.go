package web

import (
	"fmt"
	"net/http"
	"strings"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/localtime"
)

// jobdescRoutes: the employer's fiches de poste and spontaneous applications ("Métiers et
// recrutements"), and the public cards of companies and fiches de poste (actors.md §4.6, §21).
// Every action is a plain form post answered by a redirect, so that the pages work without
// JavaScript.
func (s *Server) jobdescRoutes() {
	s.handle("GET /company/job_description_list", EmployerMember, s.jobdescList)
	s.handle("GET /company/job_description/new", EmployerMember, s.jobdescNewPage)
	s.handle("POST /company/job_description/new", EmployerMember, s.jobdescCreate)
	s.handle("GET /company/job_description/{uid}/edit", EmployerMember, s.jobdescEditPage)
	s.handle("POST /company/job_description/{uid}/edit", EmployerMember, s.jobdescUpdate)
	s.handle("POST /company/job_description/{uid}/status", EmployerMember, s.jobdescSetStatus)
	s.handle("POST /company/job_description/{uid}/refresh", EmployerMember, s.jobdescRefresh)
	s.handle("POST /company/job_description/{uid}/move", EmployerMember, s.jobdescMove)
	s.handle("POST /company/spontaneous_applications", EmployerMember, s.spontaneousApplications)
	s.handle("GET /company/{uid}/card", Public, s.companyCard)
	s.handle("GET /company/job_description/{uid}/card", Public, s.jobdescCard)
}

// Public URLs of the cards.
func companyCardURL(uid string) string { return "/company/" + uid + "/card" }
func jobdescCardURL(uid string) string { return "/company/job_description/" + uid + "/card" }

// companyCity is where a company is, as lists show it: "Lyon (69)".
func companyCity(co *org.Company) string { return jobdesc.LocationLabel(&jobdesc.JobDescription{}, co) }

// jobdescListData is what jobdesc/list.html shows.
type jobdescListData struct {
	CompanyName, KindLabel, CardURL string
	Blocked                         bool
	Reminder                        bool
	ReminderText                    string
	Spontaneous                     spontaneousState
	Rows                            []jobdescRow
	CountText                       string
}

type spontaneousState struct {
	Open     bool
	Since    string
	Reminder bool
	ClosesOn string
}

type jobdescRow struct {
	UID, Name, Location, Contract, UpdatedOn, ClosesOn string
	OpenPositions                                      int
	Open, Reminder, First, Last                        bool
	CardURL, EditURL, StatusURL, RefreshURL, MoveURL   string
}

func (s *Server) jobdescList(w http.ResponseWriter, r *http.Request) {
	a := s.actorOf(r)
	o, err := s.jobdescs.Overview(r.Context(), a, jobdesc.CompanyOf(a))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	co := o.Company
	data := jobdescListData{CompanyName: co.DisplayName(), KindLabel: co.Kind.Label(), Blocked: co.BlockJobApplications,
		Reminder: o.Reminder}
	if jobdesc.CardVisible(co.Kind, co.IsSearchable, co.ActivityAt(o.Now)) {
		data.CardURL = companyCardURL(co.UID)
	}
	if since := co.SpontaneousApplicationsOpenSince; since != nil {
		data.Spontaneous = spontaneousState{Open: true, Since: localtime.Date(*since), Reminder: o.SpontaneousReminder,
			ClosesOn: localtime.Date(jobdesc.ClosesOn(*since))}
	}
	stale := 0
	for i, f := range o.Fiches {
		row := jobdescRow{UID: f.UID, Name: f.DisplayName(), Location: jobdesc.LocationLabel(f, co),
			Contract: f.ContractLabel(), OpenPositions: f.OpenPositions, Open: f.IsActive,
			UpdatedOn: localtime.Date(f.LastEmployerUpdateAt), Reminder: jobdesc.FicheNeedsReminder(f, o.Now),
			ClosesOn: localtime.Date(jobdesc.ClosesOn(f.LastEmployerUpdateAt)), First: i == 0, Last: i == len(o.Fiches)-1,
			CardURL: jobdescCardURL(f.UID)}
		base := "/company/job_description/" + f.UID
		row.EditURL, row.StatusURL, row.RefreshURL, row.MoveURL = base+"/edit", base+"/status", base+"/refresh", base+"/move"
		if row.Reminder {
			stale++
		}
		data.Rows = append(data.Rows, row)
	}
	data.CountText = plural(len(o.Fiches), "fiche de poste", "fiches de poste")
	switch {
	case stale == 1:
		data.ReminderText = "Une fiche de poste ouverte n'a pas été actualisée depuis 60 jours ou plus."
	case stale > 1:
		data.ReminderText = fmt.Sprintf("%d fiches de poste ouvertes n'ont pas été actualisées depuis 60 jours ou plus.", stale)
	}
	if o.SpontaneousReminder {
		data.ReminderText = strings.TrimSpace(data.ReminderText + " Vos candidatures spontanées n'ont pas été actualisées depuis 60 jours ou plus.")
	}
	s.render(w, r, http.StatusOK, "jobdesc/list.html", "Métiers et recrutements", data)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// jobdescSetStatus opens (open=1) or closes (open=0) a fiche.
func (s *Server) jobdescSetStatus(w http.ResponseWriter, r *http.Request) {
	if !s.parsePost(w, r) {
		return
	}
	open := r.PostForm.Get("open") == "1"
	f, err := s.jobdescs.SetOpen(r.Context(), s.actorOf(r), r.PathValue("uid"), open)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if open {
		s.setFlash(r, "La fiche de poste « "+f.DisplayName()+" » est ouverte : elle reçoit des candidatures pendant 90 jours, renouvelables.")
	} else {
		s.setFlash(r, "La fiche de poste « "+f.DisplayName()+" » est fermée : elle ne reçoit plus de candidatures.")
	}
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

// jobdescRefresh is the "Actualiser" button.
func (s *Server) jobdescRefresh(w http.ResponseWriter, r *http.Request) {
	if !s.parsePost(w, r) {
		return
	}
	f, err := s.jobdescs.Refresh(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "La fiche de poste « "+f.DisplayName()+" » est actualisée.")
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

// jobdescMove moves a fiche up or down the list.
func (s *Server) jobdescMove(w http.ResponseWriter, r *http.Request) {
	if !s.parsePost(w, r) {
		return
	}
	delta := 1
	switch r.PostForm.Get("direction") {
	case "up":
		delta = -1
	case "down":
	default:
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	uid := r.PathValue("uid")
	if err := s.jobdescs.Move(r.Context(), s.actorOf(r), uid, delta); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+uid, http.StatusSeeOther)
}

// spontaneousApplications opens, refreshes or closes the spontaneous applications.
func (s *Server) spontaneousApplications(w http.ResponseWriter, r *http.Request) {
	if !s.parsePost(w, r) {
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
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	a := s.actorOf(r)
	if err := s.jobdescs.SetSpontaneous(r.Context(), a, jobdesc.CompanyOf(a), open); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, msg)
	http.Redirect(w, r, jobdesc.ListPath, http.StatusSeeOther)
}

// parsePost reads a small posted form; it answers false, after a 400 page, when it cannot.
func (s *Server) parsePost(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest)
		return false
	}
	return true
}
