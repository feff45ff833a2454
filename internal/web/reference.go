package web

import (
	"errors"
	"net/http"

	"emplois/internal/api"
	"emplois/internal/geo"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
)

// referenceRoutes: city and job appellation autocomplete, as htmx fragments and as JSON.
func (s *Server) referenceRoutes() {
	cities, jobs := geo.NewStore(s.db), rome.NewStore(s.db)
	s.handle("GET /autocomplete/cities", Public, s.autocompleteCities(cities))
	s.handle("GET /autocomplete/jobs", Public, s.autocompleteJobs(jobs))
	a := &api.Autocomplete{Cities: cities, Jobs: jobs, Log: s.log}
	s.handle("GET /api/v1/autocomplete/cities", Public, a.CitiesHandler)
	s.handle("GET /api/v1/autocomplete/jobs", Public, a.JobsHandler)
}

const autocompleteTemplate = "reference/autocomplete.html"

// autocompleteList is what the fragments show: the query when one was searched (2 characters
// or more), and the matches.
type autocompleteList struct {
	Query  string
	Cities []geo.Commune
	Jobs   []rome.Appellation
}

// autocompleteCities answers GET /autocomplete/cities?q= with a list of options (htmx).
func (s *Server) autocompleteCities(cities *geo.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		list, err := cities.SearchCities(r.Context(), q)
		if err != nil {
			s.autocompleteError(w, r, err)
			return
		}
		s.renderFragment(w, r, autocompleteTemplate, "autocomplete_cities", "", autocompleteList{Query: searchedQuery(q), Cities: list})
	}
}

// autocompleteJobs answers GET /autocomplete/jobs?q= with a list of options (htmx).
func (s *Server) autocompleteJobs(jobs *rome.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		list, err := jobs.SearchAppellations(r.Context(), q)
		if err != nil {
			s.autocompleteError(w, r, err)
			return
		}
		s.renderFragment(w, r, autocompleteTemplate, "autocomplete_jobs", "", autocompleteList{Query: searchedQuery(q), Jobs: list})
	}
}

// searchedQuery is the query as typed when it was searched, "" when too short to be.
func searchedQuery(q string) string {
	if parsed, _ := searchtext.ParseQuery(q); parsed.Empty() {
		return ""
	}
	return q
}

// autocompleteError shows a refused query in place of the options (htmx swaps only 2xx answers,
// so the message comes with a 200); other errors are the usual 500.
func (s *Server) autocompleteError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, searchtext.ErrTooLong) {
		s.renderFragment(w, r, autocompleteTemplate, "autocomplete_error", "", err.Error())
		return
	}
	s.serverError(w, r, err)
}
