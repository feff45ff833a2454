// Package geo holds French administrative geography: régions, départements and communes (with
// the municipal arrondissements of Paris, Lyon and Marseille), their import from the reference
// files, and the city autocomplete.
package geo

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/platform/searchtext"
)

// Zone says whether a région or département is in metropolitan France, overseas (DROM) or an
// overseas collectivity (COM).
type Zone string

const (
	Metro Zone = "metro"
	DROM  Zone = "drom"
	COM   Zone = "com"
)

func (z Zone) valid() bool { return z == Metro || z == DROM || z == COM }

// Region is a région (or a COM, which is its own région).
type Region struct {
	bun.BaseModel `bun:"table:region,alias:r"`

	Code              string `bun:"code,pk"`
	Name              string `bun:"name"`
	ChefLieuInseeCode string `bun:"chef_lieu_insee_code"`
	Zone              Zone   `bun:"zone"`
}

// Department is a département (or a COM).
type Department struct {
	bun.BaseModel `bun:"table:department,alias:d"`

	Code              string `bun:"code,pk"`
	Name              string `bun:"name"`
	RegionCode        string `bun:"region_code"`
	ChefLieuInseeCode string `bun:"chef_lieu_insee_code"`
	Zone              Zone   `bun:"zone"`
}

// Commune is a commune, or a municipal arrondissement when ParentCode is set (Paris, Lyon,
// Marseille). Latitude and longitude are the WGS84 centre of the commune.
type Commune struct {
	bun.BaseModel `bun:"table:commune,alias:c"`

	InseeCode      string      `bun:"insee_code,pk"`
	Name           string      `bun:"name"`
	SearchName     string      `bun:"search_name"` // searchtext.Normalize(Name)
	Slug           string      `bun:"slug"`        // "saint-etienne-42", unique, for URLs
	DepartmentCode string      `bun:"department_code"`
	PostalCodes    PostalCodes `bun:"postal_codes,type:text"`
	Latitude       float64     `bun:"latitude"`
	Longitude      float64     `bun:"longitude"`
	Population     int         `bun:"population"`
	ParentCode     string      `bun:"parent_code,nullzero"`
}

// Label is how a commune is shown in lists: "Saint-Étienne (42)".
func (c Commune) Label() string { return c.Name + " (" + c.DepartmentCode + ")" }

// IsArrondissement reports whether the commune is a municipal arrondissement.
func (c Commune) IsArrondissement() bool { return c.ParentCode != "" }

// Arrondissement parents: the only communes split into municipal arrondissements.
const (
	ParisCode     = "75056"
	LyonCode      = "69123"
	MarseilleCode = "13055"
)

// PostalCodes are a commune's postal codes, stored sorted and space-separated.
type PostalCodes []string

// Value implements driver.Valuer.
func (p PostalCodes) Value() (driver.Value, error) { return strings.Join(p, " "), nil }

// Scan implements sql.Scanner.
func (p *PostalCodes) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*p = strings.Fields(v)
	case []byte:
		*p = strings.Fields(string(v))
	case nil:
		*p = nil
	default:
		return fmt.Errorf("geo: postal codes: unexpected %T", src)
	}
	return nil
}

var (
	inseeCodeRe  = regexp.MustCompile(`^(\d{5}|2[AB]\d{3})$`)
	deptCodeRe   = regexp.MustCompile(`^(\d{2}|2[AB]|97\d|98\d)$`)
	regionCodeRe = regexp.MustCompile(`^\d{2,3}$`)
	postalCodeRe = regexp.MustCompile(`^\d{5}$`)
)

// ValidInseeCode reports whether s is a commune's INSEE code: 5 digits, or 2A/2B and 3 digits
// for Corsica.
func ValidInseeCode(s string) bool { return inseeCodeRe.MatchString(s) }

// ValidDepartmentCode reports whether s looks like a département code: 01…95, 2A, 2B, 971…989.
func ValidDepartmentCode(s string) bool { return deptCodeRe.MatchString(s) }

// ValidPostalCode reports whether s is a postal code (5 digits).
func ValidPostalCode(s string) bool { return postalCodeRe.MatchString(s) }

// Slug is the commune's identifier in URLs: its normalized name and its département,
// "saint-etienne-42" (the form les-emplois uses in shared search links).
func Slug(name, departmentCode string) string {
	return strings.ReplaceAll(searchtext.Normalize(name), " ", "-") + "-" + strings.ToLower(departmentCode)
}

// newCommune fills the derived fields of a commune.
func newCommune(c Commune) Commune {
	c.SearchName = searchtext.Normalize(c.Name)
	c.Slug = Slug(c.Name, c.DepartmentCode)
	return c
}
