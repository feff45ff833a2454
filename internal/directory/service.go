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

// candidate is a listed company with what the filters and the ordering read; a request loads
// only what it reads (see candidatesQuery).
type candidate struct {
	ID         int64
	Kind       string
	Department string
	PostCode   string
	CityName   string
	SIRET      string
	Name       string
	Blocked    bool
	Latitude   float64
	Longitude  float64
}

// orderColumn returns the column the criterion f reads, and where c receives it.
func (c *candidate) orderColumn(f Field) (string, any) {
	switch f {
	case ByKind:
		return "co.kind", &c.Kind
	case ByDepartment:
		return "co.department", &c.Department
	case ByPostCode:
		return "co.post_code", &c.PostCode
	case ByCity:
		return "co.city_name", &c.CityName
	case BySIRET:
		return "co.siret", &c.SIRET
	case ByName:
		return "co.name", &c.Name
	case ByBlocked:
		return "co.block_job_applications", &c.Blocked
	}
	return "", nil
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
	var c candidate // each row is scanned into c, then copied into the list
	sel, dest := candidatesQuery(d, q, center, &c)
	rows, err := sel.Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: companies: %w", err)
	}
	defer rows.Close()
	var list []candidate
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("directory: scan company: %w", err)
		}
		if center == nil || search.Within(*center, search.Point{Lat: c.Latitude, Lon: c.Longitude}, q.Near.DistanceKm) {
			list = append(list, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: companies: %w", err)
	}
	return list, nil
}

// candidatesQuery selects the listed companies matching q, reading only what q needs: the id, the
// position with a radius, the column of each ordering criterion. dest are the fields of c that
// receive the columns, in order.
func candidatesQuery(d *db.DB, q Query, center *search.Point, c *candidate) (sel *bun.SelectQuery, dest []any) {
	sel = d.NewSelect().TableExpr("company AS co").Column("co.id").Where("co.kind IN (?)", bun.List(listedKinds))
	dest = []any{&c.ID}
	if center != nil {
		b := search.BoundingBox(*center, q.Near.DistanceKm)
		// BETWEEN leaves out the companies without coordinates: the columns are never NULL here.
		sel = sel.Column("co.latitude", "co.longitude").
			Where("co.latitude BETWEEN ? AND ?", b.MinLat, b.MaxLat).Where("co.longitude BETWEEN ? AND ?", b.MinLon, b.MaxLon)
		dest = append(dest, &c.Latitude, &c.Longitude)
	}
	for _, k := range q.Order {
		if column, field := c.orderColumn(k.Field); field != nil {
			sel = sel.Column(column)
			dest = append(dest, field)
		}
	}
	if q.Department != "" {
		sel = sel.Where("co.department = ?", q.Department)
	}
	if q.FichesInDepartment != "" {
		sel = sel.Where(fichesInDepartmentSQL, q.FichesInDepartment, q.FichesInDepartment)
	}
	return sel, dest
}

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
