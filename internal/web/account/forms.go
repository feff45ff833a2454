package account

import (
	"errors"

	"emplois/internal/account"
	"emplois/internal/web/page"
)

// The account forms. Field names are the ones les-emplois uses (email, password, password1,
// password2, old_password), and the "field" partial gives each input the id "id_<name>": browser
// tests can rely on both.

func loginForm() *page.Form {
	return page.NewForm(page.EmailField("email"),
		&page.Field{Name: "password", Label: "Mot de passe", Type: "password", Autocomplete: "current-password", Required: true})
}

// emailForm asks the e-mail of an account: to send it a new verification link, or a password
// reset link.
func emailForm() *page.Form { return page.NewForm(page.EmailField("email")) }

func passwordSetForm() *page.Form { return page.NewForm(page.NewPasswordFields()...) }

func passwordChangeForm() *page.Form {
	return page.NewForm(append([]*page.Field{
		{Name: "old_password", Label: "Mot de passe actuel", Type: "password", Autocomplete: "current-password", Required: true},
	}, page.NewPasswordFields()...)...)
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
