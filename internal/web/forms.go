package web

// Field is one form field as the "field" partial renders it: DSFR input group with its label,
// hint and error message (the error is tied to the input by aria-describedby, RGAA 11.10).
type Field struct {
	Name         string
	Label        string
	Type         string // text, email, password, date, number, tel, search...
	Value        string
	Hint         string
	Error        string
	Autocomplete string
	Required     bool
}

// Form is a set of fields with a form-level error.
type Form struct {
	Fields map[string]*Field
	Error  string
	// order keeps the fields as built, so that the error summary lists them as the page shows them.
	order []*Field
}

// FieldErrors lists the fields with an error, in the order of the form, for the error summary.
func (f *Form) FieldErrors() []*Field {
	var out []*Field
	for _, fld := range f.order {
		if fld.Error != "" {
			out = append(out, fld)
		}
	}
	return out
}

// HasErrors reports whether any field, or the form itself, has an error.
func (f *Form) HasErrors() bool {
	if f.Error != "" {
		return true
	}
	for _, fld := range f.Fields {
		if fld.Error != "" {
			return true
		}
	}
	return false
}
