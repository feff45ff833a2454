package jobseeker

// Role is what a viewer is to job seekers (actors.md §9): it comes from the account kind and,
// for professionals, the organization they act for.
type Role string

const (
	RoleNone                 Role = ""
	RoleJobSeeker            Role = "job_seeker"
	RoleOrienteur            Role = "orienteur"
	RoleAuthorizedPrescriber Role = "authorized_prescriber"
	RoleEmployer             Role = "employer"
	RoleInstitution          Role = "institution"
	RoleStaff                Role = "staff"
)

// Relation is what ties the viewer to one job seeker.
type Relation struct {
	Self bool // the viewer is the job seeker
	// CreatedByViewer: the viewer created the account by proxy.
	CreatedByViewer bool
	// Followed: the viewer or their current organization has an assignment to the job seeker
	// (it is in their « Mes candidats »).
	Followed bool
}

// CanView reports whether a viewer may open a job seeker's page at all (actors.md §9 « View job
// seeker personal info »): themself, staff, employers and authorized prescribers; orienteurs the
// job seekers they created, and those of their « Mes candidats » (masked, R35).
func CanView(role Role, rel Relation) bool {
	switch role {
	case RoleJobSeeker:
		return rel.Self
	case RoleStaff, RoleEmployer, RoleAuthorizedPrescriber:
		return true
	case RoleOrienteur:
		return rel.CreatedByViewer || rel.Followed
	}
	return false
}

// CanSeePersonalData reports whether the viewer sees (and edits) names, NIR, e-mail, birth and
// address (actors.md §9, applications.md R35): orienteurs only for the accounts they created.
func CanSeePersonalData(role Role, rel Relation) bool {
	switch role {
	case RoleJobSeeker:
		return rel.Self
	case RoleStaff, RoleEmployer, RoleAuthorizedPrescriber:
		return true
	case RoleOrienteur:
		return rel.CreatedByViewer
	}
	return false
}

// CanEdit reports whether the viewer may edit the profile: the same people as those who see the
// personal data (actors.md §9 « Edit job seeker personal info »).
func CanEdit(role Role, rel Relation) bool { return CanSeePersonalData(role, rel) }

// CanAttachNIR reports whether the role may attach the NIR typed at the identity search to a
// job seeker found by e-mail without one: employers and authorized prescribers
// (applications.md §3.2-2b).
func CanAttachNIR(role Role) bool { return role == RoleEmployer || role == RoleAuthorizedPrescriber }

// CanSearchAndCreate reports whether the viewer may search job seekers by identity and create
// one by proxy (actors.md §9 « Create a job seeker account »): prescribers of any kind,
// employers, staff.
func CanSearchAndCreate(role Role) bool {
	switch role {
	case RoleOrienteur, RoleAuthorizedPrescriber, RoleEmployer, RoleStaff:
		return true
	}
	return false
}

// Scope is a tab of « Mes candidats ».
type Scope string

const (
	ScopeMine         Scope = "mine"
	ScopeOrganization Scope = "organization"
)

// CanList reports whether the viewer may see a tab of « Mes candidats » (actors.md §9):
// prescribers see both, employers the organization's only.
func CanList(role Role, scope Scope) bool {
	switch role {
	case RoleOrienteur, RoleAuthorizedPrescriber:
		return scope == ScopeMine || scope == ScopeOrganization
	case RoleEmployer:
		return scope == ScopeOrganization
	}
	return false
}
