package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
)

// Service runs the searches.
type Service struct {
	db  *db.DB
	geo *geo.Store

	// departments caches the names of the départements (reference data, about 110 rows) for the
	// département filter, so that a page does not spend a query on them.
	mu          sync.Mutex
	departments map[string]string
	loadedAt    time.Time
}

// departmentsTTL bounds how long an import of départements takes to show in the filter labels.
const departmentsTTL = 10 * time.Minute

// NewService returns the search service over d.
func NewService(d *db.DB) *Service { return &Service{db: d, geo: geo.NewStore(d)} }

// SearchEmployers runs the employer tab (actors.md §13.1): active searchable companies within
// q.Distance (default 25 km) of the city, filtered by kinds, départements and company, ordered
// members first, hiring first, lowest job_app_score (not computed last), nearest, id; 10 per
// page with their open fiches. Input errors are *InputError (ErrUnknownCity, ErrDistance...).
// Four queries whatever the number of results: the city, the companies around, the fiche counts
// around (for the other tab's count) and the open fiches of the page's companies.
func (s *Service) SearchEmployers(ctx context.Context, q Query) (*EmployerResults, error) {
	center, err := s.center(ctx, &q, DefaultEmployerDistance)
	if err != nil {
		return nil, err
	}
	a, err := s.around(ctx, center, ficheFilter{})
	if err != nil {
		return nil, err
	}
	res := &EmployerResults{Center: center, Query: q}
	res.FicheCount = countFiches(filterGroups(a.groups, q.shared()))
	// The département choices are those of the results before that filter; the company choices
	// those of the results before the company filter.
	res.Departments = s.departmentFacets(ctx, companyDepartments(filterCompanies(a.companies, Query{Kinds: q.Kinds})))
	kept := filterCompanies(a.companies, q.shared())
	res.Companies = companyFacets(kept)
	kept = filterCompanies(kept, Query{Company: q.Company})
	res.EmployerCount = len(kept)
	sortEmployers(kept)
	from, to, p := paginate(len(kept), q.Page, PageSize)
	res.Page = Page[EmployerResult]{Total: len(kept), Number: p.Number, PageCount: p.PageCount, PageSize: p.PageSize, Clamped: p.Clamped}
	pageRows := kept[from:to]
	ids := make([]int64, len(pageRows))
	for i, c := range pageRows {
		ids[i] = c.ID
	}
	open, err := openFichesOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range pageRows {
		res.Items = append(res.Items, EmployerResult{ID: c.ID, UID: c.UID, Name: c.Name, Brand: c.Brand, Kind: c.Kind,
			CityName: c.CityName, PostCode: c.PostCode, Department: c.Department, DistanceKm: c.distance,
			Blocked: c.Blocked, Hiring: c.hiring(), SpontaneousOpen: !c.Blocked && c.Spontaneous,
			HasMembers: c.HasMembers, JobAppScore: c.Score, Fiches: open[c.ID]})
	}
	return res, nil
}

// SearchFiches runs the fiche de poste tab (actors.md §13.1): open fiches of active searchable
// non-blocked companies whose position (the fiche's commune, else the company) is within
// q.Distance (default 25 km), filtered by kinds, contract types, ROME domains and départements,
// internal offers first then most recently updated; 10 per page. Four queries whatever the
// number of results: the city, the companies around, the fiche counts around, the page.
func (s *Service) SearchFiches(ctx context.Context, q Query) (*FicheResults, error) {
	center, err := s.center(ctx, &q, DefaultEmployerDistance)
	if err != nil {
		return nil, err
	}
	f := ficheFilter{ContractTypes: q.ContractTypes, Domains: q.Domains}
	a, err := s.around(ctx, center, f)
	if err != nil {
		return nil, err
	}
	res := &FicheResults{Center: center, Query: q}
	res.EmployerCount = len(filterCompanies(a.companies, q.shared()))
	res.Departments = s.departmentFacets(ctx, groupDepartments(filterGroups(a.groups, Query{Kinds: q.Kinds})))
	kept := filterGroups(a.groups, q.shared())
	res.FicheCount = countFiches(kept)
	from, to, p := paginate(res.FicheCount, q.Page, PageSize)
	res.Page = Page[FicheResult]{Total: res.FicheCount, Number: p.Number, PageCount: p.PageCount, PageSize: p.PageSize, Clamped: p.Clamped}
	if to == from {
		return res, nil
	}
	// Each kept group passes on its own company-level (listed, kind) and commune-level
	// (distance, département) conditions, so the fiches placed at any kept commune by any kept
	// located company are exactly those of the kept groups.
	var atCompany, located []int64
	var atCommunes []string
	seenCompany, seenCommune := map[int64]bool{}, map[string]bool{}
	for _, g := range kept {
		switch {
		case g.LocationCode == "":
			atCompany = append(atCompany, g.CompanyID)
		default:
			if !seenCompany[g.CompanyID] {
				seenCompany[g.CompanyID] = true
				located = append(located, g.CompanyID)
			}
			if !seenCommune[g.LocationCode] {
				seenCommune[g.LocationCode] = true
				atCommunes = append(atCommunes, g.LocationCode)
			}
		}
	}
	items, err := fichePage(ctx, s.db, atCompany, atCommunes, located, f, from, to-from)
	if err != nil {
		return nil, err
	}
	c := Point{center.City.Latitude, center.City.Longitude}
	for i := range items {
		items[i].DistanceKm = DistanceKm(c, items[i].position)
	}
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.internal != b.internal {
			return a.internal
		}
		if !a.UpdatedAt.Equal(b.UpdatedAt) {
			return a.UpdatedAt.After(b.UpdatedAt)
		}
		return a.ID > b.ID
	})
	res.Items = items
	return res, nil
}

