package search

import (
	"context"
	"database/sql"
	"fmt"
	"time"

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
// search_generation counters (migration 00013), organizations (companies, conventions,
// memberships, fiches de poste, appellations, prescriber organizations) and places (communes,
// départements). Triggers raise them on every write of those tables, so an index built after
// reading them holds every change committed before; two results of equal Version come from the
// same data.
type Version struct{ organizations, places int64 }

// covers reports whether an index built at g is at least as recent as h.
func (g Version) covers(h Version) bool {
	return g.organizations >= h.organizations && g.places >= h.places
}

// readGenerations reads the counters: one query, the only one of an ordinary search.
func readGenerations(ctx context.Context, d *db.DB) (Version, error) {
	rows, err := d.QueryContext(ctx, `SELECT name, value FROM search_generation`)
	if err != nil {
		return Version{}, fmt.Errorf("search: generation: %w", err)
	}
	defer rows.Close()
	var g Version
	for rows.Next() {
		var name string
		var value int64
		if err := rows.Scan(&name, &value); err != nil {
			return Version{}, fmt.Errorf("search: generation: %w", err)
		}
		switch name {
		case "organizations":
			g.organizations = value
		case "places":
			g.places = value
		}
	}
	if err := rows.Err(); err != nil {
		return Version{}, fmt.Errorf("search: generation: %w", err)
	}
	return g, nil
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
	Score       *float64
	HasMembers  bool
	// Hiring: not blocked, and an open fiche or open spontaneous applications (actors.md §4.3).
	Hiring bool
	counted

	// Open are its open fiches de poste, in the employer's order (its card lists them).
	Open []FicheSummary
	// nameRank is the place of its display name in French alphabetical order among all the
	// listed companies (the company filter's order, without collating on every search).
	nameRank int
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

// listedCompaniesSQL reads the searchable companies of a listed kind that have coordinates (a
// company without them is within no radius). The convention and the member flag are scalar
// subqueries: a few index lookups per company.
var listedCompaniesSQL = `SELECT co.id, co.uid, co.name, co.brand, co.kind, co.source, co.is_searchable, co.city_name,
	co.post_code, co.department, co.latitude, co.longitude, co.block_job_applications,
	co.spontaneous_applications_open_since IS NOT NULL, co.job_app_score,
	(SELECT cv.is_active FROM siae_convention cv WHERE cv.id = co.convention_id),
	(SELECT 1 FROM company_membership m JOIN users u ON u.id = m.user_id
		WHERE m.organization_id = co.id AND m.is_active AND u.is_active LIMIT 1) IS NOT NULL
FROM company co
WHERE co.latitude IS NOT NULL AND co.longitude IS NOT NULL AND co.is_searchable AND co.kind IN ` + org.OfferedKindsSQL

// loadListedCompanies returns the companies a search may show, in no particular order.
func loadListedCompanies(ctx context.Context, d *db.DB) ([]listedCompany, error) {
	rows, err := d.QueryContext(ctx, listedCompaniesSQL)
	if err != nil {
		return nil, fmt.Errorf("search: companies: %w", err)
	}
	defer rows.Close()
	var list []listedCompany
	for rows.Next() {
		var c listedCompany
		var score sql.NullFloat64
		var convention sql.NullBool
		if err := rows.Scan(&c.ID, &c.UID, &c.Name, &c.Brand, &c.Kind, &c.Source, &c.Searchable, &c.CityName,
			&c.PostCode, &c.Department, &c.Position.Lat, &c.Position.Lon, &c.Blocked,
			&c.Spontaneous, &score, &convention, &c.HasMembers); err != nil {
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
		return nil, fmt.Errorf("search: companies: %w", err)
	}
	return list, nil
}

// openFiche is an open fiche de poste as loaded: its card, its company and its commune.
type openFiche struct {
	FicheResult
	CompanyID    int64
	LocationCode string // "" when the position is the company's
	postCode     string // of the position, when known (see index.setCompanies)
}

// openFichesSQL lists every open fiche de poste, grouped by company in the employer's order.
const openFichesSQL = `SELECT jd.id, jd.uid, jd.company_id, jd.custom_name, jd.contract_type, jd.other_contract_type,
	jd.open_positions, jd.updated_at, jd.appellation_code, a.label, a.rome_code, COALESCE(jd.location_code, ''),
	jd.source_kind IS NULL
FROM job_description jd
JOIN rome_appellation a ON a.code = jd.appellation_code
WHERE jd.is_active
ORDER BY jd.company_id, jd.ui_rank, jd.created_at, jd.id`

// loadOpenFiches returns every open fiche de poste, each company's in its employer's order.
func loadOpenFiches(ctx context.Context, d *db.DB) ([]openFiche, error) {
	rows, err := d.QueryContext(ctx, openFichesSQL)
	if err != nil {
		return nil, fmt.Errorf("search: fiches: %w", err)
	}
	defer rows.Close()
	var list []openFiche
	for rows.Next() {
		var f openFiche
		var jd jobdesc.JobDescription
		var updated timeValue
		var label string
		if err := rows.Scan(&f.ID, &f.UID, &f.CompanyID, &jd.CustomName, &jd.ContractType, &jd.OtherContractType,
			&f.OpenPositions, &updated, &f.AppellationCode, &label, &f.RomeCode, &f.LocationCode, &f.internal); err != nil {
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
