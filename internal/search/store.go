package search

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
)

// The queries of this file read whole tables: they build the in-memory index (index.go) when the
// data it was built from changed, never on an ordinary search. The activity rule of companies
// (actors.md §4.3) is applied in Go (org.CompanyActivity, the one statement of the rule) on the
// few columns it needs.

// Version is the state of the data an index was built from: the values of the
// search_generation counters (migrations 00013 and 00017): companies (the number of the last
// change of a company's rows applied: the company, its convention, its members, its fiches de
// poste, its candidatures), organizations (ROME appellations and codes, prescriber
// organizations) and places (communes, départements). Triggers raise them on every write of
// those tables, so an index built or patched after reading them holds every change committed
// before; two results of equal Version come from the same data.
type Version struct{ companies, organizations, places int64 }

// covers reports whether an index built at g is at least as recent as h.
func (g Version) covers(h Version) bool {
	return g.companies >= h.companies && g.organizations >= h.organizations && g.places >= h.places
}

// readGenerations reads the counters, and the number up to which the change log was purged:
// one query, the only one of an ordinary search.
func readGenerations(ctx context.Context, d *db.DB) (g Version, purged int64, err error) {
	rows, err := d.QueryContext(ctx, `SELECT name, value FROM search_generation`)
	if err != nil {
		return Version{}, 0, fmt.Errorf("search: generation: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var value int64
		if err := rows.Scan(&name, &value); err != nil {
			return Version{}, 0, fmt.Errorf("search: generation: %w", err)
		}
		switch name {
		case "companies":
			g.companies = value
		case "organizations":
			g.organizations = value
		case "places":
			g.places = value
		case "changes_purged":
			purged = value
		}
	}
	if err := rows.Err(); err != nil {
		return Version{}, 0, fmt.Errorf("search: generation: %w", err)
	}
	return g, purged, nil
}

// changes are the companies whose rows changed after a number of the change log.
type changes struct {
	companies []int64 // distinct, ascending
	last      int64   // the highest number read (0 when none)
	purged    int64   // the highest number purged, read in the same statement
}

// readChanges reads the companies changed after number since, with the purge mark in the same
// statement (one snapshot): when the mark is past since, rows were lost and the caller must
// rebuild whole.
func readChanges(ctx context.Context, d *db.DB, since int64) (changes, error) {
	rows, err := d.QueryContext(ctx, `SELECT seq, company_id FROM search_change WHERE seq > ?
UNION ALL SELECT value, -1 FROM search_generation WHERE name = 'changes_purged'`, since)
	if err != nil {
		return changes{}, fmt.Errorf("search: changes: %w", err)
	}
	defer rows.Close()
	var c changes
	seen := map[int64]bool{}
	for rows.Next() {
		var seq, company int64
		if err := rows.Scan(&seq, &company); err != nil {
			return changes{}, fmt.Errorf("search: changes: %w", err)
		}
		if company < 0 {
			c.purged = seq
			continue
		}
		c.last = max(c.last, seq)
		if !seen[company] {
			seen[company] = true
			c.companies = append(c.companies, company)
		}
	}
	if err := rows.Err(); err != nil {
		return changes{}, fmt.Errorf("search: changes: %w", err)
	}
	slices.Sort(c.companies)
	return c, nil
}

// ChangeRetention is how long the change log keeps a row: an instance that made no search for
// longer rebuilds its index whole at the next one (it finds the purge mark past its number).
const ChangeRetention = time.Hour

// PurgeChanges deletes the rows of the change log written before now minus ChangeRetention and
// raises the purge mark to the highest number deleted (a periodic task of the worker). It
// returns the number of rows deleted.
func PurgeChanges(ctx context.Context, d *db.DB, now time.Time) (int64, error) {
	var deleted int64
	err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var upTo sql.NullInt64
		if err := tx.NewRaw(`SELECT MAX(seq) FROM search_change WHERE created_at < ?`, now.Add(-ChangeRetention).Unix()).
			Scan(ctx, &upTo); err != nil {
			return err
		}
		if !upTo.Valid {
			return nil
		}
		res, err := tx.NewRaw(`DELETE FROM search_change WHERE seq <= ?`, upTo.Int64).Exec(ctx)
		if err != nil {
			return err
		}
		deleted, _ = res.RowsAffected()
		_, err = tx.NewRaw(`UPDATE search_generation SET value = ? WHERE name = 'changes_purged' AND value < ?`,
			upTo.Int64, upTo.Int64).Exec(ctx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("search: purge changes: %w", err)
	}
	return deleted, nil
}

// loadPlaces reads every commune and département.
func loadPlaces(ctx context.Context, d *db.DB) (*places, error) {
	var communes []geo.Commune
	if err := d.NewSelect().Model(&communes).Scan(ctx); err != nil {
		return nil, fmt.Errorf("search: communes: %w", err)
	}
	var departments []geo.Department
	if err := d.NewSelect().Model(&departments).Scan(ctx); err != nil {
		return nil, fmt.Errorf("search: départements: %w", err)
	}
	p := &places{communes: make(map[string]geo.Commune, len(communes)), departments: make(map[string]string, len(departments))}
	for _, c := range communes {
		p.communes[c.InseeCode] = c
	}
	for _, dep := range departments {
		p.departments[dep.Code] = dep.Name
	}
	return p, nil
}

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

// listedCompany is a company a search may show, with what the employer tab sorts, filters and
// shows.
type listedCompany struct {
	companyFlags
	ID          int64
	UID         string
	Name        string
	Brand       string
	CityName    string
	PostCode    string
	Department  string
	Position    placed
	Spontaneous bool
	HasMembers  bool
	// Hiring: not blocked, and an open fiche or open spontaneous applications (actors.md §4.3).
	Hiring bool
	counted

	// Open are its open fiches de poste, in the employer's order (its card lists them).
	Open []FicheSummary
	// nameKey is the French collation key of its display name (the company filter's order,
	// without collating on every search).
	nameKey []byte
	// received are the times (Unix seconds, ascending) of the candidatures it received in the
	// window (CandidatureWindow) as of the load: its job_app_score is computed from them at
	// each search, so that the window slides without a reload.
	received []int64
}

// displayName is the brand (enseigne) when set, else the legal name.
func (c *listedCompany) displayName() string {
	if c.Brand != "" {
		return c.Brand
	}
	return c.Name
}

// setHiring computes Hiring once its open fiches are known.
func (c *listedCompany) setHiring() {
	var openSince *time.Time
	if c.Spontaneous {
		openSince = &time.Time{}
	}
	c.Hiring = org.IsHiring(c.Blocked, len(c.Open), openSince)
}

// companiesSQL reads the companies of an offered kind: the employers of the public API, among
// which those a search may show (see companyFlags.listed). The convention and the member flag
// are scalar subqueries: a few index lookups per company.
var companiesSQL = `SELECT co.id, co.uid, co.name, co.brand, co.kind, co.source, co.is_searchable, co.city_name,
	co.post_code, co.department, co.siret, co.latitude, co.longitude, co.block_job_applications,
	co.spontaneous_applications_open_since IS NOT NULL,
	(SELECT cv.is_active FROM siae_convention cv WHERE cv.id = co.convention_id),
	(SELECT 1 FROM company_membership m JOIN users u ON u.id = m.user_id
		WHERE m.organization_id = co.id AND m.is_active AND u.is_active LIMIT 1) IS NOT NULL
FROM company co
WHERE co.kind IN ` + org.OfferedKindsSQL

// loadCompanies returns the employers of the API and, among them, the companies a search may
// show (searchable, active, with coordinates: a company without them is within no radius), in
// no particular order: all of them when ids is nil, else those of ids.
func loadCompanies(ctx context.Context, d *db.DB, ids []int64) ([]listedCompany, []DirectoryEntry, error) {
	query, args := companiesSQL, []any(nil)
	if ids != nil {
		query, args = query+" AND co.id IN (?)", []any{bun.List(ids)}
	}
	rows, err := d.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("search: companies: %w", err)
	}
	defer rows.Close()
	var listed []listedCompany
	var directory []DirectoryEntry
	for rows.Next() {
		var c listedCompany
		var e DirectoryEntry
		var lat, lon sql.NullFloat64
		var convention sql.NullBool
		if err := rows.Scan(&c.ID, &c.UID, &c.Name, &c.Brand, &c.Kind, &c.Source, &c.Searchable, &c.CityName,
			&c.PostCode, &c.Department, &e.SIRET, &lat, &lon, &c.Blocked,
			&c.Spontaneous, &convention, &c.HasMembers); err != nil {
			return nil, nil, fmt.Errorf("search: scan company: %w", err)
		}
		e.ID, e.Kind, e.Department, e.PostCode, e.CityName, e.Name, e.Blocked = c.ID, string(c.Kind), c.Department,
			c.PostCode, c.CityName, c.Name, c.Blocked
		if lat.Valid && lon.Valid {
			e.placed, e.position.Point = true, Point{lat.Float64, lon.Float64}
		}
		directory = append(directory, e)
		c.HasConvention, c.ConventionActive = convention.Valid, convention.Bool
		if !e.placed || !c.listed() {
			continue
		}
		c.Position.Point = e.position.Point
		listed = append(listed, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("search: companies: %w", err)
	}
	return listed, directory, nil
}

// openFichesSQL lists the open fiches de poste, grouped by company in the employer's order.
const openFichesSQL = `SELECT jd.id, jd.uid, jd.company_id, jd.custom_name, jd.contract_type, jd.other_contract_type,
	jd.open_positions, jd.updated_at, jd.appellation_code, a.label, a.rome_code, COALESCE(jd.location_code, ''),
	jd.source_kind IS NULL
FROM job_description jd
JOIN rome_appellation a ON a.code = jd.appellation_code
WHERE jd.is_active`

const openFichesOrder = ` ORDER BY jd.company_id, jd.ui_rank, jd.created_at, jd.id`

// loadOpenFiches returns the open fiches de poste (all, or those of the companies of ids), each
// company's in its employer's order.
func loadOpenFiches(ctx context.Context, d *db.DB, ids []int64) ([]FicheResult, error) {
	query, args := openFichesSQL+openFichesOrder, []any(nil)
	if ids != nil {
		query, args = openFichesSQL+" AND jd.company_id IN (?)"+openFichesOrder, []any{bun.List(ids)}
	}
	rows, err := d.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search: fiches: %w", err)
	}
	defer rows.Close()
	var list []FicheResult
	for rows.Next() {
		var f FicheResult
		var jd jobdesc.JobDescription
		var updated timeValue
		var label string
		if err := rows.Scan(&f.ID, &f.UID, &f.companyID, &jd.CustomName, &jd.ContractType, &jd.OtherContractType,
			&f.OpenPositions, &updated, &f.AppellationCode, &label, &f.RomeCode, &f.location, &f.internal); err != nil {
			return nil, fmt.Errorf("search: scan fiche: %w", err)
		}
		jd.Appellation = appellation(f.AppellationCode, label, f.RomeCode)
		f.Title, f.ContractType, f.Contract, f.UpdatedAt = jd.DisplayName(), jd.ContractType, jd.ContractLabel(), updated.t
		list = append(list, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: fiches: %w", err)
	}
	return list, nil
}

// received are the candidatures of the window (CandidatureWindow) as the index keeps them: for
// each company, the times (Unix seconds) it received them, ascending; for each fiche de poste,
// the times of the two latest that selected it (0 when fewer).
type received struct {
	byCompany map[int64][]int64
	byFiche   map[int64][2]int64
}

// candidaturesSQL reads the candidatures created since a time, with the fiches they select
// (one row per selected fiche, one with a NULL fiche for a spontaneous candidature). A fiche
// counts the candidatures sent to its company (a candidature transferred elsewhere leaves the
// counts of its first company's fiches).
const candidaturesSQL = `SELECT ja.id, ja.to_company_id, ja.created_at, s.job_description_id
FROM job_application ja
LEFT JOIN job_application_selected_job s ON s.job_application_id = ja.id
WHERE ja.created_at >= ?`

// loadCandidatures reads the candidatures created since since (all companies', or those of the
// companies of ids).
func loadCandidatures(ctx context.Context, d *db.DB, ids []int64, since time.Time) (received, error) {
	query, args := candidaturesSQL, []any{since}
	if ids != nil {
		query, args = query+" AND ja.to_company_id IN (?)", append(args, bun.List(ids))
	}
	rows, err := d.QueryContext(ctx, query, args...)
	if err != nil {
		return received{}, fmt.Errorf("search: candidatures: %w", err)
	}
	defer rows.Close()
	r := received{byCompany: map[int64][]int64{}, byFiche: map[int64][2]int64{}}
	seen := map[int64]bool{}
	for rows.Next() {
		var id, company int64
		var created timeValue
		var fiche sql.NullInt64
		if err := rows.Scan(&id, &company, &created, &fiche); err != nil {
			return received{}, fmt.Errorf("search: scan candidature: %w", err)
		}
		at := created.t.Unix()
		if !seen[id] {
			seen[id] = true
			r.byCompany[company] = append(r.byCompany[company], at)
		}
		if fiche.Valid {
			r.byFiche[fiche.Int64] = latestTwo(r.byFiche[fiche.Int64], at)
		}
	}
	if err := rows.Err(); err != nil {
		return received{}, fmt.Errorf("search: candidatures: %w", err)
	}
	for _, times := range r.byCompany {
		slices.Sort(times)
	}
	return r, nil
}

// latestTwo keeps the two latest of the times of two and at.
func latestTwo(two [2]int64, at int64) [2]int64 {
	switch {
	case at > two[0]:
		return [2]int64{at, two[0]}
	case at > two[1]:
		return [2]int64{two[0], at}
	}
	return two
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

// habilitatedPrescribersSQL reads the habilitated prescriber organizations that have coordinates.
const habilitatedPrescribersSQL = `SELECT po.id, po.uid, po.name, po.kind, po.address_line_1, po.address_line_2, po.post_code,
	po.city_name, po.department, po.phone, po.email, po.website, po.latitude, po.longitude
FROM prescriber_organization po
WHERE po.authorization_status = 'VALIDATED' AND po.latitude IS NOT NULL AND po.longitude IS NOT NULL`

type prescriberCandidate struct {
	PrescriberResult
	Position placed
}

// loadHabilitatedPrescribers returns the organizations the prescriber search may list.
func loadHabilitatedPrescribers(ctx context.Context, d *db.DB) ([]prescriberCandidate, error) {
	rows, err := d.QueryContext(ctx, habilitatedPrescribersSQL)
	if err != nil {
		return nil, fmt.Errorf("search: prescribers: %w", err)
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
		return nil, fmt.Errorf("search: prescribers: %w", err)
	}
	return list, nil
}