// SearchPrescribers lists the habilitated (VALIDATED) prescriber organizations within q.Distance
// (default 5 km) of the city, nearest first (actors.md §13.2); 10 per page. Only the city,
// Distance and Page are read. Two queries.
func (s *Service) SearchPrescribers(ctx context.Context, q Query) (*PrescriberResults, error) {
	center, err := s.center(ctx, &q, DefaultPrescriberDistance)
	if err != nil {
		return nil, err
	}
	c := Point{center.City.Latitude, center.City.Longitude}
	rows, err := prescribersInBox(ctx, s.db, BoundingBox(c, float64(center.Distance)))
	if err != nil {
		return nil, err
	}
	kept := rows[:0]
	for _, p := range rows {
		if d := DistanceKm(c, p.Position); d <= float64(center.Distance) {
			p.DistanceKm = d
			kept = append(kept, p)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].DistanceKm != kept[j].DistanceKm {
			return kept[i].DistanceKm < kept[j].DistanceKm
		}
		return kept[i].ID < kept[j].ID
	})
	from, to, p := paginate(len(kept), q.Page, PageSize)
	res := &PrescriberResults{Center: center}
	res.Page = Page[PrescriberResult]{Total: len(kept), Number: p.Number, PageCount: p.PageCount, PageSize: p.PageSize, Clamped: p.Clamped}
	for _, p := range kept[from:to] {
		res.Items = append(res.Items, p.PrescriberResult)
	}
	return res, nil
}

// ErrNotFound: no public card for this uid.
var ErrNotFound = errors.New("search: not found")

// PrescriberCard returns the prescriber organization shown on the public card: habilitated
// organizations only (the ones the prescriber search lists), else ErrNotFound.
func (s *Service) PrescriberCard(ctx context.Context, uid string) (*org.PrescriberOrganization, error) {
	p := new(org.PrescriberOrganization)
	err := s.db.NewSelect().Model(p).Where("po.uid = ?", uid).
		Where("po.authorization_status = ?", org.AuthorizationValidated).Limit(1).Scan(ctx)
	if err != nil {
		if isNoRows(err) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("search: prescriber card %s: %w", uid, err)
	}
	return p, nil
}

// Commune returns the commune with this INSEE code, or ErrUnknownCity.
func (s *Service) Commune(ctx context.Context, inseeCode string) (geo.Commune, error) {
	c, err := s.geo.Commune(ctx, strings.ToUpper(strings.TrimSpace(inseeCode)))
	if errors.Is(err, geo.ErrNotFound) {
		return geo.Commune{}, ErrUnknownCity
	}
	return c, err
}

