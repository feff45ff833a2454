package web

import (
	"context"
	"net/http"

	"emplois/internal/api"
	"emplois/internal/geo"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
)

// referenceRoutes: city and job appellation autocomplete, as htmx fragments and as JSON.
func (s *Server) referenceRoutes() {
	cities, jobs := geo.NewStore(s.db), rome.NewStore(s.db)
	s.handle("GET /autocomplete/cities", Public, s.autocomplete("autocomplete_cities", func(ctx context.Context, q string) (autocompleteList, error) {
		list, err := cities.SearchCities(ctx, q)
		return autocompleteList{Cities: list}, err
	}))
	s.handle("GET /autocomplete/jobs", Public, s.autocomplete("autocomplete_jobs", func(ctx context.Context, q string) (autocompleteList, error) {
		list, err := jobs.SearchAppellations(ctx, q)
		return autocompleteList{Jobs: list}, err
	}))
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

// autocomplete answers GET ?q= with the options that find returns, as the block of
// autocompleteTemplate (htmx). A refused query (too long) shows its message in place of the
// options, with a 200 since htmx swaps only successful answers.
func (s *Server) autocomplete(block string, find func(context.Context, string) (autocompleteList, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		list, err := find(r.Context(), q)
		if k, _ := fault.KindOf(err); k == fault.KindInvalid {
			s.renderFragment(w, r, autocompleteTemplate, "autocomplete_error", "", err.Error())
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		list.Query = searchedQuery(q)
		s.renderFragment(w, r, autocompleteTemplate, block, "", list)
	}
}

// searchedQuery is the query as typed when it was searched, "" when too short to be.
func searchedQuery(q string) string {
	if parsed, _ := searchtext.ParseQuery(q); parsed.Empty() {
		return ""
	}
	return q
}
