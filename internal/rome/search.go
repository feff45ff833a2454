package rome

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/platform/searchtext"
)

// MaxResults is how many appellations an autocomplete answers.
const MaxResults = 10

// appellationLess is the autocomplete order for a query: labels starting with the query, then
// shorter labels first (the plainest title), then alphabetical. SQL orders the same way
// (appellationOrder); TopLists uses this.
func appellationLess(query string, a, b Appellation) bool {
	ra, rb := appellationRank(query, a.SearchText), appellationRank(query, b.SearchText)
	if ra != rb {
		return ra < rb
	}
	if la, lb := labelLength(a.Label), labelLength(b.Label); la != lb {
		return la < lb
	}
	if a.SearchText != b.SearchText {
		return a.SearchText < b.SearchText
	}
	return a.Code < b.Code
}

func appellationRank(query, searchText string) int {
	if strings.HasPrefix(searchText, query) {
		return 0
	}
	return 1
}

// appellationOrder is appellationLess in SQL, over rome_appellation_search (alias k).
const appellationOrder = "CASE WHEN k.search_text LIKE ? THEN 0 ELSE 1 END, k.label_length, k.search_text, k.appellation_code"

// SearchAppellations finds at most MaxResults appellations for a job autocomplete, with their
// ROME code. Accents, case and punctuation aside, the query is first matched as typed from the
// start of any word of the label or the ROME code ("entretien de locaux", "k2204"), ordered by
// appellationLess. When that finds fewer than MaxResults, appellations with a word starting with
// each word of the query follow, shortest first ("agent entretien" finds "Agent / Agente
// d'entretien de locaux"). A query under 2 characters finds nothing.
func (s *Store) SearchAppellations(ctx context.Context, raw string) ([]Appellation, error) {
	q, err := searchtext.ParseQuery(raw)
	if err != nil || q.Empty() {
		return nil, err
	}
	list, err := s.searchTop(ctx, q.Text)
	if err != nil || len(list) > 0 {
		return list, err
	}
	if list, err = s.searchTyped(ctx, q.Text); err != nil {
		return nil, err
	}
	if len(list) == MaxResults || len(q.Words) < 2 {
		return list, nil
	}
	more, err := s.searchEachWord(ctx, q, MaxResults+len(list))
	if err != nil {
		return nil, err
	}
	return searchtext.AppendNew(list, more, MaxResults, func(a Appellation) string { return a.Code }), nil
}

// searchTop returns the precomputed answer of a frequent prefix ("ag", "agent"), or nothing.
func (s *Store) searchTop(ctx context.Context, text string) ([]Appellation, error) {
	var list []Appellation
	err := s.db.NewSelect().Model(&list).Relation("Rome").
		Join("JOIN rome_appellation_search_top AS t ON t.appellation_code = a.code").
		Where("t.prefix = ?", text).OrderExpr("t.position").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("rome: search appellations %q: %w", text, err)
	}
	return list, nil
}

// searchTyped matches the query as typed against the keys (label and code from each word on),
// ranking on rome_appellation_search alone and joining only the first rows.
func (s *Store) searchTyped(ctx context.Context, text string) ([]Appellation, error) {
	matches := s.db.NewSelect().TableExpr("rome_appellation_search AS k").Column("k.appellation_code").
		Where("k.search_key >= ? AND k.search_key < ?", text, searchtext.PrefixEnd(text)).
		GroupExpr("k.appellation_code, k.search_text, k.label_length").
		OrderExpr(appellationOrder, text+"%").Limit(MaxResults)
	return s.load(ctx, text, matches, "CASE WHEN a.search_text LIKE ? THEN 0 ELSE 1 END, length(a.label), a.search_text, a.code", text+"%")
}

// searchEachWord finds appellations with, for every word of the query, a word of the label (or
// the ROME code) starting with it, shortest first. One word drives an index range scan (see
// searchtext.Driver); the others filter the scanned rows on their own search text, as
// PostgreSQL misjudges prefix ranges too much to plan a probe per word well.
func (s *Store) searchEachWord(ctx context.Context, q searchtext.Query, limit int) ([]Appellation, error) {
	var frequent []string
	err := s.db.NewSelect().TableExpr("rome_appellation_search_top").ColumnExpr("DISTINCT prefix").
		Where("prefix IN (?)", bun.List(q.Words)).Scan(ctx, &frequent)
	if err != nil {
		return nil, fmt.Errorf("rome: search appellations %q: %w", q.Text, err)
	}
	driver := searchtext.Driver(q.Words, frequent)
	matches := s.db.NewSelect().TableExpr("rome_appellation_search AS k").Column("k.appellation_code").
		Where("k.search_key >= ? AND k.search_key < ?", driver, searchtext.PrefixEnd(driver))
	for _, w := range q.Words {
		if w != driver {
			matches.Where("(' ' || k.search_text) LIKE ?", searchtext.WordStartPattern(w))
		}
	}
	matches.GroupExpr("k.appellation_code, k.search_text, k.label_length").
		OrderExpr("k.label_length, k.search_text, k.appellation_code").Limit(int64(limit))
	return s.load(ctx, q.Text, matches, "length(a.label), a.search_text, a.code")
}

// load returns the appellations whose codes the matches subquery selects, with their ROME code.
func (s *Store) load(ctx context.Context, text string, matches *bun.SelectQuery, order string, args ...any) ([]Appellation, error) {
	var list []Appellation
	err := s.db.NewSelect().Model(&list).Relation("Rome").Where("a.code IN (?)", matches).
		OrderExpr(order, args...).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("rome: search appellations %q: %w", text, err)
	}
	return list, nil
}
