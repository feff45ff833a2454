package org

import (
	"context"
	"strings"
	"time"

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
	rows, total, err := searchForStaff(ctx, s.db, q, offset, limit)
	if err != nil || len(rows) == 0 {
		return nil, total, err
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
	rows, err := membershipsOfUser(ctx, s.db, userID)
	if err != nil {
		return nil, err
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
	total, err := countMemberships(ctx, s.db, t, orgID)
	if err != nil {
		return nil, err
	}
	p := &StaffMembersPage{Total: total, Pages: max(1, (total+MembersPageSize-1)/MembersPageSize)}
	p.Page = min(max(page, 1), p.Pages)
	if total == 0 {
		return p, nil
	}
	if p.Members, err = listMemberships(ctx, s.db, t, orgID, (p.Page-1)*MembersPageSize, MembersPageSize); err != nil {
		return nil, err
	}
	return p, nil
}

// PendingPrescribers returns a page of the prescriber organizations waiting for staff to decide
// their habilitation (status NOT_SET), oldest first, and how many wait in all (two queries).
func (s *Service) PendingPrescribers(ctx context.Context, actor actor.Actor, offset, limit int) ([]PrescriberOrganization, int, error) {
	if !actor.IsStaff() {
		return nil, 0, ErrForbidden
	}
	total, err := countPendingPrescribers(ctx, s.db)
	if err != nil {
		return nil, 0, err
	}
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	list, err := pendingPrescribers(ctx, s.db, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}
