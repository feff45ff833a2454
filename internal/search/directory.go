package search

import (
	"context"
	"fmt"
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
