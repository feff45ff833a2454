package asp

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/searchtext"
)

// ErrNotFound is returned when no commune, département or country has the code (at that day).
var ErrNotFound = fault.NotFound("Ce code est inconnu de l'ASP à cette date.")

// Period is a validity period [Start, End): End is the first day it no longer holds, nil while
// it still does.
type Period struct {
	Start time.Time  `bun:"start_date,type:date,notnull"`
	End   *time.Time `bun:"end_date,type:date"`
}

// Contains reports whether the day falls in the period.
func (p Period) Contains(day time.Time) bool {
	return !day.Before(p.Start) && (p.End == nil || day.Before(*p.End))
}

// Current reports whether the period has no end.
func (p Period) Current() bool { return p.End == nil }

// Commune is an ASP commune (or municipal arrondissement) over one period of its code.
type Commune struct {
	bun.BaseModel `bun:"table:asp_commune,alias:c"`

	ID         int64  `bun:"id,pk,autoincrement"`
	Code       string `bun:"code,notnull"` // INSEE code: 69123, 2A004, 97411
	Name       string `bun:"name,notnull"`
	SearchName string `bun:"search_name,notnull"` // searchtext.Normalize(Name)
	Period
	// Ignored communes are kept for the records that name them but never offered in a search.
	Ignored bool `bun:"ignored,notnull"`
}

// DepartmentCode is the three-character département code the ASP expects beside the commune
// (codeDpt): "0" and the first two characters, or the first three for the overseas 97x and 98x.
func (c Commune) DepartmentCode() string { return DepartmentCodeOf(c.Code) }

// DepartmentCodeOf is Commune.DepartmentCode for an INSEE commune code.
func DepartmentCodeOf(inseeCode string) string {
	if len(inseeCode) < 3 {
		return ""
	}
	if strings.HasPrefix(inseeCode, "97") || strings.HasPrefix(inseeCode, "98") {
		return inseeCode[:3]
	}
	return "0" + inseeCode[:2]
}

