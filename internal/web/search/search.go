package search

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"emplois/internal/search"
	"emplois/internal/web/page"
)

// tab is one search page: where it is served, its template and heading, its default radius,
// what its links keep of the query, and whether it offers to save its search.
type tab struct {
	path, template, heading string
	defaultDistance         int
	keeps                   search.Tab
	saves                   bool
	// find runs the search of q on tab t and puts its results on p.
	find func(h *Handler, ctx context.Context, t *tab, p *searchPage, q search.Query) error
}

var (
	employersTab = &tab{path: employersPath, template: "employers.html", heading: "Rechercher un emploi inclusif",
		defaultDistance: search.DefaultEmployerDistance, keeps: search.EmployerTab, saves: true, find: (*Handler).findEmployers}
	fichesTab = &tab{path: fichesPath, template: "job_descriptions.html", heading: "Rechercher un emploi inclusif",
		defaultDistance: search.DefaultEmployerDistance, keeps: search.FicheTab, saves: true, find: (*Handler).findFiches}
	prescribersTab = &tab{path: prescribersPath, template: "prescribers.html", heading: "Rechercher un prescripteur",
		defaultDistance: search.DefaultPrescriberDistance, find: (*Handler).findPrescribers}
)

func (h *Handler) searchEmployers(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, employersTab, search.ParseQuery(r.URL.Query()), nil)
}

func (h *Handler) searchFiches(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, fichesTab, search.ParseQuery(r.URL.Query()), nil)
}

func (h *Handler) searchPrescribers(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, prescribersTab, search.ParseQuery(r.URL.Query()), nil)
}

// searchPage is what the three search templates show: the form, then (once a city is given and
// found) the results, which htmx requests with the form.
type searchPage struct {
	Heading string
	Action  string // the path the form submits to
	Form    searchForm
	// Searched: a city was given and found, results follow.
	Searched bool
	Summary  string   // "12 employeurs à 25 km maximum de Lyon (69)"
	Notices  []string // corrected input (page, unknown filters)
	Error    string   // input that prevents the search, shown above the form fields too

	// Employer and fiche tabs.
	Tabs      []searchTab
	Filters   []checkGroup // kinds, départements (and contract types, domains on the fiche tab)
	Companies []selectOption
	Employers []employerRow
	Fiches    []ficheRow
	// Prescriber search.
	Prescribers []prescriberRow
	Pager       *page.Pager
	// Saved is the box of the viewer's saved searches (employer and fiche tabs, logged in).
	Saved *savedBox

	// shown is the search on screen, as a saved search keeps it; city the name of its commune.
	shown, city string
}

// searchForm is the city and radius part of the form.
type searchForm struct {
	CityText      string // what the city field shows: the commune's label once found
	CityCode      string // the hidden INSEE code
	CityError     string
	Distances     []selectOption
	DistanceError string
}

type searchTab struct {
	Label, URL string
	Count      int
	Current    bool
}

// show answers a search page: the bare form without a city, the form and its error for an input
// that prevents the search (400), else the results. refused is a save of this search that was
// just refused, shown in the saved-search box.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, t *tab, parsed search.Parsed, refused *saveRefusal) {
	q := parsed.Query
	p := &searchPage{Heading: t.heading, Action: t.path, Notices: parsed.Notices,
		Form: searchForm{CityText: q.CityText, CityCode: q.City, Distances: distanceOptions(q.Distance, t.defaultDistance)}}
	if q.CityText == "" {
		p.Form.CityText = q.City
	}
	switch {
	case len(parsed.Errors) > 0:
		for _, e := range parsed.Errors {
			p.setError(e)
		}
	case q.City == "" && q.CityText == "":
		p.Notices = nil // nothing searched yet: the bare form, and the searches saved
	default:
		var in *search.InputError
		if err := t.find(h, r.Context(), t, p, q); errors.As(err, &in) {
			p.setError(in)
		} else if err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
	}
	if t.saves && p.Error == "" {
		var err error
		if p.Saved, err = h.savedBox(r, p, refused); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
	}
	h.render(w, r, t, p)
}

// setError shows an input error next to its field and above the form.
func (p *searchPage) setError(e *search.InputError) {
	switch e.Field {
	case search.FieldDistance:
		p.Form.DistanceError = e.Message
	default:
		p.Form.CityError = e.Message
	}
	if p.Error == "" {
		p.Error = e.Message
	}
}

// found fills what every search shows once its city is found: the form's city, the count and
// the pages, whose links keep v.
func (p *searchPage) found(t *tab, c search.Center, count string, v url.Values, number, pages int, clamped bool) {
	p.Searched = true
	p.Form.CityText, p.Form.CityCode = c.City.Label(), c.City.InseeCode
	p.Summary = count + " à " + strconv.Itoa(c.Distance) + " km maximum de " + c.City.Label()
	if p.Pager = page.NewPager("résultats", t.path, v, search.FieldPage, number, pages); p.Pager != nil {
		p.Pager.Target = "#search-form"
	}
	if clamped {
		p.Notices = append(p.Notices, search.MsgPageBeyondEnd)
	}
	p.shown, p.city = t.path+"?"+v.Encode(), c.City.Name
}

