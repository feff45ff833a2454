package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/search"
)

// searchRoutes: the searches around a city (actors.md §13.1-13.2) and the public card of a
// prescriber organization. Every search is a plain GET URL (bookmarkable, works without
// JavaScript); with htmx the form and the filters swap the form alone (bar and results, #search-form).
func (s *Server) searchRoutes() {
	s.handle("GET /search/employers", Public, s.searchEmployers)
	s.handle("GET /search/job-descriptions", Public, s.searchFiches)
	s.handle("GET /search/prescribers", Public, s.searchPrescribers)
	s.handle("GET /prescribers/{uid}/card", Public, s.prescriberCard)
	s.handle("POST /search/saved", LoggedIn, s.saveSearch)
	s.handle("POST /search/saved/{uid}/delete", LoggedIn, s.deleteSavedSearch)
}

// Paths of the search pages.
const (
	searchEmployersPath   = "/search/employers"
	searchFichesPath      = "/search/job-descriptions"
	searchPrescribersPath = "/search/prescribers"
)

func prescriberCardURL(uid string) string { return "/prescribers/" + uid + "/card" }

// searchTemplates by tab.
const (
	searchEmployersTemplate   = "search/employers.html"
	searchFichesTemplate      = "search/job_descriptions.html"
	searchPrescribersTemplate = "search/prescribers.html"
)

// searchPage is what the three search templates show: the form, then (once a city is given)
// the results block, which htmx requests alone.
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
	Tabs        []searchTab
	Filters     []checkGroup // kinds, départements (and contract types, domains on the fiche tab)
	Companies   []searchOption
	Employers   []renderedCard
	Fiches      []renderedCard
	Prescribers []prescriberCard
	Pagination  *pagination
	// Saved is the box of the viewer's saved searches (employer and fiche tabs, logged in).
	Saved *savedBox
}

// checkGroup is a fieldset of filter checkboxes. A long one is Collapsible (a <details>,
// closed unless one of its boxes is checked).
type checkGroup struct {
	ID, Legend, Hint string
	Options          []checkOption
	Collapsible      bool
}

// Open reports whether a collapsible group shows its boxes: when one is checked.
func (g checkGroup) Open() bool {
	for _, o := range g.Options {
		if o.Checked {
			return true
		}
	}
	return false
}

// searchForm is the city and radius part of the form.
type searchForm struct {
	CityText      string // what the city field shows: the commune's label once found
	CityCode      string // the hidden INSEE code
	CityError     string
	Distances     []searchOption
	DistanceError string
}

type searchOption struct {
	Value, Label string
	Selected     bool
}

type checkOption struct {
	ID, Name, Value, Label string
	Checked                bool
	// HTML is the markup of a fixed choice, rendered at start (see fixedOptions); empty for the
	// facets, rendered with the page.
	HTML template.HTML
}

type searchTab struct {
	Label, URL string
	Count      int
	Current    bool
}

// employerCard is what an employer card shows but its distance (see search_cards.go).
type employerCard struct {
	Name, KindLabel, City, URL       string
	Blocked, Hiring, SpontaneousOpen bool
	// FichesLabel counts the open fiches ("3 fiches de poste ouvertes"); Fiches are the first
	// maxFichesOnCard, and AllFichesURL (when there are more) the company card that lists them all.
	FichesLabel  string
	Fiches       []ficheLink
	AllFichesURL string
}

// maxFichesOnCard bounds the fiches listed on an employer card: some employers have dozens,
// which would bury the next cards; the card of the company and the fiche tab list them all.
const maxFichesOnCard = 5

type ficheLink struct{ Title, Contract, URL string }

// ficheCard is what a fiche de poste card shows but its distance (see search_cards.go).
type ficheCard struct {
	Title, Contract, CompanyName, CompanyURL, KindLabel, City, URL, UpdatedOn, Positions string
}

type prescriberCard struct {
	Name, KindLabel, Address, Distance, URL string
}

