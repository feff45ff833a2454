package api

import (
	"log/slog"
	"net/http"

	"emplois/internal/geo"
	"emplois/internal/rome"
)

// Autocomplete serves GET /api/v1/autocomplete/cities?q= and /api/v1/autocomplete/jobs?q=:
// {"results": [...]}, at most 10, empty for a query under 2 characters.
type Autocomplete struct {
	Cities *geo.Store
	Jobs   *rome.Store
	Log    *slog.Logger
}

// City is a commune in an autocomplete answer.
type City struct {
	ID          string   `json:"id"`    // INSEE code
	Label       string   `json:"label"` // "Saint-Étienne (42)"
	Name        string   `json:"name"`
	Slug        string   `json:"slug"`
	Department  string   `json:"department"`
	PostalCodes []string `json:"postal_codes"`
	Latitude    float64  `json:"latitude"`
	Longitude   float64  `json:"longitude"`
}

// Job is a ROME appellation in an autocomplete answer.
type Job struct {
	ID        string `json:"id"`    // appellation code
	Label     string `json:"label"` // "Agent / Agente d'entretien de locaux (K2204)"
	Name      string `json:"name"`
	RomeCode  string `json:"rome_code"`
	RomeLabel string `json:"rome_label"`
}

// Results is the body of an autocomplete answer.
type Results[T any] struct {
	Results []T `json:"results"`
}

// CitiesHandler answers the city autocomplete.
func (a *Autocomplete) CitiesHandler(w http.ResponseWriter, r *http.Request) {
	list, err := a.Cities.SearchCities(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		fail(w, r, a.Log, ofParam("q", err))
		return
	}
	out := Results[City]{Results: make([]City, len(list))}
	for i, c := range list {
		out.Results[i] = City{ID: c.InseeCode, Label: c.Label(), Name: c.Name, Slug: c.Slug, Department: c.DepartmentCode,
			PostalCodes: c.PostalCodes, Latitude: c.Latitude, Longitude: c.Longitude}
		if out.Results[i].PostalCodes == nil {
			out.Results[i].PostalCodes = []string{}
		}
	}
	WriteJSON(w, http.StatusOK, out)
}

// JobsHandler answers the job appellation autocomplete.
func (a *Autocomplete) JobsHandler(w http.ResponseWriter, r *http.Request) {
	list, err := a.Jobs.SearchAppellations(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		fail(w, r, a.Log, ofParam("q", err))
		return
	}
	out := Results[Job]{Results: make([]Job, len(list))}
	for i, j := range list {
		out.Results[i] = Job{ID: j.Code, Label: j.DisplayLabel(), Name: j.Label, RomeCode: j.RomeCode}
		if j.Rome != nil {
			out.Results[i].RomeLabel = j.Rome.Label
		}
	}
	WriteJSON(w, http.StatusOK, out)
}
