package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"emplois/internal/directory"
	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/versioned"
	"emplois/internal/search"
)

// Siaes serves GET /api/v1/siaes/, the public list of employers of the original API (actors.md
// §18): same parameters, same fields, same page envelope, French error messages.
type Siaes struct {
	Directory *directory.Service
	// BaseURL is EMPLOIS_BASE_URL: the page links (next, previous) are absolute URLs on it, never
	// on the request's Host header, which a client chooses.
	BaseURL *url.URL
	Log     *slog.Logger

	// listings keeps the JSON of each company listed, for the current version of the data: a
	// company's listing is the same in every call until something it shows changes, and
	// partners page through the same listings again and again.
	listings versioned.Cache[search.Version, int64, json.RawMessage]
}

// maxCachedListings bounds the listings kept: a company's is ~5 KB, so at most ~10 MB.
const maxCachedListings = 2000

// NewSiaes returns the handler of GET /api/v1/siaes/.
func NewSiaes(dir *directory.Service, baseURL *url.URL, log *slog.Logger) *Siaes {
	a := &Siaes{Directory: dir, BaseURL: baseURL, Log: log}
	a.listings.Limit = maxCachedListings
	return a
}

// Query parameters of GET /api/v1/siaes/ (each documented in openapi.json).
const (
	ParamCodeInsee          = "code_insee"
	ParamDistance           = "distance_max_km"
	ParamDepartment         = "departement"
	ParamFichesInDepartment = "postes_dans_le_departement"
	ParamOrder              = "o"
	ParamFormat             = "format"
)

// SiaesParams lists every parameter the endpoint reads.
var SiaesParams = []string{ParamCodeInsee, ParamDistance, ParamDepartment, ParamFichesInDepartment,
	ParamOrder, ParamPage, ParamPageSize, ParamFormat}

// The original's messages of this endpoint, word for word.
const (
	MsgSiaesFilterRequired = "Les paramètres `code_insee` et `distance_max_km` sont obligatoires si ni `departement` ni `postes_dans_le_departement` ne sont spécifiés."
	MsgUnknownCity         = "Pas de ville avec pour code_insee %s"
)

// ParseSiaesQuery reads the parameters into a directory query as the original's filters do, or
// says why it cannot (*fault.Error, answered by fail):
//   - a malformed parameter is a parameter error, all of them at once, in the filters' order
//     ({"distance_max_km": ["Assurez-vous que cette valeur est inférieure ou égale à 100."]});
//   - neither a radius (code_insee and a distance above 0) nor a département: the original's
//     list of one message;
//   - a malformed INSEE code names no city: 404; so does a page that is not a positive number.
func ParseSiaesQuery(v url.Values) (directory.Query, error) {
	q := directory.Query{Page: 1, PageSize: directory.DefaultPageSize}
	var errs fault.Fields
	for _, part := range strings.Split(v.Get(ParamOrder), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, desc := strings.CutPrefix(part, "-")
		f, ok := directory.ParseField(name)
		if !ok {
			errs.Add(ParamOrder, fmt.Sprintf(MsgInvalidChoice, echo(part)))
			continue
		}
		q.Order = append(q.Order, directory.OrderKey{Field: f, Desc: desc})
	}
	code, rawDistance := strings.TrimSpace(v.Get(ParamCodeInsee)), strings.TrimSpace(v.Get(ParamDistance))
	var km float64
	if rawDistance != "" {
		var err error
		km, err = strconv.ParseFloat(rawDistance, 64)
		switch {
		// Go reads hexadecimal floats ("0x1p4"), Python's Decimal does not.
		case err != nil || math.IsNaN(km) || math.IsInf(km, 0) || strings.ContainsAny(rawDistance, "xX"):
			errs.Add(ParamDistance, MsgNumber)
		case km > directory.MaxDistanceKm:
			errs.Add(ParamDistance, fmt.Sprintf(MsgMaxValue, directory.MaxDistanceKm))
		case km < 0:
			errs.Add(ParamDistance, fmt.Sprintf(MsgMinValue, 0))
		}
	}
	// "2a" is 2A: the original's choice is case-sensitive, the rebuild forgives the case.
	rawDept, rawFichesDept := strings.TrimSpace(v.Get(ParamDepartment)), strings.TrimSpace(v.Get(ParamFichesInDepartment))
	q.Department, q.FichesInDepartment = strings.ToUpper(rawDept), strings.ToUpper(rawFichesDept)
	for _, p := range []struct{ name, raw, code string }{
		{ParamDepartment, rawDept, q.Department}, {ParamFichesInDepartment, rawFichesDept, q.FichesInDepartment},
	} {
		if p.code != "" && !geo.ValidDepartmentCode(p.code) {
			errs.Add(p.name, fmt.Sprintf(MsgInvalidChoice, echo(p.raw)))
		}
	}
	if err := errs.Err(); err != nil {
		return q, err
	}
	switch {
	case code != "" && km > 0:
		if !geo.ValidInseeCode(code) {
			return q, fault.NotFound(fmt.Sprintf(MsgUnknownCity, echo(code)))
		}
		q.Near = &directory.Near{InseeCode: code, DistanceKm: km}
	case q.Department == "" && q.FichesInDepartment == "":
		return q, fault.Invalid(MsgSiaesFilterRequired)
	}
	p, err := ParsePage(v, directory.MaxPageSize)
	if err != nil {
		return q, err
	}
	q.Page, q.PageSize = p.Page, p.Size
	if p.Page == LastPage {
		q.Page = directory.LastPage
	}
	return q, nil
}

