package account

import (
	"context"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/approval"
	"emplois/internal/convention"
	"emplois/internal/eligibility"
	"emplois/internal/employeerecord"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// dashboardData tells the dashboard which cards to show. A professional always acts for an
// organization here: those without one never reach the dashboard (the router sends them to
// the warning page).
type dashboardData struct {
	JobSeeker    bool
	Staff        bool
	Organization *dashboardOrganization
	Saved        savedSearches
	// Cards are the candidatures' cards of the viewer (actors.md §14), each counted as its list.
	Cards []dashboardCard
	// Eligibility is a job seeker's own diagnosis and waiting period (internal/web/eligibility).
	Eligibility *eligibility.OwnBox
	// PASS is a job seeker's own PASS IAE, nil when none.
	PASS *dashboardPASS
}

// dashboardPASS is the job seeker's PASS IAE card (approvals.md §2.14: their own).
type dashboardPASS struct {
	Number, State, StateClass, Start, End, Remainder, URL string
}

// passCard is the job seeker's PASS IAE, nil when they have none.
func (h *Handler) passCard(r *http.Request) (*dashboardPASS, error) {
	a, err := h.approvals.Own(r.Context(), h.kit.ActorOf(r))
	if err != nil || a == nil {
		return nil, err
	}
	today := approval.Today(h.kit.Now())
	st := a.State(today)
	class := map[approval.State]string{approval.StateValid: "fr-badge--success", approval.StateSuspended: "fr-badge--warning",
		approval.StateFuture: "fr-badge--info", approval.StateExpired: "fr-badge--error"}[st]
	return &dashboardPASS{Number: a.DisplayNumber(), State: st.Label(), StateClass: class, Start: localtime.Date(a.StartAt),
		End: localtime.Date(a.EndAt), Remainder: approval.RemainderDisplay(a.Remainder(today)), URL: approval.DetailsPath(a.PublicID)}, nil
}

// dashboardCard is a count of candidatures (or job seekers) linking to the list it counts.
type dashboardCard struct {
	ID, Title, URL, Link string
	// Total is the count with its noun: « 12 candidatures ».
	Total string
	Count int
}

// savedSearches is what the kernel's "saved_search_list" partial shows: the viewer's saved
// searches, each deleted from here coming back here.
type savedSearches struct {
	List []page.SavedLink
	Next string
}

// dashboardOrganization is the card of the organization a professional acts for.
type dashboardOrganization struct {
	*org.Affiliation
	OverviewURL, MembersURL, EditURL string
	// JobsURL is the employer's "Métiers et recrutements" page (fiches de poste).
	JobsURL string
	// PASSListURL is the SIAE's list of the PASS IAE of the people it hired; AnnexesURL « Mes
	// annexes financières » and EmployeeRecordsURL its fiches salarié, for its admins.
	PASSListURL, AnnexesURL, EmployeeRecordsURL string
	// APIAccessURL is « Accès aux APIs », for the admins of a company (api.md §1.2).
	APIAccessURL string
	// HireURL starts « Déclarer une embauche » (SIAE and GEIQ); NotificationsURL is the mail
	// settings of employers and prescribers (applications.md §3.4, §2.4).
	HireURL, NotificationsURL string
	// HabilitationPending: a prescriber organization waiting for staff validation; ProofNeeded when
	// it is of kind "Autre" (it must send the prefectoral order, actors.md §5.2).
	HabilitationPending bool
	ProofNeeded         bool
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	v := page.ViewerOf(r)
	if v.Kind == account.JobSeeker {
		// The profile comes before anything else until civilité, names and address are
		// complete (actors.md §14).
		u, err := h.accounts.ByID(r.Context(), v.UserID)
		if err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
		if !jobseeker.AddressComplete(u) {
			http.Redirect(w, r, jobseeker.ProfilePath, http.StatusSeeOther)
			return
		}
	}
	d := dashboardData{JobSeeker: v.Kind == account.JobSeeker, Staff: v.Kind == account.Staff,
		Organization: organizationCard(v.Organization), Saved: savedSearches{Next: r.URL.Path}}
	list, err := h.saved.List(r.Context(), v.UserID)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	d.Saved.List = page.SavedLinks(list)
	if d.Cards, err = h.cards(r.Context(), h.kit.ActorOf(r), v); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	if d.JobSeeker {
		if d.Eligibility, err = h.eligibility.OwnBoxOf(r.Context(), h.kit.ActorOf(r)); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
	}
	if d.PASS, err = h.passCard(r); err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "dashboard.html", "Tableau de bord", d)
}

