package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/directory"
	"emplois/internal/employeerecord"
	"emplois/internal/jobseeker"
	"emplois/internal/nexus"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// Config is what the API's endpoints use.
type Config struct {
	Directory *directory.Service
	Orgs      *org.Service
	Accounts  *account.Service
	Tokens    *apitoken.Service
	// EmployeeRecords serves employee-records/ and employee-record-notifications/.
	EmployeeRecords *employeerecord.Service
	// FrenchLikeASPFrom: see EmployeeRecords.FrenchLikeASPFrom.
	FrenchLikeASPFrom time.Time
	// JobSeekers serves candidats/ (with Orgs).
	JobSeekers *jobseeker.Service
	// Applications serves candidatures/recherche/ and embauches-geiq/ (with Accounts, who
	// tells a superuser).
	Applications *application.Service
	// Nexus serves the nexus routes (api.md §8).
	Nexus     *nexus.Service
	Throttles *Throttles
	// BaseURL is EMPLOIS_BASE_URL, the base of the page links.
	BaseURL *url.URL
	// AnonymousPerMinute is EMPLOIS_RATE_LIMIT_API: the calls per minute of a client address
	// without credentials on siaes/ (0: no limit).
	AnonymousPerMinute int
	Session            func(*http.Request) (userID int64, kind actor.Kind)
	ClientIP           func(*http.Request) string
	Log                *slog.Logger
}

// Route is one pattern of the route table with its handler.
type Route struct {
	Pattern string
	Handler http.HandlerFunc
}

// Routes are the patterns of every endpoint of the partner API behind one gate (api.md §1.5):
// internal/web registers them in the site's route table.
func Routes(c Config) []Route {
	g := &Gate{Tokens: c.Tokens, Session: c.Session, ClientIP: c.ClientIP, Log: c.Log}
	t := c.Throttles
	siaes := NewSiaes(c.Directory, c.BaseURL, c.Log)
	dataInclusion := &DataInclusion{Orgs: c.Orgs, BaseURL: c.BaseURL, Log: c.Log}
	marche := &Marche{Orgs: c.Orgs, BaseURL: c.BaseURL, Log: c.Log}
	candidats := &Candidats{Orgs: c.Orgs, JobSeekers: c.JobSeekers, BaseURL: c.BaseURL, Log: c.Log}
	recherche := &Recherche{Applications: c.Applications, BaseURL: c.BaseURL, Log: c.Log}
	geiq := &EmbauchesGEIQ{Applications: c.Applications, Accounts: c.Accounts, BaseURL: c.BaseURL, Log: c.Log}
	tokenAuth := &TokenAuth{Accounts: c.Accounts, Tokens: c.Tokens, Log: c.Log}
	records := &EmployeeRecords{Records: c.EmployeeRecords, Orgs: c.Orgs, BaseURL: c.BaseURL,
		FrenchLikeASPFrom: c.FrenchLikeASPFrom, Now: time.Now, Log: c.Log}
	recordsEndpoint := func(path string, h http.HandlerFunc) Endpoint {
		return Endpoint{Path: path, Methods: []string{http.MethodGet}, Schemes: []Scheme{UserTokenAuth, SessionAuth},
			Permission: EmployeeRecordAdmin(c.Orgs),
			// One bucket for both routes, apart from the other endpoints' (api.md §10 Q4).
			Throttles: []Throttle{{Scope: "employee-records", Limiter: t.PerMinute(RateEmployeeRecords), Bucket: ByUser}},
			Handler:   h}
	}
	endpoints := []Endpoint{
		{
			Path: "/api/v1/siaes/{$}", Methods: []string{http.MethodGet},
			Schemes: []Scheme{DepartmentTokenAuth, UserTokenAuth, SessionAuth}, Permission: AllowAny,
			Throttles: []Throttle{
				{Scope: "siaes-anonymous", Limiter: t.PerMinute(c.AnonymousPerMinute), Bucket: ByAnonymousClient},
				{Scope: "siaes", Limiter: t.PerMinute(RatePerUser), Bucket: ByCaller},
			},
			Handler: siaes.ListHandler,
		},
		{
			Path: "/api/v1/data-inclusion/{$}", Methods: []string{http.MethodGet},
			Schemes: []Scheme{ServiceTokenAuth}, Permission: ServiceAccount(apitoken.DataInclusion),
			Throttles: []Throttle{{Scope: "data-inclusion", Limiter: t.PerMinute(RatePerUser), Bucket: ByToken}},
			Handler:   dataInclusion.Handler,
		},
		{
			Path: "/api/v1/marche/{$}", Methods: []string{http.MethodGet},
			Schemes: []Scheme{ServiceTokenAuth}, Permission: ServiceAccount(apitoken.LeMarche),
			Throttles: []Throttle{{Scope: "marche", Limiter: t.PerMinute(RatePerUser), Bucket: ByToken}},
			Handler:   marche.Handler,
		},
		{
			Path: "/api/v1/candidats/{$}", Methods: []string{http.MethodGet},
			Schemes: []Scheme{UserTokenAuth, SessionAuth}, Permission: candidats.Permission(),
			Throttles: []Throttle{{Scope: "candidats", Limiter: t.PerMinute(RatePerUser), Bucket: ByUser}},
			Handler:   candidats.ListHandler,
		},
		{
			Path: "/api/v1/candidatures/recherche/{$}", Methods: []string{http.MethodPost, http.MethodOptions},
			Schemes: []Scheme{DepartmentTokenAuth}, Permission: DepartmentAccount,
			Throttles: []Throttle{{Scope: "candidatures-recherche", Limiter: t.PerMinute(RatePerDepartment), Bucket: ByDepartment}},
			Handler:   recherche.Handler,
		},
		{
			Path: "/api/v1/embauches-geiq/{$}", Methods: []string{http.MethodGet},
			Schemes: []Scheme{CompanyTokenAuth, SessionAuth}, Permission: geiq.Permission(),
			Throttles: []Throttle{
				// 12 a minute per company token (the original's anonymous rate, by IP: §10 Q3),
				// 120 per superuser.
				{Scope: "embauches-geiq-token", Limiter: t.PerMinute(RateCompanyToken), Bucket: ByToken},
				{Scope: "embauches-geiq", Limiter: t.PerMinute(RatePerUser), Bucket: ByUser},
			},
			Handler: geiq.Handler,
		},
		{
			Path: "/api/v1/token-auth/{$}", Methods: []string{http.MethodPost}, Permission: AllowAny,
			Throttles: []Throttle{{Scope: "token-auth", Limiter: t.PerMinute(RateTokenAuthPerClient), Bucket: ByClient}},
			Handler:   tokenAuth.Handler,
		},
		recordsEndpoint("/api/v1/employee-records/{$}", records.RecordsHandler),
		recordsEndpoint("/api/v1/employee-record-notifications/{$}", records.NotificationsHandler),
		rootEndpoint(c.BaseURL, t),
	}
	endpoints = append(endpoints, nexusEndpoints(&Nexus{Directory: c.Nexus, Log: c.Log}, t)...)
	var routes []Route
	for _, e := range endpoints {
		h := g.Wrap(e)
		for _, p := range e.Patterns() {
			routes = append(routes, Route{Pattern: p, Handler: h})
		}
	}
	return routes
}

