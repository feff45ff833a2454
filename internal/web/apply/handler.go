// Package apply serves the submission tunnels (applications.md §3.0–3.3): the start page of
// « Postuler » and « Enregistrer une candidature », then the steps of a tunnel (check, jobs,
// message and CV, confirmation, end page), whose state is a wizard kept on the server per
// browser tab (application.ApplyWizard). A professional picks the job seeker through the
// identity search of the jobseeker room, which comes back to the tunnel.
package apply

import (
	"embed"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the tunnels.
type Handler struct {
	kit          *page.Kit
	tpl          *page.Templates
	applications *application.Service
	jobSeekers   *jobseeker.Service
	jobdescs     *jobdesc.Service
	// eligibility sends an authorized prescriber through the eligibility step (tunnel.go).
	eligibility *eligibility.Service
}

// New builds the room.
func New(kit *page.Kit, applications *application.Service, jobSeekers *jobseeker.Service, jobdescs *jobdesc.Service,
	elig *eligibility.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, applications: applications, jobSeekers: jobSeekers, jobdescs: jobdescs, eligibility: elig}, nil
}

// applicants are those who may walk a tunnel: job seekers, and professionals acting for a
// company or a prescriber organization (§3.0-1; the service checks it again, membership
// included).
var applicants = page.Policy{Name: "applicant", Allow: func(v page.Viewer) bool {
	return v.Kind == "job_seeker" || (v.Organization != nil && (v.Organization.FromEmployer() || v.Organization.FromPrescriber()))
}}

// Routes declares the tunnels. The start is public: an anonymous visitor is asked to log in or
// sign up and comes back to it.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /apply/{company}/start", page.Public, h.start)
	rt.Handle("GET /apply/{key}/tunnel/{step}", applicants, h.stepPage)
	rt.Handle("POST /apply/{key}/tunnel/{step}", applicants, h.step)
}
