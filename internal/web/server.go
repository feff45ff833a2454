// Package web serves the HTML pages: handlers per domain, templates and static assets.
// Handlers stay thin: they read a form, call one domain service and render one template.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/oidc"
	"emplois/internal/platform/session"
	"emplois/internal/platform/versioned"
	"emplois/internal/savedsearch"
	"emplois/internal/search"
	"emplois/internal/signup"
	"emplois/internal/staff"
)

// Server holds what the handlers need. Build it with New, serve Handler().
type Server struct {
	cfg       config.Config
	db        *db.DB
	log       *slog.Logger
	mux       *http.ServeMux
	routes    []Route
	templates *templates
	static    *staticFiles
	sessions  *scs.SessionManager
	clientIP  *httpx.ClientIP
	accounts  *account.Service
	orgs      *org.Service
	jobdescs  *jobdesc.Service
	// invitations and signups: joining organizations (invitation.go, signup_*.go).
	invitations *invitation.Service
	signups     *signup.Service
	staff       *staff.Service
	search      *search.Service
	saved       *savedsearch.Service
	// fixedOptions are the fixed filter choices of the search pages, rendered at start;
	// searchCards the result cards of the current search index.
	fixedOptions fixedOptions
	searchCards  versioned.Cache[search.Version, cardKey, renderedCard]
	// limits are the rate limits of anonymous search pages and API calls (ratelimit.go).
	limits *rateLimits
	// proconnect is the ProConnect client, nil when ProConnect is not configured.
	proconnect *oidc.Client
	metrics    *metrics
}

// Route is one entry of the route table, with the policy that guards it.
type Route struct {
	Pattern string
	Policy  Policy
}

// New builds the server and registers every route.
func New(cfg config.Config, database *db.DB, logger *slog.Logger) (*Server, error) {
	s := &Server{cfg: cfg, db: database, log: logger, mux: http.NewServeMux(),
		sessions: session.NewManager(cfg, database), metrics: newMetrics()}
	s.accounts = account.NewService(database, cfg)
	s.orgs = org.NewService(database, cfg)
	s.jobdescs = jobdesc.NewService(database, cfg)
	s.limits = newRateLimits(cfg, database)
	if err := s.initSignups(); err != nil { // invitation.go
		return nil, err
	}
	s.staff = staff.NewService(database, s.accounts, s.orgs)
	s.search = search.NewService(database)
	s.searchCards.Limit = maxCachedCards
	s.saved = savedsearch.NewService(database)
	s.metrics.watchSearchIndex(s.search)
	var err error
	if s.clientIP, err = httpx.NewClientIP(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: EMPLOIS_TRUSTED_PROXIES: %w", err)
	}
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.templates, err = loadTemplates(s.templateFuncs()); err != nil {
		return nil, err
	}
	if s.fixedOptions, err = renderFixedOptions(s.templates.pages[searchEmployersTemplate]); err != nil {
		return nil, fmt.Errorf("web: filter choices: %w", err)
	}
	if err := s.initProConnect(); err != nil {
		return nil, err
	}
	s.registerRoutes()
	return s, nil
}

// Routes returns the route table (for the policy test and the docs).
func (s *Server) Routes() []Route { return s.routes }

// Handler returns the root handler with the middleware chain.
func (s *Server) Handler() http.Handler {
	return s.middleware(s.mux)
}

// handle registers a route guarded by a policy. It is the only way to add a route.
func (s *Server) handle(pattern string, p Policy, h http.HandlerFunc) {
	if p.Allow == nil {
		panic("web: route " + pattern + " has no policy")
	}
	s.routes = append(s.routes, Route{Pattern: pattern, Policy: p})
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewerFrom(r.Context())
		if s.gateUnaffiliated(w, r, v) { // professionals without organization (org_context.go)
			return
		}
		if !p.Allow(r, v) {
			s.deny(w, r, v)
			return
		}
		h(w, r)
	}))
}

type viewerKey struct{}

// withViewer stores the viewer in the request context (done by the session middleware).
func withViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

func viewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}

// deny answers a refused request: anonymous visitors are sent to the login page, others get a 403.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, v Viewer) {
	if !v.Authenticated() && r.Method == http.MethodGet {
		http.Redirect(w, r, "/accounts/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, http.StatusForbidden)
}
