package francetravail

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// AgenciesPath lists France Travail's agencies (asp.md §4).
const AgenciesPath = "/referentielagences/v1/agences"

// Agency is one agency of the referential, with the fields the sync reads (asp.md §4; the rest
// of the answer is not documented, §9, and is ignored).
type Agency struct {
	CodeSafir         string        `json:"codeSafir"`
	SIRET             string        `json:"siret,omitempty"`
	Libelle           string        `json:"libelle"`
	Contact           AgencyContact `json:"contact"`
	AdressePrincipale AgencyAddress `json:"adressePrincipale"`
}

// AgencyContact is an agency's public contact.
type AgencyContact struct {
	TelephonePublic string `json:"telephonePublic,omitempty"`
	Email           string `json:"email,omitempty"`
}

// AgencyAddress is an agency's main address.
type AgencyAddress struct {
	Ligne4              string      `json:"ligne4,omitempty"`
	BureauDistributeur  string      `json:"bureauDistributeur,omitempty"`
	CommuneImplantation string      `json:"communeImplantation,omitempty"`
	GPSLat              *Coordinate `json:"gpsLat,omitempty"`
	GPSLon              *Coordinate `json:"gpsLon,omitempty"`
}

// Coordinate is a latitude or longitude, read from a JSON number or a numeric string (the
// referential's types are not documented); an empty string is no value.
type Coordinate float64

// Value is the coordinate, ok=false when c is nil or was empty.
func (c *Coordinate) Value() (v float64, ok bool) {
	if c == nil || math.IsNaN(float64(*c)) {
		return 0, false
	}
	return float64(*c), true
}

func (c *Coordinate) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(strings.Trim(string(bytes.TrimSpace(b)), `"`))
	if s == "" {
		*c = Coordinate(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("francetravail: coordinate %s: %w", b, err)
	}
	*c = Coordinate(f)
	return nil
}

// Agencies returns every agency of France Travail's referential.
func (c *Client) Agencies(ctx context.Context) ([]Agency, error) {
	var agencies []Agency
	if _, err := c.call(ctx, http.MethodGet, AgenciesPath, nil, &agencies); err != nil {
		return nil, err
	}
	return agencies, nil
}