// organizationCard is the card of the organization a professional acts for (nil for others).
func organizationCard(a *org.Affiliation) *dashboardOrganization {
	if a == nil {
		return nil
	}
	pending := a.FromPrescriber() && a.AuthorizationStatus == org.AuthorizationNotSet
	c := &dashboardOrganization{Affiliation: a, OverviewURL: org.OverviewPath(a.UID),
		HabilitationPending: pending, ProofNeeded: pending && a.Kind == string(org.OtherKind)}
	if !a.InGracePeriod {
		c.MembersURL = org.MembersPath(a.UID)
	}
	if a.FromEmployer() && len(jobdesc.AllowedContractTypes(org.CompanyKind(a.Kind), false)) > 0 {
		c.JobsURL = jobdesc.ListPath
	}
	if a.IsAdmin && !a.FromInstitution() {
		c.EditURL = org.EditPath(a.UID)
	}
	if a.FromEmployer() && org.CompanyKind(a.Kind).IsSIAE() {
		c.PASSListURL = "/approvals/list"
		if a.IsAdmin {
			c.AnnexesURL = convention.AnnexesPath
		}
	}
	if a.FromEmployer() && a.IsAdmin {
		c.APIAccessURL = apitoken.AccessPath
	}
	if a.FromEmployer() && a.IsAdmin && employeerecord.EligibleKind(org.CompanyKind(a.Kind)) {
		c.EmployeeRecordsURL = employeerecord.ListPath
	}
	if a.FromEmployer() && application.HiresDirectly(org.CompanyKind(a.Kind)) {
		c.HireURL = application.DirectHirePath
	}
	if !a.FromInstitution() {
		c.NotificationsURL = application.NotificationsPath
	}
	return c
}

// cards are the candidatures' cards of the dashboard (actors.md §14), one query each: for
// employers the inbox's candidatures to process, postponed and in the pool; for prescribers the
// candidatures sent and the « candidats sans solution »; for job seekers their candidatures.
// Each count is the total of the list its card links to.
func (h *Handler) cards(ctx context.Context, a actor.Actor, v page.Viewer) ([]dashboardCard, error) {
	var out []dashboardCard
	count := func(id, title string, kind application.ListKind, path string, states ...application.State) error {
		f := application.Filters{States: states}
		n, err := h.applications.Count(ctx, a, kind, f)
		if err != nil {
			return err
		}
		u := path
		if q := f.Query().Encode(); q != "" {
			u += "?" + q
		}
		out = append(out, dashboardCard{ID: id, Title: title, Total: page.Plural(n, "candidature", "candidatures"), URL: u,
			Link: "Voir les candidatures", Count: n})
		return nil
	}
	var err error
	switch o := v.Organization; {
	case v.Kind == account.JobSeeker:
		err = count("dashboard-my-applications", "Mes candidatures", application.ListJobSeeker, application.JobSeekerListPath)
	case o != nil && o.FromEmployer():
		inbox := application.InboxPath
		if err = count("dashboard-to-process", "Candidatures à traiter", application.ListInbox, inbox, application.ToProcessStates(o.Kind)...); err != nil {
			return nil, err
		}
		if err = count("dashboard-postponed", "Candidatures en attente", application.ListInbox, inbox, application.Postponed); err != nil {
			return nil, err
		}
		err = count("dashboard-pool", "Vivier de candidatures", application.ListInbox, inbox, application.Pool)
	case o != nil && o.FromPrescriber():
		if err = count("dashboard-sent", "Candidatures envoyées", application.ListSent, application.SentListPath); err != nil {
			return nil, err
		}
		n, err := h.applications.StalledCount(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, dashboardCard{ID: "dashboard-stalled", Title: "Candidats sans solution",
			Total: page.Plural(n, "candidat", "candidats"), Count: n})
	}
	return out, err
}
