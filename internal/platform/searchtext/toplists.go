package searchtext

import (
	"slices"
	"strings"
)

// Suffixes returns the keys a normalized text is found by: the text from each of its words to
// the end ("saint etienne du rouvray", "etienne du rouvray", "du rouvray", "rouvray"). A prefix
// range on them matches a phrase typed from any word on, and a single word's prefix matches the
// start of any word.
func Suffixes(normalized string) []string {
	if normalized == "" {
		return nil
	}
	keys := []string{normalized}
	for i := 0; i < len(normalized); i++ {
		if normalized[i] == ' ' {
			keys = append(keys, normalized[i+1:])
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Entry is one searchable row (a commune, an appellation) for TopLists.
type Entry struct {
	ID   string   // the row's primary key
	Keys []string // what a query prefix matches: Suffixes of its name, its codes
}

// TopRow is the row at Position (0-based) of the precomputed answer for Prefix.
type TopRow struct {
	Prefix   string
	Position int
	ID       string
}

// TopLists precomputes the answers of frequent queries. A prefix is frequent when at least
// minRows distinct entries have a key starting with it ("sa" starts a word of 5,533 communes):
// sorting all of them at each keystroke would be too slow, so its first n entries, ordered by
// less (which receives the prefix and two indexes into entries), are stored. Only prefixes a
// query can be are kept: 2 characters or more, not ending with a space.
func TopLists(entries []Entry, minRows, n int, less func(prefix string, a, b int) bool) []TopRow {
	type key struct {
		k     string
		entry int32
	}
	var keys []key
	for i, e := range entries {
		for _, k := range e.Keys {
			keys = append(keys, key{k, int32(i)})
		}
	}
	slices.SortFunc(keys, func(a, b key) int { return strings.Compare(a.k, b.k) })

	var out []TopRow
	seen := make([]int, len(entries)) // generation marks for counting distinct entries
	gen := 0
	distinct := func(run []key) []int {
		gen++
		var ids []int
		for _, k := range run {
			if seen[k.entry] != gen {
				seen[k.entry] = gen
				ids = append(ids, int(k.entry))
			}
		}
		return ids
	}
	// Walk the sorted keys level by level: the keys sharing a prefix of length L form a run,
	// split into runs of length L+1. A run under minRows has no frequent prefix below it.
	var walk func(run []key, depth int)
	walk = func(run []key, depth int) {
		for start := 0; start < len(run); {
			if len(run[start].k) <= depth { // the key ends here: it is the prefix itself
				start++
				continue
			}
			c := run[start].k[depth]
			end := start + 1
			for end < len(run) && len(run[end].k) > depth && run[end].k[depth] == c {
				end++
			}
			sub := run[start:end]
			start = end
			if len(sub) < minRows {
				continue
			}
			ids := distinct(sub)
			if len(ids) < minRows {
				continue
			}
			prefix := sub[0].k[:depth+1]
			if depth+1 >= 2 && c != ' ' {
				slices.SortFunc(ids, func(a, b int) int {
					switch {
					case less(prefix, a, b):
						return -1
					case less(prefix, b, a):
						return 1
					}
					return 0
				})
				for pos, id := range ids[:min(n, len(ids))] {
					out = append(out, TopRow{Prefix: prefix, Position: pos, ID: entries[id].ID})
				}
			}
			walk(sub, depth+1)
		}
	}
	walk(keys, 0)
	return out
}

// AppendNew appends to list the items of more whose key it does not hold yet, in order, until
// list has max items: the answers of a broader search after those of a narrower one.
func AppendNew[T any, K comparable](list, more []T, max int, key func(T) K) []T {
	seen := make(map[K]bool, len(list))
	for _, x := range list {
		seen[key(x)] = true
	}
	for _, x := range more {
		if len(list) >= max {
			break
		}
		if k := key(x); !seen[k] {
			seen[k] = true
			list = append(list, x)
		}
	}
	return list
}
