// Package rome holds the job referentials: France Travail's ROME codes (métiers) and their
// appellations (the job titles people search for), and INSEE's NAF activity codes; their import
// from the reference files and the job appellation autocomplete.
package rome

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"emplois/internal/platform/searchtext"
)

// Code is a ROME code (fiche métier): "K2204", "Nettoyage de locaux".
type Code struct {
	bun.BaseModel `bun:"table:rome_code,alias:rc"`

	Code  string `bun:"code,pk"`
	Label string `bun:"label"`
}

// Appellation is a job title of the ROME, the unit job descriptions are bound to:
// "Agent / Agente d'entretien de locaux" (K2204).
type Appellation struct {
	bun.BaseModel `bun:"table:rome_appellation,alias:a"`

	Code       string `bun:"code,pk"`
	Label      string `bun:"label"`
	SearchText string `bun:"search_text"` // normalized label and lowercase ROME code
	RomeCode   string `bun:"rome_code"`
	Rome       *Code  `bun:"rel:belongs-to,join:rome_code=code"`
}

// DisplayLabel is how an appellation is shown in lists: "Agent / Agente d'entretien de locaux (K2204)".
func (a Appellation) DisplayLabel() string { return a.Label + " (" + a.RomeCode + ")" }

// NAF levels, from the broadest.
const (
	Division   = "division"
	Groupe     = "groupe"
	Classe     = "classe"
	SousClasse = "sous-classe"
)

// Naf is an activity code of INSEE's NAF rév. 2: "81.21Z" (compact "8121Z", the form SIRENE
// data uses), "Nettoyage courant des bâtiments".
type Naf struct {
	bun.BaseModel `bun:"table:naf_code,alias:n"`

	Code        string `bun:"code,pk"`
	CodeCompact string `bun:"code_compact"`
	Level       string `bun:"level"`
	Label       string `bun:"label"`
}

var (
	romeCodeRe        = regexp.MustCompile(`^[A-Z][0-9]{4}$`)
	appellationCodeRe = regexp.MustCompile(`^[0-9]{1,6}$`)
	nafCodeRe         = map[string]*regexp.Regexp{
		Division:   regexp.MustCompile(`^[0-9]{2}$`),
		Groupe:     regexp.MustCompile(`^[0-9]{2}\.[0-9]$`),
		Classe:     regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}$`),
		SousClasse: regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}[A-Z]$`),
	}
)

// ValidCode reports whether s is a ROME code: a letter and 4 digits.
func ValidCode(s string) bool { return romeCodeRe.MatchString(s) }

// searchTextOf is what an appellation is searched by: its label and its ROME code.
func searchTextOf(label, romeCode string) string {
	return searchtext.Normalize(label) + " " + strings.ToLower(romeCode)
}

// labelLength is the length SQL's length() gives (characters), which ranks short labels first.
func labelLength(label string) int { return utf8.RuneCountInString(label) }
