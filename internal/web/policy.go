package web

import (
	"net/http"
	"strings"
)

// Viewer is who is making the request, as resolved from the session. The zero value is an
// anonymous visitor.
type Viewer struct {
	UserID    int64
	PublicID  string
	Kind      string // "job_seeker", "professional" or "itou_staff"; empty when anonymous
	Email     string
	FirstName string
	LastName  string
}

// Authenticated reports whether the viewer is logged in.
func (v Viewer) Authenticated() bool { return v.UserID != 0 }

// DisplayName is "Firstname LASTNAME", or the e-mail when names are not known yet.
func (v Viewer) DisplayName() string {
	if v.FirstName == "" && v.LastName == "" {
		return v.Email
	}
	return v.FirstName + " " + strings.ToUpper(v.LastName)
}

// Policy decides whether a viewer may reach a route. Every route declares one (see handle), and
// a test walks the route table to make sure none is missing. Object-level checks (may this
// viewer see this candidature?) live in the domain services; a policy is the first gate.
type Policy struct {
	Name  string
	Allow func(r *http.Request, v Viewer) bool
}

var (
	// Public routes are open to everyone, logged in or not.
	Public = Policy{"public", func(*http.Request, Viewer) bool { return true }}
	// LoggedIn routes need any authenticated account.
	LoggedIn = Policy{"logged-in", func(_ *http.Request, v Viewer) bool { return v.Authenticated() }}
	// JobSeekerOnly routes need a job seeker account.
	JobSeekerOnly = Policy{"job-seeker", func(_ *http.Request, v Viewer) bool { return v.Kind == "job_seeker" }}
	// StaffOnly routes need a staff (itou_staff) account.
	StaffOnly = Policy{"staff", func(_ *http.Request, v Viewer) bool { return v.Kind == "itou_staff" }}
)
