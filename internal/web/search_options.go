package web

import (
	"bytes"
	"html/template"
	"slices"
)

// fixedOptions holds the markup of the fixed filter choices (company kinds, contract types,
// ROME domains), rendered once at start by the filter_option template, unchecked and checked,
// by option ID. A search page then writes each choice in one step rather than running the
// template for it: a fiche search page has some thirty of them, a fifth of its rendering time.
type fixedOptions map[string][2]template.HTML

// renderFixedOptions renders the fixed choices with t, a template set holding filter_option.
func renderFixedOptions(t *template.Template) (fixedOptions, error) {
	out := fixedOptions{}
	for _, o := range slices.Concat(kindOptions(nil), contractOptions(nil), domainOptions(nil)) {
		var html [2]template.HTML
		for i, checked := range []bool{false, true} {
			o.Checked = checked
			var buf bytes.Buffer
			if err := t.ExecuteTemplate(&buf, "filter_option", o); err != nil {
				return nil, err
			}
			html[i] = template.HTML(buf.String()) // written by html/template, escaped
		}
		out[o.ID] = html
	}
	return out, nil
}

// fill gives the fixed options of list their markup.
func (f fixedOptions) fill(list []checkOption) []checkOption {
	for i, o := range list {
		if html, ok := f[o.ID]; ok {
			list[i].HTML = html[0]
			if o.Checked {
				list[i].HTML = html[1]
			}
		}
	}
	return list
}
