package api

import (
	"log/slog"
	"net/http"
	"net/url"

	"emplois/internal/org"
)

// Marche serves GET /api/v1/marche/ (api.md §5): every company but the RESERVED holder, active or
// not, for the Marché de l'inclusion.
type Marche struct {
	Orgs *org.Service
	// BaseURL is EMPLOIS_BASE_URL, the base of the page links.
	BaseURL *url.URL
	Log     *slog.Logger
}

// MarcheCompany is a company as the Marché reads it.
type MarcheCompany struct {
	ID                 int64    `json:"id"`
	SIRET              string   `json:"siret"`
	NAF                string   `json:"naf"`
	Kind               string   `json:"kind"`
	Name               string   `json:"name"`
	Brand              string   `json:"brand"`
	Phone              string   `json:"phone"`
	Email              string   `json:"email"`
	Website            string   `json:"website"`
	Description        string   `json:"description"`
	AddressLine1       string   `json:"address_line_1"`
	AddressLine2       string   `json:"address_line_2"`
	PostCode           string   `json:"post_code"`
	City               string   `json:"city"`
	Department         string   `json:"department"`
	Source             string   `json:"source"`
	Latitude           *float64 `json:"latitude"`
	Longitude          *float64 `json:"longitude"`
	ConventionIsActive *bool    `json:"convention_is_active"`
	ConventionASPID    *int64   `json:"convention_asp_id"`
	AdminName          *string  `json:"admin_name"`
	AdminEmail         *string  `json:"admin_email"`
}

// Handler answers GET /api/v1/marche/.
func (a *Marche) Handler(w http.ResponseWriter, r *http.Request) {
	p, err := ParsePage(r.URL.Query(), 0)
	if err != nil {
		fail(w, r, a.Log, err)
		return
	}
	var number int
	count, companies, err := a.Orgs.MarcheCompanies(r.Context(), p.picker(&number))
	if err != nil {
		fail(w, r, a.Log, err)
		return
	}
	results := make([]MarcheCompany, len(companies))
	for i := range companies {
		results[i] = newMarcheCompany(&companies[i])
	}
	WriteJSON(w, http.StatusOK, NewPage(a.BaseURL, r, number, p.Size, count, results))
}

func newMarcheCompany(c *org.PartnerCompany) MarcheCompany {
	siret := c.PublishedSIRET()
	if siret == "" {
		siret = c.SIRET[:9] // a 999dd antenna without parent: its SIREN
	}
	return MarcheCompany{ID: c.ID, SIRET: siret, NAF: c.NAF, Kind: string(c.Kind), Name: c.Name, Brand: c.Brand,
		Phone: c.Phone, Email: c.Email, Website: c.Website, Description: c.Description,
		AddressLine1: c.AddressLine1, AddressLine2: c.AddressLine2, PostCode: c.PostCode, City: c.CityName,
		Department: c.Department, Source: string(c.Source), Latitude: c.Latitude, Longitude: c.Longitude,
		ConventionIsActive: c.ConventionActive, ConventionASPID: c.ConventionASPID,
		AdminName: nullable(c.AdminName), AdminEmail: nullable(c.AdminEmail)}
}
