package search

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
)

// Service runs the searches.
type Service struct {
	db  *db.DB
	geo *geo.Store
	// Now is the clock (tests move it): the candidatures of the window ending now count.
	Now func() time.Time

	// idx is the current index; building serializes its updates, so that the requests that
	// notice a change together wait for one update instead of each running their own.
	idx      atomic.Pointer[index]
	building sync.Mutex
	// builds and lastBuild (nanoseconds) count the whole builds, applies and lastApply the
	// changes of some companies applied (IndexBuilds, IndexApplies).
	builds, lastBuild, applies, lastApply, applyTime atomic.Int64
}

// IndexBuilds returns how many times the index was built whole and how long the last build
// took (the /metrics page shows them: a change of reference data costs one).
func (s *Service) IndexBuilds() (count int64, last time.Duration) {
	return s.builds.Load(), time.Duration(s.lastBuild.Load())
}

// IndexApplies returns how many times the changes of some companies were applied to the index,
// how long the last application took and all of them together (a change of a company's rows
// costs one).
func (s *Service) IndexApplies() (count int64, last, total time.Duration) {
	return s.applies.Load(), time.Duration(s.lastApply.Load()), time.Duration(s.applyTime.Load())
}

// NewService returns the search service over d.
func NewService(d *db.DB) *Service { return &Service{db: d, geo: geo.NewStore(d), Now: time.Now} }

// maxAppliedCompanies is the most companies whose changes are applied to the index: past it (a
// bulk import), rebuilding whole costs less than merging.
const maxAppliedCompanies = 1000

