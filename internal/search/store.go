package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
)

// The queries of this file stay small and plain on purpose: a search runs them on every page
// view, and PostgreSQL plans each one anew (bun sends the values inline), so a short query with
// obvious index paths costs less to plan than to run. The activity rule of companies (actors.md
// §4.3) is applied in Go (org.CompanyActivity, the one statement of the rule) on the few
// columns it needs.

// listedKindsSQL are the kinds a search may list: every kind offered today, never EA/EATT
// (history) nor the technical RESERVED holder (actors.md §4.1).
var listedKindsSQL = func() string {
	var quoted []string
	for _, k := range org.CompanyKinds {
		quoted = append(quoted, "'"+string(k)+"'")
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}()

// companyFlags are what decides whether a company may be listed.
type companyFlags struct {
	Kind       org.CompanyKind
	Source     org.Source
	Searchable bool
	Blocked    bool
	// HasConvention and ConventionActive describe its SIAE convention.
	HasConvention    bool
	ConventionActive bool
}

// listed reports whether a search may show the company: searchable, of a listed kind and fully
// active (the grace period after a convention ends does not count: actors.md §4.3, §13.1).
func (f companyFlags) listed() bool {
	if !f.Searchable || !f.Kind.Offered() {
		return false
	}
	var conv *org.Convention
	if f.HasConvention {
		conv = &org.Convention{IsActive: f.ConventionActive}
	}
	return org.CompanyActivity(f.Kind, f.Source, f.Searchable, conv, time.Time{}).Active
}

// companyCandidate is a company whose coordinates fall in the bounding box, with what the
// employer tab sorts, filters and shows.
type companyCandidate struct {
	companyFlags
	ID          int64
	UID         string
	Name        string
	Brand       string
	CityName    string
	PostCode    string
	Department  string
	Position    Point
	Spontaneous bool
	Score       *float64
	HasMembers  bool
	HasFiches   bool

	distance float64 // from the search centre, set once the row is kept
}

// companiesInBoxSQL reads the searchable companies of a listed kind in a box, through
// company_position_idx. The convention and the two "has" flags are scalar subqueries on
// purpose: a few index lookups per company in the box, where PostgreSQL would otherwise hash
// whole tables (every membership and user) for a box of forty companies.
var companiesInBoxSQL = `SELECT co.id, co.uid, co.name, co.brand, co.kind, co.source, co.is_searchable, co.city_name,
	co.post_code, co.department, co.latitude, co.longitude, co.block_job_applications,
	co.spontaneous_applications_open_since IS NOT NULL, co.job_app_score,
	(SELECT cv.is_active FROM siae_convention cv WHERE cv.id = co.convention_id),
	(SELECT 1 FROM company_membership m JOIN users u ON u.id = m.user_id
		WHERE m.organization_id = co.id AND m.is_active AND u.is_active LIMIT 1) IS NOT NULL,
	(SELECT 1 FROM job_description jd WHERE jd.company_id = co.id AND jd.is_active LIMIT 1) IS NOT NULL
FROM company co
WHERE co.latitude BETWEEN ? AND ? AND co.longitude BETWEEN ? AND ? AND co.is_searchable AND co.kind IN ` + listedKindsSQL

// companiesInBox returns the listed companies whose coordinates are in b. One query.
func companiesInBox(ctx context.Context, d *db.DB, b Box) ([]companyCandidate, error) {
	rows, err := d.QueryContext(ctx, companiesInBoxSQL, b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
	if err != nil {
		return nil, fmt.Errorf("search: companies in box: %w", err)
	}
	defer rows.Close()
	var list []companyCandidate
	for rows.Next() {
		var c companyCandidate
		var score sql.NullFloat64
		var convention sql.NullBool
		if err := rows.Scan(&c.ID, &c.UID, &c.Name, &c.Brand, &c.Kind, &c.Source, &c.Searchable, &c.CityName,
			&c.PostCode, &c.Department, &c.Position.Lat, &c.Position.Lon, &c.Blocked,
			&c.Spontaneous, &score, &convention, &c.HasMembers, &c.HasFiches); err != nil {
			return nil, fmt.Errorf("search: scan company: %w", err)
		}
		c.HasConvention, c.ConventionActive = convention.Valid, convention.Bool
		if !c.listed() {
			continue
		}
		if score.Valid {
			c.Score = &score.Float64
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: companies in box: %w", err)
	}
	return list, nil
}

// ficheFilter is the part of a fiche search the SQL applies (the rest is applied in Go on the
// groups): contract types and ROME domains.
type ficheFilter struct {
	ContractTypes []jobdesc.ContractType
	Domains       []string
}

// where returns the SQL joined to job_description (alias jd) and the conditions it adds, with
// their arguments (join arguments first). The ROME domains are read through the appellation:
// "CROSS JOIN" makes SQLite keep job_description as the outer loop (otherwise it may start from
// every appellation of the domain, through job_description_appellation_idx); PostgreSQL reads
// it as a plain inner join.
func (f ficheFilter) where() (join, where string, args []any) {
	var parts []string
	if len(f.Domains) > 0 {
		var ranges []string
		for _, d := range f.Domains {
			// A range of ROME codes: from "F" up to (not including) "G".
			ranges = append(ranges, "(ra.rome_code >= ? AND ra.rome_code < ?)")
			args = append(args, d, string(rune(d[0]+1)))
		}
		join = " CROSS JOIN rome_appellation ra"
		parts = append(parts, "ra.code = jd.appellation_code AND ("+strings.Join(ranges, " OR ")+")")
	}
	if len(f.ContractTypes) > 0 {
		parts = append(parts, "jd.contract_type IN (?)")
		args = append(args, bun.List(f.ContractTypes))
	}
	if len(parts) > 0 {
		where = " AND " + strings.Join(parts, " AND ")
	}
	return join, where, args
}

// ficheGroup counts the open fiches (matching a ficheFilter) that share a position: the fiches
// of a company without a commune of their own (LocationCode empty: the company's position,
// known from companiesInBox), or the fiches of a company placed at one commune (the commune's
// centre, with the company's flags to check).
type ficheGroup struct {
	CompanyID    int64
	LocationCode string
	Count        int
	// For located groups only:
	Position   Point
	Department string
	Flags      companyFlags

	distance float64
}

// ficheGroups returns the fiche groups of the companies (fiches at their company) and of the
// communes in box b (fiches placed there). One query: two index-only branches on the partial
// indexes job_description_search_company_idx and job_description_search_location_idx.
func ficheGroups(ctx context.Context, d *db.DB, companyIDs []int64, b Box, f ficheFilter) ([]ficheGroup, error) {
	join, filter, filterArgs := f.where()
	var args []any
	query := ""
	if len(companyIDs) > 0 {
		query = `SELECT jd.company_id, '', count(*), 0.0, 0.0, '', '', '', FALSE, FALSE, FALSE, FALSE
FROM job_description jd` + join + `
WHERE jd.company_id IN (?) AND jd.is_active AND jd.location_code IS NULL` + filter + `
GROUP BY jd.company_id
UNION ALL
`
		args = append(append(args, bun.List(companyIDs)), filterArgs...)
	}
	query += `SELECT jd.company_id, lc.insee_code, count(*), lc.latitude, lc.longitude, lc.department_code,
	co.kind, co.source, co.is_searchable, co.block_job_applications, cv.id IS NOT NULL, COALESCE(cv.is_active, FALSE)
FROM commune lc
JOIN job_description jd ON jd.location_code = lc.insee_code AND jd.is_active` + join + `
JOIN company co ON co.id = jd.company_id
LEFT JOIN siae_convention cv ON cv.id = co.convention_id
WHERE lc.latitude BETWEEN ? AND ? AND lc.longitude BETWEEN ? AND ?` + filter + `
GROUP BY jd.company_id, lc.insee_code, lc.latitude, lc.longitude, lc.department_code,
	co.kind, co.source, co.is_searchable, co.block_job_applications, cv.id, cv.is_active`
	args = append(append(args, b.MinLat, b.MaxLat, b.MinLon, b.MaxLon), filterArgs...)
	rows, err := d.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search: fiche groups: %w", err)
	}
	defer rows.Close()
	var list []ficheGroup
	for rows.Next() {
		var g ficheGroup
		var fl companyFlags
		if err := rows.Scan(&g.CompanyID, &g.LocationCode, &g.Count, &g.Position.Lat, &g.Position.Lon, &g.Department,
			&fl.Kind, &fl.Source, &fl.Searchable, &fl.Blocked, &fl.HasConvention, &fl.ConventionActive); err != nil {
			return nil, fmt.Errorf("search: scan fiche group: %w", err)
		}
		if g.LocationCode != "" {
			if !fl.listed() || fl.Blocked {
				continue
			}
			g.Flags = fl
		}
		list = append(list, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: fiche groups: %w", err)
	}
	return list, nil
}

// fichePage loads the cards of one page of fiches: the open fiches (matching f) of the
// companies atCompany that have no commune of their own, and those placed at the communes
// atCommunes by the companies located; internal offers first, then most recently updated. The
// ids are chosen by a subquery under LIMIT, so that only the page's rows are joined. One query.
func fichePage(ctx context.Context, d *db.DB, atCompany []int64, atCommunes []string, located []int64, f ficheFilter, offset, limit int) ([]FicheResult, error) {
	var where []string
	var args []any
	if len(atCompany) > 0 {
		where = append(where, "(jd2.location_code IS NULL AND jd2.company_id IN (?))")
		args = append(args, bun.List(atCompany))
	}
	if len(atCommunes) > 0 && len(located) > 0 {
		where = append(where, "(jd2.location_code IN (?) AND jd2.company_id IN (?))")
		args = append(args, bun.List(atCommunes), bun.List(located))
	}
	if len(where) == 0 {
		return nil, nil
	}
	join, filter, filterArgs := f.where()
	join, filter = strings.ReplaceAll(join, "jd.", "jd2."), strings.ReplaceAll(filter, "jd.", "jd2.")
	args = append(append(args, filterArgs...), limit, offset)
	query := `SELECT jd.id, jd.uid, jd.custom_name, jd.contract_type, jd.other_contract_type, jd.open_positions, jd.updated_at,
	jd.appellation_code, a.label, a.rome_code, co.uid, co.name, co.brand, co.kind, co.city_name, co.department,
	co.latitude, co.longitude, lc.name, lc.department_code, lc.latitude, lc.longitude, jd.source_kind IS NULL
FROM job_description jd
JOIN company co ON co.id = jd.company_id
JOIN rome_appellation a ON a.code = jd.appellation_code
LEFT JOIN commune lc ON lc.insee_code = jd.location_code
WHERE jd.id IN (SELECT jd2.id FROM job_description jd2` + join + ` WHERE jd2.is_active AND (` + strings.Join(where, " OR ") + `)` + filter + `
	ORDER BY jd2.source_kind IS NOT NULL, jd2.updated_at DESC, jd2.id DESC LIMIT ? OFFSET ?)`
	rows, err := d.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search: fiche page: %w", err)
	}
	defer rows.Close()
	var list []FicheResult
	for rows.Next() {
		var r FicheResult
		var jd jobdesc.JobDescription
		var updated timeValue
		var label, name, brand, coCity, coDept string
		var coLat, coLon, lcLat, lcLon sql.NullFloat64
		var lcName, lcDept sql.NullString
		if err := rows.Scan(&r.ID, &r.UID, &jd.CustomName, &jd.ContractType, &jd.OtherContractType, &r.OpenPositions, &updated,
			&r.AppellationCode, &label, &r.RomeCode, &r.CompanyUID, &name, &brand, &r.CompanyKind, &coCity, &coDept,
			&coLat, &coLon, &lcName, &lcDept, &lcLat, &lcLon, &r.internal); err != nil {
			return nil, fmt.Errorf("search: scan fiche: %w", err)
		}
		jd.Appellation = appellation(r.AppellationCode, label, r.RomeCode)
		r.Title, r.ContractType, r.Contract, r.UpdatedAt = jd.DisplayName(), jd.ContractType, jd.ContractLabel(), updated.t
		r.CompanyName = name
		if brand != "" {
			r.CompanyName = brand
		}
		if lcName.Valid {
			r.CityName, r.Department, r.position = lcName.String, lcDept.String, Point{lcLat.Float64, lcLon.Float64}
		} else {
			r.CityName, r.Department, r.position = coCity, coDept, Point{coLat.Float64, coLon.Float64}
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: fiche page: %w", err)
	}
	return list, nil
}

// timeValue scans a timestamp from either engine (SQLite's driver returns text when it cannot
// see the column's declared type).
type timeValue struct{ t time.Time }

var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

func (v *timeValue) Scan(src any) error {
	switch x := src.(type) {
	case time.Time:
		v.t = x.UTC()
		return nil
	case []byte:
		return v.parse(string(x))
	case string:
		return v.parse(x)
	case nil:
		v.t = time.Time{}
		return nil
	}
	return fmt.Errorf("search: cannot scan %T as a time", src)
}

func (v *timeValue) parse(s string) error {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			v.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("search: bad time %q", s)
}

// openFichesSQL lists the open fiches of some companies, in each employer's order.
const openFichesSQL = `SELECT jd.company_id, jd.uid, jd.custom_name, jd.contract_type, jd.other_contract_type,
	jd.appellation_code, a.label, a.rome_code
FROM job_description jd
JOIN rome_appellation a ON a.code = jd.appellation_code
WHERE jd.company_id IN (?) AND jd.is_active
ORDER BY jd.company_id, jd.ui_rank, jd.created_at, jd.id`

// openFichesOf returns the open fiches of the companies, by company id. One query.
func openFichesOf(ctx context.Context, d *db.DB, companyIDs []int64) (map[int64][]FicheSummary, error) {
	out := make(map[int64][]FicheSummary, len(companyIDs))
	if len(companyIDs) == 0 {
		return out, nil
	}
	rows, err := d.QueryContext(ctx, openFichesSQL, bun.List(companyIDs))
	if err != nil {
		return nil, fmt.Errorf("search: open fiches: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var companyID int64
		var jd jobdesc.JobDescription
		var label, rome string
		if err := rows.Scan(&companyID, &jd.UID, &jd.CustomName, &jd.ContractType, &jd.OtherContractType,
			&jd.AppellationCode, &label, &rome); err != nil {
			return nil, fmt.Errorf("search: scan open fiche: %w", err)
		}
		jd.Appellation = appellation(jd.AppellationCode, label, rome)
		out[companyID] = append(out[companyID], FicheSummary{UID: jd.UID, Title: jd.DisplayName(),
			ContractType: jd.ContractType, Contract: jd.ContractLabel()})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: open fiches: %w", err)
	}
	return out, nil
}

// prescribersInBoxSQL reads the habilitated prescriber organizations in a box through
// prescriber_organization_position_idx.
const prescribersInBoxSQL = `SELECT po.id, po.uid, po.name, po.kind, po.address_line_1, po.address_line_2, po.post_code,
	po.city_name, po.department, po.phone, po.email, po.website, po.latitude, po.longitude
FROM prescriber_organization po
WHERE po.latitude BETWEEN ? AND ? AND po.longitude BETWEEN ? AND ? AND po.authorization_status = 'VALIDATED'`

type prescriberCandidate struct {
	PrescriberResult
	Position Point
}

// prescribersInBox returns the habilitated prescriber organizations whose coordinates are in b.
func prescribersInBox(ctx context.Context, d *db.DB, b Box) ([]prescriberCandidate, error) {
	rows, err := d.QueryContext(ctx, prescribersInBoxSQL, b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
	if err != nil {
		return nil, fmt.Errorf("search: prescribers in box: %w", err)
	}
	defer rows.Close()
	var list []prescriberCandidate
	for rows.Next() {
		var p prescriberCandidate
		var a org.Address
		if err := rows.Scan(&p.ID, &p.UID, &p.Name, &p.Kind, &a.AddressLine1, &a.AddressLine2, &a.PostCode,
			&a.CityName, &p.Department, &p.Phone, &p.Email, &p.Website, &p.Position.Lat, &p.Position.Lon); err != nil {
			return nil, fmt.Errorf("search: scan prescriber: %w", err)
		}
		p.Address, p.CityName, p.PostCode = a.OneLine(), a.CityName, a.PostCode
		list = append(list, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: prescribers in box: %w", err)
	}
	return list, nil
}
