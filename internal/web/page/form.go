package page

import (
	"net/http"
	"strings"

	"emplois/internal/platform/fault"
)

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
	// Options make it a select (partial "select_field"), with a first empty choice.
	Options []Choice
}

// Choice is an option of a select field.
type Choice struct {
	Value, Label string
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

// MsgRequired is the error of an empty required field.
const MsgRequired = "Ce champ est obligatoire."

// NewForm returns a form of these fields.
func NewForm(fields ...*Field) *Form {
	f := &Form{Fields: map[string]*Field{}, order: fields}
	for _, fld := range fields {
		f.Fields[fld.Name] = fld
	}
	return f
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

// Require marks the empty required fields; it reports whether all were filled.
func (f *Form) Require(names ...string) bool {
	ok := true
	for _, name := range names {
		if fld := f.Fields[name]; fld.Value == "" {
			fld.Error = MsgRequired
			ok = false
		}
	}
	return ok
}

// SetError puts message next to the field, or on the form when it has no such field.
func (f *Form) SetError(field, message string) {
	if fld, ok := f.Fields[field]; ok {
		fld.Error = message
		return
	}
	f.Error = message
}

// maxFormBytes bounds a posted form (file uploads have their own limits).
const maxFormBytes = 64 << 10

// ParsePost reads a posted form body; it answers false, after a 400 page, when the body cannot
// be read (too large, malformed).
func (k *Kit) ParsePost(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		k.Error(w, r, http.StatusBadRequest)
		return false
	}
	return true
}

// ParseForm reads the posted values into the form (passwords are never echoed back: the partial
// leaves their value out). It answers false, after a 400 page, when the body cannot be read.
func (k *Kit) ParseForm(w http.ResponseWriter, r *http.Request, f *Form) bool {
	if !k.ParsePost(w, r) {
		return false
	}
	for name, fld := range f.Fields {
		fld.Value = strings.TrimSpace(r.PostForm.Get(name))
		if fld.Type == "password" {
			fld.Value = r.PostForm.Get(name) // spaces are part of a password
		}
	}
	return true
}

// Show puts a refusal of a service on the form: each field error next to its field, an invalid
// or conflicting request as the form error. It reports false for anything else (not found,
// forbidden, internal), which the handler passes to Kit.Fail.
func (f *Form) Show(err error) bool {
	e, ok := fault.As(err)
	switch {
	case ok && len(e.Fields) > 0:
		for _, fe := range e.Fields {
			f.SetError(fe.Field, fe.Message)
		}
	case ok && (e.Kind == fault.KindInvalid || e.Kind == fault.KindConflict):
		f.Error = e.Message
	default:
		return false
	}
	return true
}

// Combobox is an input completed by an autocomplete fragment (partial "combobox",
// static/js/combobox.js), with the picked code in a hidden input.
type Combobox struct {
	Field                   *Field
	HiddenName, HiddenValue string
	Endpoint, ListID        string
}
