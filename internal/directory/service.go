package directory

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/search"
)

// Service answers listings.
type Service struct {
	db  *db.DB
	geo *geo.Store
}

// NewService returns the directory over d.
func NewService(d *db.DB) *Service { return &Service{db: d, geo: geo.NewStore(d)} }

// List returns one page of q. Its cost is a fixed number of queries whatever the number of
// results: the commune (with Near), the départements (with a département filter), the candidate
// rows (narrow: what filters and sorts), then the page's companies and their open fiches.
// Errors: ErrUnknownCity, *UnknownDepartmentError, ErrInvalidPage.
func (s *Service) List(ctx context.Context, q Query) (Result, error) {
	var center *search.Point
	if q.Near != nil {
		c, err := s.geo.Commune(ctx, q.Near.InseeCode)
		if errors.Is(err, geo.ErrNotFound) {
			return Result{}, ErrUnknownCity
		}
		if err != nil {
			return Result{}, fmt.Errorf("directory: %w", err)
		}
		center = &search.Point{Lat: c.Latitude, Lon: c.Longitude}
	}
	if err := s.checkDepartments(ctx, q.Department, q.FichesInDepartment); err != nil {
		return Result{}, err
	}
	list, err := candidates(ctx, s.db, q, center)
	if err != nil {
		return Result{}, err
	}
	sortCandidates(list, q.Order)
	from, to, number, ok := pageBounds(len(list), q.Page, q.PageSize)
	if !ok {
		return Result{}, ErrInvalidPage
	}
	ids := make([]int64, 0, to-from)
	for _, c := range list[from:to] {
		ids = append(ids, c.ID)
	}
	page, err := listings(ctx, s.db, ids)
	if err != nil {
		return Result{}, err
	}
	return Result{Total: len(list), Page: number, Listings: page}, nil
}

// pageBounds returns the slice [from, to) of page among total results, or ok false when the page
// does not exist. Page 1 always exists (empty when nothing matches), as with DRF; LastPage is the
// last one.
func pageBounds(total, page, size int) (from, to, number int, ok bool) {
	if page == LastPage && size > 0 {
		page = max(1, (total+size-1)/size)
	}
	if page < 1 || size < 1 {
		return 0, 0, 0, false
	}
	from = (page - 1) * size
	if page > 1 && from >= total {
		return 0, 0, 0, false
	}
	return min(from, total), min(from+size, total), page, true
}

// checkDepartments makes sure the département filters name départements, in one query.
func (s *Service) checkDepartments(ctx context.Context, codes ...string) error {
	var wanted []string
	for _, c := range codes {
		if c != "" {
			if !geo.ValidDepartmentCode(c) {
				return &UnknownDepartmentError{Code: c}
			}
			wanted = append(wanted, c)
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	var known []string
	if err := s.db.NewSelect().Table("department").Column("code").Where("code IN (?)", bun.List(wanted)).Scan(ctx, &known); err != nil {
		return fmt.Errorf("directory: départements: %w", err)
	}
	for _, c := range wanted {
		found := false
		for _, k := range known {
			found = found || k == c
		}
		if !found {
			return &UnknownDepartmentError{Code: c}
		}
	}
	return nil
}

// candidate is a listed company with what the filters and the ordering read.
type candidate struct {
	ID         int64    `bun:"id"`
	Kind       string   `bun:"kind"`
	Department string   `bun:"department"`
	PostCode   string   `bun:"post_code"`
	CityName   string   `bun:"city_name"`
	SIRET      string   `bun:"siret"`
	Name       string   `bun:"name"`
	Blocked    bool     `bun:"block_job_applications"`
	Latitude   *float64 `bun:"latitude"`
	Longitude  *float64 `bun:"longitude"`
}

// fichesInDepartmentSQL is the set of companies with an open fiche located in a département,
// driven from the département's side: fiches at one of its communes (commune_department_idx,
// job_description_location_idx), and fiches without location of its companies
// (company_department_idx, job_description_company_idx).
const fichesInDepartmentSQL = `co.id IN (
	SELECT jd.company_id FROM commune lc JOIN job_description jd ON jd.location_code = lc.insee_code
	WHERE lc.department_code = ? AND jd.is_active
	UNION
	SELECT jd.company_id FROM company c2 JOIN job_description jd ON jd.company_id = c2.id
	WHERE c2.department = ? AND jd.location_code IS NULL AND jd.is_active)`

// candidates returns the listed companies matching q, in no particular order. With a radius, SQL
// narrows to the search's bounding box (company_position_idx) and Go keeps the companies within
// the great-circle distance, the rule the search pages apply. One query.
func candidates(ctx context.Context, d *db.DB, q Query, center *search.Point) ([]candidate, error) {
	sel := d.NewSelect().TableExpr("company AS co").
		Column("co.id", "co.kind", "co.department", "co.post_code", "co.city_name", "co.siret", "co.name",
			"co.block_job_applications", "co.latitude", "co.longitude").
		Where("co.kind IN (?)", bun.List(listedKinds))
	if center != nil {
		b := search.BoundingBox(*center, q.Near.DistanceKm)
		sel = sel.Where("co.latitude BETWEEN ? AND ?", b.MinLat, b.MaxLat).Where("co.longitude BETWEEN ? AND ?", b.MinLon, b.MaxLon)
	}
	if q.Department != "" {
		sel = sel.Where("co.department = ?", q.Department)
	}
	if q.FichesInDepartment != "" {
		sel = sel.Where(fichesInDepartmentSQL, q.FichesInDepartment, q.FichesInDepartment)
	}
	var rows []candidate
	if err := sel.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("directory: companies: %w", err)
	}
	if center == nil {
		return rows, nil
	}
	kept := rows[:0]
	for _, c := range rows {
		if c.Latitude != nil && search.Within(*center, search.Point{Lat: *c.Latitude, Lon: *c.Longitude}, q.Near.DistanceKm) {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// listings loads the companies of ids with their open fiches, in the order of ids: two queries
// whatever the number of ids (the fiches' appellation, ROME code and location commune are
// joined in the second).
func listings(ctx context.Context, d *db.DB, ids []int64) ([]Listing, error) {
	if len(ids) == 0 {
		return []Listing{}, nil
	}
	var companies []*org.Company
	if err := d.NewSelect().Model(&companies).Where("co.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("directory: page companies: %w", err)
	}
	var fiches []*jobdesc.JobDescription
	err := d.NewSelect().Model(&fiches).
		Relation("Appellation").Relation("Appellation.Rome").Relation("Location").
		Where("jd.company_id IN (?)", bun.List(ids)).Where("jd.is_active").
		// The original's order: most recently updated first, then most recently created.
		Order("jd.updated_at DESC", "jd.created_at DESC", "jd.id DESC").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: page fiches: %w", err)
	}
	byID := make(map[int64]*Listing, len(companies))
	for _, c := range companies {
		byID[c.ID] = &Listing{Company: c, Fiches: []*jobdesc.JobDescription{}}
	}
	for _, f := range fiches {
		if l := byID[f.CompanyID]; l != nil {
			l.Fiches = append(l.Fiches, f)
		}
	}
	out := make([]Listing, 0, len(ids))
	for _, id := range ids {
		if l := byID[id]; l != nil {
			out = append(out, *l)
		}
	}
	return out, nil
}
