package org

import (
	"context"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// ErrNotProfessional: only professional accounts can be members of an organization (actors.md §3).
var ErrNotProfessional = fault.Conflict("Seul un compte professionnel peut être membre d'une organisation.")

// AddMember makes the user an active member of the organization: a new membership, or the
// reactivation of a former one (join date reset). The member becomes admin when the organization
// has no other active member, or when forceAdmin is set (actors.md §3). Adding an active member
// changes nothing. The actor is who adds (the user joining, the inviter, staff), for the audit.
func (s *Service) AddMember(ctx context.Context, actor actor.Actor, t Type, orgID, userID int64, forceAdmin bool) (*Membership, error) {
	var m *Membership
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		m, err = s.addMember(ctx, tx, actor, t, orgID, userID, forceAdmin)
		return err
	})
	return m, err
}

// addMember is AddMember inside the caller's transaction (organization creation, antenna).
func (s *Service) addMember(ctx context.Context, tx bun.IDB, actor actor.Actor, t Type, orgID, userID int64, forceAdmin bool) (*Membership, error) {
	if err := lockOrganization(ctx, s.db, tx, t, orgID); err != nil {
		return nil, err
	}
	ref, err := refByID(ctx, tx, t, orgID, s.now())
	if err != nil {
		return nil, err
	}
	u, err := userByID(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if u.Kind != "professional" || !u.IsActive {
		return nil, ErrNotProfessional
	}
	m, err := membership(ctx, tx, t, orgID, userID)
	if err != nil {
		return nil, err
	}
	if m != nil && m.IsActive {
		if forceAdmin && !m.IsAdmin {
			m.IsAdmin, m.UpdatedAt, m.UpdatedByID = true, s.now(), actorID(actor)
			return m, updateMembership(ctx, tx, t, m, "is_admin", "updated_at", "updated_by_id")
		}
		return m, nil
	}
	members, _, err := memberCounts(ctx, tx, t, orgID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	action := ActionMemberAdded
	if m == nil {
		m = &Membership{UserID: userID, OrganizationID: orgID, CreatedAt: now}
	} else {
		action = ActionMemberReactivated
	}
	m.JoinedAt, m.IsActive, m.IsAdmin, m.UpdatedAt, m.UpdatedByID = now, true, AdminOnJoin(members, forceAdmin), now, actorID(actor)
	if m.ID == 0 {
		err = insertMembership(ctx, tx, t, m)
	} else {
		err = updateMembership(ctx, tx, t, m, "joined_at", "is_active", "is_admin", "updated_at", "updated_by_id")
	}
	if err != nil {
		return nil, err
	}
	return m, audit.Record(ctx, tx, actor, action, t.object(ref.UID), map[string]any{"user": u.PublicID, "is_admin": m.IsAdmin})
}

func actorID(a actor.Actor) *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// access is what an actor may do in one organization.
type access struct {
	ref    Ref
	member bool // active member
	admin  bool // active admin
	staff  bool
}

// accessTo resolves the organization and the actor's rights in it. A company that is no longer
// active is out of reach of its members, and one in grace period too when !inGraceOK.
func (s *Service) accessTo(ctx context.Context, idb bun.IDB, actor actor.Actor, uid string, inGraceOK bool) (access, error) {
	ref, err := refByUID(ctx, idb, uid, s.now())
	if err != nil {
		return access{}, err
	}
	a := access{ref: ref, staff: actor.IsStaff()}
	if actor.IsStaff() {
		return a, nil
	}
	m, err := membership(ctx, idb, ref.Type, ref.ID, actor.UserID)
	if err != nil {
		return access{}, err
	}
	if m == nil || !m.IsActive || !ref.Active {
		return access{}, ErrForbidden
	}
	if ref.InGracePeriod && !inGraceOK {
		return access{}, ErrGracePeriod
	}
	a.member, a.admin = true, m.IsAdmin
	return a, nil
}

// manages reports whether the actor may administer the members (admin or staff).
func (a access) manages() bool { return a.admin || a.staff }

// MembersPage is one page of the "Collaborateurs" list (actors.md §12).
type MembersPage struct {
	Organization Ref
	Members      []Member
	Total        int // active members
	Admins       int // active admins
	Page, Pages  int
	// CanManage: the viewer may deactivate members and grant or revoke the admin role (not on
	// their own membership).
	CanManage bool
	ViewerID  int64
}

// Manages reports whether the viewer may act on this member of the page (never on themselves).
func (p *MembersPage) Manages(m Member) bool { return p.CanManage && m.UserID != p.ViewerID }

// Members returns a page (from 1) of the active members of an organization, sorted by last then
// first name, 50 per page, in three queries. Members of the organization and staff may see it;
// the page is closed for a company in grace period (actors.md §4.3).
func (s *Service) Members(ctx context.Context, actor actor.Actor, uid string, page int) (*MembersPage, error) {
	a, err := s.accessTo(ctx, s.db, actor, uid, false)
	if err != nil {
		return nil, err
	}
	total, admins, err := memberCounts(ctx, s.db, a.ref.Type, a.ref.ID)
	if err != nil {
		return nil, err
	}
	pages := max(1, (total+MembersPageSize-1)/MembersPageSize)
	page = min(max(page, 1), pages)
	members, err := listMembers(ctx, s.db, a.ref.Type, a.ref.ID, (page-1)*MembersPageSize, MembersPageSize)
	if err != nil {
		return nil, err
	}
	return &MembersPage{Organization: a.ref, Members: members, Total: total, Admins: admins,
		Page: page, Pages: pages, CanManage: a.manages(), ViewerID: actor.UserID}, nil
}

// MemberView is one member as the confirmation page of an administration action shows it.
type MemberView struct {
	Organization Ref
	Member       Member
	// IsLastAdmin: the member is the only active admin, so that deactivating them or revoking
	// their role needs an explicit confirmation.
	IsLastAdmin bool
}

// MemberForAction returns a member an administration action is about to change: only admins (or
// staff) may, never on their own membership.
func (s *Service) MemberForAction(ctx context.Context, actor actor.Actor, uid, memberPublicID string) (*MemberView, error) {
	a, err := s.accessTo(ctx, s.db, actor, uid, false)
	if err != nil {
		return nil, err
	}
	if !a.manages() {
		return nil, ErrForbidden
	}
	m, err := memberByPublicID(ctx, s.db, a.ref.Type, a.ref.ID, memberPublicID)
	if err != nil {
		return nil, err
	}
	if m.UserID == actor.UserID {
		return nil, ErrSelf
	}
	_, admins, err := memberCounts(ctx, s.db, a.ref.Type, a.ref.ID)
	if err != nil {
		return nil, err
	}
	return &MemberView{Organization: a.ref, Member: m, IsLastAdmin: NeedsLastAdminConfirmation(m.IsAdmin, admins)}, nil
}

// memberChange is one administration action on a member (actors.md §12).
type memberChange int

const (
	changeDeactivate memberChange = iota
	changeGrantAdmin
	changeRevokeAdmin
)

// DeactivateMember ends a member's access to the organization: the membership stays, inactive and
// without admin role, and the member is told by e-mail. Only admins (or staff) may, never on
// their own membership; deactivating the last admin needs confirmed (else *LastAdminError and
// nothing changes).
func (s *Service) DeactivateMember(ctx context.Context, actor actor.Actor, uid, memberPublicID string, confirmed bool) error {
	return s.changeMember(ctx, actor, uid, memberPublicID, changeDeactivate, confirmed)
}

// SetAdmin grants or revokes the admin role of a member, who is told by e-mail. Same rights as
// DeactivateMember; revoking the last admin needs confirmed.
func (s *Service) SetAdmin(ctx context.Context, actor actor.Actor, uid, memberPublicID string, admin, confirmed bool) error {
	change := changeRevokeAdmin
	if admin {
		change = changeGrantAdmin
	}
	return s.changeMember(ctx, actor, uid, memberPublicID, change, confirmed)
}

func (s *Service) changeMember(ctx context.Context, actor actor.Actor, uid, memberPublicID string, change memberChange, confirmed bool) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.accessTo(ctx, tx, actor, uid, false)
		if err != nil {
			return err
		}
		if !a.manages() {
			return ErrForbidden
		}
		t := a.ref.Type
		if err := lockOrganization(ctx, s.db, tx, t, a.ref.ID); err != nil {
			return err
		}
		target, err := memberByPublicID(ctx, tx, t, a.ref.ID, memberPublicID)
		if err != nil {
			return err
		}
		if target.UserID == actor.UserID {
			return ErrSelf
		}
		m, err := membership(ctx, tx, t, a.ref.ID, target.UserID)
		if err != nil {
			return err
		}
		if change == changeGrantAdmin && m.IsAdmin || change == changeRevokeAdmin && !m.IsAdmin {
			return nil // already so: nothing to change, nothing to tell
		}
		if change != changeGrantAdmin {
			_, admins, err := memberCounts(ctx, tx, t, a.ref.ID)
			if err != nil {
				return err
			}
			if NeedsLastAdminConfirmation(m.IsAdmin, admins) && !confirmed {
				return &LastAdminError{Name: target.DisplayName()}
			}
		}
		now := s.now()
		m.UpdatedAt, m.UpdatedByID = now, actorID(actor)
		var action string
		var msg mail.Message
		switch change {
		case changeDeactivate:
			m.IsActive, m.IsAdmin, action = false, false, ActionMemberDeactivated
			msg = deactivatedMail(target, a.ref)
		case changeGrantAdmin:
			m.IsAdmin, action = true, ActionAdminGranted
			msg = adminGrantedMail(target, a.ref, s.baseURL)
		case changeRevokeAdmin:
			m.IsAdmin, action = false, ActionAdminRevoked
			msg = adminRevokedMail(target, a.ref)
		}
		if err := updateMembership(ctx, tx, t, m, "is_active", "is_admin", "updated_at", "updated_by_id"); err != nil {
			return err
		}
		if change == changeDeactivate {
			for _, hook := range s.AfterDeactivate {
				if err := hook(ctx, tx, t, a.ref.ID, target.UserID); err != nil {
					return err
				}
			}
		}
		if target.Email != "" {
			if err := mail.Enqueue(ctx, tx, msg); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, action, t.object(a.ref.UID), map[string]any{"user": target.PublicID, "confirmed_last_admin": confirmed})
	})
}
