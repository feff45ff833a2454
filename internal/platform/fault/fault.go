// Package fault holds the errors a user may be shown: a kind (invalid input, not found,
// forbidden, conflict) that the web and API layers turn into a status, and a French message.
// Domain sentinels are values of *Error, so errors.Is keeps matching them; internal failures
// stay plain wrapped errors and are answered as a logged 500.
package fault

import (
	"errors"
	"net/http"
	"strings"
)

// Kind says how a refusal is answered. The constants are named Kind* because the plain names
// are the constructors (fault.NotFound("...") reads best at the sentinels).
type Kind int

const (
	// KindInvalid: the input is refused (with Fields when a form field is at fault).
	KindInvalid Kind = iota + 1
	// KindNotFound: no such object, or one the user may not know of.
	KindNotFound
	// KindForbidden: the user may not do this.
	KindForbidden
	// KindConflict: the object's state does not allow it now.
	KindConflict
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindForbidden:
		return "forbidden"
	case KindConflict:
		return "conflict"
	}
	return "unknown"
}

// Status is the HTTP status that answers a refusal of kind k, on pages and in the API alike.
func (k Kind) Status() int {
	switch k {
	case KindNotFound:
		return http.StatusNotFound
	case KindForbidden:
		return http.StatusForbidden
	case KindConflict:
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// Error is a refusal with its kind and the French sentence to show.
type Error struct {
	Kind    Kind
	Message string
	// Fields are the refused form values of an Invalid error (may be empty).
	Fields Fields
}

func (e *Error) Error() string { return e.Message }

// NotFound, Forbidden, Conflict and Invalid return a refusal of that kind with message.
func NotFound(message string) *Error  { return &Error{Kind: KindNotFound, Message: message} }
func Forbidden(message string) *Error { return &Error{Kind: KindForbidden, Message: message} }
func Conflict(message string) *Error  { return &Error{Kind: KindConflict, Message: message} }
func Invalid(message string) *Error   { return &Error{Kind: KindInvalid, Message: message} }

// InvalidField refuses one form value: the same as a Fields holding only it.
func InvalidField(field, message string) *Error {
	return &Error{Kind: KindInvalid, Message: message, Fields: Fields{{Field: field, Message: message}}}
}

// As returns the refusal in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// KindOf returns the kind of the refusal in err's chain; false for an internal error.
func KindOf(err error) (Kind, bool) {
	if e, ok := As(err); ok {
		return e.Kind, true
	}
	return 0, false
}

// FieldError is a refused form value with the sentence to show next to its field; Field is ""
// when the whole form is at fault.
type FieldError struct {
	Field   string
	Message string
}

// Fields collects the refused values of one form, so that the user sees every problem at once.
type Fields []FieldError

// Add appends an error for field unless the field already has one (the first problem wins).
func (f *Fields) Add(field, message string) {
	if !f.Has(field) {
		*f = append(*f, FieldError{Field: field, Message: message})
	}
}

// Has reports whether field has an error.
func (f Fields) Has(field string) bool { return f.On(field) != "" }

// On is the message about field, "" when there is none.
func (f Fields) On(field string) string {
	for _, fe := range f {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Err returns an Invalid error carrying f, or nil when f is empty. Its message lists every
// field's message, so that a log or a message-only answer still says what was wrong.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msgs := make([]string, len(f))
	for i, fe := range f {
		msgs[i] = fe.Message
	}
	return &Error{Kind: KindInvalid, Message: strings.Join(msgs, " "), Fields: f}
}

// FieldsOf returns the refused form values carried by err, nil when there are none.
func FieldsOf(err error) Fields {
	if e, ok := As(err); ok {
		return e.Fields
	}
	return nil
}