// ResolveCity finds the commune of the search: the picked INSEE code (the hidden field the
// autocomplete fills) unless the text typed since says otherwise; without JavaScript, the text
// may be an INSEE code, the label the autocomplete shows ("Lyon (69)") or a name only one
// commune bears. ErrCityRequired when both are empty, ErrUnknownCity when nothing matches.
func (s *Service) ResolveCity(ctx context.Context, text, code string) (geo.Commune, error) {
	text, code = strings.TrimSpace(text), strings.ToUpper(strings.TrimSpace(code))
	if code != "" {
		c, err := s.Commune(ctx, code)
		if err != nil && !errors.Is(err, ErrUnknownCity) {
			return geo.Commune{}, err
		}
		if err == nil && (text == "" || sameText(text, c.Label()) || sameText(text, c.Name) || strings.EqualFold(text, c.InseeCode)) {
			return c, nil
		}
		if text == "" {
			return geo.Commune{}, ErrUnknownCity
		}
	}
	if text == "" {
		return geo.Commune{}, ErrCityRequired
	}
	if geo.ValidInseeCode(strings.ToUpper(text)) {
		return s.Commune(ctx, text)
	}
	found, err := s.geo.SearchCities(ctx, text)
	if errors.Is(err, searchtext.ErrTooLong) {
		return geo.Commune{}, ErrUnknownCity
	}
	if err != nil {
		return geo.Commune{}, fmt.Errorf("search: city %q: %w", text, err)
	}
	var byName []geo.Commune
	for _, c := range found {
		if sameText(text, c.Label()) {
			return c, nil
		}
		if sameText(text, c.Name) {
			byName = append(byName, c)
		}
	}
	if len(byName) == 1 {
		return byName[0], nil
	}
	return geo.Commune{}, ErrUnknownCity
}

func sameText(typed, label string) bool {
	return searchtext.Normalize(typed) == searchtext.Normalize(label)
}

// center resolves the city and the radius of q (def when q.Distance is 0), and sets q.City to
// the commune's INSEE code.
func (s *Service) center(ctx context.Context, q *Query, def int) (Center, error) {
	if q.Distance == 0 {
		q.Distance = def
	}
	if !ValidDistance(q.Distance) {
		return Center{}, ErrDistance
	}
	c, err := s.ResolveCity(ctx, q.CityText, q.City)
	if err != nil {
		return Center{}, err
	}
	q.City = c.InseeCode
	return Center{City: c, Distance: q.Distance}, nil
}

// area is what lies within the radius: the listed companies (blocked ones included) and the
// groups of open fiches of listed non-blocked companies, each with its distance.
type area struct {
	companies []companyCandidate
	groups    []ficheGroup
}

// around reads the area of a search: two queries.
func (s *Service) around(ctx context.Context, center Center, f ficheFilter) (area, error) {
	c := Point{center.City.Latitude, center.City.Longitude}
	r := float64(center.Distance)
	box := BoundingBox(c, r)
	rows, err := companiesInBox(ctx, s.db, box)
	if err != nil {
		return area{}, err
	}
	companies := within(rows, c, r)
	byID := make(map[int64]*companyCandidate, len(companies))
	var open []int64
	for i, co := range companies {
		byID[co.ID] = &companies[i]
		if !co.Blocked {
			open = append(open, co.ID)
		}
	}
	groups, err := ficheGroups(ctx, s.db, open, box, f)
	if err != nil {
		return area{}, err
	}
	kept := groups[:0]
	for _, g := range groups {
		if g.LocationCode == "" { // at its company, which is within the radius
			co := byID[g.CompanyID]
			g.Position, g.Department, g.Flags, g.distance = co.Position, co.Department, co.companyFlags, co.distance
			kept = append(kept, g)
			continue
		}
		if d := DistanceKm(c, g.Position); d <= r {
			g.distance = d
			kept = append(kept, g)
		}
	}
	return area{companies: companies, groups: kept}, nil
}

// within keeps the companies within r km of c and notes their distance.
func within(list []companyCandidate, c Point, r float64) []companyCandidate {
	kept := list[:0]
	for _, co := range list {
		if d := DistanceKm(c, co.Position); d <= r {
			co.distance = d
			kept = append(kept, co)
		}
	}
	return kept
}

// filterCompanies keeps the companies matching the kinds, départements and company of q (a new
// slice; the input is not changed). Empty fields of q keep everything.
func filterCompanies(list []companyCandidate, q Query) []companyCandidate {
	var kept []companyCandidate
	for _, c := range list {
		if len(q.Kinds) > 0 && !contains(q.Kinds, c.Kind) {
			continue
		}
		if len(q.Departments) > 0 && !contains(q.Departments, c.Department) {
			continue
		}
		if q.Company != "" && c.UID != q.Company {
			continue
		}
		kept = append(kept, c)
	}
	return kept
}