// Department is an ASP département over one period of its code.
type Department struct {
	bun.BaseModel `bun:"table:asp_department,alias:d"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Code string `bun:"code,notnull"` // 01, 2A, 971
	Name string `bun:"name,notnull"`
	Period
}

// CountryGroup is the ASP group of a country (codeGroupePays).
type CountryGroup string

const (
	GroupFrance  CountryGroup = "1"
	GroupEU      CountryGroup = "2" // « CEE »
	GroupNotInEU CountryGroup = "3" // « hors CEE »
)

// Label is the French label, "" for an unknown group.
func (g CountryGroup) Label() string {
	switch g {
	case GroupFrance:
		return "France"
	case GroupEU:
		return "CEE"
	case GroupNotInEU:
		return "Hors CEE"
	}
	return ""
}

// FranceCode is the ASP code of France.
const FranceCode = "100"

// DefaultCountryDepartment is the département code of a country born-abroad records carry.
const DefaultCountryDepartment = "098"

// Country is a country or territory the ASP knows.
type Country struct {
	bun.BaseModel `bun:"table:asp_country,alias:co"`

	Code           string       `bun:"code,pk"` // three digits: the INSEE code 99xxx without 99
	Name           string       `bun:"name,notnull"`
	Group          CountryGroup `bun:"group_code,notnull"`
	DepartmentCode string       `bun:"department_code,notnull"`
}

// CountryCodeOf reads a country code as the ASP writes it (109) or as the INSEE does (99109).
func CountryCodeOf(code string) string {
	code = strings.TrimSpace(code)
	if len(code) == 5 && strings.HasPrefix(code, "99") {
		return code[2:]
	}
	return code
}

// Store reads and writes the ASP reference tables.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// day is the calendar day of t as a DATE column reads back (midnight UTC), whatever t's zone:
// a birth date or a hiring date is a day, not an instant.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CommuneAt returns the commune with an INSEE code on a day: the period that contains it.
func (s *Store) CommuneAt(ctx context.Context, inseeCode string, at time.Time) (Commune, error) {
	var c Commune
	err := periodAt(s.db.NewSelect().Model(&c).Where("c.code = ?", inseeCode), "c", at).Scan(ctx)
	return c, found(err, c.Period, at, "commune "+inseeCode)
}

// DepartmentAt returns the département with a code on a day.
func (s *Store) DepartmentAt(ctx context.Context, code string, at time.Time) (Department, error) {
	var d Department
	err := periodAt(s.db.NewSelect().Model(&d).Where("d.code = ?", code), "d", at).Scan(ctx)
	return d, found(err, d.Period, at, "department "+code)
}

// periodAt narrows a query on one code to the latest period started by the day: the (code,
// start_date) index read backwards, one row. found then checks that it has not ended.
func periodAt(q *bun.SelectQuery, alias string, at time.Time) *bun.SelectQuery {
	return q.Where(alias+".start_date <= ?", day(at)).Order(alias + ".start_date DESC").Limit(1)
}

func found(err error, p Period, at time.Time, what string) error {
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Contains(day(at))) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("asp: %s: %w", what, err)
	}
	return nil
}

// CountryByCode returns the country with an ASP (109) or INSEE (99109) code.
func (s *Store) CountryByCode(ctx context.Context, code string) (Country, error) {
	var c Country
	err := s.db.NewSelect().Model(&c).Where("co.code = ?", CountryCodeOf(code)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("asp: country %s: %w", code, err)
	}
	return c, nil
}

// CountriesByCode returns, in one query, the countries of these ASP or INSEE codes, keyed by
// the code as given; an unknown code is absent.
func (s *Store) CountriesByCode(ctx context.Context, codes []string) (map[string]Country, error) {
	out := make(map[string]Country, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	asked := make([]string, len(codes))
	for i, c := range codes {
		asked[i] = CountryCodeOf(c)
	}
	var list []Country
	if err := s.db.NewSelect().Model(&list).Where("co.code IN (?)", bun.List(asked)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("asp: %d countries: %w", len(codes), err)
	}
	byCode := make(map[string]Country, len(list))
	for _, c := range list {
		byCode[c.Code] = c
	}
	for i, c := range codes {
		if country, ok := byCode[asked[i]]; ok {
			out[c] = country
		}
	}
	return out, nil
}

// Countries returns every country, France first, then by name (the birth country select).
func (s *Store) Countries(ctx context.Context) ([]Country, error) {
	var list []Country
	err := s.db.NewSelect().Model(&list).OrderExpr("co.code = ? DESC, co.name", FranceCode).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("asp: countries: %w", err)
	}
	return list, nil
}

// MaxSearchResults bounds what SearchCommunes returns.
const MaxSearchResults = 10

// SearchCommunes returns the communes valid on a day whose name starts with the query (accents,
// case and punctuation aside: "st etienne" does not find Saint-Étienne, "saint et" does), or
// whose INSEE code starts with it, by name then code, at most limit (≤ MaxSearchResults). It is
// the « commune de naissance » autocomplete: ignored communes are left out, and a query of
// fewer than two characters finds nothing.
func (s *Store) SearchCommunes(ctx context.Context, query string, at time.Time, limit int) ([]Commune, error) {
	q, err := searchtext.ParseQuery(query)
	if err != nil || q.Text == "" {
		return nil, err
	}
	limit = max(1, min(limit, MaxSearchResults))
	at = day(at)
	col, then := "c.search_name", "c.code"
	if q.Text[0] >= '0' && q.Text[0] <= '9' {
		col, then = "c.code", "c.start_date"
		q.Text = strings.ToUpper(strings.ReplaceAll(q.Text, " ", "")) // 2a004 → 2A004
	}
	var list []Commune
	err = s.db.NewSelect().Model(&list).
		Where(col+" >= ? AND "+col+" < ?", q.Text, searchtext.PrefixEnd(q.Text)).
		Where("NOT c.ignored").
		Where("c.start_date <= ?", at).
		Where("(c.end_date IS NULL OR c.end_date > ?)", at).
		Order(col, then).Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("asp: search communes: %w", err)
	}
	return list, nil
}
