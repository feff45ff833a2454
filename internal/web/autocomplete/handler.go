// Package autocomplete serves the completion of the city and job fields: htmx fragments of
// options under an input (static/js/combobox.js) and their JSON twins of the public API.
package autocomplete

import (
	"context"
	"embed"
	"log/slog"
	"net/http"

	"emplois/internal/api"
	"emplois/internal/geo"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the autocompletes.
type Handler struct {
	kit    *page.Kit
	tpl    *page.Templates
	cities *geo.Store
	jobs   *rome.Store
	api    *api.Autocomplete
	// apiLimit is the rate limit of anonymous API calls.
	apiLimit *page.Limit
}

// New builds the room over the reference stores.
func New(kit *page.Kit, cities *geo.Store, jobs *rome.Store, log *slog.Logger, apiLimit *page.Limit) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, cities: cities, jobs: jobs, apiLimit: apiLimit,
		api: &api.Autocomplete{Cities: cities, Jobs: jobs, Log: log}}, nil
}

// Routes declares the autocompletes, open to everyone (the signup forms of professionals without
// organization use them); the JSON ones are API calls, rate-limited as such.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /autocomplete/cities", page.Public, h.fragment("cities", h.findCities), page.OpenToUnaffiliated)
	rt.Handle("GET /autocomplete/jobs", page.Public, h.fragment("jobs", h.findJobs), page.OpenToUnaffiliated)
	rt.Handle("GET /api/v1/autocomplete/cities", page.Public, h.api.CitiesHandler, page.OpenToUnaffiliated, page.RateLimited(h.apiLimit))
	rt.Handle("GET /api/v1/autocomplete/jobs", page.Public, h.api.JobsHandler, page.OpenToUnaffiliated, page.RateLimited(h.apiLimit))
}

// options is what the fragments show: the query when one was searched (2 characters or more),
// and the matches.
type options struct {
	Query  string
	Cities []geo.Commune
	Jobs   []rome.Appellation
}

func (h *Handler) findCities(ctx context.Context, q string) (options, error) {
	list, err := h.cities.SearchCities(ctx, q)
	return options{Cities: list}, err
}

func (h *Handler) findJobs(ctx context.Context, q string) (options, error) {
	list, err := h.jobs.SearchAppellations(ctx, q)
	return options{Jobs: list}, err
}

// fragment answers GET ?q= with the options that find returns, as the block named block of
// autocomplete.html. A refused query (too long) shows its message in place of the options, with
// a 200 since htmx swaps only successful answers.
func (h *Handler) fragment(block string, find func(context.Context, string) (options, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		list, err := find(r.Context(), q)
		if k, _ := fault.KindOf(err); k == fault.KindInvalid {
			h.tpl.Fragment(w, r, http.StatusOK, "autocomplete.html", "error", "", err.Error())
			return
		}
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		list.Query = searchedQuery(q)
		h.tpl.Fragment(w, r, http.StatusOK, "autocomplete.html", block, "", list)
	}
}

// searchedQuery is the query as typed when it was searched, "" when too short to be.
func searchedQuery(q string) string {
	if parsed, _ := searchtext.ParseQuery(q); parsed.Empty() {
		return ""
	}
	return q
}
