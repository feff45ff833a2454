// Package web assembles the site: the kernel (page), every room's routes in one table, the
// static assets, the public API's routes and the middleware chain. Rooms live in
// internal/web/<domain>; this package builds none of the services (internal/app does).
package web

import (
	"errors"
	"fmt"
	"net/http"

	"emplois/internal/api"
	"emplois/internal/app"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/session"
	"emplois/internal/web/account"
	"emplois/internal/web/apidocs"
	webapitoken "emplois/internal/web/apitoken"
	"emplois/internal/web/application"
	"emplois/internal/web/apply"
	webapproval "emplois/internal/web/approval"
	"emplois/internal/web/autocomplete"
	webconvention "emplois/internal/web/convention"
	"emplois/internal/web/dev"
	webeligibility "emplois/internal/web/eligibility"
	webemployeerecord "emplois/internal/web/employeerecord"
	"emplois/internal/web/invitation"
	"emplois/internal/web/jobdesc"
	"emplois/internal/web/jobseeker"
	"emplois/internal/web/org"
	"emplois/internal/web/page"
	"emplois/internal/web/search"
	"emplois/internal/web/shell"
	"emplois/internal/web/signup"
	"emplois/internal/web/staff"
)

// Server is the assembled site. Build it with New, serve Handler().
type Server struct {
	svc     *app.Services
	kit     *page.Kit
	router  *page.Router
	static  *staticFiles
	metrics *metrics
	// pageLimit and apiLimit are the rate limits of anonymous search pages and API calls.
	pageLimit, apiLimit *page.Limit
}

// room is what each room of internal/web/<domain> offers the route table.
type room interface{ Routes(*page.Router) }

// New builds the site over the services of the instance and registers every route.
func New(svc *app.Services) (*Server, error) {
	cfg := svc.Config
	clientIP, err := httpx.NewClientIP(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("web: EMPLOIS_TRUSTED_PROXIES: %w", err)
	}
	static, err := loadStatic()
	if err != nil {
		return nil, err
	}
	sessions := session.NewManager(cfg, svc.DB)
	kit, err := page.New(page.Config{
		Log: svc.Log, Sessions: sessions, ClientIP: clientIP,
		StateIdentity: cfg.StateIdentity, Dev: cfg.Dev, StaticURL: static.url, ProConnect: svc.ProConnect != nil,
		FranceConnect: svc.FranceConnect != nil,
		Identity: page.Identity{Accounts: svc.Accounts, Orgs: svc.Orgs, Invitations: svc.Invitations,
			SessionLifetime: cfg.SessionLifetime},
	})
	if err != nil {
		return nil, err
	}
	s := &Server{svc: svc, kit: kit, router: kit.NewRouter(), static: static, metrics: newMetrics(),
		pageLimit: &page.Limit{Limiter: svc.PageLimit, Scope: "pages"},
		apiLimit: &page.Limit{Limiter: svc.APILimit, Scope: "api", Refuse: func(w http.ResponseWriter, _ *http.Request, secs int) {
			api.WriteError(w, http.StatusTooManyRequests, fmt.Sprintf("Trop de requêtes. Réessayez dans %s.", page.FrenchSeconds(secs)))
		}},
	}
	s.metrics.watchSearchIndex(svc.Search)
	rooms, err := s.rooms()
	if err != nil {
		return nil, err
	}
	s.router.Raw("GET /static/{name...}", static.serve) // assets: public, outside the route table
	for _, r := range rooms {
		r.Routes(s.router)
	}
	s.apiRoutes()
	s.router.Finish()
	return s, nil
}

// rooms builds every room of the site over the kernel and the services.
func (s *Server) rooms() ([]room, error) {
	svc, cfg, kit := s.svc, s.svc.Config, s.kit
	var rooms []room
	var errs []error
	add := func(r room, err error) {
		rooms, errs = append(rooms, r), append(errs, err)
	}
	add(shell.New(kit, svc.DB, s.metricsHandler()))
	add(account.New(kit, svc.Accounts, svc.JobSeekers, svc.Saved, svc.ProConnect, svc.FranceConnect, cfg.BaseURL, svc.Applications, svc.Eligibility, svc.Approvals))
	add(apidocs.New(kit, apidocs.Config{BaseURL: cfg.BaseURL.String(), RateLimitAPI: cfg.RateLimitAPI,
		Contact: cfg.APIContactEmail, PageLimit: s.pageLimit}))
	add(dev.New(kit, svc.DB, cfg))
	add(jobdesc.New(kit, svc.Jobdescs))
	add(webconvention.New(kit, svc.Conventions))
	add(staff.New(kit, svc.Staff, svc.Accounts, svc.Orgs, svc.EmployeeRecords, svc.Tokens, svc.Cities))
	add(org.New(kit, svc.Orgs, svc.Invitations))
	add(invitation.New(kit, svc.Invitations, svc.Orgs, svc.Accounts))
	add(search.New(kit, svc.Search, svc.Saved, s.pageLimit))
	add(autocomplete.New(kit, svc.Cities, svc.Jobs, svc.Log, s.apiLimit))
	add(signup.New(kit, svc.Accounts, svc.Orgs, svc.Signups, svc.Invitations))
	add(jobseeker.New(kit, svc.JobSeekers, svc.Applications))
	add(application.New(kit, svc.Applications, svc.JobSeekers, svc.Orgs, svc.Jobdescs, svc.Eligibility))
	add(apply.New(kit, svc.Applications, svc.JobSeekers, svc.Jobdescs, svc.Eligibility))
	add(webeligibility.New(kit, svc.Eligibility, svc.JobSeekers, svc.Applications))
	add(webapproval.New(kit, svc.Approvals, &page.Limit{Limiter: svc.VerifyLimit, Scope: "pass_verify", Everyone: true}))
	add(webemployeerecord.New(kit, svc.EmployeeRecords))
	add(webapitoken.New(kit, svc.Tokens))
	return rooms, errors.Join(errs...)
}

// Routes returns the route table (for the permission test and the docs).
func (s *Server) Routes() []page.Route { return s.router.Routes() }

// Handler returns the root handler with the middleware chain.
func (s *Server) Handler() http.Handler {
	return s.middleware(s.router.Mux())
}

// apiRoutes declares the JSON API of partners (internal/api, actors.md §18): the employers, under
// the API rate limit, and their OpenAPI document.
func (s *Server) apiRoutes() {
	// The API's gate authenticates, authorizes and throttles each call itself (api.md §1): the
	// route table sees public routes that never send anyone to the login page.
	routes := api.Routes(api.Config{Directory: s.svc.Directory, Accounts: s.svc.Accounts, Tokens: s.svc.Tokens,
		Orgs: s.svc.Orgs, EmployeeRecords: s.svc.EmployeeRecords, JobSeekers: s.svc.JobSeekers, Applications: s.svc.Applications,
		Nexus:     s.svc.Nexus,
		Throttles: s.svc.APIThrottles, BaseURL: s.svc.Config.BaseURL, AnonymousPerMinute: s.svc.Config.RateLimitAPI,
		FrenchLikeASPFrom: s.svc.Config.APIFrenchLikeASPFrom,
		Session: func(r *http.Request) (int64, actor.Kind) {
			v := page.ViewerOf(r)
			return v.UserID, v.Kind
		},
		ClientIP: s.kit.ClientIP, Log: s.svc.Log})
	for _, rt := range routes {
		s.router.Handle(rt.Pattern, page.Public, rt.Handler, page.OpenToUnaffiliated)
	}
	s.router.Handle("GET /api/v1/oas3/{$}", page.Public, api.OpenAPIHandler, page.OpenToUnaffiliated)
}
