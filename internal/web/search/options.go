package search

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/search"
)

// The choices of the search form as plain values: the radius and the company (selects), and the
// filter checkboxes. The fixed choices (company kinds, contract types, ROME domains) are built
// once; a page copies them with its boxes checked.

type selectOption struct {
	Value, Label string
	Selected     bool
}

// checkGroup is a fieldset of filter checkboxes. A long one is Collapsible (a <details>,
// closed unless one of its boxes is checked).
type checkGroup struct {
	ID, Legend, Hint string
	Options          []checkOption
	Collapsible      bool
}

// Open reports whether a collapsible group shows its boxes: when one is checked.
func (g checkGroup) Open() bool {
	return slices.ContainsFunc(g.Options, func(o checkOption) bool { return o.Checked })
}

type checkOption struct {
	ID, Name, Value, Label string
	Checked                bool
}

func distanceOptions(selected, def int) []selectOption {
	if selected == 0 {
		selected = def
	}
	out := make([]selectOption, len(search.Distances))
	for i, d := range search.Distances {
		out[i] = selectOption{Value: strconv.Itoa(d), Label: strconv.Itoa(d) + " km", Selected: d == selected}
	}
	return out
}

// checked copies the fixed choices with the boxes of the values checked.
func checked[T ~string](choices []checkOption, values []T) []checkOption {
	out := slices.Clone(choices)
	for i := range out {
		out[i].Checked = slices.Contains(values, T(out[i].Value))
	}
	return out
}

func kindOptions(values []org.CompanyKind) []checkOption { return checked(kindChoices(), values) }

func contractOptions(values []jobdesc.ContractType) []checkOption {
	return checked(contractChoices(), values)
}

func domainOptions(values []string) []checkOption { return checked(domainChoices(), values) }

var kindChoices = sync.OnceValue(func() []checkOption {
	var out []checkOption
	for _, k := range org.CompanyKinds {
		out = append(out, checkOption{ID: "kind-" + strings.ToLower(string(k)), Name: search.FieldKinds, Value: string(k),
			Label: string(k) + " – " + k.Label()})
	}
	return out
})

// contractChoices: every contract type but "création d'entreprise" and "Autre" sorted by label,
// then those two (actors.md §13.1). The external France Travail choices (PEC, "non précisé")
// come with the imported offers.
var contractChoices = sync.OnceValue(func() []checkOption {
	var main []jobdesc.ContractType
	for _, c := range jobdesc.ContractTypes {
		if c != jobdesc.BusinessCreation && c != jobdesc.Other {
			main = append(main, c)
		}
	}
	col := collate.New(language.French, collate.IgnoreCase, collate.Loose)
	sort.SliceStable(main, func(i, j int) bool { return col.CompareString(main[i].Label(), main[j].Label()) < 0 })
	var out []checkOption
	for _, c := range append(main, jobdesc.BusinessCreation, jobdesc.Other) {
		out = append(out, checkOption{ID: "contract-" + strings.ToLower(string(c)), Name: search.FieldContractTypes,
			Value: string(c), Label: c.Label()})
	}
	return out
})

var domainChoices = sync.OnceValue(func() []checkOption {
	var out []checkOption
	for _, d := range search.RomeDomains {
		out = append(out, checkOption{ID: "domain-" + strings.ToLower(d.Code), Name: search.FieldDomains, Value: d.Code,
			Label: d.Code + " – " + d.Label})
	}
	return out
})

func facetOptions(name string, facets []search.Facet, values []string) []checkOption {
	out := make([]checkOption, len(facets))
	for i, f := range facets {
		out[i] = checkOption{ID: name + "-" + strings.ToLower(f.Value), Name: name, Value: f.Value,
			Label: f.Label + " (" + strconv.Itoa(f.Count) + ")", Checked: slices.Contains(values, f.Value)}
	}
	return out
}

func companyOptions(facets []search.Facet, selected string) []selectOption {
	if len(facets) < 2 && selected == "" {
		return nil
	}
	out := []selectOption{{Value: "", Label: "Toutes les structures", Selected: selected == ""}}
	for _, f := range facets {
		if len(facets) <= search.MaxCompanyChoices || f.Value == selected {
			out = append(out, selectOption{Value: f.Value, Label: f.Label, Selected: f.Value == selected})
		}
	}
	if len(out) == 1 {
		return nil
	}
	return out
}
