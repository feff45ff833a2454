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
	// Applications serves candidatures/recherche/.
	Applications *application.Service
	Throttles    *Throttles
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
			Path: "/api/v1/token-auth/{$}", Methods: []string{http.MethodPost}, Permission: AllowAny,
			Throttles: []Throttle{{Scope: "token-auth", Limiter: t.PerMinute(RateTokenAuthPerClient), Bucket: ByClient}},
			Handler:   tokenAuth.Handler,
		},
		recordsEndpoint("/api/v1/employee-records/{$}", records.RecordsHandler),
		recordsEndpoint("/api/v1/employee-record-notifications/{$}", records.NotificationsHandler),
		rootEndpoint(c.BaseURL, t),
	}
	var routes []Route
	for _, e := range endpoints {
		h := g.Wrap(e)
		for _, p := range e.Patterns() {
			routes = append(routes, Route{Pattern: p, Handler: h})
		}
	}
	return routes
}
