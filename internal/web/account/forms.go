package account

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/account"
	"emplois/internal/web/page"
)

// The account forms. Field names are the ones les-emplois uses (email, password, password1,
// password2, old_password), and the "field" partial gives each input the id "id_<name>": browser
// tests can rely on both.

func emailField(autocomplete string) *page.Field {
	return &page.Field{Name: "email", Label: "Adresse e-mail", Type: "email", Autocomplete: autocomplete,
		Hint: "Format attendu : nom@domaine.fr", Required: true}
}

func newPasswordFields() []*page.Field {
	return []*page.Field{
		{Name: "password1", Label: "Mot de passe", Type: "password", Autocomplete: "new-password",
			Hint: account.PasswordHint, Required: true},
		{Name: "password2", Label: "Confirmation du mot de passe", Type: "password", Autocomplete: "new-password",
			Hint: "Saisissez le même mot de passe une deuxième fois.", Required: true},
	}
}

func loginForm() *page.Form {
	return page.NewForm(emailField("email"),
		&page.Field{Name: "password", Label: "Mot de passe", Type: "password", Autocomplete: "current-password", Required: true})
}

func signupForm() *page.Form {
	f := page.NewForm(append([]*page.Field{
		{Name: "title", Label: "Civilité", Required: true},
		{Name: "first_name", Label: "Prénom", Autocomplete: "given-name", Required: true},
		{Name: "last_name", Label: "Nom", Autocomplete: "family-name", Required: true},
		emailField("email"),
	}, newPasswordFields()...)...)
	f.Fields["email"].Hint = "Format attendu : nom@domaine.fr. Vous recevrez un lien pour confirmer cette adresse."
	return f
}

// emailForm asks the e-mail of an account: to send it a new verification link, or a password
// reset link.
func emailForm() *page.Form { return page.NewForm(emailField("email")) }

func passwordSetForm() *page.Form { return page.NewForm(newPasswordFields()...) }

func passwordChangeForm() *page.Form {
	return page.NewForm(append([]*page.Field{
		{Name: "old_password", Label: "Mot de passe actuel", Type: "password", Autocomplete: "current-password", Required: true},
	}, newPasswordFields()...)...)
}

// showRefusal puts a refusal of the account service on the form: what Form.Show shows, plus
// the login refusals, which are shown on the form rather than as a 403 page. It reports false
// for anything else, which Kit.Fail answers.
func showRefusal(f *page.Form, err error) bool {
	if f.Show(err) {
		return true
	}
	var inactive *account.InactiveError
	var provider *account.ProviderError
	if errors.Is(err, account.ErrEmailNotVerified) || errors.Is(err, account.ErrThrottled) ||
		errors.Is(err, account.ErrProConnectRequired) || errors.As(err, &inactive) || errors.As(err, &provider) {
		f.Error = err.Error()
		return true
	}
	return false
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