// current returns an index holding every change committed before the call: one query (the
// generation counters) when nothing changed; else, when only companies' rows changed, the
// previous index with those companies reloaded (the change log, then their rows: two round
// trips); else a whole rebuild. The concurrent callers wait for the update. The counters are
// read before the data, so a write committed during the update is seen by the next search,
// which applies it again.
func (s *Service) current(ctx context.Context) (*index, error) {
	gen, purged, err := readGenerations(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if ix := s.idx.Load(); ix != nil && ix.gen.covers(gen) {
		return ix, nil
	}
	s.building.Lock()
	defer s.building.Unlock()
	prev := s.idx.Load()
	if prev != nil && prev.gen.covers(gen) { // updated while this call waited
		return prev, nil
	}
	start := time.Now()
	if prev != nil && prev.gen.organizations == gen.organizations && prev.gen.places == gen.places && purged <= prev.gen.companies {
		ix, err := s.apply(ctx, prev, gen)
		if err != nil {
			return nil, err
		}
		if ix != nil {
			took := int64(time.Since(start))
			s.applies.Add(1)
			s.lastApply.Store(took)
			s.applyTime.Add(took)
			s.idx.Store(ix)
			return ix, nil
		}
	}
	ix, err := buildIndex(ctx, s.db, gen, prev, s.Now())
	if err != nil {
		return nil, err
	}
	s.builds.Add(1)
	s.lastBuild.Store(int64(time.Since(start)))
	s.idx.Store(ix)
	return ix, nil
}

// apply returns prev with the companies changed since it was made reloaded, at Version gen (or
// later), or nil when the change log cannot tell (purged since, or too many companies).
func (s *Service) apply(ctx context.Context, prev *index, gen Version) (*index, error) {
	ch, err := readChanges(ctx, s.db, prev.gen.companies)
	if err != nil {
		return nil, err
	}
	if ch.purged > prev.gen.companies || len(ch.companies) > maxAppliedCompanies {
		return nil, nil
	}
	// The rows are read after the changes: they hold every change up to ch.last.
	gen.companies = max(gen.companies, ch.last)
	if len(ch.companies) == 0 {
		nx := *prev
		nx.gen = gen
		return &nx, nil
	}
	rows, err := loadCompanyRows(ctx, s.db, ch.companies, s.Now())
	if err != nil {
		return nil, err
	}
	changed := make(map[int64]bool, len(ch.companies))
	for _, id := range ch.companies {
		changed[id] = true
	}
	return prev.with(gen, changed, rows), nil
}

// SearchEmployers runs the employer tab (actors.md §13.1): active searchable companies within
// q.Distance (default 25 km) of the city, filtered by kinds, départements and company, ordered
// members first, hiring first, lowest job_app_score (not computed last), nearest, id; 10 per
// page with their open fiches. Input errors are *InputError (ErrUnknownCity, ErrDistance...).
func (s *Service) SearchEmployers(ctx context.Context, q Query) (*EmployerResults, error) {
	ix, center, err := s.start(ctx, &q, DefaultEmployerDistance)
	if err != nil {
		return nil, err
	}
	c := center.circle()
	since := windowStart(s.Now())
	hits := ix.companiesWithin(c, since)
	res := &EmployerResults{Center: center, Query: q, Version: ix.gen}
	res.FicheCount = ix.countFichesWithin(c, q.shared())
	// The département choices are those of the results before that filter; the company choices
	// those of the results before the company filter.
	byDepartments, _ := ix.countCompanies(filterCompanies(hits, Query{Kinds: q.Kinds}))
	_, byDistricts := ix.countCompanies(filterCompanies(hits, Query{Kinds: q.Kinds, Departments: q.Departments}))
	res.Departments, res.Districts = ix.departmentFacets(byDepartments), ix.districtFacets(center, byDistricts)
	kept := filterCompanies(hits, q.shared())
	res.Companies = companyFacets(kept, q.Company)
	kept = filterCompanies(kept, Query{Company: q.Company})
	res.EmployerCount = len(kept)
	from, to, p := paginate(len(kept), q.Page, PageSize)
	sortFirst(kept, to, compareEmployers)
	res.Page = Page[EmployerResult]{Total: len(kept), Number: p.Number, PageCount: p.PageCount, PageSize: p.PageSize, Clamped: p.Clamped}
	for _, c := range kept[from:to] {
		res.Items = append(res.Items, EmployerResult{ID: c.ID, UID: c.UID, Name: c.Name, Brand: c.Brand, Kind: c.Kind,
			CityName: c.CityName, PostCode: c.PostCode, Department: c.Department, DistanceKm: DistanceKm(center.point(), c.Position.Point),
			Blocked: c.Blocked, Hiring: c.Hiring, SpontaneousOpen: !c.Blocked && c.Spontaneous,
			HasMembers: c.HasMembers, JobAppScore: &c.score, Fiches: withBadges(c.Open, since)})
	}
	return res, nil
}

// SearchFiches runs the fiche de poste tab (actors.md §13.1): open fiches of active searchable
// non-blocked companies whose position (the fiche's commune, else the company) is within
// q.Distance (default 25 km), filtered by kinds, contract types, ROME domains and départements,
// internal offers first then most recently updated; 10 per page.
func (s *Service) SearchFiches(ctx context.Context, q Query) (*FicheResults, error) {
	ix, center, err := s.start(ctx, &q, DefaultEmployerDistance)
	if err != nil {
		return nil, err
	}
	c := center.circle()
	since := windowStart(s.Now())
	res := &FicheResults{Center: center, Query: q, Version: ix.gen}
	shared := q.shared()
	eachWithin(ix.companies, companyPosition, c, func(co *listedCompany, _ float64) {
		if shared.keeps(co) {
			res.EmployerCount++
		}
	})
	m := ix.fichesWithin(c, q)
	res.Departments, res.Districts = ix.departmentFacets(m.byDepartments), ix.districtFacets(center, m.byDistricts)
	res.FicheCount = m.total
	from, to, p := paginate(m.total, q.Page, PageSize)
	res.Page = Page[FicheResult]{Total: m.total, Number: p.Number, PageCount: p.PageCount, PageSize: p.PageSize, Clamped: p.Clamped}
	for _, rank := range m.ranks.slice(from, to) {
		f := *ix.fiches[rank]
		f.DistanceKm = DistanceKm(center.point(), f.position)
		f.FewApplications = FewApplications(recentCount(f.recent, since))
		res.Items = append(res.Items, f)
	}
	return res, nil
}

// SearchPrescribers lists the habilitated (VALIDATED) prescriber organizations within q.Distance
// (default 5 km) of the city, nearest first (actors.md §13.2); 10 per page. Only the city,
// Distance and Page are read.
func (s *Service) SearchPrescribers(ctx context.Context, q Query) (*PrescriberResults, error) {
	ix, center, err := s.start(ctx, &q, DefaultPrescriberDistance)
	if err != nil {
		return nil, err
	}
	type hit struct {
		*prescriberCandidate
		key float64
	}
	var kept []hit
	eachWithin(ix.prescribers, prescriberPosition, center.circle(), func(p *prescriberCandidate, key float64) {
		kept = append(kept, hit{p, key})
	})
	slices.SortFunc(kept, func(a, b hit) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	from, to, p := paginate(len(kept), q.Page, PageSize)
	res := &PrescriberResults{Center: center}
	res.Page = Page[PrescriberResult]{Total: len(kept), Number: p.Number, PageCount: p.PageCount, PageSize: p.PageSize, Clamped: p.Clamped}
	for _, h := range kept[from:to] {
		r := h.PrescriberResult
		r.DistanceKm = DistanceKm(center.point(), h.Position.Point)
		res.Items = append(res.Items, r)
	}
	return res, nil
}

// ErrNotFound: no public card for this uid.
var ErrNotFound = fault.NotFound("Cette fiche n'existe pas ou n'est plus publiée.")

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

// ResolveCity finds the commune of the search: the picked INSEE code (the hidden field the
// autocomplete fills) unless the text typed since says otherwise; without JavaScript, the text
// may be an INSEE code, the label the autocomplete shows ("Lyon (69)") or a name only one
// commune bears. ErrCityRequired when both are empty, ErrUnknownCity when nothing matches.
func (s *Service) ResolveCity(ctx context.Context, text, code string) (geo.Commune, error) {
	ix, err := s.current(ctx)
	if err != nil {
		return geo.Commune{}, err
	}
	return s.resolveCity(ctx, ix, text, code)
}

func (s *Service) resolveCity(ctx context.Context, ix *index, text, code string) (geo.Commune, error) {
	text, code = strings.TrimSpace(text), strings.ToUpper(strings.TrimSpace(code))
	if code != "" {
		c, known := ix.places.communes[code]
		if known && (text == "" || sameText(text, c.Label()) || sameText(text, c.Name) || strings.EqualFold(text, c.InseeCode)) {
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
		if c, known := ix.places.communes[strings.ToUpper(text)]; known {
			return c, nil
		}
		return geo.Commune{}, ErrUnknownCity
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

// start returns the current index and the centre of q: its commune and its radius (def when
// q.Distance is 0); q.City becomes the commune's INSEE code.
func (s *Service) start(ctx context.Context, q *Query, def int) (*index, Center, error) {
	if q.Distance == 0 {
		q.Distance = def
	}
	if !ValidDistance(q.Distance) {
		return nil, Center{}, ErrDistance
	}
	ix, err := s.current(ctx)
	if err != nil {
		return nil, Center{}, err
	}
	c, err := s.resolveCity(ctx, ix, q.CityText, q.City)
	if err != nil {
		return nil, Center{}, err
	}
	q.City = c.InseeCode
	// Arrondissements of another city (the city was changed, the boxes stayed checked) would
	// keep nothing: they are dropped.
	city := DistrictCity(c.InseeCode, c.ParentCode)
	q.Districts = slices.DeleteFunc(slices.Clone(q.Districts), func(d string) bool { return DistrictNumber(city, d) == 0 })
	return ix, Center{City: c, Distance: q.Distance}, nil
}

func (c Center) point() Point   { return Point{c.City.Latitude, c.City.Longitude} }
func (c Center) circle() circle { return newCircle(c.point(), float64(c.Distance)) }

// filterCompanies keeps the companies matching the kinds, départements and company of q: a new
// slice, or list itself when q filters nothing.
func filterCompanies(list []companyHit, q Query) []companyHit {
	if len(q.Kinds) == 0 && len(q.Departments) == 0 && len(q.Districts) == 0 && q.Company == "" {
		return list
	}
	var kept []companyHit
	for _, c := range list {
		if q.keeps(c.listedCompany) {
			kept = append(kept, c)
		}
	}
	return kept
}

// keeps reports whether the company matches the kinds, départements, arrondissements and
// company of q.
func (q Query) keeps(c *listedCompany) bool {
	return (len(q.Kinds) == 0 || contains(q.Kinds, c.Kind)) &&
		(len(q.Departments) == 0 || contains(q.Departments, c.Department)) &&
		(len(q.Districts) == 0 || contains(q.Districts, c.PostCode)) &&
		(q.Company == "" || c.UID == q.Company)
}

// shared is the part of q both tabs apply (the other tab's count uses it).
func (q Query) shared() Query {
	return Query{Kinds: q.Kinds, Departments: q.Departments, Districts: q.Districts}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// withBadges returns a copy of a card's fiches with their « peu de candidatures » badges as of
// the window starting at since (the index's copy is shared by the searches).
func withBadges(fiches []FicheSummary, since int64) []FicheSummary {
	out := slices.Clone(fiches)
	for i := range out {
		out[i].FewApplications = FewApplications(recentCount(out[i].recent, since))
	}
	return out
}

// compareEmployers orders the employer tab (actors.md §13.1): members first, hiring first, then
// ascending job_app_score (see JobAppScore), then nearest, then id.
func compareEmployers(a, b companyHit) int {
	if a.HasMembers != b.HasMembers {
		return boolFirst(a.HasMembers)
	}
	if a.Hiring != b.Hiring {
		return boolFirst(a.Hiring)
	}
	if a.score != b.score {
		return cmp.Compare(a.score, b.score)
	}
	if a.key != b.key { // nearest first
		return cmp.Compare(a.key, b.key)
	}
	return cmp.Compare(a.ID, b.ID)
}

// sortFirst puts the k smallest elements of list (by compare) first, in order; the rest follow
// in no particular order. A page needs only the results up to its end: for the first pages of
// hundreds of results, a bounded heap costs a fraction of a full sort.
func sortFirst[T any](list []T, k int, compare func(a, b T) int) {
	if k >= len(list)/4 {
		slices.SortFunc(list, compare)
		return
	}
	if k <= 0 {
		return
	}
	// list[:k] is a max-heap of the k smallest seen so far.
	down := func(i int) {
		for {
			largest, l, r := i, 2*i+1, 2*i+2
			if l < k && compare(list[l], list[largest]) > 0 {
				largest = l
			}
			if r < k && compare(list[r], list[largest]) > 0 {
				largest = r
			}
			if largest == i {
				return
			}
			list[i], list[largest] = list[largest], list[i]
			i = largest
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for i := k; i < len(list); i++ {
		if compare(list[i], list[0]) < 0 {
			list[0], list[i] = list[i], list[0]
			down(0)
		}
	}
	slices.SortFunc(list[:k], compare)
}

// boolFirst orders a true before a false (called when they differ, with a's value).
func boolFirst(a bool) int {
	if a {
		return -1
	}
	return 1
}

// countCompanies counts the companies by département and by arrondissement number.
func (ix *index) countCompanies(list []companyHit) (byDepartments, byDistricts []int) {
	byDepartments, byDistricts = make([]int, len(ix.departments.codes)), make([]int, len(ix.districts.codes))
	for _, c := range list {
		byDepartments[c.departmentNo]++
		if c.districtNo >= 0 {
			byDistricts[c.districtNo]++
		}
	}
	return byDepartments, byDistricts
}

// districtFacets are the arrondissements present in the results (counts by arrondissement
// number), when the search is made from a city that has some (actors.md §13.1), by post code.
func (ix *index) districtFacets(center Center, counts []int) []Facet {
	city := DistrictCity(center.City.InseeCode, center.City.ParentCode)
	if city == "" {
		return nil
	}
	var out []Facet
	for no, n := range counts {
		code := ix.districts.codes[no]
		if number := DistrictNumber(city, code); n > 0 && number > 0 {
			out = append(out, Facet{Value: code, Label: DistrictLabel(number) + " (" + code + ")", Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// departmentFacets labels the départements present in the results (counts by département
// number), by code. The spec offers the city's département and its neighbours; adjacency is not
// in the reference data, so the filter offers the départements of the results instead.
func (ix *index) departmentFacets(counts []int) []Facet {
	var out []Facet
	for no, n := range counts {
		code := ix.departments.codes[no]
		if n == 0 || code == "" {
			continue
		}
		label := code
		if name, ok := ix.places.departments[code]; ok {
			label = name + " (" + code + ")"
		}
		out = append(out, Facet{Value: code, Label: label, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// companyFacets are the companies of the results, in French alphabetical order, for the
// company filter. Past MaxCompanyChoices the list is not offered: only the chosen company is
// returned (with the others' count implied by the results).
func companyFacets(list []companyHit, chosen string) []Facet {
	if len(list) > MaxCompanyChoices {
		for _, c := range list {
			if c.UID == chosen {
				return []Facet{{Value: c.UID, Label: c.displayName(), Count: 1}}
			}
		}
		return nil
	}
	list = slices.Clone(list)
	slices.SortFunc(list, func(a, b companyHit) int {
		if c := bytes.Compare(a.nameKey, b.nameKey); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make([]Facet, 0, len(list))
	for _, c := range list {
		out = append(out, Facet{Value: c.UID, Label: c.displayName(), Count: 1})
	}
	return out
}

// MaxCompanyChoices bounds the company filter: a list of hundreds of names (Paris at 25 km) is
// no help and weighs on every page; past it, only the chosen company is offered back.
const MaxCompanyChoices = 100

func appellation(code, label, romeCode string) *rome.Appellation {
	return &rome.Appellation{Code: code, Label: label, RomeCode: romeCode}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
