// Package staff serves the support back office (actors.md §20): search accounts and
// organizations, an account's and an organization's page with their history, deactivate or
// reactivate an account, decide a prescriber organization's habilitation, change its kind,
// create a company, manage the partner API's tokens. Every page is for staff only; the account,
// org, staff and apitoken services check it again and audit every change.
package staff

import (
	"embed"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/employeerecord"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/staff"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// Handler serves the back office.
type Handler struct {
	kit      *page.Kit
	tpl      *page.Templates
	staff    *staff.Service
	accounts *account.Service
	orgs     *org.Service
	records  *employeerecord.Service
	tokens   *apitoken.Service
	cities   *geo.Store
}

// New builds the room.
func New(kit *page.Kit, staffs *staff.Service, accounts *account.Service, orgs *org.Service, records *employeerecord.Service,
	tokens *apitoken.Service, cities *geo.Store) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, staff: staffs, accounts: accounts, orgs: orgs, records: records, tokens: tokens, cities: cities}, nil
}

// Routes declares the back office pages, all for staff only.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET /staff/{$}", page.StaffOnly, h.home)
	rt.Handle("GET /staff/users/{public_id}", page.StaffOnly, h.user)
	rt.Handle("GET /staff/users/{public_id}/{action}", page.StaffOnly, h.userConfirmPage)
	rt.Handle("POST /staff/users/{public_id}/{action}", page.StaffOnly, h.userAction)
	rt.Handle("GET /staff/organizations/{uid}", page.StaffOnly, h.organization)
	rt.Handle("GET /staff/organizations/{uid}/habilitation/{action}", page.StaffOnly, h.habilitationPage)
	rt.Handle("POST /staff/organizations/{uid}/habilitation/{action}", page.StaffOnly, h.habilitation)
	rt.Handle("POST /staff/organizations/{uid}/kind", page.StaffOnly, h.prescriberKind)
	rt.Handle("GET /staff/companies/new", page.StaffOnly, h.companyPage)
	rt.Handle("POST /staff/companies/new", page.StaffOnly, h.createCompany)
	// Behind the permission employee_records_3437, which the service checks.
	rt.Handle("GET "+fs3437Path, page.StaffOnly, h.fs3437)
	rt.Handle("GET "+fs3437ExportPath, page.StaffOnly, h.fs3437Export)
	rt.Handle("POST "+fs3437Path, page.StaffOnly, h.fs3437Import)
	// Behind the permission api_tokens, which the apitoken service checks.
	rt.Handle("GET "+apiTokensPath, page.StaffOnly, h.apiTokens)
	rt.Handle("GET "+apiTokensPath+"/{kind}/new", page.StaffOnly, h.apiTokenNewPage)
	rt.Handle("POST "+apiTokensPath+"/{kind}/new", page.StaffOnly, h.createAPIToken)
	rt.Handle("GET "+apiTokensPath+"/{id}/revoke", page.StaffOnly, h.apiTokenRevokePage)
	rt.Handle("POST "+apiTokensPath+"/{id}/revoke", page.StaffOnly, h.revokeAPIToken)
}

// homePath is the back office home, where its searches run.
const homePath = "/staff/"

// Paths of the back office pages.
func userPath(publicID string) string { return "/staff/users/" + publicID }
func orgPath(uid string) string       { return "/staff/organizations/" + uid }

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}
