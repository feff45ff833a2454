package web

import (
	"context"
	"embed"
	"log/slog"
	"net/http"
	"strings"

	"github.com/alexedwards/scs/v2"

	"emplois/internal/account"
	"emplois/internal/app"
	"emplois/internal/invitation"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/oidc"
	"emplois/internal/savedsearch"
	"emplois/internal/search"
	"emplois/internal/signup"
	"emplois/internal/staff"
	"emplois/internal/web/page"
)

// legacy is what the handlers not yet moved to a room of their own (internal/web/<domain>)
// still use, over the kernel. It goes away with the last of them.
type legacy struct {
	cfg         config.Config
	db          *db.DB
	log         *slog.Logger
	sessions    *scs.SessionManager
	clientIP    *httpx.ClientIP
	templates   *page.Templates
	accounts    *account.Service
	orgs        *org.Service
	jobdescs    *jobdesc.Service
	invitations *invitation.Service
	signups     *signup.Service
	staff       *staff.Service
	search      *search.Service
	saved       *savedsearch.Service
	proconnect  *oidc.Client
}

//go:embed templates
var templateFS embed.FS

func (s *Server) initLegacy(svc *app.Services, sessions *scs.SessionManager, clientIP *httpx.ClientIP) error {
	s.legacy = legacy{cfg: svc.Config, db: svc.DB, log: svc.Log, sessions: sessions, clientIP: clientIP,
		accounts: svc.Accounts, orgs: svc.Orgs, jobdescs: svc.Jobdescs, invitations: svc.Invitations,
		signups: svc.Signups, staff: svc.Staff, search: svc.Search, saved: svc.Saved, proconnect: svc.ProConnect}
	var err error
	s.templates, err = s.kit.Templates(templateFS, "templates")
	return err
}

// legacyRoutes registers the routes of the handlers not yet in a room.
func (s *Server) legacyRoutes() {
	s.accountRoutes()
	s.orgRoutes()
	s.jobdescRoutes()
	s.proconnectRoutes()
	s.invitationRoutes()
	s.proSignupRoutes()
	s.staffRoutes()
	s.apiRoutes()
	s.devRoutes()
	s.benchRoutes()
}

type (
	Viewer = page.Viewer
	Policy = page.Policy
	Form   = page.Form
	Field  = page.Field
)

var (
	Public              = page.Public
	LoggedIn            = page.LoggedIn
	StaffOnly           = page.StaffOnly
	Professional        = page.Professional
	EmployerMember      = page.EmployerMember
	ProfessionalOrStaff = page.ProfessionalOrStaff
	professionalAccount = page.ProfessionalAccount
)

// unaffiliatedOpenPaths and the limited prefixes give the legacy routes the options a room
// declares route by route.
var unaffiliatedOpenPaths = []string{
	"/accounts/", "/signup/", "/invitations/", "/proconnect/", "/logout/", "/api/", "/autocomplete/", "/dev/",
}

var apiDocPaths = map[string]bool{"/api/v1/oas3/": true, "/api/v1/redoc/": true}

func (s *Server) handle(pattern string, p Policy, h http.HandlerFunc) {
	path := pattern[strings.IndexByte(pattern, ' ')+1:]
	var opts []page.Option
	for _, prefix := range unaffiliatedOpenPaths {
		if strings.HasPrefix(path, prefix) {
			opts = append(opts, page.OpenToUnaffiliated)
			break
		}
	}
	switch {
	case strings.HasPrefix(path, "/search/"):
		opts = append(opts, page.RateLimited(s.pageLimit))
	case strings.HasPrefix(path, "/api/v1/") && !apiDocPaths[strings.TrimSuffix(path, "{$}")]:
		opts = append(opts, page.RateLimited(s.apiLimit))
	}
	s.router.Handle(pattern, p, h, opts...)
}

func viewerFrom(ctx context.Context) Viewer { return page.ViewerFrom(ctx) }

func (s *Server) actorOf(r *http.Request) actor.Actor { return s.kit.ActorOf(r) }

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	s.templates.Render(w, r, status, name, title, data)
}

func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, name, block, title string, data any) {
	s.templates.Fragment(w, r, http.StatusOK, name, block, title, data)
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	s.kit.Error(w, r, status)
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.kit.ServerError(w, r, err)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) { s.kit.Fail(w, r, err) }

func (s *Server) setFlash(r *http.Request, msg string) { s.kit.SetFlash(r, msg) }

func (s *Server) startSession(ctx context.Context, u *account.User) error {
	return s.kit.StartSession(ctx, u)
}

func (s *Server) endSession(ctx context.Context, flash string) error {
	return s.kit.EndSession(ctx, flash)
}

func requestID(ctx context.Context) string { return httpx.RequestID(ctx) }

func newForm(fields ...*Field) *Form { return page.NewForm(fields...) }

func requireFields(f *Form, names ...string) bool { return f.Require(names...) }

func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, f *Form) bool {
	return s.kit.ParseForm(w, r, f)
}

const msgRequired = page.MsgRequired

func isHTMX(r *http.Request) bool { return page.IsHTMX(r) }

// savedBox is the dashboard's box of saved searches (partials/saved_searches.html): the search
// room has its own, with the save form. It goes with the dashboard to its room.
type savedBox struct {
	List []page.SavedLink
	// Next is where a deletion comes back to.
	Next string
}

// savedBoxFor is the box of a logged-in viewer's saved searches (nil for visitors).
func (s *Server) savedBoxFor(r *http.Request, _, _ string) (*savedBox, error) {
	v := viewerFrom(r.Context())
	if !v.Authenticated() {
		return nil, nil
	}
	list, err := s.saved.List(r.Context(), v.UserID)
	if err != nil {
		return nil, err
	}
	return &savedBox{Next: r.URL.Path, List: page.SavedLinks(list)}, nil
}
