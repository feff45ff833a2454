// Package eligibility is the room of the eligibility pages (approvals.md §2.1–2.6): the
// authorized prescriber's « Valider / Mettre à jour l'éligibilité IAE » of a job seeker, the GEIQ
// diagnoses, the view of a diagnosis, and the employer's eligibility steps while accepting a
// candidature or declaring a hire. Every page shows the one criteria form of criteria.go.
package eligibility

import (
	"embed"
	"net/http"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the eligibility pages.
type Handler struct {
	kit          *page.Kit
	tpl          *page.Templates
	eligibility  *eligibility.Service
	jobSeekers   *jobseeker.Service
	applications *application.Service
}

// New builds the room.
func New(kit *page.Kit, elig *eligibility.Service, jobSeekers *jobseeker.Service, applications *application.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, eligibility: elig, jobSeekers: jobSeekers, applications: applications}, nil
}

// prescribers reach the prescriber's pages; the service refuses the orienteurs (403, §2.2).
var prescribers = page.Policy{Name: "prescriber-member", Allow: func(v page.Viewer) bool {
	return v.Organization != nil && v.Organization.FromPrescriber()
}}

// Routes declares the room's pages.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /eligibility/job-seekers/{job_seeker}/iae", prescribers, h.iaePage)
	rt.Handle("POST /eligibility/job-seekers/{job_seeker}/iae", prescribers, h.iae)
	rt.Handle("GET /eligibility/diagnoses/{id}", page.LoggedIn, h.diagnosis)
	rt.Handle("GET /eligibility/job-seekers/{job_seeker}/geiq", page.EmployerOrPrescriber, h.geiqPage)
	rt.Handle("POST /eligibility/job-seekers/{job_seeker}/geiq", page.EmployerOrPrescriber, h.geiq)
	rt.Handle("POST /eligibility/geiq-allowance", page.EmployerOrPrescriber, h.geiqAllowance)
	rt.Handle("GET /eligibility/geiq-diagnoses/{id}", page.LoggedIn, h.geiqDiagnosis)
	rt.Handle("GET /eligibility/geiq-diagnoses/{id}/update", page.EmployerMember, h.geiqUpdatePage)
	rt.Handle("POST /eligibility/geiq-diagnoses/{id}/update", page.EmployerMember, h.geiqUpdate)

	// The employer's steps while hiring (§2.2 employer side).
	rt.Handle("GET /apply/{id}/siae/eligibility", page.EmployerMember, h.acceptStepPage)
	rt.Handle("POST /apply/{id}/siae/eligibility", page.EmployerMember, h.acceptStep)
	rt.Handle("GET /apply/hire/eligibility", page.EmployerMember, h.hireStepPage)
	rt.Handle("POST /apply/hire/eligibility", page.EmployerMember, h.hireStep)
	rt.Handle("GET /apply/hire/geiq-eligibility", page.EmployerMember, h.geiqHireStepPage)
	rt.Handle("POST /apply/hire/geiq-eligibility", page.EmployerMember, h.geiqHireStep)
	rt.Handle("GET /apply/{id}/siae/geiq-eligibility", page.EmployerMember, h.geiqStepPage)
	rt.Handle("POST /apply/{id}/siae/geiq-eligibility", page.EmployerMember, h.geiqStep)
}

// redirect sends the visitor on with a message for the next page.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		h.kit.SetFlash(r, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
