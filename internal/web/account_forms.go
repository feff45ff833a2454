package web

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/account"
	"emplois/internal/platform/fault"
)

// The account fields and refusals the legacy signup and invitation forms share (the account
// pages themselves are in internal/web/account). Field names are the ones les-emplois uses.

func emailField(autocomplete string) *Field {
	return &Field{Name: "email", Label: "Adresse e-mail", Type: "email", Autocomplete: autocomplete,
		Hint: "Format attendu : nom@domaine.fr", Required: true}
}

func newPasswordFields() []*Field {
	return []*Field{
		{Name: "password1", Label: "Mot de passe", Type: "password", Autocomplete: "new-password",
			Hint: account.PasswordHint, Required: true},
		{Name: "password2", Label: "Confirmation du mot de passe", Type: "password", Autocomplete: "new-password",
			Hint: "Saisissez le même mot de passe une deuxième fois.", Required: true},
	}
}

// showRefusal puts a refusal of a service on the form: field errors next to their fields, an
// invalid or conflicting request and the login refusals as the form error. It reports false
// for anything else (not found, forbidden, internal), which fail answers.
func showRefusal(f *Form, err error) bool {
	var inactive *account.InactiveError
	var provider *account.ProviderError
	e, isFault := fault.As(err)
	switch {
	case isFault && len(e.Fields) > 0:
		for _, fe := range e.Fields {
			setFieldError(f, fe)
		}
	case isFault && (e.Kind == fault.KindInvalid || e.Kind == fault.KindConflict),
		errors.Is(err, account.ErrEmailNotVerified), errors.Is(err, account.ErrThrottled),
		errors.Is(err, account.ErrProConnectRequired), errors.As(err, &inactive), errors.As(err, &provider):
		f.Error = err.Error()
	default:
		return false
	}
	return true
}

// refusalStatus is the status of a form refused with err: 429 with Retry-After when the account
// service throttled it (login, signup), else 422.
func refusalStatus(w http.ResponseWriter, err error) int {
	var throttled *account.ThrottledError
	if !errors.As(err, &throttled) {
		return http.StatusUnprocessableEntity
	}
	w.Header().Set("Retry-After", strconv.Itoa(int((throttled.RetryAfter.Seconds())+0.999)))
	return http.StatusTooManyRequests
}

func setFieldError(f *Form, e fault.FieldError) {
	if fld, ok := f.Fields[e.Field]; ok {
		fld.Error = e.Message
		return
	}
	f.Error = e.Message
}
