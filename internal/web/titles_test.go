package web_test

import (
	"regexp"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

// Pages of three rooms show one organization: each has a title of its own (issue 8, duplicate
// titles of the accessibility audit).
func TestPageTitles_TellTheOrganizationPagesApart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		staff := site.CreateUser(account.Staff, "staff@inclusion.example", "Sol", "Staff")
		c := site.Company(org.ACI, "Atelier du Rhône")
		admin := site.Member(org.TypeCompany, c.ID, "admin@example.org", "Ada", "Admin")
		titleOf := func(res *webtest.Response) string {
			m := titleRE.FindStringSubmatch(res.Body)
			if m == nil {
				t.Fatalf("%s: no <title>", res.Request.URL.Path)
			}
			return m[1]
		}
		titles := map[string]string{
			"organization": titleOf(site.LoginAs(admin).Get(org.OverviewPath(c.UID))),
			"public card":  titleOf(site.Browser().Get("/company/" + c.UID + "/card")),
			"staff page":   titleOf(site.LoginAs(staff).Get("/staff/organizations/" + c.UID)),
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
