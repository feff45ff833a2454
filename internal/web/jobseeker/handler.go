// Package jobseeker serves the job seeker pages (actors.md §10.7, §14, §21; applications.md
// §3.2-2): the identity search and the creation by proxy that the apply tunnels start with, the
// job seeker's self-signup (actors.md §10.1), their profile page, « Mes candidats » and a job
// seeker's page for professionals.
package jobseeker

import (
	"embed"

	"emplois/internal/application"
	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the job seeker pages.
type Handler struct {
	kit        *page.Kit
	tpl        *page.Templates
	jobseekers *jobseeker.Service
	// applications lists a job seeker's candidatures on their page.
	applications *application.Service
}

// New builds the room.
func New(kit *page.Kit, jobseekers *jobseeker.Service, applications *application.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, jobseekers: jobseekers, applications: applications}, nil
}

// orienters are the professionals who apply for someone else and so search and create job
// seekers (the service checks it again: institution members and others get a 403).
var orienters = page.EmployerOrPrescriber

// Routes declares the job seeker pages.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /job-seekers/search", orienters, h.searchNIRPage)
	rt.Handle("POST /job-seekers/search", orienters, h.searchNIR)
	rt.Handle("GET /job-seekers/search/email", orienters, h.searchEmailPage)
	rt.Handle("POST /job-seekers/search/email", orienters, h.searchEmail)
	rt.Handle("POST /job-seekers/search/email/attach", orienters, h.attachNIR)
	rt.Handle("GET /job-seekers/create/{key}/{step}", orienters, h.createStepPage)
	rt.Handle("POST /job-seekers/create/{key}/{step}", orienters, h.createStep)
	rt.Handle("GET /job-seekers/list", orienters, h.list)
	rt.Handle("GET /job-seekers/details/{public_id}", orienters, h.details)
	// The self-signup (signup.go): public, and open to professionals without organization like
	// every signup page (actors.md §8).
	open := page.OpenToUnaffiliated
	rt.Handle("GET "+signupStartPath, page.Public, h.signupStart, open)
	rt.Handle("GET "+signupSituationPath, page.Public, h.signupSituationPage, open)
	rt.Handle("POST "+signupSituationPath, page.Public, h.signupSituation, open)
	rt.Handle("GET "+signupCriteriaPath, page.Public, h.signupCriteria, open)
	rt.Handle("GET "+signupIdentityPath, page.Public, h.signupIdentityPage, open)
	rt.Handle("POST "+signupIdentityPath, page.Public, h.signupIdentity, open)
	rt.Handle("GET "+signupCredentialsPath, page.Public, h.signupCredentialsPage, open)
	rt.Handle("POST "+signupCredentialsPath, page.Public, h.signupCredentials, open)
	rt.Handle("GET /dashboard/edit_user_info", page.JobSeekerAccount, h.profilePage)
	rt.Handle("POST /dashboard/edit_user_info", page.JobSeekerAccount, h.profile)
}
