// Package directory lists employers for the public API GET /api/v1/siaes/ (actors.md §18): the
// companies around a commune, of a département, or having open fiches de poste in a département,
// with their open fiches, ordered and paginated as the original API.
//
// Unlike the search pages (internal/search), the directory is not filtered on convention activity
// nor on the "searchable" flag: partners receive every employer but the EA/EATT history and the
// technical RESERVED holder of external offers. The filters run on the searches' in-memory index
// (search.Service.Directory: same radius rule, so that a company is in the API's radius exactly
// when it is in the search page's); the page's details are read from the database.
package directory

import (
	"fmt"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/search"
)

// Limits of a listing (actors.md §18).
const (
	// MinDistanceKm and MaxDistanceKm bound the radius around a commune.
	MinDistanceKm = 1
	MaxDistanceKm = 100
	// DefaultPageSize is the page size when the client gives none (DRF's PAGE_SIZE of the original).
	DefaultPageSize = 20
	// MaxPageSize caps page_size: a client asking more gets this many.
	MaxPageSize = 100
)

// Query is one listing request, validated by the caller (see internal/api).
type Query struct {
	// Near keeps the companies within a radius of a commune's centre; nil: no radius.
	Near *Near
	// Department keeps the companies of this département ("" : any).
	Department string
	// FichesInDepartment keeps the companies having an open fiche de poste located in this
	// département: at the fiche's commune, or at the company for a fiche without location.
	FichesInDepartment string
	// Order sorts the results; the id (creation order) breaks ties and is the default order.
	Order []OrderKey
	// Page is 1-based, or LastPage; PageSize between 1 and MaxPageSize.
	Page     int
	PageSize int
}

// LastPage asks for the last page, whatever its number (DRF's page=last).
const LastPage = -1

// Near is a radius around a commune.
type Near struct {
	InseeCode  string
	DistanceKm float64
}

// Field is a criterion of the ordering parameter `o`, named as the original API names it.
type Field string

const (
	ByKind       Field = "type"
	ByDepartment Field = "departement"
	ByPostCode   Field = "code_postal"
	ByCity       Field = "ville"
	BySIRET      Field = "siret"
	ByName       Field = "raison_sociale"
	ByBlocked    Field = "bloque_candidatures"
)

// Fields are the ordering criteria, in the order the documentation lists them.
var Fields = []Field{ByKind, ByDepartment, ByPostCode, ByCity, BySIRET, ByName, ByBlocked}

// ParseField returns the criterion named s, and whether there is one.
func ParseField(s string) (Field, bool) {
	for _, f := range Fields {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// OrderKey is one criterion of the ordering, ascending unless Desc.
type OrderKey struct {
	Field Field
	Desc  bool
}

// Listing is a company with its open fiches de poste, most recently updated first, each with its
// appellation (and ROME code) and its location commune (nil: the company's own commune). Only
// the fields the API shows are loaded.
type Listing struct {
	Company *org.Company
	Fiches  []*jobdesc.JobDescription
}

// Result is one page of a listing.
type Result struct {
	// Total is the number of companies over all pages.
	Total int
	// Page is the number of the page served (the last page's number for LastPage).
	Page int
	// IDs are the page's companies, in order (Service.Listings loads them).
	IDs []int64
	// Version is the state of the data listed: a company's listing is the same for one Version.
	Version search.Version
}

// ErrUnknownCity: no commune has the INSEE code of Query.Near.
var ErrUnknownCity = fault.NotFound("Aucune commune n'a ce code INSEE.")

// ErrInvalidPage: the page does not exist (below 1, or beyond the last page). Page 1 always
// exists, empty when nothing matches.
var ErrInvalidPage = fault.NotFound(MsgInvalidPage)

// MsgInvalidPage is the original API's message, word for word (DRF's).
const MsgInvalidPage = "Page non valide."

// UnknownDepartmentError: a département filter names no département.
type UnknownDepartmentError struct{ Code string }

func (e *UnknownDepartmentError) Error() string {
	return fmt.Sprintf("directory: unknown département %q", e.Code)
}
