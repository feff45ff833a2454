package web

import (
	"net/http"
	"strings"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// Viewer is who is making the request, as resolved from the session. The zero value is an
// anonymous visitor.
type Viewer struct {
	UserID    int64
	PublicID  string
	Kind      actor.Kind // empty when anonymous
	Email     string
	FirstName string
	LastName  string

	// Organization is the organization a professional acts for (actors.md §8): nil for other
	// kinds, and for a professional without active membership (see Unaffiliated).
	Organization *org.Affiliation
	// Organizations are all the organizations a professional may act for, in switcher order.
	Organizations []org.Affiliation
}

// actorOf is the viewer of r as every service sees them: the user, their kind, the organization
// they act for and the client address.
func (s *Server) actorOf(r *http.Request) actor.Actor {
	v := viewerFrom(r.Context())
	a := actor.Actor{UserID: v.UserID, Kind: v.Kind, ClientIP: s.clientIP.Of(r)}
	if o := v.Organization; o != nil {
		a.Organization = &actor.Organization{Type: string(o.Type), Kind: o.Kind, ID: o.ID, UID: o.UID, IsAdmin: o.IsAdmin}
	}
	return a
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

// Unaffiliated reports whether the viewer is a professional without any organization to act
// for: such a professional sees only the explanation page (actors.md §8, gate 4).
func (v Viewer) Unaffiliated() bool { return v.Kind == actor.Professional && v.Organization == nil }

// CanSwitchOrganization reports whether the header shows the organization switcher.
func (v Viewer) CanSwitchOrganization() bool { return len(v.Organizations) > 1 }

// IsEmployer, IsPrescriber, IsAuthorizedPrescriber and IsInstitutionMember give the role of a
// professional from the current organization; IsOrgAdmin whether they administer it.
func (v Viewer) IsEmployer() bool { return v.Organization != nil && v.Organization.FromEmployer() }
func (v Viewer) IsPrescriber() bool {
	return v.Organization != nil && v.Organization.FromPrescriber()
}
func (v Viewer) IsAuthorizedPrescriber() bool {
	return v.Organization != nil && v.Organization.FromAuthorizedPrescriber()
}
func (v Viewer) IsInstitutionMember() bool {
	return v.Organization != nil && v.Organization.FromInstitution()
}
func (v Viewer) IsOrgAdmin() bool { return v.Organization != nil && v.Organization.IsAdmin }

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
	JobSeekerOnly = Policy{"job-seeker", func(_ *http.Request, v Viewer) bool { return v.Kind == actor.JobSeeker }}
	// StaffOnly routes need a staff (itou_staff) account.
	StaffOnly = Policy{"staff", func(_ *http.Request, v Viewer) bool { return v.Kind == actor.Staff }}

	// The policies of professionals act on the organization currently selected (actors.md §8, §9);
	// object checks (is this company theirs?) stay in the org service.

	// Professional routes need a professional acting for an organization of any family.
	Professional = Policy{"professional-member", func(_ *http.Request, v Viewer) bool { return v.Organization != nil }}
	// EmployerMember and EmployerAdmin routes need a member (admin) of the current company.
	EmployerMember = Policy{"employer", func(_ *http.Request, v Viewer) bool { return v.IsEmployer() }}
	EmployerAdmin  = Policy{"employer-admin", func(_ *http.Request, v Viewer) bool { return v.IsEmployer() && v.IsOrgAdmin() }}
	// PrescriberMember routes need a member of the current prescriber organization (habilitated or
	// orienteur); AuthorizedPrescriber a habilitated one.
	PrescriberMember     = Policy{"prescriber", func(_ *http.Request, v Viewer) bool { return v.IsPrescriber() }}
	AuthorizedPrescriber = Policy{"authorized-prescriber", func(_ *http.Request, v Viewer) bool { return v.IsAuthorizedPrescriber() }}
	// InstitutionMember routes need a member of the current institution.
	InstitutionMember = Policy{"institution", func(_ *http.Request, v Viewer) bool { return v.IsInstitutionMember() }}
	// OrgAdmin routes need an admin of the current organization, whatever its family.
	OrgAdmin = Policy{"org-admin", func(_ *http.Request, v Viewer) bool { return v.IsOrgAdmin() }}
	// ProfessionalOrStaff routes serve professionals acting for an organization and staff (pages
	// addressed by organization uid, checked by the org service).
	ProfessionalOrStaff = Policy{"professional-or-staff", func(_ *http.Request, v Viewer) bool {
		return v.Organization != nil || v.Kind == actor.Staff
	}}
)