// filterGroups keeps the fiche groups matching the kinds and départements of q (a new slice).
func filterGroups(list []ficheGroup, q Query) []ficheGroup {
	var kept []ficheGroup
	for _, g := range list {
		if len(q.Kinds) > 0 && !contains(q.Kinds, g.Flags.Kind) {
			continue
		}
		if len(q.Departments) > 0 && !contains(q.Departments, g.Department) {
			continue
		}
		kept = append(kept, g)
	}
	return kept
}

func countFiches(groups []ficheGroup) int {
	n := 0
	for _, g := range groups {
		n += g.Count
	}
	return n
}

// shared is the part of q both tabs apply (the other tab's count uses it).
func (q Query) shared() Query { return Query{Kinds: q.Kinds, Departments: q.Departments} }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// sortEmployers orders the employer tab (actors.md §13.1): members first, hiring first, then
// ascending job_app_score (not computed yet: last, as les-emplois' default +∞), then nearest,
// then id.
func sortEmployers(list []companyCandidate) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.HasMembers != b.HasMembers {
			return a.HasMembers
		}
		if ha, hb := a.hiring(), b.hiring(); ha != hb {
			return ha
		}
		switch {
		case a.Score != nil && b.Score == nil:
			return true
		case a.Score == nil && b.Score != nil:
			return false
		case a.Score != nil && *a.Score != *b.Score:
			return *a.Score < *b.Score
		}
		if a.distance != b.distance {
			return a.distance < b.distance
		}
		return a.ID < b.ID
	})
}

func (c companyCandidate) hiring() bool {
	var openSince *time.Time
	if c.Spontaneous {
		openSince = &time.Time{}
	}
	n := 0
	if c.HasFiches {
		n = 1
	}
	return org.IsHiring(c.Blocked, n, openSince)
}

func companyDepartments(list []companyCandidate) map[string]int {
	out := map[string]int{}
	for _, c := range list {
		out[c.Department]++
	}
	return out
}

func groupDepartments(list []ficheGroup) map[string]int {
	out := map[string]int{}
	for _, g := range list {
		out[g.Department] += g.Count
	}
	return out
}

// departmentFacets labels the départements present in the results, by code. The spec offers
// the city's département and its neighbours; adjacency is not in the reference data, so the
// filter offers the départements of the results instead.
func (s *Service) departmentFacets(ctx context.Context, counts map[string]int) []Facet {
	names := s.departmentNames(ctx)
	var out []Facet
	for code, n := range counts {
		if code == "" {
			continue
		}
		label := code
		if name, ok := names[code]; ok {
			label = name + " (" + code + ")"
		}
		out = append(out, Facet{Value: code, Label: label, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// departmentNames returns the names of the départements, from a cache refreshed every 10
// minutes. A failed read only costs the labels (codes are shown), never the search.
func (s *Service) departmentNames(ctx context.Context) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.departments != nil && time.Since(s.loadedAt) < departmentsTTL {
		return s.departments
	}
	list, err := s.geo.Departments(ctx)
	if err != nil {
		return s.departments
	}
	names := make(map[string]string, len(list))
	for _, d := range list {
		names[d.Code] = d.Name
	}
	s.departments, s.loadedAt = names, time.Now()
	return names
}

// companyFacets are the companies of the results, by display name, for the company filter.
func companyFacets(list []companyCandidate) []Facet {
	out := make([]Facet, 0, len(list))
	for _, c := range list {
		name := c.Name
		if c.Brand != "" {
			name = c.Brand
		}
		out = append(out, Facet{Value: c.UID, Label: name, Count: 1})
	}
	if len(out) > MaxCompanyChoices {
		return out // not offered as a list (only the chosen one is), so not worth sorting
	}
	c := collate.New(language.French, collate.IgnoreCase, collate.Loose) // a Collator is not safe for concurrent use
	sort.SliceStable(out, func(i, j int) bool { return c.CompareString(out[i].Label, out[j].Label) < 0 })
	return out
}

// MaxCompanyChoices bounds the company filter: a list of hundreds of names (Paris at 25 km) is
// no help and weighs on every page; past it, only the chosen company is offered back.
const MaxCompanyChoices = 100

func appellation(code, label, romeCode string) *rome.Appellation {
	return &rome.Appellation{Code: code, Label: label, RomeCode: romeCode}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