// nexusEndpoints are the nexus routes (api.md §8), without trailing slash: service tokens only,
// of Dora and the Marché for what writes (§10 Q5), of any service for dropdown-status; one
// 120/min bucket per token for all of them (§10 Q2).
func nexusEndpoints(n *Nexus, t *Throttles) []Endpoint {
	throttles := []Throttle{{Scope: "nexus", Limiter: t.PerMinute(RatePerUser), Bucket: ByToken}}
	pushers := ServiceAccount(nexus.Pushers...)
	endpoint := func(path string, p Permission, h http.HandlerFunc, methods ...string) Endpoint {
		return Endpoint{Path: path, Methods: methods, Schemes: []Scheme{ServiceTokenAuth}, Permission: p, Throttles: throttles, Handler: h}
	}
	return []Endpoint{
		endpoint(NexusUsersPath, pushers, n.ResourceHandler(nexus.Users), http.MethodPost, http.MethodDelete),
		endpoint(NexusStructuresPath, pushers, n.ResourceHandler(nexus.Structures), http.MethodPost, http.MethodDelete),
		endpoint(NexusMembershipsPath, pushers, n.ResourceHandler(nexus.Memberships), http.MethodPost, http.MethodDelete),
		endpoint(NexusSyncStartPath, pushers, n.SyncStartHandler, http.MethodPost),
		endpoint(NexusSyncCompletedPath, pushers, n.SyncCompletedHandler, http.MethodPost),
		endpoint(NexusDropdownStatusPath, ServiceAccount(), n.DropdownStatusHandler, http.MethodPost),
	}
}
