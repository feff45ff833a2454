package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// The SQL of the package is in store*.go: organizations and memberships here, the writes of
// companies and prescriber organizations in store_company.go and store_prescriber.go, the
// searches in store_search.go. Membership queries take the family and splice its table names (fixed
// identifiers from Type, never input), so the three families share one code path.

// orgColumns are the columns every organization lookup reads, in the same order for the three
// families so that they can be UNIONed: companies bring what their activity depends on
// (actors.md §4.3), prescriber organizations their habilitation.
func orgColumns(t Type) string {
	switch t {
	case TypeCompany:
		return "'company' AS org_type, o.id, o.uid, o.name, o.brand, o.kind, o.source, o.is_searchable, " +
			"cv.is_active AS conv_active, cv.deactivated_at AS conv_deactivated_at, '' AS authorization_status"
	case TypePrescriber:
		return "'prescriber' AS org_type, o.id, o.uid, o.name, '' AS brand, o.kind, '' AS source, TRUE AS is_searchable, " +
			"NULL AS conv_active, NULL AS conv_deactivated_at, o.authorization_status"
	}
	return "'institution' AS org_type, o.id, o.uid, o.name, '' AS brand, o.kind, '' AS source, TRUE AS is_searchable, " +
		"NULL AS conv_active, NULL AS conv_deactivated_at, '' AS authorization_status"
}

// orgFrom is the FROM clause of orgColumns, the organization under the alias o.
func orgFrom(t Type) string {
	if t == TypeCompany {
		return "company o LEFT JOIN siae_convention cv ON cv.id = o.convention_id"
	}
	return t.table() + " o"
}

// refRow is one row of orgColumns.
type refRow struct {
	OrgType             string     `bun:"org_type"`
	ID                  int64      `bun:"id"`
	UID                 string     `bun:"uid"`
	Name                string     `bun:"name"`
	Brand               string     `bun:"brand"`
	Kind                string     `bun:"kind"`
	Source              string     `bun:"source"`
	IsSearchable        bool       `bun:"is_searchable"`
	ConvActive          *bool      `bun:"conv_active"`
	ConvDeactivatedAt   *time.Time `bun:"conv_deactivated_at"`
	AuthorizationStatus string     `bun:"authorization_status"`
}

func (r refRow) ref(now time.Time) Ref {
	ref := Ref{Type: Type(r.OrgType), ID: r.ID, UID: r.UID, Name: r.Name, Kind: r.Kind,
		Active: true, AuthorizationStatus: AuthorizationStatus(r.AuthorizationStatus)}
	if ref.Type == TypeCompany {
		if r.Brand != "" {
			ref.Name = r.Brand
		}
		var conv *Convention
		if r.ConvActive != nil {
			conv = &Convention{IsActive: *r.ConvActive, DeactivatedAt: r.ConvDeactivatedAt}
		}
		a := CompanyActivity(CompanyKind(r.Kind), Source(r.Source), r.IsSearchable, conv, now)
		ref.Active, ref.InGracePeriod = a.Active, a.InGracePeriod
	}
	return ref
}

type affiliationRow struct {
	refRow
	IsAdmin  bool      `bun:"is_admin"`
	JoinedAt time.Time `bun:"joined_at"`
}

// affiliations returns every active membership of the user, with its organization, in one query.
func affiliations(ctx context.Context, idb bun.IDB, userID int64, now time.Time) ([]Affiliation, error) {
	parts := make([]string, len(Types))
	args := make([]any, len(Types))
	for i, t := range Types {
		parts[i] = "SELECT " + orgColumns(t) + ", m.is_admin, m.joined_at FROM " + orgFrom(t) +
			" JOIN " + t.membershipTable() + " m ON m.organization_id = o.id WHERE m.user_id = ? AND m.is_active"
		args[i] = userID
	}
	var rows []affiliationRow
	if err := idb.NewRaw(strings.Join(parts, " UNION ALL "), args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("org: affiliations of user %d: %w", userID, err)
	}
	list := make([]Affiliation, 0, len(rows))
	for _, r := range rows {
		list = append(list, Affiliation{Ref: r.ref(now), IsAdmin: r.IsAdmin, JoinedAt: r.JoinedAt})
	}
	return list, nil
}