// listRefusal words the refusals of the directory as the original does: an unknown commune is a
// 404, an unknown département an invalid choice of its parameter; others (ErrInvalidPage...)
// are returned as they are.
func listRefusal(q directory.Query, err error) error {
	var unknownDept *directory.UnknownDepartmentError
	switch {
	case errors.Is(err, directory.ErrUnknownCity):
		return fault.NotFound(fmt.Sprintf(MsgUnknownCity, q.Near.InseeCode))
	case errors.As(err, &unknownDept):
		param := ParamDepartment
		if unknownDept.Code != q.Department {
			param = ParamFichesInDepartment
		}
		return fault.InvalidField(param, fmt.Sprintf(MsgInvalidChoice, unknownDept.Code))
	}
	return err
}

// echo is user input quoted back in a message, cut short.
func echo(s string) string {
	if r := []rune(s); len(r) > 32 {
		return string(r[:32]) + "…"
	}
	return s
}

// ListHandler answers GET /api/v1/siaes/.
func (a *Siaes) ListHandler(w http.ResponseWriter, r *http.Request) {
	q, err := ParseSiaesQuery(r.URL.Query())
	var res directory.Result
	if err == nil {
		res, err = a.Directory.List(r.Context(), q)
	}
	if err != nil {
		fail(w, r, a.Log, listRefusal(q, err))
		return
	}
	results, err := a.results(r.Context(), res)
	if err != nil {
		fail(w, r, a.Log, err)
		return
	}
	next, previous := PageLinks(a.BaseURL, r, res.Page, q.PageSize, res.Total)
	writeSiaePage(w, res.Total, next, previous, results)
}

// writeSiaePage writes a SiaePage whose results are already encoded, as WriteJSON would write
// it: encoding the envelope around them with encoding/json would scan the ~100 KB of results
// again.
func writeSiaePage(w http.ResponseWriter, count int, next, previous *string, results []json.RawMessage) {
	var buf bytes.Buffer
	buf.WriteString(`{"count":` + strconv.Itoa(count) + `,"next":`)
	buf.Write(marshalNoEscape(next)) // "&" as it is, as WriteJSON writes it
	buf.WriteString(`,"previous":`)
	buf.Write(marshalNoEscape(previous))
	buf.WriteString(`,"results":[`)
	for i, r := range results {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(r)
	}
	buf.WriteString("]}\n")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	buf.WriteTo(w)
}

// results are the JSON listings of the page's companies, in order: from the cache, the others
// loaded in two queries and kept. A company deleted since the list was made is left out.
func (a *Siaes) results(ctx context.Context, res directory.Result) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(res.IDs))
	var missing []int64
	for i, id := range res.IDs {
		if raw, ok := a.listings.Get(res.Version, id); ok {
			out[i] = raw
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		listings, err := a.Directory.Listings(ctx, missing)
		if err != nil {
			return nil, err
		}
		loaded := make(map[int64]json.RawMessage, len(listings))
		for _, l := range listings {
			raw, err := json.Marshal(NewSiae(l))
			if err != nil {
				return nil, err
			}
			loaded[l.Company.ID] = raw
			a.listings.Put(res.Version, l.Company.ID, raw)
		}
		for i, id := range res.IDs {
			if out[i] == nil {
				out[i] = loaded[id]
			}
		}
	}
	return slices.DeleteFunc(out, func(raw json.RawMessage) bool { return raw == nil }), nil
}

// SiaePage is the page envelope of the original (DRF's PageNumberPagination).
type SiaePage struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []Siae  `json:"results"`
}

