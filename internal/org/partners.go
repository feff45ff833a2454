package org

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Lists of organizations for partner services (api.md §4 data·inclusion, §5 Marché de
// l'inclusion): each page is read in a constant number of queries, whatever its size.

// PagePicker chooses the page to read once the count of rows is known: the offset and length of
// the page, or a refusal (a page beyond the last).
type PagePicker func(count int) (offset, limit int, err error)

// PublishedSIRET is the SIRET partners are shown for a company (api.md §4): its own, except for a
// user-created antenna whose establishment number is a made-up 999dd, which must not be
// published: then the SIRET of its parent (the oldest company of its convention, not
// user-created, of the same SIREN: parentSIRET), "" when it has none.
func PublishedSIRET(source Source, siret, parentSIRET string) string {
	if source != SourceUserCreated || !FakeEstablishment(siret) {
		return siret
	}
	return parentSIRET
}

// FakeEstablishment reports whether a SIRET's establishment number is 999 followed by two
// digits, the number given to antennas without an establishment of their own.
func FakeEstablishment(siret string) bool {
	return len(siret) == 14 && siret[9:12] == "999"
}

// parentSIRETColumn is, for a company co, the SIRET of the oldest company of its convention that
// is not user-created and has its SIREN (PublishedSIRET's parent), computed for 999dd antennas only.
const parentSIRETColumn = `CASE WHEN co.source = 'USER_CREATED' AND substr(co.siret, 10, 3) = '999' THEN
	(SELECT p.siret FROM company p WHERE p.convention_id = co.convention_id AND p.source <> 'USER_CREATED'
		AND substr(p.siret, 1, 9) = substr(co.siret, 1, 9) ORDER BY p.created_at, p.id LIMIT 1) END AS parent_siret`

// PartnerCompany is a company as partner services list it, with its convention and parent.
type PartnerCompany struct {
	Company
	// ParentSIRET is the parent's SIRET of a 999dd antenna ("" when none or not an antenna).
	ParentSIRET string `bun:"parent_siret,nullzero"`
	// ConventionActive and ConventionASPID describe its convention (nil when none).
	ConventionActive *bool  `bun:"conv_active"`
	ConventionASPID  *int64 `bun:"conv_asp_id"`
	// AdminName and AdminEmail are those of the admin who joined last (Marché only; "" when none).
	AdminName, AdminEmail string `bun:"-"`
}

// PublishedSIRET is the SIRET partners are shown ("" when it must not be published).
func (c *PartnerCompany) PublishedSIRET() string {
	return PublishedSIRET(c.Source, c.SIRET, c.ParentSIRET)
}

// companyPage reads the companies of ids, in the order of ids, with their convention and parent.
func companyPage(ctx context.Context, idb bun.IDB, ids []int64) ([]PartnerCompany, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []PartnerCompany
	if err := idb.NewRaw(`SELECT co.*, cv.is_active AS conv_active, cv.asp_id AS conv_asp_id, `+parentSIRETColumn+`
		FROM company co LEFT JOIN siae_convention cv ON cv.id = co.convention_id WHERE co.id IN (?)`, bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("org: companies for partners: %w", err)
	}
	byID := make(map[int64]PartnerCompany, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]PartnerCompany, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// activityRow is what decides whether a company is active.
type activityRow struct {
	ID           int64       `bun:"id"`
	Kind         CompanyKind `bun:"kind"`
	Source       Source      `bun:"source"`
	IsSearchable bool        `bun:"is_searchable"`
	ConvActive   *bool       `bun:"conv_active"`
}

// ActiveCompanies is a page of the active companies, by creation date then id, for data·inclusion
// (api.md §4): fully active (the grace period after a convention ends does not count), never the
// RESERVED holder of external offers. pick chooses the page; the count is of all.
func (s *Service) ActiveCompanies(ctx context.Context, pick PagePicker) (int, []PartnerCompany, error) {
	var rows []activityRow
	if err := s.db.NewRaw(`SELECT co.id, co.kind, co.source, co.is_searchable, cv.is_active AS conv_active
		FROM company co LEFT JOIN siae_convention cv ON cv.id = co.convention_id
		WHERE co.kind <> ? ORDER BY co.created_at, co.id`, Reserved).Scan(ctx, &rows); err != nil {
		return 0, nil, fmt.Errorf("org: active companies: %w", err)
	}
	var ids []int64
	for _, r := range rows {
		var conv *Convention
		if r.ConvActive != nil {
			conv = &Convention{IsActive: *r.ConvActive} // no deactivation date: no grace period
		}
		if CompanyActivity(r.Kind, r.Source, r.IsSearchable, conv, time.Time{}).Active {
			ids = append(ids, r.ID)
		}
	}
	return pickCompanies(ctx, s.db, ids, pick)
}

// pickCompanies reads the page pick chooses among ids.
func pickCompanies(ctx context.Context, idb bun.IDB, ids []int64, pick PagePicker) (int, []PartnerCompany, error) {
	offset, limit, err := pick(len(ids))
	if err != nil {
		return 0, nil, err
	}
	var page []int64
	if offset < len(ids) {
		page = ids[offset:min(offset+limit, len(ids))]
	}
	companies, err := companyPage(ctx, idb, page)
	return len(ids), companies, err
}

// PrescriberOrganizations is a page of every prescriber organization (authorized or not), by
// creation date then id, with the count of all (api.md §4).
func (s *Service) PrescriberOrganizations(ctx context.Context, pick PagePicker) (int, []PrescriberOrganization, error) {
	count, err := s.db.NewSelect().Model((*PrescriberOrganization)(nil)).Count(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("org: prescriber organizations: %w", err)
	}
	offset, limit, err := pick(int(count))
	if err != nil {
		return 0, nil, err
	}
	var orgs []PrescriberOrganization
	if err := s.db.NewSelect().Model(&orgs).OrderExpr("po.created_at, po.id").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx); err != nil {
		return 0, nil, fmt.Errorf("org: prescriber organizations: %w", err)
	}
	return int(count), orgs, nil
}

// MarcheCompanies is a page of every company but the RESERVED holder of external offers, active
// or not, by id, for the Marché de l'inclusion (api.md §5), each with the admin who joined last
// among the active admins whose account is active.
func (s *Service) MarcheCompanies(ctx context.Context, pick PagePicker) (int, []PartnerCompany, error) {
	var ids []int64
	if err := s.db.NewRaw(`SELECT id FROM company WHERE kind <> ? ORDER BY id`, Reserved).Scan(ctx, &ids); err != nil {
		return 0, nil, fmt.Errorf("org: companies for the Marché: %w", err)
	}
	count, companies, err := pickCompanies(ctx, s.db, ids, pick)
	if err != nil || len(companies) == 0 {
		return count, companies, err
	}
	page := make([]int64, len(companies))
	for i, c := range companies {
		page[i] = c.ID
	}
	var admins []struct {
		CompanyID int64  `bun:"organization_id"`
		FirstName string `bun:"first_name"`
		LastName  string `bun:"last_name"`
		Email     string `bun:"email"`
	}
	if err := s.db.NewRaw(`SELECT m.organization_id, u.first_name, u.last_name, u.email
		FROM company_membership m JOIN users u ON u.id = m.user_id
		WHERE m.organization_id IN (?) AND m.is_active AND m.is_admin AND u.is_active
		ORDER BY m.organization_id, m.joined_at DESC, m.id DESC`, bun.List(page)).Scan(ctx, &admins); err != nil {
		return 0, nil, fmt.Errorf("org: admins for the Marché: %w", err)
	}
	last := make(map[int64]int, len(admins))
	for i := len(admins) - 1; i >= 0; i-- { // the first row of each company wins
		last[admins[i].CompanyID] = i
	}
	for i := range companies {
		if j, ok := last[companies[i].ID]; ok {
			a := admins[j]
			companies[i].AdminName = strings.TrimSpace(a.FirstName + " " + a.LastName)
			companies[i].AdminEmail = a.Email
		}
	}
	return count, companies, nil
}
