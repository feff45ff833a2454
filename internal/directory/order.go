package directory

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// sortCandidates orders the companies by the keys, then by id (the original's default order, and
// a stable tie-break so that pages never overlap). Names and cities compare as French does
// ("Élan" beside "Elan", not after "Zèbre"), on both engines alike since the sort runs here.
func sortCandidates(list []candidate, keys []OrderKey) {
	type sortable struct {
		c          candidate
		name, city []byte // collation keys, computed only when the order reads them
	}
	rows := make([]sortable, len(list))
	var col *collate.Collator
	var buf collate.Buffer
	for i, c := range list {
		rows[i].c = c
		for _, k := range keys {
			if (k.Field == ByName && rows[i].name == nil) || (k.Field == ByCity && rows[i].city == nil) {
				if col == nil {
					col = collate.New(language.French)
				}
				if k.Field == ByName {
					rows[i].name = bytes.Clone(col.KeyFromString(&buf, c.Name))
				} else {
					rows[i].city = bytes.Clone(col.KeyFromString(&buf, c.CityName))
				}
				buf.Reset()
			}
		}
	}
	slices.SortFunc(rows, func(a, b sortable) int {
		for _, k := range keys {
			var c int
			switch k.Field {
			case ByName:
				c = bytes.Compare(a.name, b.name)
			case ByCity:
				c = bytes.Compare(a.city, b.city)
			case ByKind:
				c = strings.Compare(a.c.Kind, b.c.Kind)
			case ByDepartment:
				c = strings.Compare(a.c.Department, b.c.Department)
			case ByPostCode:
				c = strings.Compare(a.c.PostCode, b.c.PostCode)
			case BySIRET:
				c = strings.Compare(a.c.SIRET, b.c.SIRET)
			case ByBlocked:
				c = compareBool(a.c.Blocked, b.c.Blocked)
			}
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	for i := range rows {
		list[i] = rows[i].c
	}
}

// compareBool orders false before true, as SQL does.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
