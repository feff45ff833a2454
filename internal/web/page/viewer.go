package page

import (
	"context"
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

type viewerKey struct{}

// WithViewer stores the viewer in the request context (done by ResolveViewer).
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerOf returns the viewer of the request (anonymous outside ResolveViewer).
func ViewerOf(r *http.Request) Viewer { return ViewerFrom(r.Context()) }

// ViewerFrom returns the viewer stored in ctx (anonymous outside ResolveViewer).
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}

// ActorOf is the viewer of the request as every domain service sees it.
func (k *Kit) ActorOf(r *http.Request) actor.Actor {
	v := ViewerOf(r)
	a := actor.Actor{UserID: v.UserID, Kind: v.Kind, ClientIP: k.ClientIP(r)}
	if o := v.Organization; o != nil {
		a.Organization = &actor.Organization{Type: string(o.Type), Kind: o.Kind, ID: o.ID, UID: o.UID, IsAdmin: o.IsAdmin}
	}
	return a
}

// Authenticated reports whether the viewer is logged in.
func (v Viewer) Authenticated() bool { return v.UserID != 0 }

// IsStaff reports whether the viewer belongs to the support team.
func (v Viewer) IsStaff() bool { return v.Kind == actor.Staff }

// IsProfessional reports whether the viewer has a professional account (with or without an
// organization to act for).
func (v Viewer) IsProfessional() bool { return v.Kind == actor.Professional }

// DisplayName is "Firstname LASTNAME", or the e-mail when names are not known yet.
func (v Viewer) DisplayName() string {
	if v.FirstName == "" && v.LastName == "" {
		return v.Email
	}
	return v.FirstName + " " + strings.ToUpper(v.LastName)
}

// Unaffiliated reports whether the viewer is a professional without any organization to act
// for: such a professional sees only the explanation page (actors.md §8, gate 4).
func (v Viewer) Unaffiliated() bool { return v.IsProfessional() && v.Organization == nil }

// CanSwitchOrganization reports whether the header shows the organization switcher.
func (v Viewer) CanSwitchOrganization() bool { return len(v.Organizations) > 1 }

// IsEmployer reports whether a professional acts for a company.
func (v Viewer) IsEmployer() bool { return v.Organization != nil && v.Organization.FromEmployer() }

// Policy decides whether a viewer may reach a route. Every route declares one (Router.Handle), and
// a test walks the route table to make sure none is missing. Object-level checks (may this
// viewer see this candidature?) live in the domain services; a policy is the first gate.
type Policy struct {
	Name  string
	Allow func(v Viewer) bool
}

var (
	// Public routes are open to everyone, logged in or not.
	Public = Policy{"public", func(Viewer) bool { return true }}
	// LoggedIn routes need any authenticated account.
	LoggedIn = Policy{"logged-in", Viewer.Authenticated}
	// StaffOnly routes need a staff (itou_staff) account.
	StaffOnly = Policy{"staff", Viewer.IsStaff}
	// ProfessionalAccount routes need a professional account, with or without organization
	// (the professional signup journeys).
	ProfessionalAccount = Policy{"professional", Viewer.IsProfessional}

	// The policies of professionals act on the organization currently selected (actors.md §8, §9);
	// object checks (is this company theirs?) stay in the domain services.

	// Professional routes need a professional acting for an organization of any family.
	Professional = Policy{"professional-member", func(v Viewer) bool { return v.Organization != nil }}
	// EmployerMember routes need a member of the current company.
	EmployerMember = Policy{"employer", Viewer.IsEmployer}
	// EmployerOrPrescriber routes serve the professionals who apply for someone else and follow
	// candidatures: employers and prescribers, authorized or not (actors.md §9).
	EmployerOrPrescriber = Policy{"employer-or-prescriber", func(v Viewer) bool {
		return v.Organization != nil && (v.Organization.FromEmployer() || v.Organization.FromPrescriber())
	}}
	// JobSeekerAccount routes serve job seeker accounts only.
	JobSeekerAccount = Policy{"job-seeker", func(v Viewer) bool { return v.Kind == actor.JobSeeker }}
	// ProfessionalOrStaff routes serve professionals acting for an organization and staff (pages
	// addressed by organization uid, checked by the org service).
	ProfessionalOrStaff = Policy{"professional-or-staff", func(v Viewer) bool {
		return v.Organization != nil || v.IsStaff()
	}}
)
