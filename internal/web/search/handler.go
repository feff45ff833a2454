// Package search serves the searches around a city (employers, fiches de poste, habilitated
// prescribers: actors.md §13.1-13.2), the public card of a prescriber organization and the
// saved searches. Every search is a plain GET URL (bookmarkable, works without JavaScript); with
// htmx the form and the filters swap the form alone (bar and results, #search-form).
//
// A search page goes handler → search service → index and back to one template render of plain
// values: the cards' values that depend only on the data are kept per version of the index
// (cards.go), the fixed filter choices are computed once (options.go).
package search

import (
	"embed"

	"emplois/internal/platform/versioned"
	"emplois/internal/savedsearch"
	"emplois/internal/search"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the search pages.
type Handler struct {
	kit    *page.Kit
	tpl    *page.Templates
	search *search.Service
	saved  *savedsearch.Service
	// pageLimit is the rate limit of anonymous search pages.
	pageLimit *page.Limit
	// employerCards and ficheCards are the result cards of the current search index, by id.
	employerCards versioned.Cache[search.Version, int64, *employerCard]
	ficheCards    versioned.Cache[search.Version, int64, *ficheCard]
}

// New builds the room over the search and saved-search services.
func New(kit *page.Kit, svc *search.Service, saved *savedsearch.Service, pageLimit *page.Limit) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	h := &Handler{kit: kit, tpl: tpl, search: svc, saved: saved, pageLimit: pageLimit}
	h.employerCards.Limit, h.ficheCards.Limit = maxCachedCards, maxCachedCards
	return h, nil
}

// Routes declares the search pages (rate-limited for anonymous clients), the prescriber card and
// the saved searches.
func (h *Handler) Routes(rt *page.Router) {
	limited := page.RateLimited(h.pageLimit)
	rt.Handle("GET "+employersPath, page.Public, h.searchEmployers, limited)
	rt.Handle("GET "+fichesPath, page.Public, h.searchFiches, limited)
	rt.Handle("GET "+prescribersPath, page.Public, h.searchPrescribers, limited)
	rt.Handle("GET /prescribers/{uid}/card", page.Public, h.prescriberCard)
	rt.Handle("POST /search/saved", page.LoggedIn, h.saveSearch, limited)
	rt.Handle("POST /search/saved/{uid}/delete", page.LoggedIn, h.deleteSavedSearch, limited)
}

// Paths of the search pages.
const (
	employersPath   = "/search/employers"
	fichesPath      = "/search/job-descriptions"
	prescribersPath = "/search/prescribers"
)

func prescriberCardPath(uid string) string { return "/prescribers/" + uid + "/card" }