// refByUID finds an organization of any family by its uid, in one query.
func refByUID(ctx context.Context, idb bun.IDB, uid string, now time.Time) (Ref, error) {
	parts := make([]string, len(Types))
	args := make([]any, len(Types))
	for i, t := range Types {
		parts[i] = "SELECT " + orgColumns(t) + " FROM " + orgFrom(t) + " WHERE o.uid = ?"
		args[i] = uid
	}
	var rows []refRow
	if err := idb.NewRaw(strings.Join(parts, " UNION ALL "), args...).Scan(ctx, &rows); err != nil {
		return Ref{}, fmt.Errorf("org: organization %s: %w", uid, err)
	}
	if len(rows) == 0 {
		return Ref{}, ErrNotFound
	}
	return rows[0].ref(now), nil
}

// refByID is refByUID for a known family and id.
func refByID(ctx context.Context, idb bun.IDB, t Type, id int64, now time.Time) (Ref, error) {
	var rows []refRow
	q := "SELECT " + orgColumns(t) + " FROM " + orgFrom(t) + " WHERE o.id = ?"
	if err := idb.NewRaw(q, id).Scan(ctx, &rows); err != nil {
		return Ref{}, fmt.Errorf("org: %s %d: %w", t, id, err)
	}
	if len(rows) == 0 {
		return Ref{}, ErrNotFound
	}
	return rows[0].ref(now), nil
}

// lockOrganization serializes membership changes of one organization: on PostgreSQL the
// organization row is locked until the transaction ends, so two admins revoking each other at
// once cannot leave it without admin. SQLite transactions are serialized already.
func lockOrganization(ctx context.Context, d *db.DB, tx bun.IDB, t Type, id int64) error {
	if d.Engine != db.Postgres {
		return nil
	}
	var got int64
	err := tx.NewRaw("SELECT id FROM ? WHERE id = ? FOR UPDATE", bun.Ident(t.table()), id).Scan(ctx, &got)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("org: lock %s %d: %w", t, id, err)
	}
	return nil
}

// membership returns the user's membership row (active or not), or nil.
func membership(ctx context.Context, idb bun.IDB, t Type, orgID, userID int64) (*Membership, error) {
	m := new(Membership)
	err := idb.NewSelect().Model(m).ModelTableExpr("? AS m", bun.Ident(t.membershipTable())).
		Where("m.organization_id = ? AND m.user_id = ?", orgID, userID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("org: membership of user %d in %s %d: %w", userID, t, orgID, err)
	}
	return m, nil
}

func insertMembership(ctx context.Context, idb bun.IDB, t Type, m *Membership) error {
	if _, err := idb.NewInsert().Model(m).ModelTableExpr("?", bun.Ident(t.membershipTable())).Exec(ctx); err != nil {
		return fmt.Errorf("org: insert membership of user %d in %s %d: %w", m.UserID, t, m.OrganizationID, err)
	}
	return nil
}

func updateMembership(ctx context.Context, idb bun.IDB, t Type, m *Membership, columns ...string) error {
	_, err := idb.NewUpdate().Model(m).ModelTableExpr("? AS m", bun.Ident(t.membershipTable())).
		Column(columns...).WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("org: update membership %d of %s: %w", m.ID, t, err)
	}
	return nil
}

// memberCounts counts the active members (active membership of an active user) and the active
// admins of an organization.
func memberCounts(ctx context.Context, idb bun.IDB, t Type, orgID int64) (members, admins int, err error) {
	var row struct {
		Members int `bun:"members"`
		Admins  int `bun:"admins"`
	}
	err = idb.NewRaw("SELECT COUNT(*) AS members, COALESCE(SUM(CASE WHEN m.is_admin THEN 1 ELSE 0 END), 0) AS admins"+
		" FROM ? m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ? AND m.is_active AND u.is_active",
		bun.Ident(t.membershipTable()), orgID).Scan(ctx, &row)
	if err != nil {
		return 0, 0, fmt.Errorf("org: count members of %s %d: %w", t, orgID, err)
	}
	return row.Members, row.Admins, nil
}

