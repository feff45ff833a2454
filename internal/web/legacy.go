package web

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/alexedwards/scs/v2"

	"emplois/internal/account"
	"emplois/internal/app"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/oidc"
	"emplois/internal/platform/versioned"
	"emplois/internal/savedsearch"
	"emplois/internal/search"
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
	invitations *invitation.Service
	search      *search.Service
	saved       *savedsearch.Service
	proconnect  *oidc.Client
	// fixedOptions are the fixed filter choices of the search pages, rendered at start;
	// searchCards the result cards of the current search index.
	fixedOptions fixedOptions
	searchCards  versioned.Cache[search.Version, cardKey, renderedCard]
}

//go:embed templates
var templateFS embed.FS

func (s *Server) initLegacy(svc *app.Services, sessions *scs.SessionManager, clientIP *httpx.ClientIP) error {
	s.legacy = legacy{cfg: svc.Config, db: svc.DB, log: svc.Log, sessions: sessions, clientIP: clientIP,
		accounts: svc.Accounts, orgs: svc.Orgs, invitations: svc.Invitations,
		search: svc.Search, saved: svc.Saved, proconnect: svc.ProConnect}
	s.searchCards.Limit = maxCachedCards
	var err error
	if s.templates, err = s.kit.Templates(templateFS, "templates"); err != nil {
		return err
	}
	s.fixedOptions, err = renderFixedOptions(s.templates.Lookup(searchEmployersTemplate))
	return err
}

// legacyRoutes registers the routes of the handlers not yet in a room.
func (s *Server) legacyRoutes() {
	s.searchRoutes()
	s.referenceRoutes()
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

func newForm(fields ...*Field) *Form { return page.NewForm(fields...) }

func requireFields(f *Form, names ...string) bool { return f.Require(names...) }

func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, f *Form) bool {
	return s.kit.ParseForm(w, r, f)
}

func isHTMX(r *http.Request) bool { return page.IsHTMX(r) }

// plural is "1 employeur", "3 employeurs" (the jobdesc room has its own until the kernel
// offers one).
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
