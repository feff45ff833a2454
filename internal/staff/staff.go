// Package staff is the back office of the itou staff (actors.md §20): search accounts and
// organizations, read an account or an organization with its memberships and its history, list
// the prescriber organizations whose habilitation waits for a decision. It composes the account
// and org services, which own the tables, the rules and the audit of every change; this package
// adds the reads only the back office needs (the history with its actors' names).
package staff

import (
	"context"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
)

// Page sizes of the back office lists.
const (
	SearchPageSize  = 20
	PendingPageSize = 20
)

// Service is what staff may read in the back office. Changes go through the account and org
// services (DeactivateUser, ValidateHabilitation...), which check and audit them.
type Service struct {
	db       *db.DB
	accounts *account.Service
	orgs     *org.Service
}

// NewService returns the back office over the account and org services.
func NewService(d *db.DB, accounts *account.Service, orgs *org.Service) *Service {
	return &Service{db: d, accounts: accounts, orgs: orgs}
}

// ErrForbidden refuses the back office to anyone but staff.
var ErrForbidden = org.ErrForbidden

// Scope narrows a search to one kind of account, or to organizations; "" searches both.
type Scope string

const (
	ScopeAll           Scope = ""
	ScopeJobSeekers    Scope = Scope(account.JobSeeker)
	ScopeProfessionals Scope = Scope(account.Professional)
	ScopeStaff         Scope = Scope(account.Staff)
	ScopeOrganizations Scope = "organizations"
)

// Scopes lists the choices of the search form, in order.
var Scopes = []Scope{ScopeAll, ScopeJobSeekers, ScopeProfessionals, ScopeStaff, ScopeOrganizations}

// Label is the French name of the scope.
func (s Scope) Label() string {
	switch s {
	case ScopeAll:
		return "Comptes et organisations"
	case ScopeJobSeekers:
		return "Candidats"
	case ScopeProfessionals:
		return "Professionnels"
	case ScopeStaff:
		return "Administrateurs"
	case ScopeOrganizations:
		return "Organisations"
	}
	return string(s)
}

// Valid reports whether s is one of Scopes.
func (s Scope) Valid() bool {
	for _, v := range Scopes {
		if v == s {
			return true
		}
	}
	return false
}

func (s Scope) users() bool { return s != ScopeOrganizations }
func (s Scope) orgs() bool  { return s == ScopeAll || s == ScopeOrganizations }

// Query is what the staff home receives: a search (possibly empty) and the pages asked for.
type Query struct {
	Text        string
	Scope       Scope
	UsersPage   int
	OrgsPage    int
	PendingPage int
}

// Paged is one page of a list: its items, how many match in all, the page (from 1) and the
// number of pages.
type Paged[T any] struct {
	Items       []T
	Total       int
	Page, Pages int
}

// page clamps a requested page (from 1) and returns its offset.
func page(requested, size int) (int, int) {
	p := max(requested, 1)
	return p, (p - 1) * size
}

func paged[T any](items []T, total, p, size int) Paged[T] {
	return Paged[T]{Items: items, Total: total, Page: p, Pages: max(1, (total+size-1)/size)}
}

// Home is the staff home: search results (when something was searched) and the prescriber
// organizations waiting for their habilitation.
type Home struct {
	Query    Query
	Searched bool
	Users    *Paged[account.User] // nil when the scope excludes accounts
	Orgs     *Paged[org.Ref]      // nil when the scope excludes organizations
	Pending  Paged[org.PrescriberOrganization]
}

// Home runs the search and lists the pending habilitations: at most six queries, whatever the
// number of results.
func (s *Service) Home(ctx context.Context, actor actor.Actor, q Query) (*Home, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	if !q.Scope.Valid() {
		q.Scope = ScopeAll
	}
	h := &Home{Query: q, Searched: q.Text != ""}
	if h.Searched && q.Scope.users() {
		p, offset := page(q.UsersPage, SearchPageSize)
		var kind account.Kind
		if q.Scope != ScopeAll {
			kind = account.Kind(q.Scope)
		}
		users, total, err := s.accounts.SearchUsers(ctx, account.UserSearch{Text: q.Text, Kind: kind}, offset, SearchPageSize)
		if err != nil {
			return nil, err
		}
		res := paged(users, total, p, SearchPageSize)
		h.Users = &res
	}
	if h.Searched && q.Scope.orgs() {
		p, offset := page(q.OrgsPage, SearchPageSize)
		refs, total, err := s.orgs.SearchForStaff(ctx, actor, q.Text, offset, SearchPageSize)
		if err != nil {
			return nil, err
		}
		res := paged(refs, total, p, SearchPageSize)
		h.Orgs = &res
	}
	p, offset := page(q.PendingPage, PendingPageSize)
	pending, total, err := s.orgs.PendingPrescribers(ctx, actor, offset, PendingPageSize)
	if err != nil {
		return nil, err
	}
	h.Pending = paged(pending, total, p, PendingPageSize)
	return h, nil
}

// UserDetail is an account as the back office shows it.
type UserDetail struct {
	User        *account.User
	Memberships []org.UserMembership
	History     []Event
	// IsViewer: the staff member is looking at their own account (no deactivation).
	IsViewer bool
}

// User returns the account with this public id (account.ErrNotFound otherwise), its memberships
// and its history, in three queries.
func (s *Service) User(ctx context.Context, actor actor.Actor, publicID string) (*UserDetail, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	u, err := s.accounts.ByPublicID(ctx, publicID)
	if err != nil {
		return nil, err
	}
	d := &UserDetail{User: u, IsViewer: u.ID == actor.UserID}
	if d.Memberships, err = s.orgs.MembershipsOfUser(ctx, actor, u.ID); err != nil {
		return nil, err
	}
	if d.History, err = s.history(ctx, UserObjectType, u.PublicID); err != nil {
		return nil, err
	}
	return d, nil
}

// OrganizationDetail is an organization as the back office shows it.
type OrganizationDetail struct {
	*org.Overview
	Members *org.StaffMembersPage
	History []Event
}

// Organization returns the organization with this uid (org.ErrNotFound otherwise), a page of its
// memberships and its history.
func (s *Service) Organization(ctx context.Context, actor actor.Actor, uid string, membersPage int) (*OrganizationDetail, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	o, err := s.orgs.Overview(ctx, actor, uid)
	if err != nil {
		return nil, err
	}
	d := &OrganizationDetail{Overview: o}
	if d.Members, err = s.orgs.MembersForStaff(ctx, actor, o.Ref.Type, o.Ref.ID, membersPage); err != nil {
		return nil, err
	}
	if d.History, err = s.history(ctx, o.Ref.Type.AuditObjectType(), o.Ref.UID); err != nil {
		return nil, err
	}
	return d, nil
}
