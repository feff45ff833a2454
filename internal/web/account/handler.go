// Package account serves the account pages (actors.md §10, §11): the job seeker signup, login
// and logout (with a password or with ProConnect), the e-mail verification, the password reset
// and change, and the dashboard.
package account

import (
	"embed"
	"net/url"
	"strings"

	"emplois/internal/account"
	"emplois/internal/application"
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
	// proconnect is nil when ProConnect is not configured: its routes then answer 404.
	proconnect *oidc.Client
	// home is the home page's absolute URL, where ProConnect comes back to after its logout.
	home string
}

// New builds the room. proconnect may be nil; baseURL is the public URL of the site.
func New(kit *page.Kit, accounts *account.Service, saved *savedsearch.Service, proconnect *oidc.Client, baseURL *url.URL,
	applications *application.Service) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, accounts: accounts, saved: saved, proconnect: proconnect, applications: applications,
		home: strings.TrimSuffix(baseURL.String(), "/") + "/"}, nil
}

// Routes declares the account pages. All but the dashboard stay open to professionals without
// organization: they log in, sign up and log out like anyone (actors.md §8). The ProConnect
// routes exist whether ProConnect is configured or not; without it, they answer 404.
func (h *Handler) Routes(rt *page.Router) {
	open := page.OpenToUnaffiliated
	rt.Handle("GET /signup/{$}", page.Public, h.signupChoice, open)
	rt.Handle("GET /signup/job_seeker", page.Public, h.signupJobSeekerPage, open)
	rt.Handle("POST /signup/job_seeker", page.Public, h.signupJobSeeker, open)
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
	rt.Handle("GET /proconnect/authorize", page.Public, h.proconnectAuthorize, open)
	rt.Handle("GET /proconnect/callback", page.Public, h.proconnectCallback, open)
	rt.Handle("GET /dashboard", page.LoggedIn, h.dashboard)
}
