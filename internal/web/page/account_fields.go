package page

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/account"
)

// The account fields every room that creates or logs in an account shows (account, signup,
// invitation). Field names are the ones les-emplois uses (email, password1, password2), and the
// "field" partial gives each input the id "id_<name>": browser tests rely on both.

// EmailField is the e-mail of an account, with the browser's autocomplete hint.
func EmailField(autocomplete string) *Field {
	return &Field{Name: "email", Label: "Adresse e-mail", Type: "email", Autocomplete: autocomplete,
		Hint: "Format attendu : nom@domaine.fr", Required: true}
}

// NewPasswordFields are a new password and its confirmation.
func NewPasswordFields() []*Field {
	return []*Field{
		{Name: "password1", Label: "Mot de passe", Type: "password", Autocomplete: "new-password",
			Hint: account.PasswordHint, Required: true},
		{Name: "password2", Label: "Confirmation du mot de passe", Type: "password", Autocomplete: "new-password",
			Hint: "Saisissez le même mot de passe une deuxième fois.", Required: true},
	}
}

// RefusalStatus is the status of a form refused with err: 429 with Retry-After when the account
// service throttled it (login, signup), else 422.
func RefusalStatus(w http.ResponseWriter, err error) int {
	var throttled *account.ThrottledError
	if !errors.As(err, &throttled) {
		return http.StatusUnprocessableEntity
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.999)))
	return http.StatusTooManyRequests
}
