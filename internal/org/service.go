package org

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// Audit actions written by this package (object type: the organization's table, object id: its uid).
const (
	ActionMemberAdded          = "org_member_added"
	ActionMemberReactivated    = "org_member_reactivated"
	ActionMemberDeactivated    = "org_member_deactivated"
	ActionAdminGranted         = "org_admin_granted"
	ActionAdminRevoked         = "org_admin_revoked"
	ActionCompanyCreated       = "company_created"
	ActionAntennaCreated       = "antenna_created"
	ActionCompanyUpdated       = "company_updated"
	ActionApplicationsBlocked  = "company_applications_blocked"
	ActionApplicationsOpened   = "company_applications_unblocked"
	ActionSpontaneousOpened    = "company_spontaneous_opened"
	ActionSpontaneousClosed    = "company_spontaneous_closed"
	ActionPrescriberCreated    = "prescriber_organization_created"
	ActionPrescriberUpdated    = "prescriber_organization_updated"
	ActionHabilitationValidate = "habilitation_validated"
	ActionHabilitationRefuse   = "habilitation_refused"
	ActionPrescriberKind       = "prescriber_kind_changed"
	ActionInstitutionCreated   = "institution_created"
	ActionConventionCreated    = "convention_created"
)

// Service is what professionals and staff may do with organizations and memberships.
type Service struct {
	db      *db.DB
	geo     *geo.Store
	baseURL string
	// supportEmail is told of every habilitation to validate (EMPLOIS_SUPPORT_EMAIL, may be empty).
	supportEmail string

	// Now is the clock (tests move it across grace periods).
	Now func() time.Time
	// AfterDeactivate runs inside the transaction that deactivates a membership: the invitations
	// package registers there the expiry of the pending invitations to and from that member for
	// that organization (actors.md §3).
	AfterDeactivate []func(ctx context.Context, tx bun.IDB, t Type, orgID, userID int64) error
}

// NewService returns the organization service; links in e-mails start with cfg.BaseURL.
func NewService(d *db.DB, cfg config.Config) *Service {
	return &Service{db: d, geo: geo.NewStore(d), baseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"),
		supportEmail: cfg.SupportEmail, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// system is the actor of what no user does (imports of conventions and companies).
var system actor.Actor

// Context is the organization context of a professional (actors.md §8): the organizations they
// may act for, in default order, and the one they act for now.
type Context struct {
	Current      *Affiliation
	Affiliations []Affiliation
}

// Switcher lists the organizations in the order of the header switcher.
func (c Context) Switcher() []Affiliation { return SwitcherOrder(c.Affiliations) }

// ContextFor loads the organizations the user may act for in one query (active memberships;
// companies active or in grace period) and picks the current one: the session's key when still
// valid, else the first.
func (s *Service) ContextFor(ctx context.Context, userID int64, sessionKey string) (Context, error) {
	all, err := affiliations(ctx, s.db, userID, s.now())
	if err != nil {
		return Context{}, err
	}
	usable := all[:0]
	for _, a := range all {
		if a.Active {
			usable = append(usable, a)
		}
	}
	OrderAffiliations(usable)
	return Context{Current: CurrentAffiliation(usable, sessionKey), Affiliations: usable}, nil
}

// ByUID returns any organization by its uid, or ErrNotFound.
func (s *Service) ByUID(ctx context.Context, uid string) (Ref, error) {
	return refByUID(ctx, s.db, uid, s.now())
}

// Company returns the company with this uid (its convention loaded), or ErrNotFound.
func (s *Service) Company(ctx context.Context, uid string) (*Company, error) {
	return companyBy(ctx, s.db, "co.uid = ?", uid)
}

// CompanyByID returns the company with this id (its convention loaded), or ErrNotFound.
func (s *Service) CompanyByID(ctx context.Context, id int64) (*Company, error) {
	return companyBy(ctx, s.db, "co.id = ?", id)
}

// Prescriber returns the prescriber organization with this uid, or ErrNotFound.
func (s *Service) Prescriber(ctx context.Context, uid string) (*PrescriberOrganization, error) {
	return prescriberBy(ctx, s.db, "po.uid = ?", uid)
}

// PrescriberByID returns the prescriber organization with this id, or ErrNotFound.
func (s *Service) PrescriberByID(ctx context.Context, id int64) (*PrescriberOrganization, error) {
	return prescriberBy(ctx, s.db, "po.id = ?", id)
}

// PrescriberBySAFIR returns the France Travail agency with this SAFIR code, or ErrNotFound.
func (s *Service) PrescriberBySAFIR(ctx context.Context, code string) (*PrescriberOrganization, error) {
	return prescriberBy(ctx, s.db, "po.code_safir = ?", code)
}

// PrescribersBySIRET returns the prescriber organizations with this SIRET (one per kind at most).
func (s *Service) PrescribersBySIRET(ctx context.Context, siret string) ([]PrescriberOrganization, error) {
	return prescribersBySIRET(ctx, s.db, siret)
}

// Institution returns the institution with this uid, or ErrNotFound.
func (s *Service) Institution(ctx context.Context, uid string) (*Institution, error) {
	return institutionBy(ctx, s.db, "ins.uid = ?", uid)
}

// CompanyChoice is a company found by SIREN at employer signup, with its active member count.
type CompanyChoice struct {
	Company       *Company
	Activity      Activity
	ActiveMembers int
}

// CompaniesBySIREN returns the active (or in grace period) companies whose SIRET starts with
// siren, with their active member counts, in two queries (actors.md §10.5).
func (s *Service) CompaniesBySIREN(ctx context.Context, siren string) ([]CompanyChoice, error) {
	list, err := companiesBySIREN(ctx, s.db, siren)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var choices []CompanyChoice
	var ids []int64
	for _, c := range list {
		if a := c.ActivityAt(now); a.Active {
			choices = append(choices, CompanyChoice{Company: c, Activity: a})
			ids = append(ids, c.ID)
		}
	}
	counts, err := s.ActiveMemberCounts(ctx, TypeCompany, ids)
	if err != nil {
		return nil, err
	}
	for i := range choices {
		choices[i].ActiveMembers = counts[choices[i].Company.ID]
	}
	return choices, nil
}

// ActiveMemberCounts returns the number of active members of each organization (absent: none),
// in one query.
func (s *Service) ActiveMemberCounts(ctx context.Context, t Type, orgIDs []int64) (map[int64]int, error) {
	return activeMemberCounts(ctx, s.db, t, orgIDs)
}

// ContactMember is the member to ask for an invitation: an admin first, else the earliest member
// (actors.md §7, §10.5). ErrMemberNotFound when the organization has no active member.
func (s *Service) ContactMember(ctx context.Context, t Type, orgID int64) (Member, error) {
	return contactMember(ctx, s.db, t, orgID)
}

// IsActiveMember reports whether the user is an active member of the organization.
func (s *Service) IsActiveMember(ctx context.Context, t Type, orgID, userID int64) (bool, error) {
	m, err := membership(ctx, s.db, t, orgID, userID)
	if err != nil {
		return false, err
	}
	return m != nil && m.IsActive, nil
}

// Search finds organizations of every family for staff: by SIRET (or SIREN) prefix when q is
// digits, else by name (case-insensitive substring). At most limit results, by name.
func (s *Service) Search(ctx context.Context, actor actor.Actor, q string, limit int) ([]Ref, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	rows, err := searchOrganizations(ctx, s.db, q, limit)
	if err != nil {
		return nil, err
	}
	now := s.now()
	refs := make([]Ref, len(rows))
	for i, r := range rows {
		refs[i] = r.ref(now)
	}
	return refs, nil
}
