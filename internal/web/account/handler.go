// Package account serves the account pages (actors.md §10, §11): the signup choice, login and
// logout (with a password, ProConnect or FranceConnect), the e-mail verification, the password
// reset and change, and the dashboard. The job seeker's self-signup steps are in the job seeker
// room (web/jobseeker); FranceConnect's callback ends them here.
package account

import (
	"embed"
	"net/url"
	"strings"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/oidc"
	"emplois/internal/savedsearch"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the account pages.
type Handler struct {
	kit      *page.Kit
	tpl      *page.Templates
	accounts *account.Service
	saved    *savedsearch.Service
	// applications gives the dashboard cards their counts (actors.md §14).
	applications *application.Service
	// eligibility is the job seeker's own diagnosis on their dashboard.
	eligibility *eligibility.Service
	// proconnect and franceconnect are the OpenID providers (sso.go).
	proconnect, franceconnect *ssoProvider
	// home is the home page's absolute URL, where the providers come back to after their logout.
	home string
}

// New builds the room. proconnect and franceconnect are nil when not configured; baseURL is
// the public URL of the site.
func New(kit *page.Kit, accounts *account.Service, jobseekers *jobseeker.Service, saved *savedsearch.Service,
	proconnect, franceconnect *oidc.Client, baseURL *url.URL, applications *application.Service, elig *eligibility.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	h := &Handler{kit: kit, tpl: tpl, accounts: accounts, saved: saved, applications: applications, eligibility: elig,
		home: strings.TrimSuffix(baseURL.String(), "/") + "/"}
	h.newProviders(proconnect, franceconnect, jobseekers)
	return h, nil
}

// Routes declares the account pages. All but the dashboard stay open to professionals without
// organization: they log in, sign up and log out like anyone (actors.md §8). The ProConnect and
// FranceConnect routes exist whether the provider is configured or not; without it, they
// answer 404.
func (h *Handler) Routes(rt *page.Router) {
	open := page.OpenToUnaffiliated
	rt.Handle("GET /signup/{$}", page.Public, h.signupChoice, open)
	rt.Handle("GET /signup/job_seeker/sent", page.Public, h.signupSent, open)
	rt.Handle("GET /accounts/verify/{token}", page.Public, h.verifyEmail, open)
	rt.Handle("POST /accounts/verify/resend", page.Public, h.resendVerification, open)
	rt.Handle("GET /accounts/login", page.Public, h.loginPage, open)
	rt.Handle("POST /accounts/login", page.Public, h.login, open)
	rt.Handle("POST /accounts/logout", page.Public, h.logout, open)
	rt.Handle("GET /accounts/password/reset", page.Public, h.passwordResetPage, open)
	rt.Handle("POST /accounts/password/reset", page.Public, h.passwordReset, open)
	rt.Handle("GET /accounts/password/reset/{token}", page.Public, h.passwordResetConfirmPage, open)
	rt.Handle("POST /accounts/password/reset/{token}", page.Public, h.passwordResetConfirm, open)
	rt.Handle("GET /accounts/password/change", page.LoggedIn, h.passwordChangePage, open)
	rt.Handle("POST /accounts/password/change", page.LoggedIn, h.passwordChange, open)
	rt.Handle("GET /proconnect/authorize", page.Public, h.authorize(h.proconnect), open)
	rt.Handle("GET /proconnect/callback", page.Public, h.callback(h.proconnect), open)
	rt.Handle("GET /franceconnect/authorize", page.Public, h.authorize(h.franceconnect), open)
	rt.Handle("GET /franceconnect/callback", page.Public, h.callback(h.franceconnect), open)
	rt.Handle("GET /dashboard", page.LoggedIn, h.dashboard)
}
