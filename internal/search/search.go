// Package search finds employers, fiches de poste and prescriber organizations around a city
// (actors.md §13.1-13.2): parsing and validating the search input, the great-circle distance
// rule, and the searches, fast at national scale on both engines.
//
// How a search runs: each instance holds an index of what the searches show (index.go), rebuilt
// from the database whenever the generation counters that triggers raise on every relevant
// write have moved (store.go, migration 00013), so a search costs one query whatever the number
// of results. Within the index, the rows of the radius's latitude band are found by binary
// search and tested against the radius with precomputed unit vectors (circle in rules.go); a row
// is kept if and only if its great-circle distance is ≤ the radius. Counts, facets, ordering and
// pagination are computed in Go.
package search

import (
	"time"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
)

// PageSize is the number of results per page of the search pages (actors.md §13.1-13.2).
const PageSize = 10

// Query is a search around a city, as read from the page's GET parameters (see ParseQuery).
// Zero values mean "no filter"; Distance 0 means the tab's default.
type Query struct {
	// City is the INSEE code of the commune whose centre is the search's centre.
	City string
	// CityText is what was typed in the city field: without JavaScript, an INSEE code, the label
	// the autocomplete shows ("Lyon (69)") or a name only one commune bears. It wins over City
	// when they disagree (the text was changed after a pick).
	CityText string
	// Distance is the radius in km, one of Distances (0: the default of the search).
	Distance int
	// Kinds keeps only these company kinds (both tabs).
	Kinds []org.CompanyKind
	// Departments keeps only results in these départements (both tabs): the company's
	// département on the employer tab, the position's département on the fiche tab.
	Departments []string
	// Districts keeps only results in these arrondissements (post codes) of Paris, Lyon or
	// Marseille (both tabs), when the search is made from that city or one of its
	// arrondissements; the others are dropped.
	Districts []string
	// Company keeps only this company (its uid), chosen among the results (employer tab).
	Company string
	// ContractTypes keeps only fiches with these contract types (fiche tab).
	ContractTypes []jobdesc.ContractType
	// Domains keeps only fiches whose ROME code starts with one of these letters (fiche tab).
	Domains []string
	// Page is the 1-based page number (values below 1 are read as 1).
	Page int
}

// Page is one page of results.
type Page[T any] struct {
	Items []T
	// Total is the number of results over all pages.
	Total int
	// Number is the page shown (1-based); PageCount the number of pages (at least 1).
	Number    int
	PageCount int
	PageSize  int
	// Clamped: the requested page was beyond the last one, the last page is shown instead.
	Clamped bool
}

// Facet is one choice of a filter, with the number of results it keeps.
type Facet struct {
	Value string
	Label string
	Count int
}

// Center is where a search is made: the city and the radius actually used.
type Center struct {
	City     geo.Commune
	Distance int
}

// EmployerResult is one company card of the employer tab.
type EmployerResult struct {
	ID         int64 // internal id, for the API helper's loaders; never shown
	UID        string
	Name       string // legal name
	Brand      string // enseigne, may be empty
	Kind       org.CompanyKind
	CityName   string
	PostCode   string
	Department string
	// DistanceKm is the great-circle distance from the search centre.
	DistanceKm float64
	// Blocked: the employer does not receive applications through the platform.
	Blocked bool
	// Hiring: not blocked and an open fiche or open spontaneous applications (actors.md §4.3).
	Hiring          bool
	SpontaneousOpen bool
	HasMembers      bool
	JobAppScore     *float64
	// Fiches are the company's open fiches de poste, in the employer's order.
	Fiches []FicheSummary
}

// DisplayName is the brand (enseigne) when set, else the legal name.
func (r EmployerResult) DisplayName() string {
	if r.Brand != "" {
		return r.Brand
	}
	return r.Name
}

// FicheSummary is a fiche de poste listed on a company card.
type FicheSummary struct {
	UID          string
	Title        string
	ContractType jobdesc.ContractType
	Contract     string // label, with the precision of "Autre type de contrat"
	// FewApplications: « Soyez parmi les premiers à postuler » (actors.md §4.6, FewApplications).
	FewApplications bool

	recent [2]int64 // the times of its two latest candidatures (see received)
}

// FicheResult is one card of the fiche de poste tab.
type FicheResult struct {
	ID              int64
	UID             string
	Title           string
	AppellationCode string
	RomeCode        string
	ContractType    jobdesc.ContractType
	Contract        string
	OpenPositions   int
	CompanyUID      string
	CompanyName     string // display name (brand or legal name)
	CompanyKind     org.CompanyKind
	// CityName and Department are the position's: the fiche's commune, else the company's.
	CityName   string
	Department string
	DistanceKm float64
	UpdatedAt  time.Time
	// FewApplications: « Soyez parmi les premiers à postuler » (actors.md §4.6, FewApplications).
	FewApplications bool

	position  Point
	internal  bool   // written here, not imported from France Travail
	companyID int64  // its company
	location  string // the INSEE code of its commune, "" when it is placed at its company
	postCode  string // of its position, when known (an arrondissement's)
	recent    [2]int64
}

// PrescriberResult is one card of the prescriber search.
type PrescriberResult struct {
	ID         int64
	UID        string
	Name       string
	Kind       org.PrescriberKind
	Address    string // one line
	CityName   string
	PostCode   string
	Department string
	Phone      string
	Email      string
	Website    string
	DistanceKm float64
}

// EmployerResults is the employer tab: its page, the counts of both tabs and the filter choices.
type EmployerResults struct {
	Center
	Query Query
	// Version is the state of the data searched: an employer's card (all but its distance) is
	// the same in every result of one Version.
	Version Version
	Page[EmployerResult]
	// EmployerCount and FicheCount are the counts of both tabs for the same place and filters.
	EmployerCount int
	FicheCount    int
	// Departments are the départements present in the results (before the département filter).
	Departments []Facet
	// Districts are the arrondissements present in the results (before that filter), when the
	// city has arrondissements.
	Districts []Facet
	// Companies are the companies of the results (before the company filter), by name; past
	// MaxCompanyChoices, only the chosen one (the list is not offered).
	Companies []Facet
}

// FicheResults is the fiche de poste tab.
type FicheResults struct {
	Center
	Query Query
	// Version is the state of the data searched (see EmployerResults.Version).
	Version Version
	Page[FicheResult]
	EmployerCount int
	FicheCount    int
	Departments   []Facet
	Districts     []Facet
}

// PrescriberResults is the prescriber search.
type PrescriberResults struct {
	Center
	Page[PrescriberResult]
}
