package api

import (
	"context"
	"net/http"
	"net/url"
)

// Root is the body of GET /api/v1/, the original's router root (api.md §9): the endpoints of its
// router, in their order, as absolute URLs.
type Root struct {
	EmployeeRecords             string `json:"employee-records"`
	EmployeeRecordNotifications string `json:"employee-record-notifications"`
	Siaes                       string `json:"siaes"`
}

// NewRoot is the router root of the site at base (EMPLOIS_BASE_URL).
func NewRoot(base *url.URL) Root {
	return Root{EmployeeRecords: *link(base, "/api/v1/employee-records/"),
		EmployeeRecordNotifications: *link(base, "/api/v1/employee-record-notifications/"),
		Siaes:                       *link(base, "/api/v1/siaes/")}
}

// LoggedIn lets in any user recognised by the endpoint's schemes (DRF's IsAuthenticated).
var LoggedIn = Permission{Name: "logged-in", Allow: func(_ context.Context, id Identity) (bool, error) {
	return id.UserID != 0, nil
}}

// rootEndpoint serves the router root to a logged-in user of the site; anonymously, 403 as the
// original, whose first scheme (the session) sends no WWW-Authenticate challenge.
func rootEndpoint(base *url.URL, t *Throttles) Endpoint {
	root := NewRoot(base)
	return Endpoint{Path: "/api/v1/{$}", Methods: []string{http.MethodGet}, Schemes: []Scheme{SessionAuth}, Permission: LoggedIn,
		Throttles: []Throttle{{Scope: "root", Limiter: t.PerMinute(RatePerUser), Bucket: ByUser}},
		Handler:   func(w http.ResponseWriter, _ *http.Request) { WriteJSON(w, http.StatusOK, root) }}
}