// Siae is a company as the original API serializes it. The names, misspellings included
// ("addresse"), are the original's: partners' clients read them.
type Siae struct {
	ID                 string  `json:"id"` // the company's uid
	CreeLe             string  `json:"cree_le"`
	MisAJourLe         string  `json:"mis_a_jour_le"`
	SIRET              string  `json:"siret"`
	Type               string  `json:"type"`
	RaisonSociale      string  `json:"raison_sociale"`
	Enseigne           string  `json:"enseigne"` // the brand, else the legal name (display name)
	Telephone          string  `json:"telephone"`
	Courriel           string  `json:"courriel"`
	SiteWeb            string  `json:"site_web"`
	Description        string  `json:"description"`
	BloqueCandidatures bool    `json:"bloque_candidatures"`
	AddresseLigne1     string  `json:"addresse_ligne_1"`
	AddresseLigne2     string  `json:"addresse_ligne_2"`
	CodePostal         string  `json:"code_postal"`
	Ville              string  `json:"ville"`
	Departement        string  `json:"departement"`
	Postes             []Poste `json:"postes"`
}

// Poste is an open fiche de poste of a company.
type Poste struct {
	ID         string `json:"id"` // the fiche's uid
	Rome       string `json:"rome"`
	CreeLe     string `json:"cree_le"`
	MisAJourLe string `json:"mis_a_jour_le"`
	// RecrutementOuvert is "True" or "False": the original serializes the boolean as a string.
	RecrutementOuvert   string `json:"recrutement_ouvert"`
	Description         string `json:"description"`
	AppellationModifiee string `json:"appellation_modifiee"`
	TypeContrat         string `json:"type_contrat"`
	NombrePostesOuverts int    `json:"nombre_postes_ouverts"`
	Lieu                *Lieu  `json:"lieu"` // null: the company's own commune
	ProfilRecherche     string `json:"profil_recherche"`
}

// Lieu is the commune where a position is.
type Lieu struct {
	Nom         string   `json:"nom"`
	Departement string   `json:"departement"`
	CodePostaux []string `json:"code_postaux"`
	CodeInsee   string   `json:"code_insee"`
}

// NewSiae serializes a listed company.
func NewSiae(l directory.Listing) Siae {
	c := l.Company
	s := Siae{ID: c.UID, CreeLe: isoTime(c.CreatedAt), MisAJourLe: isoTime(c.UpdatedAt), SIRET: c.SIRET,
		Type: string(c.Kind), RaisonSociale: c.Name, Enseigne: c.DisplayName(), Telephone: c.Phone,
		Courriel: c.Email, SiteWeb: c.Website, Description: c.Description,
		BloqueCandidatures: c.BlockJobApplications, AddresseLigne1: c.AddressLine1,
		AddresseLigne2: c.AddressLine2, CodePostal: c.PostCode, Ville: c.CityName,
		Departement: c.Department, Postes: make([]Poste, len(l.Fiches))}
	for i, f := range l.Fiches {
		s.Postes[i] = newPoste(f)
	}
	return s
}

func newPoste(f *jobdesc.JobDescription) Poste {
	p := Poste{ID: f.UID, Rome: romeLabel(f), CreeLe: isoTime(f.CreatedAt), MisAJourLe: isoTime(f.UpdatedAt),
		RecrutementOuvert: pythonBool(f.IsActive), Description: f.Description, AppellationModifiee: f.CustomName,
		TypeContrat: f.ContractType.Label(), NombrePostesOuverts: f.OpenPositions, ProfilRecherche: f.ProfileDescription}
	if l := f.Location; l != nil {
		p.Lieu = &Lieu{Nom: l.Name, Departement: l.DepartmentCode, CodePostaux: l.PostalCodes, CodeInsee: l.InseeCode}
		if p.Lieu.CodePostaux == nil {
			p.Lieu.CodePostaux = []string{}
		}
	}
	return p
}

// romeLabel is the ROME of a fiche as the original prints it: "Nettoyage de locaux (K2204)".
func romeLabel(f *jobdesc.JobDescription) string {
	if f.Appellation == nil {
		return ""
	}
	if r := f.Appellation.Rome; r != nil {
		return r.Label + " (" + r.Code + ")"
	}
	return f.Appellation.RomeCode
}

func pythonBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// Dates are in Paris time, as the original's (TIME_ZONE Europe/Paris).
var parisTime = localtime.Paris

// isoTime formats t as Python's isoformat() in Paris time, which the original sends:
// "2026-03-02T10:00:00+01:00", with microseconds when there are some.
func isoTime(t time.Time) string {
	t = t.In(parisTime).Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05-07:00")
	}
	return t.Format("2006-01-02T15:04:05.000000-07:00")
}
