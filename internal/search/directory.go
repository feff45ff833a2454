package search

import (
	"context"
	"database/sql"
	"fmt"

	"emplois/internal/org"
	"emplois/internal/platform/db"
)

// The public API (internal/directory, actors.md §18) lists every employer of an offered kind,
// listed by the searches or not (inactive SIAE, hidden ones: partners receive them all), around
// a commune, of a département or with open fiches in a département. The index holds what those
// filters and the API's orderings read, so that a call costs one query like a search, and the
// radius is the searches' (a company is in the API's radius exactly when it is in a search's).

// DirectoryEntry is an employer as the public API filters and orders it.
type DirectoryEntry struct {
	ID         int64
	Kind       string
	Department string
	PostCode   string
	CityName   string
	SIRET      string
	Name       string
	Blocked    bool

	// ficheDepartments are the départements of its open fiches: the fiche's commune's, else the
	// company's.
	ficheDepartments []string
	position         placed
	placed           bool // has coordinates
}

// DirectoryFilter selects the entries of an API call; empty fields select everything.
type DirectoryFilter struct {
	// NearCode (an INSEE code) and RadiusKm keep the companies within the radius of the commune.
	NearCode string
	RadiusKm float64
	// Department keeps the companies of a département; FichesInDepartment those with an open
	// fiche de poste located there.
	Department         string
	FichesInDepartment string
}

// UnknownDepartmentError: a département filter names no département.
type UnknownDepartmentError struct{ Code string }

func (e *UnknownDepartmentError) Error() string {
	return fmt.Sprintf("search: unknown département %q", e.Code)
}

// Directory returns the entries matching f, in no particular order, and the Version of the data
// they come from. Errors: ErrUnknownCity (NearCode is no commune), *UnknownDepartmentError.
func (s *Service) Directory(ctx context.Context, f DirectoryFilter) ([]DirectoryEntry, Version, error) {
	ix, err := s.current(ctx)
	if err != nil {
		return nil, Version{}, err
	}
	for _, code := range []string{f.Department, f.FichesInDepartment} {
		if _, ok := ix.places.departments[code]; code != "" && !ok {
			return nil, Version{}, &UnknownDepartmentError{Code: code}
		}
	}
	keep := func(e *DirectoryEntry) bool {
		return (f.Department == "" || e.Department == f.Department) &&
			(f.FichesInDepartment == "" || contains(e.ficheDepartments, f.FichesInDepartment))
	}
	var out []DirectoryEntry
	if f.NearCode == "" {
		for i := range ix.directory {
			if keep(&ix.directory[i]) {
				out = append(out, ix.directory[i])
			}
		}
		return out, ix.gen, nil
	}
	c, ok := ix.places.communes[f.NearCode]
	if !ok {
		return nil, Version{}, ErrUnknownCity
	}
	eachWithin(ix.directoryPlaced, directoryPosition, newCircle(Point{c.Latitude, c.Longitude}, f.RadiusKm), func(e *DirectoryEntry, _ float64) {
		if keep(e) {
			out = append(out, *e)
		}
	})
	return out, ix.gen, nil
}

func directoryPosition(e *DirectoryEntry) placed { return e.position }

// setDirectory indexes the employers of the API with the départements of their open fiches.
func (ix *index) setDirectory(entries []DirectoryEntry, fiches []openFiche) {
	byID := make(map[int64]*DirectoryEntry, len(entries))
	for i := range entries {
		byID[entries[i].ID] = &entries[i]
	}
	for _, f := range fiches {
		e := byID[f.CompanyID]
		if e == nil {
			continue
		}
		dept := e.Department
		if f.LocationCode != "" {
			dept = ix.places.communes[f.LocationCode].DepartmentCode
		}
		if dept != "" && !contains(e.ficheDepartments, dept) {
			e.ficheDepartments = append(e.ficheDepartments, dept)
		}
	}
	ix.directory = entries
	for _, e := range entries {
		if e.placed {
			e.position = place(e.position.Point)
			ix.directoryPlaced = append(ix.directoryPlaced, e)
		}
	}
	sortByPlace(ix.directoryPlaced, directoryPosition)
}

// directorySQL reads the employers of the API: every company of an offered kind.
var directorySQL = `SELECT co.id, co.kind, co.department, co.post_code, co.city_name, co.siret, co.name,
	co.block_job_applications, co.latitude, co.longitude
FROM company co
WHERE co.kind IN ` + org.OfferedKindsSQL

func loadDirectory(ctx context.Context, d *db.DB) ([]DirectoryEntry, error) {
	rows, err := d.QueryContext(ctx, directorySQL)
	if err != nil {
		return nil, fmt.Errorf("search: directory: %w", err)
	}
	defer rows.Close()
	var list []DirectoryEntry
	for rows.Next() {
		var e DirectoryEntry
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&e.ID, &e.Kind, &e.Department, &e.PostCode, &e.CityName, &e.SIRET, &e.Name, &e.Blocked, &lat, &lon); err != nil {
			return nil, fmt.Errorf("search: scan directory: %w", err)
		}
		if lat.Valid && lon.Valid {
			e.placed, e.position.Point = true, Point{lat.Float64, lon.Float64}
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: directory: %w", err)
	}
	return list, nil
}
