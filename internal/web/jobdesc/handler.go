// Package jobdesc serves the employer's fiches de poste and spontaneous applications ("Métiers
// et recrutements") and the public cards of companies and fiches de poste (actors.md §4.6, §21).
// Every action is a plain form post answered by a redirect, so that the pages work without
// JavaScript.
package jobdesc

import (
	"embed"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the pages of fiches de poste.
type Handler struct {
	kit      *page.Kit
	tpl      *page.Templates
	jobdescs *jobdesc.Service
}

// New builds the room.
func New(kit *page.Kit, jobdescs *jobdesc.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, jobdescs: jobdescs}, nil
}

// Routes declares the employer's pages (members of the current company; the service checks the
// fiche is theirs) and the public cards.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /company/job_description_list", page.EmployerMember, h.list)
	rt.Handle("GET /company/job_description/new", page.EmployerMember, h.newPage)
	rt.Handle("POST /company/job_description/new", page.EmployerMember, h.create)
	rt.Handle("GET /company/job_description/{uid}/edit", page.EmployerMember, h.editPage)
	rt.Handle("POST /company/job_description/{uid}/edit", page.EmployerMember, h.update)
	rt.Handle("POST /company/job_description/{uid}/status", page.EmployerMember, h.setStatus)
	rt.Handle("POST /company/job_description/{uid}/refresh", page.EmployerMember, h.refresh)
	rt.Handle("POST /company/job_description/{uid}/move", page.EmployerMember, h.move)
	rt.Handle("POST /company/spontaneous_applications", page.EmployerMember, h.spontaneousApplications)
	rt.Handle("GET /company/{uid}/card", page.Public, h.companyCard)
	rt.Handle("GET /company/job_description/{uid}/card", page.Public, h.ficheCard)
}

// companyCity is where a company is, as lists show it: "Lyon (69)".
func companyCity(co *org.Company) string { return jobdesc.LocationLabel(&jobdesc.JobDescription{}, co) }