func (s *Server) searchEmployers(w http.ResponseWriter, r *http.Request) {
	page, parsed, ok := s.searchStart(w, r, searchEmployersPath, search.DefaultEmployerDistance)
	if !ok {
		return
	}
	res, err := s.search.SearchEmployers(r.Context(), parsed.Query)
	if err != nil {
		s.searchFailed(w, r, page, searchEmployersTemplate, err)
		return
	}
	q := res.Query
	page.Searched = true
	page.Form.CityText, page.Form.CityCode = res.City.Label(), res.City.InseeCode
	page.Summary = fmt.Sprintf("%s à %d km maximum de %s", plural(res.Total, "employeur", "employeurs"), res.Distance, res.City.Label())
	page.Tabs = searchTabs(q, res.EmployerCount, res.FicheCount, true)
	page.Filters = []checkGroup{
		{ID: "filter-kinds", Legend: "Type de structure", Options: s.fixedOptions.fill(kindOptions(q.Kinds))},
		{ID: "filter-departments", Legend: "Département", Hint: "Les départements des structures trouvées.",
			Options: facetOptions(search.FieldDepartments, res.Departments, q.Departments)},
		{ID: "filter-districts", Legend: "Arrondissement", Hint: "Les arrondissements des structures trouvées.",
			Options: facetOptions(search.FieldDistricts, res.Districts, q.Districts)},
	}
	page.Companies = companyOptions(res.Companies, q.Company)
	for _, e := range res.Items {
		card, err := s.cachedCard(res.Version, cardKey{id: e.ID}, func() (renderedCard, error) { return s.renderEmployerCard(e) })
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		card.Distance = distanceLabel(e.DistanceKm)
		page.Employers = append(page.Employers, card)
	}
	page.Pagination = newPagination(searchEmployersPath, q.Values(true, false), res.Number, res.PageCount, "résultats")
	page.Notices = append(page.Notices, clampNotice(res.Clamped)...)
	if page.Saved, err = s.savedBoxFor(r, searchEmployersPath+"?"+q.Values(true, false).Encode(), res.City.Name); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.searchRender(w, r, searchEmployersTemplate, page)
}

func (s *Server) searchFiches(w http.ResponseWriter, r *http.Request) {
	page, parsed, ok := s.searchStart(w, r, searchFichesPath, search.DefaultEmployerDistance)
	if !ok {
		return
	}
	res, err := s.search.SearchFiches(r.Context(), parsed.Query)
	if err != nil {
		s.searchFailed(w, r, page, searchFichesTemplate, err)
		return
	}
	q := res.Query
	page.Searched = true
	page.Form.CityText, page.Form.CityCode = res.City.Label(), res.City.InseeCode
	page.Summary = fmt.Sprintf("%s à %d km maximum de %s", plural(res.Total, "fiche de poste", "fiches de poste"), res.Distance, res.City.Label())
	page.Tabs = searchTabs(q, res.EmployerCount, res.FicheCount, false)
	page.Filters = []checkGroup{
		{ID: "filter-kinds", Legend: "Type de structure", Options: s.fixedOptions.fill(kindOptions(q.Kinds))},
		{ID: "filter-contracts", Legend: "Type de contrat", Options: s.fixedOptions.fill(contractOptions(q.ContractTypes)), Collapsible: true},
		{ID: "filter-domains", Legend: "Domaine professionnel", Options: s.fixedOptions.fill(domainOptions(q.Domains)), Collapsible: true},
		{ID: "filter-departments", Legend: "Département", Hint: "Les départements des postes trouvés.",
			Options: facetOptions(search.FieldDepartments, res.Departments, q.Departments)},
		{ID: "filter-districts", Legend: "Arrondissement", Hint: "Les arrondissements des postes trouvés.",
			Options: facetOptions(search.FieldDistricts, res.Districts, q.Districts)},
	}
	for _, f := range res.Items {
		card, err := s.cachedCard(res.Version, cardKey{fiche: true, id: f.ID}, func() (renderedCard, error) { return s.renderFicheCard(f) })
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		card.Distance = distanceLabel(f.DistanceKm)
		page.Fiches = append(page.Fiches, card)
	}
	page.Pagination = newPagination(searchFichesPath, q.Values(false, true), res.Number, res.PageCount, "résultats")
	page.Notices = append(page.Notices, clampNotice(res.Clamped)...)
	if page.Saved, err = s.savedBoxFor(r, searchFichesPath+"?"+q.Values(false, true).Encode(), res.City.Name); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.searchRender(w, r, searchFichesTemplate, page)
}

func (s *Server) searchPrescribers(w http.ResponseWriter, r *http.Request) {
	page, parsed, ok := s.searchStart(w, r, searchPrescribersPath, search.DefaultPrescriberDistance)
	if !ok {
		return
	}
	res, err := s.search.SearchPrescribers(r.Context(), parsed.Query)
	if err != nil {
		s.searchFailed(w, r, page, searchPrescribersTemplate, err)
		return
	}
	page.Searched = true
	page.Form.CityText, page.Form.CityCode = res.City.Label(), res.City.InseeCode
	page.Summary = fmt.Sprintf("%s à %d km maximum de %s",
		plural(res.Total, "organisation prescriptrice habilitée", "organisations prescriptrices habilitées"), res.Distance, res.City.Label())
	for _, p := range res.Items {
		page.Prescribers = append(page.Prescribers, prescriberCard{Name: p.Name, KindLabel: p.Kind.Label(), Address: p.Address,
			Distance: distanceLabel(p.DistanceKm), URL: prescriberCardURL(p.UID)})
	}
	v := url.Values{search.FieldCity: {res.City.InseeCode}, search.FieldDistance: {strconv.Itoa(res.Distance)}}
	page.Pagination = newPagination(searchPrescribersPath, v, res.Number, res.PageCount, "résultats")
	page.Notices = append(page.Notices, clampNotice(res.Clamped)...)
	s.searchRender(w, r, searchPrescribersTemplate, page)
}

