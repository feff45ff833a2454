package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/rome"
	"emplois/internal/search"
)

// Service answers listings.
type Service struct {
	db    *db.DB
	index *search.Service
}

// NewService returns the directory over d, filtering through index (the searches' in-memory
// index: see search.Service.Directory).
func NewService(d *db.DB, index *search.Service) *Service { return &Service{db: d, index: index} }

// List returns the companies of one page of q, in order, with their total: one query (the
// index's version), whatever the number of results; the page's details come from Listings.
// Errors: ErrUnknownCity, *UnknownDepartmentError, ErrInvalidPage.
func (s *Service) List(ctx context.Context, q Query) (Result, error) {
	for _, code := range []string{q.Department, q.FichesInDepartment} {
		if code != "" && !geo.ValidDepartmentCode(code) {
			return Result{}, &UnknownDepartmentError{Code: code}
		}
	}
	f := search.DirectoryFilter{Department: q.Department, FichesInDepartment: q.FichesInDepartment}
	if q.Near != nil {
		f.NearCode, f.RadiusKm = q.Near.InseeCode, q.Near.DistanceKm
	}
	list, version, err := s.index.Directory(ctx, f)
	var unknownDept *search.UnknownDepartmentError
	switch {
	case errors.Is(err, search.ErrUnknownCity):
		return Result{}, ErrUnknownCity
	case errors.As(err, &unknownDept):
		return Result{}, &UnknownDepartmentError{Code: unknownDept.Code}
	case err != nil:
		return Result{}, fmt.Errorf("directory: %w", err)
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
	return Result{Total: len(list), Page: number, IDs: ids, Version: version}, nil
}

// Listings loads the companies of ids with their open fiches, in the order of ids: two queries
// whatever the number of ids.
func (s *Service) Listings(ctx context.Context, ids []int64) ([]Listing, error) {
	return listings(ctx, s.db, ids)
}

// pageBounds returns the slice [from, to) of page among total results, or ok false when the page
// does not exist. Page 1 always exists (empty when nothing matches), as with DRF; LastPage is the
// last one.
func pageBounds(total, page, size int) (from, to, number int, ok bool) {
	if size < 1 {
		return 0, 0, 0, false
	}
	pages := max(1, (total+size-1)/size)
	if page == LastPage {
		page = pages
	}
	// Compared in pages, not rows: (page-1)*size overflows for a huge page (issue 8).
	if page < 1 || page > pages {
		return 0, 0, 0, false
	}
	from = (page - 1) * size
	return from, min(from+size, total), page, true
}

// candidate is a company as the API filters and orders it.
type candidate = search.DirectoryEntry

// listings loads the companies of ids with their open fiches, in the order of ids: two queries
// whatever the number of ids, each reading only the columns the API shows.
func listings(ctx context.Context, d *db.DB, ids []int64) ([]Listing, error) {
	if len(ids) == 0 {
		return []Listing{}, nil
	}
	companies, err := pageCompanies(ctx, d, ids)
	if err != nil {
		return nil, err
	}
	fiches, err := openFiches(ctx, d, ids)
	if err != nil {
		return nil, err
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

// pageCompaniesSQL reads the columns of a company the API shows.
const pageCompaniesSQL = `SELECT co.id, co.uid, co.siret, co.kind, co.name, co.brand, co.phone, co.email, co.website,
	co.description, co.block_job_applications, co.address_line_1, co.address_line_2, co.post_code, co.city_name,
	co.department, co.created_at, co.updated_at
FROM company co
WHERE co.id IN (?)`

// pageCompanies returns the companies of ids, in no particular order.
func pageCompanies(ctx context.Context, d *db.DB, ids []int64) ([]*org.Company, error) {
	rows, err := d.QueryContext(ctx, pageCompaniesSQL, bun.List(ids))
	if err != nil {
		return nil, fmt.Errorf("directory: page companies: %w", err)
	}
	defer rows.Close()
	list := make([]*org.Company, 0, len(ids))
	for rows.Next() {
		c := &org.Company{}
		if err := rows.Scan(&c.ID, &c.UID, &c.SIRET, &c.Kind, &c.Name, &c.Brand, &c.Phone, &c.Email, &c.Website,
			&c.Description, &c.BlockJobApplications, &c.AddressLine1, &c.AddressLine2, &c.PostCode, &c.CityName,
			&c.Department, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return nil, fmt.Errorf("directory: scan company: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: page companies: %w", err)
	}
	return list, nil
}

// openFichesSQL reads the open fiches of companies in the original's order: most recently
// updated first, then most recently created. The appellation's ROME code is a scalar subquery,
// one index lookup per fiche: as a join, PostgreSQL hashes the whole rome_appellation table.
const openFichesSQL = `SELECT jd.company_id, jd.uid, jd.is_active, jd.custom_name, jd.description,
	jd.profile_description, jd.contract_type, jd.open_positions, jd.created_at, jd.updated_at, jd.appellation_code,
	rc.code, rc.label, lc.insee_code, lc.name, lc.department_code, lc.postal_codes
FROM job_description jd
LEFT JOIN rome_code rc ON rc.code = (SELECT a.rome_code FROM rome_appellation a WHERE a.code = jd.appellation_code)
LEFT JOIN commune lc ON lc.insee_code = jd.location_code
WHERE jd.company_id IN (?) AND jd.is_active
ORDER BY jd.updated_at DESC, jd.created_at DESC, jd.id DESC`

// openFiches returns the open fiches of the companies of ids, each with its appellation's ROME
// code and label, and its location commune (nil: the company's own).
func openFiches(ctx context.Context, d *db.DB, ids []int64) ([]*jobdesc.JobDescription, error) {
	rows, err := d.QueryContext(ctx, openFichesSQL, bun.List(ids))
	if err != nil {
		return nil, fmt.Errorf("directory: page fiches: %w", err)
	}
	defer rows.Close()
	var list []*jobdesc.JobDescription
	for rows.Next() {
		f := &jobdesc.JobDescription{}
		var romeCode, romeLabel, insee, city, department sql.NullString
		var postCodes geo.PostalCodes
		if err := rows.Scan(&f.CompanyID, &f.UID, &f.IsActive, &f.CustomName, &f.Description,
			&f.ProfileDescription, &f.ContractType, &f.OpenPositions, &f.CreatedAt, &f.UpdatedAt, &f.AppellationCode,
			&romeCode, &romeLabel, &insee, &city, &department, &postCodes); err != nil {
			return nil, fmt.Errorf("directory: scan fiche: %w", err)
		}
		if romeCode.Valid {
			f.Appellation = &rome.Appellation{Code: f.AppellationCode, RomeCode: romeCode.String,
				Rome: &rome.Code{Code: romeCode.String, Label: romeLabel.String}}
		}
		if insee.Valid {
			f.LocationCode = insee.String
			f.Location = &geo.Commune{InseeCode: insee.String, Name: city.String, DepartmentCode: department.String,
				PostalCodes: postCodes}
		}
		list = append(list, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: page fiches: %w", err)
	}
	return list, nil
}
