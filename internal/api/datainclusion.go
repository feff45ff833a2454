package api

import (
	"log/slog"
	"net/http"
	"net/url"

	"emplois/internal/org"
)

// DataInclusion serves GET /api/v1/data-inclusion/ (api.md §4): the active companies or every
// prescriber organization, in the data·inclusion « structure » schema.
type DataInclusion struct {
	Orgs *org.Service
	// BaseURL is EMPLOIS_BASE_URL: the page links and the public cards' links are on it.
	BaseURL *url.URL
	Log     *slog.Logger
}

// ParamType is the kind of structures listed: StructureCompanies or StructureOrganizations.
const (
	ParamType              = "type"
	StructureCompanies     = "siae"
	StructureOrganizations = "orga"
)

// The original's messages of this endpoint, word for word.
const (
	MsgTypeRequired = "Le paramètre `type` est obligatoire."
	MsgTypeInvalid  = "La valeur du paramètre `type` doit être `siae` ou `orga`."
)

// Structure is a company or a prescriber organization in the data·inclusion schema.
type Structure struct {
	ID                string   `json:"id"` // uid
	Nom               string   `json:"nom"`
	SIRET             *string  `json:"siret"`
	Description       string   `json:"description"`
	SiteWeb           string   `json:"site_web"`
	Telephone         string   `json:"telephone"`
	Courriel          string   `json:"courriel"`
	CodePostal        string   `json:"code_postal"`
	Commune           string   `json:"commune"`
	Adresse           string   `json:"adresse"`
	ComplementAdresse string   `json:"complement_adresse"`
	Longitude         *float64 `json:"longitude"`
	Latitude          *float64 `json:"latitude"`
	DateMaj           string   `json:"date_maj"`
	LienSource        *string  `json:"lien_source"`
	Kind              string   `json:"kind"`
}

// picker chooses p's page once the count is known and keeps its number in *number.
func (p PageRequest) picker(number *int) org.PagePicker {
	return func(count int) (int, int, error) {
		n, err := p.Resolve(count)
		*number = n
		return p.Offset(n), p.Size, err
	}
}

// Handler answers GET /api/v1/data-inclusion/.
func (a *DataInclusion) Handler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	kind := q.Get(ParamType)
	switch {
	case !q.Has(ParamType):
		WriteJSON(w, http.StatusBadRequest, []string{MsgTypeRequired})
		return
	case kind != StructureCompanies && kind != StructureOrganizations:
		WriteJSON(w, http.StatusBadRequest, []string{MsgTypeInvalid})
		return
	}
	p, err := ParsePage(q, 0)
	if err != nil {
		fail(w, r, a.Log, err)
		return
	}
	var number, count int
	var results []Structure
	if kind == StructureCompanies {
		var companies []org.PartnerCompany
		count, companies, err = a.Orgs.ActiveCompanies(r.Context(), p.picker(&number))
		for i := range companies {
			results = append(results, a.companyStructure(&companies[i]))
		}
	} else {
		var orgs []org.PrescriberOrganization
		count, orgs, err = a.Orgs.PrescriberOrganizations(r.Context(), p.picker(&number))
		for i := range orgs {
			results = append(results, a.organizationStructure(&orgs[i]))
		}
	}
	if err != nil {
		fail(w, r, a.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, NewPage(a.BaseURL, r, number, p.Size, count, results))
}

// link is the absolute URL of a page of the site.
func link(base *url.URL, path string) *string {
	u := *base
	u.Path = base.JoinPath(path).Path
	s := u.String()
	return &s
}

func (a *DataInclusion) companyStructure(c *org.PartnerCompany) Structure {
	s := Structure{ID: c.UID, Nom: c.DisplayName(), SIRET: nullable(c.PublishedSIRET()),
		Description: c.Description, SiteWeb: c.Website, Telephone: c.Phone, Courriel: c.Email,
		CodePostal: c.PostCode, Commune: c.CityName, Adresse: c.AddressLine1, ComplementAdresse: c.AddressLine2,
		Longitude: c.Longitude, Latitude: c.Latitude, DateMaj: isoTime(c.UpdatedAt),
		LienSource: link(a.BaseURL, "/company/"+c.UID+"/card"), Kind: string(c.Kind)}
	return s
}

func (a *DataInclusion) organizationStructure(o *org.PrescriberOrganization) Structure {
	s := Structure{ID: o.UID, Nom: o.Name, SIRET: nullable(o.SIRET),
		Description: o.Description, SiteWeb: o.Website, Telephone: o.Phone, Courriel: o.Email,
		CodePostal: o.PostCode, Commune: o.CityName, Adresse: o.AddressLine1, ComplementAdresse: o.AddressLine2,
		Longitude: o.Longitude, Latitude: o.Latitude, DateMaj: isoTime(o.UpdatedAt), Kind: prescriberKindCode(o.Kind)}
	if o.IsAuthorized() {
		s.LienSource = link(a.BaseURL, "/prescribers/"+o.UID+"/card")
	}
	return s
}

// prescriberKindCode is the original's code of a prescriber kind: ours in capitals but for
// two ("Orienteur", "Autre").
func prescriberKindCode(k org.PrescriberKind) string {
	switch k {
	case org.Orienteur:
		return "Orienteur"
	case org.OtherKind:
		return "Autre"
	}
	return string(k)
}

// nullable is s, or null when empty.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
