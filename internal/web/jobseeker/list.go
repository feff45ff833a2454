package jobseeker

import (
	"net/http"
	"net/url"
	"strconv"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

type listRow struct {
	Name, URL, LastAction, LastActionOn string
}

type listTab struct {
	Label, URL string
	Current    bool
}

type listData struct {
	Tabs  []listTab
	Rows  []listRow
	Total int
	Pager *page.Pager
}

// list is « Mes candidats » (actors.md §9): prescribers see their own and their
// organization's tabs, employers their organization's only.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	role, err := h.jobseekers.RoleOf(r.Context(), a)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	scope := jobseeker.Scope(r.URL.Query().Get("scope"))
	if scope == "" {
		scope = jobseeker.ScopeMine
		if !jobseeker.CanList(role, scope) {
			scope = jobseeker.ScopeOrganization
		}
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	res, err := h.jobseekers.MyCandidates(r.Context(), a, scope, n)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := listData{Total: res.Total,
		Pager: page.NewPager("candidats", "/job-seekers/list", url.Values{"scope": {string(scope)}}, "page", res.Page, res.Pages)}
	for _, t := range []struct {
		scope jobseeker.Scope
		label string
	}{{jobseeker.ScopeMine, "Mes candidats"}, {jobseeker.ScopeOrganization, "Les candidats de ma structure"}} {
		if jobseeker.CanList(role, t.scope) {
			d.Tabs = append(d.Tabs, listTab{Label: t.label, URL: "/job-seekers/list?scope=" + string(t.scope), Current: t.scope == scope})
		}
	}
	for _, c := range res.Rows {
		d.Rows = append(d.Rows, listRow{Name: c.Name(), URL: DetailsPath(c.PublicID()), LastAction: c.LastAction.Label(),
			LastActionOn: localtime.Date(c.LastActionAt)})
	}
	h.tpl.Render(w, r, http.StatusOK, "list.html", "Mes candidats", d)
}

type detailsData struct {
	// EligibilityURL: « Valider / Mettre à jour l'éligibilité IAE », for an authorized prescriber.
	EligibilityURL string
	Name           string
	PersonalData   bool
	Facts          page.Facts
	PublicID       string
	ApplyURL       string
	// Applications are the job seeker's candidatures the viewer's organization received (an
	// employer) or sent (a prescriber), newest first; AllURL lists them all when more.
	Applications []applicationRow
	Total        int
	AllURL       string
}

// applicationRow is a candidature of the job seeker's page.
type applicationRow struct {
	URL, Company, CreatedOn, Jobs, Sender, State string
	Archived                                     bool
}

// details is a job seeker's page for the professionals who may see it (masked for orienteurs
// who did not create the account, R35). The applications domain fills the
// "job_seeker_applications" block.
func (h *Handler) details(w http.ResponseWriter, r *http.Request) {
	j, err := h.jobseekers.ByPublicID(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := detailsData{Name: j.Name(), PersonalData: j.PersonalData, PublicID: j.PublicID(), Facts: page.Facts{ID: "job-seeker-facts"}}
	if j.PersonalData {
		u, p := j.User, j.Profile
		d.Facts.Add("Adresse e-mail", u.Email)
		d.Facts.Add("Téléphone", u.Phone)
		if p.Birthdate != nil {
			d.Facts.Add("Date de naissance", localtime.Date(*p.Birthdate))
		}
		if p.NIR != nil {
			d.Facts.Add("Numéro de sécurité sociale", *p.NIR)
		} else {
			d.Facts.Add("Numéro de sécurité sociale", p.LackOfNIRReason.Label())
		}
		if p.PoleEmploiID != "" {
			d.Facts.Add("Identifiant France Travail", p.PoleEmploiID)
		} else {
			d.Facts.Add("Identifiant France Travail", p.LackOfPoleEmploiIDReason.Label())
		}
		d.Facts.Add("Adresse", u.AddressLine1+" "+u.AddressLine2)
		d.Facts.Add("Code postal et ville", u.PostCode+" "+u.City)
		d.Facts.Add("Niveau de formation", p.EducationLevel.Label())
	}
	if err := h.jobSeekerApplications(r, &d); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if o := page.ViewerOf(r).Organization; o != nil && o.FromAuthorizedPrescriber() {
		// The eligibility pages (internal/web/eligibility) say themselves when a PASS IAE makes
		// a diagnosis needless.
		d.EligibilityURL = eligibility.IAEPath(j.PublicID(), DetailsPath(j.PublicID()))
	}
	h.tpl.Render(w, r, http.StatusOK, "details.html", j.Name(), d)
}

// jobSeekerApplications fills the candidatures of the job seeker's page: those of the inbox of
// the employer's company, or those the prescriber's organization sent (applications.md §4 scopes,
// the job seeker filter), linked to the candidature's page of each side.
func (h *Handler) jobSeekerApplications(r *http.Request, d *detailsData) error {
	v := page.ViewerOf(r)
	kind, list, details := application.ListSent, application.SentListPath, application.SenderDetailsPath
	switch {
	case v.IsEmployer():
		kind, list, details = application.ListInbox, application.InboxPath, application.DetailsPath
	case v.Organization == nil || !v.Organization.FromPrescriber():
		return nil
	}
	f := application.Filters{JobSeeker: d.PublicID, Archived: application.ArchivedAll}
	res, err := h.applications.List(r.Context(), h.kit.ActorOf(r), kind, f)
	if err != nil {
		return err
	}
	d.Total = res.Total
	if res.Pages > 1 {
		d.AllURL = list + "?" + f.Query().Encode()
	}
	for _, row := range res.Rows {
		d.Applications = append(d.Applications, applicationRow{URL: details(row.PublicID), Company: row.Company,
			CreatedOn: localtime.Date(row.CreatedAt), Jobs: row.JobsLabel(), Sender: row.Sender, State: row.State.Badge(),
			Archived: row.Archived})
	}
	return nil
}
