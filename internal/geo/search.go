package geo

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/platform/searchtext"
)

// MaxResults is how many communes an autocomplete answers.
const MaxResults = 10

// codeWordRe matches a query word that is (the start of) a postal or INSEE code: digits, or 2A/2B
// and digits for Corsica.
var codeWordRe = regexp.MustCompile(`^([0-9]{1,5}|2[ab][0-9]{0,3})$`)

// CityQuery is a city autocomplete query.
type CityQuery struct {
	Text  string   // whole normalized query: "saint etienne"
	Words []string // its words, each matched against the start of a word of the name
	Codes []string // its numbers, matched against the start of a postal or INSEE code
}

// abbreviations that start commune names are expanded when another word follows ("st etienne");
// alone, "st" stays a prefix ("Strasbourg").
var abbreviations = map[string]string{"st": "saint", "ste": "sainte"}

// ParseCityQuery normalizes a raw query: "Saint-Étienne" → words saint, etienne; "42000" → a code.
func ParseCityQuery(raw string) (CityQuery, error) {
	q, err := searchtext.ParseQuery(raw)
	if err != nil || q.Empty() {
		return CityQuery{}, err
	}
	fields := strings.Fields(q.Text)
	for i, w := range fields[:len(fields)-1] {
		if long, ok := abbreviations[w]; ok {
			fields[i] = long
		}
	}
	cq := CityQuery{Text: strings.Join(fields, " ")}
	words := searchtext.Words(cq.Text)
	for _, w := range words[:min(len(words), searchtext.MaxWords)] {
		if codeWordRe.MatchString(w) {
			cq.Codes = append(cq.Codes, w)
		} else {
			cq.Words = append(cq.Words, w)
		}
	}
	return cq, nil
}

// cityLess is the autocomplete order for a query: the exact name, then names starting with the
// query, then larger communes first. SQL orders the same way (cityOrder); TopLists uses this.
func cityLess(query string, a, b Commune) bool {
	ra, rb := cityRank(query, a), cityRank(query, b)
	if ra != rb {
		return ra < rb
	}
	if a.Population != b.Population {
		return a.Population > b.Population
	}
	if a.SearchName != b.SearchName {
		return a.SearchName < b.SearchName
	}
	return a.InseeCode < b.InseeCode
}

func cityRank(query string, c Commune) int {
	switch {
	case c.SearchName == query:
		return 0
	case strings.HasPrefix(c.SearchName, query):
		return 1
	}
	return 2
}

// cityOrder is cityLess in SQL, over the commune_search columns (alias k).
const cityOrder = "CASE WHEN k.search_name = ? THEN 0 WHEN k.search_name LIKE ? THEN 1 ELSE 2 END, " +
	"k.population DESC, k.search_name, k.insee_code"

// cityOrderOuter orders the final rows (alias c) the same way.
const cityOrderOuter = "CASE WHEN c.search_name = ? THEN 0 WHEN c.search_name LIKE ? THEN 1 ELSE 2 END, " +
	"c.population DESC, c.search_name, c.insee_code"

// SearchCities finds at most MaxResults communes (not arrondissements) for an autocomplete.
// Accents, case, hyphens and apostrophes aside, the query is first matched as typed against the
// name from any word on ("saint etienne" finds Saint-Étienne, "etienne" Saint-Étienne too), and
// numbers against postal and INSEE codes (exact with 5 digits, a prefix otherwise); ordered by
// cityLess. When that finds fewer than MaxResults, communes whose name has a word starting with
// each word of the query follow ("aix provence" finds Aix-en-Provence), larger first. A query
// under 2 characters finds nothing.
func (s *Store) SearchCities(ctx context.Context, raw string) ([]Commune, error) {
	q, err := ParseCityQuery(raw)
	if err != nil || q.Text == "" {
		return nil, err
	}
	list, err := s.searchTop(ctx, q.Text)
	if err != nil || len(list) > 0 {
		return list, err
	}
	if list, err = s.searchTyped(ctx, q.Text); err != nil {
		return nil, err
	}
	if len(list) == MaxResults || len(q.Words)+len(q.Codes) < 2 {
		return list, nil
	}
	// Fewer than MaxResults: add communes with each word anywhere in the name, in any order.
	more, err := s.searchEachWord(ctx, q, MaxResults+len(list))
	if err != nil {
		return nil, err
	}
	return searchtext.AppendNew(list, more, MaxResults, func(c Commune) string { return c.InseeCode }), nil
}

