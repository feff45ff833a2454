package web

import (
	"net/http"

	"emplois/internal/account"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
)

// dashboardData tells the dashboard which cards to show. A professional always acts for an
// organization here: those without one never reach the dashboard (gate in org_context.go).
type dashboardData struct {
	JobSeeker    bool
	Staff        bool
	Organization *dashboardOrganization
	Saved        *savedBox
}

// dashboardOrganization is the card of the organization a professional acts for.
type dashboardOrganization struct {
	*org.Affiliation
	OverviewURL, MembersURL, EditURL string
	// JobsURL is the employer's "Métiers et recrutements" page (fiches de poste, jobdesc.go).
	JobsURL string
	// HabilitationPending: a prescriber organization waiting for staff validation; ProofNeeded when
	// it is of kind "Autre" (it must send the prefectoral order, actors.md §5.2).
	HabilitationPending bool
	ProofNeeded         bool
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	kind := v.Kind
	d := dashboardData{JobSeeker: kind == account.JobSeeker, Staff: kind == account.Staff}
	if a := v.Organization; a != nil {
		d.Organization = &dashboardOrganization{Affiliation: a, OverviewURL: org.OverviewPath(a.UID),
			HabilitationPending: a.FromPrescriber() && a.AuthorizationStatus == org.AuthorizationNotSet,
			ProofNeeded:         a.FromPrescriber() && a.AuthorizationStatus == org.AuthorizationNotSet && a.Kind == string(org.OtherKind)}
		if !a.InGracePeriod {
			d.Organization.MembersURL = org.MembersPath(a.UID)
		}
		if a.FromEmployer() && len(jobdesc.AllowedContractTypes(org.CompanyKind(a.Kind), false)) > 0 {
			d.Organization.JobsURL = jobdesc.ListPath
		}
		if a.IsAdmin && !a.FromInstitution() {
			d.Organization.EditURL = org.EditPath(a.UID)
		}
	}
	var err error
	if d.Saved, err = s.savedBoxFor(r, "", ""); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard/index.html", "Tableau de bord", d)
}