// activeMembersQuery selects the active members of an organization with their user columns,
// sorted by last then first name (actors.md §12).
func listMembers(ctx context.Context, idb bun.IDB, t Type, orgID int64, offset, limit int) ([]Member, error) {
	var members []Member
	q := "SELECT " + memberColumns +
		" FROM ? m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ? AND m.is_active AND u.is_active" +
		" ORDER BY lower(u.last_name), lower(u.first_name), u.id"
	args := []any{bun.Ident(t.membershipTable()), orgID}
	if limit > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, offset)
	}
	if err := idb.NewRaw(q, args...).Scan(ctx, &members); err != nil {
		return nil, fmt.Errorf("org: members of %s %d: %w", t, orgID, err)
	}
	return members, nil
}

// memberByPublicID returns the active member with this user public id, or ErrMemberNotFound.
func memberByPublicID(ctx context.Context, idb bun.IDB, t Type, orgID int64, publicID string) (Member, error) {
	var members []Member
	err := idb.NewRaw("SELECT "+memberColumns+
		" FROM ? m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ? AND u.public_id = ? AND m.is_active",
		bun.Ident(t.membershipTable()), orgID, publicID).Scan(ctx, &members)
	if err != nil {
		return Member{}, fmt.Errorf("org: member %s of %s %d: %w", publicID, t, orgID, err)
	}
	if len(members) == 0 {
		return Member{}, ErrMemberNotFound
	}
	return members[0], nil
}

// userFacts are the account facts membership rules need.
type userFacts struct {
	ID        int64  `bun:"id"`
	PublicID  string `bun:"public_id"`
	Email     string `bun:"email"`
	Kind      string `bun:"kind"`
	FirstName string `bun:"first_name"`
	LastName  string `bun:"last_name"`
	IsActive  bool   `bun:"is_active"`
}

func userByID(ctx context.Context, idb bun.IDB, id int64) (userFacts, error) {
	var users []userFacts
	err := idb.NewRaw("SELECT id, public_id, COALESCE(email, '') AS email, kind, first_name, last_name, is_active FROM users WHERE id = ?", id).Scan(ctx, &users)
	if err != nil {
		return userFacts{}, fmt.Errorf("org: user %d: %w", id, err)
	}
	if len(users) == 0 {
		return userFacts{}, fmt.Errorf("org: user %d: %w", id, ErrUserNotFound)
	}
	return users[0], nil
}

// ErrUserNotFound: the account to add as member does not exist.
var ErrUserNotFound = fault.NotFound("Compte introuvable.")

// companyBy returns the company matching the condition, with its convention.
func companyBy(ctx context.Context, idb bun.IDB, where string, arg any) (*Company, error) {
	c := new(Company)
	err := idb.NewSelect().Model(c).Relation("Convention").Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("org: company: %w", err)
	}
	return c, nil
}

func prescriberBy(ctx context.Context, idb bun.IDB, where string, arg any) (*PrescriberOrganization, error) {
	p := new(PrescriberOrganization)
	err := idb.NewSelect().Model(p).Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("org: prescriber organization: %w", err)
	}
	return p, nil
}

func institutionBy(ctx context.Context, idb bun.IDB, where string, arg any) (*Institution, error) {
	i := new(Institution)
	err := idb.NewSelect().Model(i).Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("org: institution: %w", err)
	}
	return i, nil
}

// sirenRange is the SIRET range of a SIREN, for a range scan on the (siret, kind) index:
// siret >= "123456789" AND siret < "123456789~" ('~' sorts after every digit in byte order).
func sirenRange(siren string) (lo, hi string) { return siren, siren + "~" }