// searchTop returns the precomputed answer of a frequent prefix ("sa", "69"), or nothing.
func (s *Store) searchTop(ctx context.Context, text string) ([]Commune, error) {
	var list []Commune
	err := s.db.NewSelect().Model(&list).
		Join("JOIN commune_search_top AS t ON t.insee_code = c.insee_code").
		Where("t.prefix = ?", text).OrderExpr("t.position").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("geo: search cities %q: %w", text, err)
	}
	return list, nil
}

// searchTyped matches the query as typed against the keys (name from each word on, codes). Used
// for prefixes that are not frequent, it ranks fewer than topListMinRows communes. The ranking
// runs on commune_search alone and only the first rows are joined: a join over the whole range
// lets PostgreSQL misjudge short prefixes and scan every commune.
func (s *Store) searchTyped(ctx context.Context, text string) ([]Commune, error) {
	matches := s.db.NewSelect().TableExpr("commune_search AS k").Column("k.insee_code").
		Where("k.search_key >= ? AND k.search_key < ?", text, searchtext.PrefixEnd(text)).
		GroupExpr("k.insee_code, k.search_name, k.population").
		OrderExpr(cityOrder, text, text+"%").Limit(MaxResults)
	var list []Commune
	err := s.db.NewSelect().Model(&list).Where("c.insee_code IN (?)", matches).
		OrderExpr(cityOrderOuter, text, text+"%").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("geo: search cities %q: %w", text, err)
	}
	return list, nil
}

// searchEachWord finds communes with, for every word of the query, a word of the name (for a
// number, a code) starting with it, larger communes first. One word drives an index range scan
// (see searchtext.Driver); the others filter the scanned rows on their own columns, as
// PostgreSQL misjudges prefix ranges too much to plan a probe per word well.
func (s *Store) searchEachWord(ctx context.Context, q CityQuery, limit int) ([]Commune, error) {
	words := append(slices.Clone(q.Words), q.Codes...)
	var frequent []string
	err := s.db.NewSelect().TableExpr("commune_search_top").ColumnExpr("DISTINCT prefix").
		Where("prefix IN (?)", bun.List(words)).Scan(ctx, &frequent)
	if err != nil {
		return nil, fmt.Errorf("geo: search cities %q: %w", q.Text, err)
	}
	driver := searchtext.Driver(words, frequent)
	matches := s.db.NewSelect().TableExpr("commune_search AS k").Column("k.insee_code").
		Where("k.search_key >= ? AND k.search_key < ?", driver, searchtext.PrefixEnd(driver))
	for _, w := range q.Words {
		if w != driver {
			matches.Where("(' ' || k.search_name) LIKE ?", searchtext.WordStartPattern(w))
		}
	}
	for _, code := range q.Codes {
		if code != driver {
			matches.Where("(' ' || k.codes) LIKE ?", searchtext.WordStartPattern(code))
		}
	}
	matches.GroupExpr("k.insee_code, k.search_name, k.population").
		OrderExpr("k.population DESC, k.search_name, k.insee_code").Limit(int64(limit))
	var list []Commune
	err = s.db.NewSelect().Model(&list).Where("c.insee_code IN (?)", matches).
		OrderExpr("c.population DESC, c.search_name, c.insee_code").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("geo: search cities %q: %w", q.Text, err)
	}
	return list, nil
}
