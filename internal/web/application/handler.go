// Package application serves the candidatures' pages once sent (applications.md §2–§4): the
// candidature page and the employer's processing (process.go: actions, refusal and acceptance
// wizards), direct hire, external transfer, comments, prior actions and contract dates
// (more.go), and the lists (list.go: the employer's inbox with its batch
// bar, the sent list, the job seeker's list, the exports). The submission tunnels are the apply
// room's.
package application

import (
	"embed"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the candidature pages.
type Handler struct {
	kit          *page.Kit
	tpl          *page.Templates
	applications *application.Service
	jobSeekers   *jobseeker.Service
	orgs         *org.Service
	jobdescs     *jobdesc.Service
	// eligibility tells the job seeker's IAE eligibility on the candidature page and the inbox.
	eligibility *eligibility.Service
}

// New builds the room.
func New(kit *page.Kit, applications *application.Service, jobSeekers *jobseeker.Service, orgs *org.Service,
	jobdescs *jobdesc.Service, elig *eligibility.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, applications: applications, jobSeekers: jobSeekers, orgs: orgs, jobdescs: jobdescs, eligibility: elig}, nil
}

// Routes declares the candidature page and processing (process.go), the lists (list.go), and
// direct hire, external transfer, comments, GEIQ prior actions and contract dates (more.go).
func (h *Handler) Routes(rt *page.Router) {
	h.processRoutes(rt)
	h.listRoutes(rt)
	h.moreRoutes(rt)
	h.hireInfoRoutes(rt)
}

// badge is a DSFR badge: its text and its colour (a fr-badge-- modifier, "" for grey), as the
// "badge" partial shows it.
type badge struct {
	Text, Tone string
}

// stateTones are the colours of the state badges (applications.md §1.2).
var stateTones = map[application.State]string{
	application.New: "new", application.Processing: "info", application.Postponed: "warning",
	application.PriorToHire: "info", application.Pool: "purple-glycine", application.Accepted: "success",
	application.Refused: "error", application.Cancelled: "error",
}

// stateBadge is how lists and pages show a candidature's state.
func stateBadge(s application.State) badge { return badge{Text: s.Badge(), Tone: stateTones[s]} }

// employersOrStaff reach the employer's candidature page and its actions: the service lets staff
// fire the transitions of the table that name them (§2.1) and no more.
var employersOrStaff = page.Policy{Name: "employer-or-staff", Allow: func(v page.Viewer) bool {
	return v.IsEmployer() || v.IsStaff()
}}
