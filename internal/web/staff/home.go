package staff

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"emplois/internal/org"
	"emplois/internal/platform/localtime"
	"emplois/internal/staff"
	"emplois/internal/web/page"
)

// maxQuery bounds the search text (a name, an e-mail, a SIRET).
const maxQuery = 100

// homeData is the staff home.
type homeData struct {
	*staff.Home
	Form                             *page.Form
	Scopes                           []option
	Users                            []userRow
	Orgs                             []orgRow
	Pending                          []pendingRow
	UsersPager, OrgsPager, PendPager *page.Pager
}

type userRow struct {
	URL, Name, Email, Kind string
	Active                 bool
}

type orgRow struct {
	URL, Name, Type, Kind, Status string
}

type pendingRow struct {
	URL, Name, Kind, SIRET, Department, CreatedAt string
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	atoi := func(name string) int { n, _ := strconv.Atoi(q.Get(name)); return n }
	text := strings.TrimSpace(q.Get("q"))
	form := page.NewForm(&page.Field{Name: "q", Label: "Rechercher", Type: "search", Value: text,
		Hint: "Adresse e-mail, nom ou identifiant d'un compte ; nom, SIRET, SIREN, code SAFIR ou identifiant d'une organisation."})
	query := staff.Query{Text: text, Scope: staff.Scope(q.Get("scope")), UsersPage: atoi("users_page"),
		OrgsPage: atoi("orgs_page"), PendingPage: atoi("pending_page")}
	if utf8.RuneCountInString(text) > maxQuery {
		form.Fields["q"].Error = "La recherche ne peut pas dépasser " + strconv.Itoa(maxQuery) + " caractères."
		query.Text = ""
	}
	home, err := h.staff.Home(r.Context(), h.kit.ActorOf(r), query)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := homeData{Home: home, Form: form}
	for _, sc := range staff.Scopes {
		d.Scopes = append(d.Scopes, option{Value: string(sc), Label: sc.Label(), Selected: sc == home.Query.Scope})
	}
	base := url.Values{}
	for _, k := range []string{"q", "scope", "users_page", "orgs_page", "pending_page"} {
		if v := q.Get(k); v != "" {
			base.Set(k, v)
		}
	}
	if u := home.Users; u != nil {
		for _, usr := range u.Items {
			d.Users = append(d.Users, userRow{URL: userPath(usr.PublicID), Name: usr.DisplayName(), Email: usr.Email,
				Kind: usr.Kind.Label(), Active: usr.IsActive})
		}
		d.UsersPager = page.NewPager("comptes", homePath, base, "users_page", u.Page, u.Pages)
	}
	if o := home.Orgs; o != nil {
		for _, ref := range o.Items {
			d.Orgs = append(d.Orgs, orgRow{URL: orgPath(ref.UID), Name: ref.Name, Type: ref.Type.Label(),
				Kind: ref.KindLabel(), Status: orgStatus(ref)})
		}
		d.OrgsPager = page.NewPager("organisations", homePath, base, "orgs_page", o.Page, o.Pages)
	}
	for _, p := range home.Pending.Items {
		d.Pending = append(d.Pending, pendingRow{URL: orgPath(p.UID), Name: p.Name, Kind: p.Kind.Label(),
			SIRET: p.SIRET, Department: p.Department, CreatedAt: localtime.Date(p.CreatedAt)})
	}
	d.PendPager = page.NewPager("organisations en attente", homePath, base, "pending_page", home.Pending.Page, home.Pending.Pages)
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	h.tpl.Render(w, r, status, "home.html", "Administration", d)
}

// orgStatus is the state of an organization in lists: habilitation of prescribers, activity
// of companies.
func orgStatus(ref org.Ref) string {
	switch ref.Type {
	case org.TypePrescriber:
		return ref.AuthorizationStatus.Label()
	case org.TypeCompany:
		switch {
		case ref.InGracePeriod:
			return "En période de grâce"
		case ref.Active:
			return "Active"
		}
		return "Inactive"
	}
	return ""
}