// searchStart reads the query and prepares the page. With no city at all it shows the empty
// form and answers; with a bad radius it shows the form with its error (400) and answers.
func (s *Server) searchStart(w http.ResponseWriter, r *http.Request, path string, defaultDistance int) (*searchPage, search.Parsed, bool) {
	parsed := search.ParseQuery(r.URL.Query())
	page := &searchPage{Action: path, Notices: parsed.Notices}
	switch path {
	case searchPrescribersPath:
		page.Heading = "Rechercher un prescripteur"
	default:
		page.Heading = "Rechercher un emploi inclusif"
	}
	q := parsed.Query
	page.Form = searchForm{CityText: q.CityText, CityCode: q.City, Distances: distanceOptions(q.Distance, defaultDistance)}
	if q.CityText == "" {
		page.Form.CityText = q.City
	}
	template := map[string]string{searchEmployersPath: searchEmployersTemplate, searchFichesPath: searchFichesTemplate,
		searchPrescribersPath: searchPrescribersTemplate}[path]
	if len(parsed.Errors) > 0 {
		for _, e := range parsed.Errors {
			page.setError(e)
		}
		s.searchRender(w, r, template, page)
		return nil, parsed, false
	}
	if q.City == "" && q.CityText == "" {
		page.Notices = nil // nothing searched yet: the bare form, and the searches saved
		if path != searchPrescribersPath {
			var err error
			if page.Saved, err = s.savedBoxFor(r, "", ""); err != nil {
				s.serverError(w, r, err)
				return nil, parsed, false
			}
		}
		s.searchRender(w, r, template, page)
		return nil, parsed, false
	}
	return page, parsed, true
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

// searchFailed shows the form with the French message of a bad input (400), or the 500 page.
func (s *Server) searchFailed(w http.ResponseWriter, r *http.Request, page *searchPage, template string, err error) {
	var in *search.InputError
	if !errors.As(err, &in) {
		s.serverError(w, r, err)
		return
	}
	page.setError(in)
	s.searchRender(w, r, template, page)
}

// searchRender writes the page, or only its form (bar and results) for htmx, with the title. A
// page with an input error answers 400, except to htmx, which swaps only successful answers: the
// form with the message then comes with a 200 (and a title saying « Erreur »).
func (s *Server) searchRender(w http.ResponseWriter, r *http.Request, template string, page *searchPage) {
	status := http.StatusOK
	if page.Error != "" || page.Saved != nil && (page.Saved.Error != "" || page.Saved.Name != nil && page.Saved.Name.Error != "") {
		status = http.StatusBadRequest
	}
	title := page.Heading
	if page.Searched {
		title = page.Summary
	}
	if isHTMX(r) {
		s.templates.Fragment(w, r, status, template, "search_fragment", title, page)
		return
	}
	s.render(w, r, status, template, title, page)
}

func clampNotice(clamped bool) []string {
	if clamped {
		return []string{search.MsgPageBeyondEnd}
	}
	return nil
}

// searchTabs are the two tabs of the employer search, keeping the shared part of the query.
func searchTabs(q search.Query, employers, fiches int, employerTab bool) []searchTab {
	v := q.Values(false, false).Encode()
	return []searchTab{
		{Label: "Employeurs", URL: searchEmployersPath + "?" + v, Count: employers, Current: employerTab},
		{Label: "Fiches de poste", URL: searchFichesPath + "?" + v, Count: fiches, Current: !employerTab},
	}
}

func distanceOptions(selected, def int) []searchOption {
	if selected == 0 {
		selected = def
	}
	var out []searchOption
	for _, d := range search.Distances {
		out = append(out, searchOption{Value: strconv.Itoa(d), Label: fmt.Sprintf("%d km", d), Selected: d == selected})
	}
	return out
}

func kindOptions(checked []org.CompanyKind) []checkOption {
	var out []checkOption
	for _, k := range org.CompanyKinds {
		out = append(out, checkOption{ID: "kind-" + strings.ToLower(string(k)), Name: search.FieldKinds, Value: string(k),
			Label: string(k) + " – " + k.Label(), Checked: containsValue(checked, k)})
	}
	return out
}

func facetOptions(name string, facets []search.Facet, checked []string) []checkOption {
	var out []checkOption
	for _, f := range facets {
		out = append(out, checkOption{ID: name + "-" + strings.ToLower(f.Value), Name: name, Value: f.Value,
			Label: fmt.Sprintf("%s (%d)", f.Label, f.Count), Checked: containsValue(checked, f.Value)})
	}
	return out
}

func companyOptions(facets []search.Facet, selected string) []searchOption {
	if len(facets) < 2 && selected == "" {
		return nil
	}
	out := []searchOption{{Value: "", Label: "Toutes les structures", Selected: selected == ""}}
	for _, f := range facets {
		if len(facets) <= search.MaxCompanyChoices || f.Value == selected {
			out = append(out, searchOption{Value: f.Value, Label: f.Label, Selected: f.Value == selected})
		}
	}
	if len(out) == 1 {
		return nil
	}
	return out
}

// contractOptions: every contract type but "création d'entreprise" and "Autre" sorted by label,
// then those two (actors.md §13.1). The external France Travail choices (PEC, "non précisé")
// come with the imported offers.
func contractOptions(checked []jobdesc.ContractType) []checkOption {
	var out []checkOption
	for _, c := range contractChoices() {
		out = append(out, checkOption{ID: "contract-" + strings.ToLower(string(c)), Name: search.FieldContractTypes,
			Value: string(c), Label: c.Label(), Checked: containsValue(checked, c)})
	}
	return out
}

// contractChoices is the order of contractOptions, collated once.
var contractChoices = sync.OnceValue(func() []jobdesc.ContractType {
	var main []jobdesc.ContractType
	for _, c := range jobdesc.ContractTypes {
		if c != jobdesc.BusinessCreation && c != jobdesc.Other {
			main = append(main, c)
		}
	}
	col := collate.New(language.French, collate.IgnoreCase, collate.Loose)
	sort.SliceStable(main, func(i, j int) bool { return col.CompareString(main[i].Label(), main[j].Label()) < 0 })
	return append(main, jobdesc.BusinessCreation, jobdesc.Other)
})

func domainOptions(checked []string) []checkOption {
	var out []checkOption
	for _, d := range search.RomeDomains {
		out = append(out, checkOption{ID: "domain-" + strings.ToLower(d.Code), Name: search.FieldDomains, Value: d.Code,
			Label: d.Code + " – " + d.Label, Checked: containsValue(checked, d.Code)})
	}
	return out
}

func containsValue[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// distanceLabel is how far a result is: "à 3,2 km", "à moins de 100 m".
func distanceLabel(km float64) string {
	if km < 0.1 {
		return "à moins de 100 m"
	}
	return "à " + strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1) + " km"
}

func cityLabel(name, department string) string {
	if name == "" {
		return department
	}
	if department == "" {
		return name
	}
	return name + " (" + department + ")"
}

// pagination is what the "search_pagination" partial shows: first, previous, the pages around
// the current one, next, last; every link keeps the query.
type pagination struct {
	Label                   string
	Page, Pages             int
	First, Prev, Next, Last string
	Links                   []pageLink
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
}

func newPagination(path string, v url.Values, page, pages int, label string) *pagination {
	if pages <= 1 {
		return nil
	}
	link := func(n int) string {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		if n > 1 {
			w.Set(search.FieldPage, strconv.Itoa(n))
		}
		return path + "?" + w.Encode()
	}
	p := &pagination{Label: label, Page: page, Pages: pages}
	if page > 1 {
		p.First, p.Prev = link(1), link(page-1)
	}
	if page < pages {
		p.Next, p.Last = link(page+1), link(pages)
	}
	for n := max(1, page-2); n <= min(pages, page+2); n++ {
		p.Links = append(p.Links, pageLink{Number: n, URL: link(n), Current: n == page})
	}
	return p
}

// prescriberCardData is what search/prescriber_card.html shows.
type prescriberCardData struct {
	Name, KindLabel, Description, Address, Phone, PhoneLink, Email, Website string
	SearchURL                                                               string
}

// prescriberCard is the public card of a habilitated prescriber organization (the ones the
// prescriber search lists); any other uid is a 404.
func (s *Server) prescriberCard(w http.ResponseWriter, r *http.Request) {
	p, err := s.search.PrescriberCard(r.Context(), r.PathValue("uid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := prescriberCardData{Name: p.Name, KindLabel: p.Kind.Label(), Description: p.Description, Address: p.Address.OneLine(),
		Phone: p.Phone, PhoneLink: strings.ReplaceAll(p.Phone, " ", ""), Email: p.Email, Website: p.Website}
	if geo.ValidInseeCode(p.CommuneCode) {
		d.SearchURL = searchPrescribersPath + "?" + url.Values{search.FieldCity: {p.CommuneCode}}.Encode()
	}
	s.render(w, r, http.StatusOK, "search/prescriber_card.html", d.Name+" - Fiche du prescripteur", d)
}