// memberColumns are the columns of a Member, from users u and a membership table m.
const memberColumns = "u.id AS user_id, u.public_id, COALESCE(u.email, '') AS email, u.first_name, u.last_name, m.is_admin, m.joined_at"

// activeMemberCounts returns the number of active members of each organization (absent: none).
func activeMemberCounts(ctx context.Context, idb bun.IDB, t Type, orgIDs []int64) (map[int64]int, error) {
	counts := map[int64]int{}
	if len(orgIDs) == 0 {
		return counts, nil
	}
	var rows []struct {
		OrgID int64 `bun:"organization_id"`
		N     int   `bun:"n"`
	}
	err := idb.NewRaw("SELECT m.organization_id, COUNT(*) AS n FROM ? m JOIN users u ON u.id = m.user_id"+
		" WHERE m.organization_id IN (?) AND m.is_active AND u.is_active GROUP BY m.organization_id",
		bun.Ident(t.membershipTable()), bun.List(orgIDs)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("org: member counts of %s: %w", t, err)
	}
	for _, r := range rows {
		counts[r.OrgID] = r.N
	}
	return counts, nil
}

// contactMember returns an admin first, else the earliest active member, or ErrMemberNotFound.
func contactMember(ctx context.Context, idb bun.IDB, t Type, orgID int64) (Member, error) {
	var members []Member
	err := idb.NewRaw("SELECT "+memberColumns+
		" FROM ? m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ? AND m.is_active AND u.is_active"+
		" ORDER BY m.is_admin DESC, m.joined_at, m.id LIMIT 1", bun.Ident(t.membershipTable()), orgID).Scan(ctx, &members)
	if err != nil {
		return Member{}, fmt.Errorf("org: contact member of %s %d: %w", t, orgID, err)
	}
	if len(members) == 0 {
		return Member{}, ErrMemberNotFound
	}
	return members[0], nil
}

// countMemberships counts every membership of an organization, inactive ones included.
func countMemberships(ctx context.Context, idb bun.IDB, t Type, orgID int64) (int, error) {
	var total int
	if err := idb.NewRaw("SELECT COUNT(*) FROM ? WHERE organization_id = ?", bun.Ident(t.membershipTable()), orgID).Scan(ctx, &total); err != nil {
		return 0, fmt.Errorf("org: count memberships of %s %d: %w", t, orgID, err)
	}
	return total, nil
}

// listMemberships returns every membership of an organization, active ones first, then by last
// and first name.
func listMemberships(ctx context.Context, idb bun.IDB, t Type, orgID int64, offset, limit int) ([]StaffMember, error) {
	var members []StaffMember
	err := idb.NewRaw("SELECT "+memberColumns+", m.is_active AS membership_active, u.is_active AS user_active"+
		" FROM ? m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ?"+
		" ORDER BY m.is_active DESC, lower(u.last_name), lower(u.first_name), u.id LIMIT ? OFFSET ?",
		bun.Ident(t.membershipTable()), orgID, limit, offset).Scan(ctx, &members)
	if err != nil {
		return nil, fmt.Errorf("org: memberships of %s %d: %w", t, orgID, err)
	}
	return members, nil
}

// membershipsOfUser returns every membership of the user in the three families, active ones
// first, then by join date.
func membershipsOfUser(ctx context.Context, idb bun.IDB, userID int64) ([]userMembershipRow, error) {
	parts := make([]string, len(Types))
	args := make([]any, len(Types))
	for i, t := range Types {
		parts[i] = "SELECT " + orgColumns(t) + ", m.is_admin, m.is_active AS membership_active, m.joined_at FROM " + orgFrom(t) +
			" JOIN " + t.membershipTable() + " m ON m.organization_id = o.id WHERE m.user_id = ?"
		args[i] = userID
	}
	var rows []userMembershipRow
	q := "SELECT * FROM (" + strings.Join(parts, " UNION ALL ") + ") m ORDER BY membership_active DESC, joined_at, org_type, id"
	if err := idb.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("org: memberships of user %d: %w", userID, err)
	}
	return rows, nil
}
