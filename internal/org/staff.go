package org

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
)

// What the staff back office reads about organizations (actors.md §20). Every method is staff
// only and runs a fixed number of queries, whatever the number of rows.

// AuditObjectType is the object type of the audit events about organizations of the family.
func (t Type) AuditObjectType() string { return t.table() }

// SearchForStaff returns one page of the organizations of every family matching q, by name, and
// how many match in all (two queries). Digits search the SIRET (a SIREN or a SIRET prefix) of
// companies and prescriber organizations, and 5 digits also the SAFIR code of France Travail
// agencies; a uid finds its organization; other text searches the names (and the brands of
// companies), case-insensitive.
func (s *Service) SearchForStaff(ctx context.Context, actor actor.Actor, q string, offset, limit int) ([]Ref, int, error) {
	if !actor.IsStaff() {
		return nil, 0, ErrForbidden
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, 0, nil
	}
	digits := NormalizeSIRET(q)
	_, uuidErr := uuid.Parse(q)
	parts := make([]string, 0, len(Types))
	var args []any
	for _, t := range Types {
		sel := "SELECT " + orgColumns(t) + " FROM " + orgFrom(t)
		switch {
		case uuidErr == nil:
			sel += " WHERE o.uid = ?"
			args = append(args, strings.ToLower(q))
		case allDigits(digits) && t == TypeInstitution:
			continue
		case allDigits(digits):
			lo, hi := sirenRange(digits)
			sel += " WHERE (o.siret >= ? AND o.siret < ?"
			args = append(args, lo, hi)
			if t == TypePrescriber && SAFIRProblem(digits) == "" {
				sel += " OR o.code_safir = ?"
				args = append(args, digits)
			}
			sel += ")"
		default:
			like := "%" + likeEscape(strings.ToLower(q)) + "%"
			sel += ` WHERE (lower(o.name) LIKE ? ESCAPE '\'`
			args = append(args, like)
			if t == TypeCompany {
				sel += ` OR lower(o.brand) LIKE ? ESCAPE '\'`
				args = append(args, like)
			}
			sel += ")"
		}
		parts = append(parts, sel)
	}
	union := strings.Join(parts, " UNION ALL ")
	var total int
	if err := s.db.NewRaw("SELECT COUNT(*) FROM ("+union+") found", args...).Scan(ctx, &total); err != nil {
		return nil, 0, fmt.Errorf("org: count staff search: %w", err)
	}
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	var rows []refRow
	err := s.db.NewRaw("SELECT * FROM ("+union+") found ORDER BY lower(name), org_type, id LIMIT ? OFFSET ?",
		append(args, limit, offset)...).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("org: staff search: %w", err)
	}
	now := s.now()
	refs := make([]Ref, len(rows))
	for i, r := range rows {
		refs[i] = r.ref(now)
	}
	return refs, total, nil
}

// UserMembership is one membership of a user, active or not, with its organization.
type UserMembership struct {
	Organization Ref
	IsAdmin      bool
	IsActive     bool
	JoinedAt     time.Time
}

type userMembershipRow struct {
	refRow
	IsAdmin          bool      `bun:"is_admin"`
	MembershipActive bool      `bun:"membership_active"`
	JoinedAt         time.Time `bun:"joined_at"`
}

// MembershipsOfUser returns every membership of the user in the three families, active ones
// first, then by join date (one query).
func (s *Service) MembershipsOfUser(ctx context.Context, actor actor.Actor, userID int64) ([]UserMembership, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	parts := make([]string, len(Types))
	args := make([]any, len(Types))
	for i, t := range Types {
		parts[i] = "SELECT " + orgColumns(t) + ", m.is_admin, m.is_active AS membership_active, m.joined_at FROM " + orgFrom(t) +
			" JOIN " + t.membershipTable() + " m ON m.organization_id = o.id WHERE m.user_id = ?"
		args[i] = userID
	}
	var rows []userMembershipRow
	q := "SELECT * FROM (" + strings.Join(parts, " UNION ALL ") + ") m ORDER BY membership_active DESC, joined_at, org_type, id"
	if err := s.db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("org: memberships of user %d: %w", userID, err)
	}
	now := s.now()
	list := make([]UserMembership, len(rows))
	for i, r := range rows {
		list[i] = UserMembership{Organization: r.ref(now), IsAdmin: r.IsAdmin, IsActive: r.MembershipActive, JoinedAt: r.JoinedAt}
	}
	return list, nil
}

// StaffMember is one membership of an organization as staff see it: inactive ones and members
// whose account is deactivated included.
type StaffMember struct {
	Member
	MembershipActive bool `bun:"membership_active"`
	UserActive       bool `bun:"user_active"`
}

// StaffMembersPage is one page of the members of an organization for staff.
type StaffMembersPage struct {
	Members     []StaffMember
	Total       int
	Page, Pages int
}

// MembersForStaff returns a page (from 1) of every membership of the organization, active ones
// first, then by last and first name, MembersPageSize per page (two queries).
func (s *Service) MembersForStaff(ctx context.Context, actor actor.Actor, t Type, orgID int64, page int) (*StaffMembersPage, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	var total int
	if err := s.db.NewRaw("SELECT COUNT(*) FROM ? WHERE organization_id = ?", bun.Ident(t.membershipTable()), orgID).Scan(ctx, &total); err != nil {
		return nil, fmt.Errorf("org: count memberships of %s %d: %w", t, orgID, err)
	}
	p := &StaffMembersPage{Total: total, Pages: max(1, (total+MembersPageSize-1)/MembersPageSize)}
	p.Page = min(max(page, 1), p.Pages)
	if total == 0 {
		return p, nil
	}
	err := s.db.NewRaw("SELECT u.id AS user_id, u.public_id, COALESCE(u.email, '') AS email, u.first_name, u.last_name, m.is_admin, m.joined_at,"+
		" m.is_active AS membership_active, u.is_active AS user_active"+
		" FROM ? m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ?"+
		" ORDER BY m.is_active DESC, lower(u.last_name), lower(u.first_name), u.id LIMIT ? OFFSET ?",
		bun.Ident(t.membershipTable()), orgID, MembersPageSize, (p.Page-1)*MembersPageSize).Scan(ctx, &p.Members)
	if err != nil {
		return nil, fmt.Errorf("org: memberships of %s %d: %w", t, orgID, err)
	}
	return p, nil
}

// PendingPrescribers returns a page of the prescriber organizations waiting for staff to decide
// their habilitation (status NOT_SET), oldest first, and how many wait in all (two queries).
func (s *Service) PendingPrescribers(ctx context.Context, actor actor.Actor, offset, limit int) ([]PrescriberOrganization, int, error) {
	if !actor.IsStaff() {
		return nil, 0, ErrForbidden
	}
	q := func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("po.authorization_status = ?", AuthorizationNotSet)
	}
	n, err := q(s.db.NewSelect().Model((*PrescriberOrganization)(nil))).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("org: count pending prescribers: %w", err)
	}
	total := int(n)
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	var list []PrescriberOrganization
	err = q(s.db.NewSelect().Model(&list)).OrderExpr("po.created_at, po.id").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("org: pending prescribers: %w", err)
	}
	return list, total, nil
}
