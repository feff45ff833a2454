// Package searchtext turns names and labels into the plain form that autocomplete searches
// match on: lowercase ASCII words, accents stripped, punctuation as spaces. Stores precompute,
// at import, the keys a row is found by (Suffixes) and the answers of frequent prefixes
// (TopLists), so that every query is an index range scan with the same SQL on SQLite and
// PostgreSQL, whatever the number of matches.
package searchtext

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"emplois/internal/platform/fault"
)

// MaxQueryLength bounds what an autocomplete accepts, in characters.
const MaxQueryLength = 100

// MaxWords bounds the words of a query that are matched (each adds a condition).
const MaxWords = 8

// ErrTooLong is returned for queries longer than MaxQueryLength; handlers answer 400 with its
// message, a French sentence for users.
var ErrTooLong = fault.Invalid("La recherche est trop longue : 100 caractères au plus.")

// Normalize lowercases s, strips accents and ligatures, turns every character other than an ASCII
// letter or digit into a space and collapses spaces: "Saint-Étienne" → "saint etienne",
// "L'Haÿ-les-Roses" → "l hay les roses", "Œuvre" → "oeuvre".
func Normalize(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	emit := func(r rune) {
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			emit(r)
		case r >= 'A' && r <= 'Z':
			emit(r + 'a' - 'A')
		case unicode.Is(unicode.Mn, r): // combining accent left by NFKD: drop it
		default:
			if repl, ok := ligatures[unicode.ToLower(r)]; ok {
				for _, c := range repl {
					emit(c)
				}
				continue
			}
			gap = true
		}
	}
	return b.String()
}

// accents drops the combining marks of a decomposed string and composes it back.
var accents = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// FoldAccents removes the accents of s and keeps everything else as it is: "Éloïse" → "Eloise".
func FoldAccents(s string) string {
	out, _, err := transform.String(accents, s)
	if err != nil {
		return s
	}
	return out
}

// ligatures are the letters that NFKD does not decompose into ASCII.
var ligatures = map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th"}

// isPlain reports whether s is already normalized (the common case for queries: "lyon").
func isPlain(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == ' ' && s[i-1] != ' ':
		default:
			return false
		}
	}
	return true
}

// Words returns the distinct words of a normalized text, in their order of appearance.
func Words(normalized string) []string {
	fields := strings.Fields(normalized)
	out := fields[:0]
	for i, w := range fields {
		dup := false
		for _, seen := range fields[:i] {
			if seen == w {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, w)
		}
	}
	return out
}

// PrefixEnd returns the smallest string above every normalized string starting with prefix, so
// that `col >= prefix AND col < PrefixEnd(prefix)` is an index range scan (byte order: SQLite's
// BINARY collation, PostgreSQL's "C" collation). Normalized text is ASCII below '~'.
func PrefixEnd(prefix string) string { return prefix + "~" }

// Query is an autocomplete query, normalized and split into words.
type Query struct {
	Text  string   // the whole normalized query: "saint etienne"
	Words []string // its distinct words, at most 8
}

// ParseQuery normalizes a raw query. A query under two characters (after trimming) is empty: an
// autocomplete answers nothing rather than the whole table.
func ParseQuery(raw string) (Query, error) {
	raw = strings.TrimSpace(raw)
	if utf8.RuneCountInString(raw) > MaxQueryLength {
		return Query{}, ErrTooLong
	}
	text := Normalize(raw)
	if len(text) < 2 {
		return Query{}, nil
	}
	words := Words(text)
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	return Query{Text: text, Words: words}, nil
}

// Empty reports whether there is nothing to search for.
func (q Query) Empty() bool { return len(q.Words) == 0 }

// Driver picks, among a query's words, the one to drive an index range scan: a word that is not
// a frequent prefix (see TopLists) when there is one, as few rows start with it; the longest
// among equals.
func Driver(words, frequent []string) string {
	best := ""
	bestFrequent := true
	for _, w := range words {
		f := slices.Contains(frequent, w)
		if best == "" || (bestFrequent && !f) || (f == bestFrequent && len(w) > len(best)) {
			best, bestFrequent = w, f
		}
	}
	return best
}

// WordStartPattern is the LIKE pattern that finds, in ' ' || text, a word starting with w
// (normalized text has neither % nor _).
func WordStartPattern(w string) string { return "% " + w + "%" }

// ASCII transliterates s to ASCII for systems that take nothing else (the ASP's files): accents
// and ligatures become their plain letters, other ASCII characters stay, case included, and any
// other character is dropped: "Dufaël" → "Dufael", "Œuvre-d'Art" → "OEuvre-d'Art".
func ASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		default:
			if repl, ok := ligatures[unicode.ToLower(r)]; ok {
				if unicode.IsUpper(r) {
					repl = strings.ToUpper(repl)
				}
				b.WriteString(repl)
			}
		}
	}
	return b.String()
}
