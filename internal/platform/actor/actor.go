// Package actor says who asks a service for something: the user, their stored kind, the
// organization a professional acts for and the client address, for permissions and the audit.
package actor

// Kind is one of the three stored user kinds (actors.md §0.1). A professional's role
// (employer, prescriber, institution member) comes from the organization they act for.
type Kind string

const (
	JobSeeker    Kind = "job_seeker"
	Professional Kind = "professional"
	Staff        Kind = "itou_staff"
)

// Label is the French name of the kind shown in the interface.
func (k Kind) Label() string {
	switch k {
	case JobSeeker:
		return "Candidat"
	case Professional:
		return "Professionnel"
	case Staff:
		return "Administrateur"
	}
	return string(k)
}

// Actor is the user behind a request. The zero Actor is the system itself (imports, the
// worker, a signup before any account exists): it has no user and no rights of a user.
type Actor struct {
	UserID int64
	Kind   Kind
	// Organization is the one a professional currently acts for, nil when none.
	Organization *Organization
	ClientIP     string
}

// IsStaff reports whether the actor is a member of the staff (who may act on any organization).
func (a Actor) IsStaff() bool { return a.Kind == Staff }

// Organization is what services need of the organization a professional acts for. Type is the
// family ("company", "prescriber", "institution": org.Type's values) and Kind its kind code.
type Organization struct {
	Type    string
	Kind    string
	ID      int64
	UID     string
	IsAdmin bool
}
