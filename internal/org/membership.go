package org

import (
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Membership ties a professional to an organization (actors.md §3). The three families store it
// in three tables of the same shape; the store picks the table from the Type.
type Membership struct {
	bun.BaseModel `bun:"table:company_membership,alias:m"` // table chosen per Type by the store

	ID             int64     `bun:"id,pk,autoincrement"`
	UserID         int64     `bun:"user_id,notnull"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	JoinedAt       time.Time `bun:"joined_at,notnull"`
	IsAdmin        bool      `bun:"is_admin,notnull"`
	IsActive       bool      `bun:"is_active,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`
	UpdatedByID    *int64    `bun:"updated_by_id"`
}

// Member is a membership with what the "Collaborateurs" page shows of the user.
type Member struct {
	UserID    int64     `bun:"user_id"`
	PublicID  string    `bun:"public_id"`
	Email     string    `bun:"email"`
	FirstName string    `bun:"first_name"`
	LastName  string    `bun:"last_name"`
	IsAdmin   bool      `bun:"is_admin"`
	JoinedAt  time.Time `bun:"joined_at"`
}

// DisplayName is "Firstname LASTNAME", or the e-mail when names are unknown.
func (m Member) DisplayName() string {
	if m.FirstName == "" && m.LastName == "" {
		return m.Email
	}
	return strings.TrimSpace(m.FirstName + " " + strings.ToUpper(m.LastName))
}

// MembersPageSize: the "Collaborateurs" page lists 50 members per page (actors.md §12).
const MembersPageSize = 50

// AdminOnJoin decides the admin flag of a member joining (or re-joining) an organization that
// has activeMembers other active members: the first active member becomes admin, others do not
// unless forced (actors.md §3).
func AdminOnJoin(activeMembers int, force bool) bool {
	return activeMembers == 0 || force
}

// NeedsLastAdminConfirmation reports whether removing the admin role of a member (by revoking it
// or deactivating the member) leaves the organization without active admin, which needs an
// explicit confirmation (actors.md §12). activeAdmins counts the active admins, the member
// included.
func NeedsLastAdminConfirmation(memberIsAdmin bool, activeAdmins int) bool {
	return memberIsAdmin && activeAdmins <= 1
}

// Affiliation is one organization a professional may act for, as the session context sees it
// (actors.md §8).
type Affiliation struct {
	Ref
	IsAdmin  bool
	JoinedAt time.Time
}

// Key identifies the affiliation in the session and in the switcher form: "company-<uid>".
func (a Affiliation) Key() string { return string(a.Type) + "-" + a.UID }

// FromEmployer, FromPrescriber, FromAuthorizedPrescriber and FromInstitution are the derived
// roles of a professional acting for this organization (actors.md §8).
func (a Affiliation) FromEmployer() bool   { return a.Type == TypeCompany }
func (a Affiliation) FromPrescriber() bool { return a.Type == TypePrescriber }
func (a Affiliation) FromAuthorizedPrescriber() bool {
	return a.Type == TypePrescriber && a.AuthorizationStatus == AuthorizationValidated
}
func (a Affiliation) FromInstitution() bool { return a.Type == TypeInstitution }

// FromIAEActor: a prescriber, or an employer of an SIAE kind.
func (a Affiliation) FromIAEActor() bool {
	return a.FromPrescriber() || (a.FromEmployer() && CompanyKind(a.Kind).IsSIAE())
}

// RoleLabel is how the member is described (actors.md §3): "employeur", "prescripteur habilité",
// "orienteur" or "institutionnel".
func (a Affiliation) RoleLabel() string {
	switch {
	case a.FromEmployer():
		return "employeur"
	case a.FromAuthorizedPrescriber():
		return "prescripteur habilité"
	case a.FromPrescriber():
		return "orienteur"
	case a.FromInstitution():
		return "institutionnel"
	}
	return ""
}

// OrderAffiliations sorts a professional's organizations the way the session context picks the
// default one (actors.md §8): companies (those not in grace period first), then prescriber
// organizations, then institutions, each by join date.
func OrderAffiliations(list []Affiliation) {
	rank := func(a Affiliation) int {
		switch a.Type {
		case TypeCompany:
			if a.InGracePeriod {
				return 1
			}
			return 0
		case TypePrescriber:
			return 2
		}
		return 3
	}
	sort.SliceStable(list, func(i, j int) bool {
		ri, rj := rank(list[i]), rank(list[j])
		if ri != rj {
			return ri < rj
		}
		if !list[i].JoinedAt.Equal(list[j].JoinedAt) {
			return list[i].JoinedAt.Before(list[j].JoinedAt)
		}
		return list[i].ID < list[j].ID
	})
}

// CurrentAffiliation picks the organization a professional acts for: the one whose key the
// session holds when it is still in the list, else the first (actors.md §8). nil when the list
// is empty.
func CurrentAffiliation(ordered []Affiliation, sessionKey string) *Affiliation {
	for i := range ordered {
		if ordered[i].Key() == sessionKey {
			return &ordered[i]
		}
	}
	if len(ordered) == 0 {
		return nil
	}
	return &ordered[0]
}

// SwitcherOrder returns the organizations as the header switcher lists them: by family, then by
// name (French collation).
func SwitcherOrder(list []Affiliation) []Affiliation {
	out := append([]Affiliation(nil), list...)
	family := map[Type]int{TypeCompany: 0, TypePrescriber: 1, TypeInstitution: 2}
	c := collate.New(language.French, collate.IgnoreCase, collate.IgnoreDiacritics)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return family[out[i].Type] < family[out[j].Type]
		}
		return c.CompareString(out[i].Name, out[j].Name) < 0
	})
	return out
}
