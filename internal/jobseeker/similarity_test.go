package jobseeker

import (
	"math"
	"testing"
)

// The names of api.md §3.5 (R2, R3) and pg_trgm's own figures: similarity('word', 'two words')
// is 0.363636 (4 trigrams in common out of 11).
func TestNameSimilarity_IsPgTrgmsSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		want  float64
		match bool
	}{
		{"word", "two words", 4.0 / 11, true},
		{"DURAND", "Durand", 1, true},
		{"DURANT", "Durand", 5.0 / 9, true},
		{"NATALIE", "Nathalie", 6.0 / 11, true},
		{"Dupont Maréchal", "Dupont-Maréchal", 1, true},
		{"leopold", "Léopold", 5.0 / 11, true},
		{"Dupont", "Dupont-Maréchal", 7.0 / 16, true},
		{"Duport", "Dupont-Maréchal", 4.0 / 19, false},
		{"Martin", "Bernard", 0, false},
		{"", "", 0, false},
		{"---", "Martin", 0, false},
	} {
		got := NameSimilarity(tc.a, tc.b)
		if math.Abs(got-tc.want) > 1e-9 || SimilarNames(tc.a, tc.b) != tc.match {
			t.Errorf("%q ~ %q: %v (match %v), want %v (match %v)", tc.a, tc.b, got, SimilarNames(tc.a, tc.b), tc.want, tc.match)
		}
		if rev := NameSimilarity(tc.b, tc.a); rev != got {
			t.Errorf("%q ~ %q is not symmetric: %v, %v", tc.a, tc.b, got, rev)
		}
	}
}
