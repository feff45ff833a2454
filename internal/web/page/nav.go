package page

import "emplois/internal/account"

// NavLink is one entry of the main navigation.
type NavLink struct {
	Label, Href string
	Current     bool
}

// mainNavigation lists the main menu. An entry whose page is not served is left out (Router.Finish),
// so the menu never holds a dead link.
var mainNavigation = []NavLink{
	{Label: "Rechercher un emploi inclusif", Href: "/search/employers"},
	{Label: "Rechercher un prescripteur", Href: "/search/prescribers"},
	{Label: "Aide", Href: "/aide"},
}

// navigation returns the main menu for a page at path (template func "nav").
func (k *Kit) navigation(path string) []NavLink {
	links := make([]NavLink, len(k.nav))
	for i, l := range k.nav {
		l.Current = path == l.Href
		links[i] = l
	}
	return links
}

// HasNav reports whether the main menu holds href (the home page offers only the searches served).
func (k *Kit) HasNav(href string) bool {
	for _, l := range k.nav {
		if l.Href == href {
			return true
		}
	}
	return false
}

// Warning pages of professionals without organization (actors.md §8).
const (
	WarningNoOrganization   = "no_organization"
	WarningFranceTravailOrg = "ft_no_ft_organization"
)

// UnaffiliatedWarningPath is where a professional without organization is sent from any page
// not open to them: a France Travail agent (by e-mail) gets the dedicated warning.
func UnaffiliatedWarningPath(v Viewer) string {
	if account.IsFranceTravailEmail(v.Email) {
		return "/logout/warning/" + WarningFranceTravailOrg
	}
	return "/logout/warning/" + WarningNoOrganization
}
