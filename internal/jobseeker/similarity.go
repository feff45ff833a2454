package jobseeker

import (
	"strings"
	"unicode"
)

// NameSimilarityThreshold is pg_trgm's default similarity threshold, above which the
// département search of the partner API (api.md §3.2) takes two names for the same.
const NameSimilarityThreshold = 0.3

// NameSimilarity is PostgreSQL pg_trgm's similarity of two texts, computed the same way on every
// engine (api.md §3.2): the trigrams of each word — lower-cased, padded with two spaces before
// and one after, characters other than letters and digits separating words — counted once;
// the similarity is the number of trigrams in common over the number in either text (0 when
// neither has any). Accents are kept: « Léopold » and « leopold » differ by three trigrams.
func NameSimilarity(a, b string) float64 {
	ta, tb := trigrams(a), trigrams(b)
	common := 0
	for t := range ta {
		if tb[t] {
			common++
		}
	}
	union := len(ta) + len(tb) - common
	if union == 0 {
		return 0
	}
	return float64(common) / float64(union)
}

// SimilarNames reports whether two names match as pg_trgm's % operator says at its default
// threshold.
func SimilarNames(a, b string) bool { return NameSimilarity(a, b) >= NameSimilarityThreshold }

// trigrams is pg_trgm's set of trigrams of a text.
func trigrams(s string) map[string]bool {
	set := map[string]bool{}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		padded := []rune("  " + w + " ")
		for i := 0; i+3 <= len(padded); i++ {
			set[string(padded[i:i+3])] = true
		}
	}
	return set
}