// render writes the page, or only its form (bar and results) for htmx, with the title. A page
// with an input error answers 400, except to htmx, which swaps only successful answers: the form
// with the message then comes with a 200 (and a title saying « Erreur »).
func (h *Handler) render(w http.ResponseWriter, r *http.Request, t *tab, p *searchPage) {
	status := http.StatusOK
	if p.Error != "" || p.Saved.refused() {
		status = http.StatusBadRequest
	}
	title := p.Heading
	if p.Searched {
		title = p.Summary
	}
	if page.IsHTMX(r) {
		h.tpl.Fragment(w, r, status, t.template, "search_fragment", title, p)
		return
	}
	h.tpl.Render(w, r, status, t.template, title, p)
}

func (h *Handler) findEmployers(ctx context.Context, t *tab, p *searchPage, q search.Query) error {
	res, err := h.search.SearchEmployers(ctx, q)
	if err != nil {
		return err
	}
	q = res.Query
	p.found(t, res.Center, page.Plural(res.Total, "employeur", "employeurs"), q.Values(t.keeps),
		res.Number, res.PageCount, res.Clamped)
	p.Tabs = searchTabs(q, res.EmployerCount, res.FicheCount, t.keeps)
	p.Filters = []checkGroup{
		{ID: "filter-kinds", Legend: "Type de structure", Options: kindOptions(q.Kinds)},
		{ID: "filter-departments", Legend: "Département", Hint: "Les départements des structures trouvées.",
			Options: facetOptions(search.FieldDepartments, res.Departments, q.Departments)},
		{ID: "filter-districts", Legend: "Arrondissement", Hint: "Les arrondissements des structures trouvées.",
			Options: facetOptions(search.FieldDistricts, res.Districts, q.Districts)},
	}
	p.Companies = companyOptions(res.Companies, q.Company)
	p.Employers = make([]employerRow, len(res.Items))
	for i, e := range res.Items {
		p.Employers[i] = employerRow{h.employerCard(res.Version, e), distanceLabel(e.DistanceKm)}
	}
	return nil
}

func (h *Handler) findFiches(ctx context.Context, t *tab, p *searchPage, q search.Query) error {
	res, err := h.search.SearchFiches(ctx, q)
	if err != nil {
		return err
	}
	q = res.Query
	p.found(t, res.Center, page.Plural(res.Total, "fiche de poste", "fiches de poste"), q.Values(t.keeps),
		res.Number, res.PageCount, res.Clamped)
	p.Tabs = searchTabs(q, res.EmployerCount, res.FicheCount, t.keeps)
	p.Filters = []checkGroup{
		{ID: "filter-kinds", Legend: "Type de structure", Options: kindOptions(q.Kinds)},
		{ID: "filter-contracts", Legend: "Type de contrat", Options: contractOptions(q.ContractTypes), Collapsible: true},
		{ID: "filter-domains", Legend: "Domaine professionnel", Options: domainOptions(q.Domains), Collapsible: true},
		{ID: "filter-departments", Legend: "Département", Hint: "Les départements des postes trouvés.",
			Options: facetOptions(search.FieldDepartments, res.Departments, q.Departments)},
		{ID: "filter-districts", Legend: "Arrondissement", Hint: "Les arrondissements des postes trouvés.",
			Options: facetOptions(search.FieldDistricts, res.Districts, q.Districts)},
	}
	p.Fiches = make([]ficheRow, len(res.Items))
	for i, f := range res.Items {
		p.Fiches[i] = ficheRow{h.ficheCard(res.Version, f), distanceLabel(f.DistanceKm)}
	}
	return nil
}

// prescriberRow is one card of the prescriber search.
type prescriberRow struct {
	Name, KindLabel, Address, Distance, URL string
}

func (h *Handler) findPrescribers(ctx context.Context, t *tab, p *searchPage, q search.Query) error {
	res, err := h.search.SearchPrescribers(ctx, q)
	if err != nil {
		return err
	}
	v := url.Values{search.FieldCity: {res.City.InseeCode}, search.FieldDistance: {strconv.Itoa(res.Distance)}}
	p.found(t, res.Center, page.Plural(res.Total, "organisation prescriptrice habilitée", "organisations prescriptrices habilitées"),
		v, res.Number, res.PageCount, res.Clamped)
	for _, o := range res.Items {
		p.Prescribers = append(p.Prescribers, prescriberRow{Name: o.Name, KindLabel: o.Kind.Label(), Address: o.Address,
			Distance: distanceLabel(o.DistanceKm), URL: prescriberCardPath(o.UID)})
	}
	return nil
}

// searchTabs are the two tabs of the employer search, keeping what both share of the query.
func searchTabs(q search.Query, employers, fiches int, current search.Tab) []searchTab {
	v := q.Values(search.BothTabs).Encode()
	return []searchTab{
		{Label: "Employeurs", URL: employersPath + "?" + v, Count: employers, Current: current == search.EmployerTab},
		{Label: "Fiches de poste", URL: fichesPath + "?" + v, Count: fiches, Current: current == search.FicheTab},
	}
}
