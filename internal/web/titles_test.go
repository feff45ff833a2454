package web_test

import (
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// Pages of four rooms show one organization or one signup: each has a title of its own (issue 8,
// duplicate titles of the accessibility audit).
func TestPageTitles_TellTheOrganizationPagesAndTheSignupStepsApart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		c := site.Company(org.ACI, "Atelier du Rhône")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		staff := site.CreateUser(account.Staff, "staff@inclusion.example", "Sol", "Staff")
		titles := map[string]string{
			"organization":  site.LoginAs(admin).Get(org.OverviewPath(c.UID)).Title(t),
			"public card":   site.Browser().Get("/company/" + c.UID + "/card").Title(t),
			"staff page":    site.LoginAs(staff).Get("/staff/organizations/" + c.UID).Title(t),
			"signup start":  site.Browser().Get("/signup/professional").Title(t),
			"signup step 2": site.Browser().Get("/signup/professional/password").Title(t),
		}
		seen := map[string]string{}
		for page, title := range titles {
			if other, ok := seen[title]; ok {
				t.Errorf("the %s and the %s share the title %q", page, other, title)
			}
			seen[title] = page
		}
		if !strings.HasPrefix(titles["public card"], "Atelier du Rhône") {
			t.Errorf("the public card's title %q does not start with the company's name", titles["public card"])
		}
	})
}
