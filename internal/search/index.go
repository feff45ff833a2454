package search

import (
	"cmp"
	"context"
	"errors"
	"math/bits"
	"slices"
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"emplois/internal/geo"
	"emplois/internal/platform/db"
)

// index is what the searches read, held in memory by each instance: the listed companies, the
// open fiches de poste of the listed companies that take applications, the habilitated
// prescriber organizations and the communes. At national scale it is a few thousand companies
// and prescribers and some 60,000 fiches (tens of MB), small enough to scan the rows around a
// city in microseconds, where reading them from the database on every search cost milliseconds
// (issue 4's budget). It is never written: a change builds a new one (see Service.current).
type index struct {
	gen    Version
	places *places

	// companies and prescribers are sorted by place (latitude band, then longitude), so that the
	// rows around a city are found by binary search (see eachWithin).
	companies   []listedCompany
	prescribers []prescriberCandidate
	// fiches are the open fiches of listed companies that take applications, in the order of the
	// fiche tab (internal offers first, most recently updated, newest): a fiche's rank is its
	// place here.
	fiches []FicheResult
	// spots group the fiches by position (a company's, or a commune's centre for the fiches placed
	// there), sorted by place: a search measures each position once, not each fiche.
	spots []ficheSpot
	// departments and districts number the départements and the arrondissement post codes of
	// the companies and spots, which a search counts its results by.
	departments, districts numbering
	// directory are the employers of the public API (directory.go), directoryPlaced those with
	// coordinates, sorted by place.
	directory, directoryPlaced []DirectoryEntry
}

// places are the communes and the names of the départements (reference data, rebuilt only when
// an import changes them).
type places struct {
	communes    map[string]geo.Commune
	departments map[string]string
}

// ficheSpot is a position holding fiches: their ranks in index.fiches, ascending.
type ficheSpot struct {
	Position   placed
	Department string
	PostCode   string // the company's, or the commune's when it has one (an arrondissement)
	ranks      []int32
	counted
}

// counted are the numbers of a row's département and arrondissement (see numbering).
type counted struct {
	departmentNo, districtNo int32
}

// numbering gives small numbers to codes (départements, arrondissement post codes), so that a
// search counts its results in a slice rather than a map.
type numbering struct {
	codes  []string
	number map[string]int32
}

// of returns the number of code, giving it the next one the first time.
func (n *numbering) of(code string) int32 {
	if no, ok := n.number[code]; ok {
		return no
	}
	if n.number == nil {
		n.number = map[string]int32{}
	}
	no := int32(len(n.codes))
	n.codes, n.number[code] = append(n.codes, code), no
	return no
}

// count numbers a row: its département, and its post code when that is an arrondissement's
// (-1 otherwise: most are not).
func (ix *index) count(department, postCode string) counted {
	c := counted{departmentNo: ix.departments.of(department), districtNo: -1}
	if ValidDistrict(postCode) {
		c.districtNo = ix.districts.of(postCode)
	}
	return c
}

// buildIndex reads the data of the searches as of Version gen. Reusing prev's places when
// they did not change spares reading 35,000 communes after each change of a fiche. The tables
// are read in parallel (each on its own connection): a rebuild delays the search that asked
// for it.
func buildIndex(ctx context.Context, d *db.DB, gen Version, prev *index) (*index, error) {
	ix := &index{gen: gen}
	var (
		companies   []listedCompany
		fiches      []openFiche
		prescribers []prescriberCandidate
		directory   []DirectoryEntry
	)
	loads := []func() error{
		func() (err error) { companies, err = loadListedCompanies(ctx, d); return err },
		func() (err error) { fiches, err = loadOpenFiches(ctx, d); return err },
		func() (err error) { prescribers, err = loadHabilitatedPrescribers(ctx, d); return err },
		func() (err error) { directory, err = loadDirectory(ctx, d); return err },
	}
	if prev != nil && prev.gen.places == gen.places {
		ix.places = prev.places
	} else {
		loads = append(loads, func() (err error) { ix.places, err = loadPlaces(ctx, d); return err })
	}
	if err := inParallel(loads); err != nil {
		return nil, err
	}
	ix.setDirectory(directory, fiches)
	for i := range prescribers {
		prescribers[i].Position = place(prescribers[i].Position.Point)
	}
	sortByPlace(prescribers, prescriberPosition)
	ix.prescribers = prescribers
	ix.setCompanies(companies, fiches)
	return ix, nil
}

// inParallel runs the functions concurrently and returns the first error.
func inParallel(fns []func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// setCompanies indexes the companies and their open fiches. A fiche of a company that is not
// listed is left out (it may also be one written after the companies were read: the generation
// read before both makes the next search rebuild).
func (ix *index) setCompanies(companies []listedCompany, fiches []openFiche) {
	for i := range companies {
		companies[i].Position = place(companies[i].Position.Point)
		companies[i].counted = ix.count(companies[i].Department, companies[i].PostCode)
	}
	sortByPlace(companies, companyPosition)
	rankNames(companies)
	byID := make(map[int64]*listedCompany, len(companies))
	for i := range companies {
		byID[companies[i].ID] = &companies[i]
	}
	var shown []openFiche
	for _, f := range fiches { // each company's in its employer's order
		co := byID[f.CompanyID]
		if co == nil {
			continue
		}
		co.Open = append(co.Open, FicheSummary{UID: f.UID, Title: f.Title, ContractType: f.ContractType, Contract: f.Contract})
		if co.Blocked {
			continue // shown on its card, not offered on the fiche tab
		}
		f.CompanyUID, f.CompanyName, f.CompanyKind = co.UID, co.displayName(), co.Kind
		f.CityName, f.Department, f.position, f.postCode = co.CityName, co.Department, co.Position.Point, co.PostCode
		if f.LocationCode != "" {
			lc, ok := ix.places.communes[f.LocationCode]
			if !ok {
				continue
			}
			f.CityName, f.Department, f.position, f.postCode = lc.Name, lc.DepartmentCode, Point{lc.Latitude, lc.Longitude}, ""
			if len(lc.PostalCodes) == 1 || lc.ParentCode != "" && len(lc.PostalCodes) > 0 {
				f.postCode = lc.PostalCodes[0] // an arrondissement's first is its own (75016 for Paris 16e)
			}
		}
		shown = append(shown, f)
	}
	for i := range companies {
		companies[i].setHiring()
	}
	// The fiches are big structs: sort their places, not them.
	order := make([]int, len(shown))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &shown[i], &shown[j]
		if a.internal != b.internal {
			return boolFirst(a.internal)
		}
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 { // most recent first
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	type spotKey struct {
		company  int64
		location string
	}
	spotOf := map[spotKey]int{}
	ix.fiches = make([]FicheResult, len(shown))
	for rank, at := range order {
		f := &shown[at]
		ix.fiches[rank] = f.FicheResult
		key := spotKey{location: f.LocationCode}
		if key.location == "" {
			key.company = f.CompanyID
		}
		i, ok := spotOf[key]
		if !ok {
			i = len(ix.spots)
			spotOf[key] = i
			ix.spots = append(ix.spots, ficheSpot{Position: place(f.position), Department: f.Department, PostCode: f.postCode,
				counted: ix.count(f.Department, f.postCode)})
		}
		ix.spots[i].ranks = append(ix.spots[i].ranks, int32(rank))
	}
	sortByPlace(ix.spots, spotPosition)
	ix.companies = companies
}

// rankNames sets each company's place in the French alphabetical order of display names.
func rankNames(companies []listedCompany) {
	order := make([]int, len(companies))
	keys := make([][]byte, len(companies))
	c := collate.New(language.French, collate.IgnoreCase, collate.Loose)
	var buf collate.Buffer
	for i := range companies {
		order[i] = i
		keys[i] = append([]byte(nil), c.KeyFromString(&buf, companies[i].displayName())...)
		buf.Reset()
	}
	sort.SliceStable(order, func(i, j int) bool { return string(keys[order[i]]) < string(keys[order[j]]) })
	for rank, i := range order {
		companies[i].nameRank = rank
	}
}

// eachWithin calls visit for each row of list (sorted by sortByPlace) within the circle, with
// its distance key (see circle.contains): for each latitude band of the circle's bounding box,
// the rows of its longitude range are found by binary search and tested.
func eachWithin[T any](list []T, position func(*T) placed, c circle, visit func(*T, float64)) {
	for cell := cellOf(c.box.MinLat); cell <= cellOf(c.box.MaxLat); cell++ {
		i := sort.Search(len(list), func(i int) bool {
			p := position(&list[i])
			return p.cell > cell || p.cell == cell && p.Lon >= c.box.MinLon
		})
		for ; i < len(list); i++ {
			p := position(&list[i])
			if p.cell != cell || p.Lon > c.box.MaxLon {
				break
			}
			if p.Lat < c.box.MinLat || p.Lat > c.box.MaxLat {
				continue
			}
			if in, key := c.contains(p); in {
				visit(&list[i], key)
			}
		}
	}
}

// sortByPlace orders list for eachWithin.
func sortByPlace[T any](list []T, position func(*T) placed) {
	sort.Slice(list, func(i, j int) bool { return position(&list[i]).before(position(&list[j])) })
}

func companyPosition(c *listedCompany) placed          { return c.Position }
func spotPosition(s *ficheSpot) placed                 { return s.Position }
func prescriberPosition(p *prescriberCandidate) placed { return p.Position }

// companyHit is a listed company within the radius, with its distance key.
type companyHit struct {
	*listedCompany
	key float64
}

// companiesWithin returns the listed companies within the circle (blocked ones included).
func (ix *index) companiesWithin(c circle) []companyHit {
	var hits []companyHit
	eachWithin(ix.companies, companyPosition, c, func(co *listedCompany, key float64) {
		hits = append(hits, companyHit{co, key})
	})
	return hits
}

// countFichesWithin counts the fiches within the circle of q's kinds, départements and
// arrondissements (the other tab's count on the employer tab). Without a kind filter, a position's fiches are counted at
// once.
func (ix *index) countFichesWithin(c circle, q Query) int {
	n := 0
	eachWithin(ix.spots, spotPosition, c, func(s *ficheSpot, _ float64) {
		switch {
		case len(q.Departments) > 0 && !contains(q.Departments, s.Department),
			len(q.Districts) > 0 && !contains(q.Districts, s.PostCode):
		case len(q.Kinds) == 0:
			n += len(s.ranks)
		default:
			for _, rank := range s.ranks {
				if contains(q.Kinds, ix.fiches[rank].CompanyKind) {
					n++
				}
			}
		}
	})
	return n
}

// ficheMatch is what a fiche search keeps: the fiches within the radius matching the filters
// (kinds, contract types, ROME domains), counted by département; among them those in the
// départements asked for, counted by post code; and among those the ranks of the ones in the
// arrondissements asked for.
type ficheMatch struct {
	ranks         rankSet
	total         int
	byDepartments []int // by département number
	byDistricts   []int // by arrondissement number
}

// fichesWithin matches the fiches within the circle against q's kinds, départements, contract
// types and ROME domains.
func (ix *index) fichesWithin(c circle, q Query) ficheMatch {
	m := ficheMatch{ranks: newRankSet(len(ix.fiches)), byDepartments: make([]int, len(ix.departments.codes)),
		byDistricts: make([]int, len(ix.districts.codes))}
	unfiltered := len(q.Kinds) == 0 && len(q.ContractTypes) == 0 && len(q.Domains) == 0
	eachWithin(ix.spots, spotPosition, c, func(s *ficheSpot, _ float64) {
		inDepartment := len(q.Departments) == 0 || contains(q.Departments, s.Department)
		kept := inDepartment && (len(q.Districts) == 0 || contains(q.Districts, s.PostCode))
		n := 0
		for _, rank := range s.ranks {
			if !unfiltered {
				f := &ix.fiches[rank]
				if len(q.Kinds) > 0 && !contains(q.Kinds, f.CompanyKind) ||
					len(q.ContractTypes) > 0 && !contains(q.ContractTypes, f.ContractType) ||
					!InDomains(f.RomeCode, q.Domains) {
					continue
				}
			}
			n++
			if kept {
				m.ranks.add(rank)
			}
		}
		if n == 0 {
			return
		}
		m.byDepartments[s.departmentNo] += n
		if inDepartment && s.districtNo >= 0 {
			m.byDistricts[s.districtNo] += n
		}
		if kept {
			m.total += n
		}
	})
	return m
}

// rankSet is a set of fiche ranks: a bitmap over index.fiches, so that a page of the fiche tab
// is read in order without sorting the thousands of fiches of a dense area.
type rankSet []uint64

func newRankSet(n int) rankSet { return make(rankSet, (n+63)/64) }

func (s rankSet) add(rank int32) { s[rank/64] |= 1 << (uint(rank) % 64) }

// slice returns the ranks in [from, to) of the set's ascending order.
func (s rankSet) slice(from, to int) []int32 {
	var out []int32
	seen := 0
	for w, word := range s {
		n := bits.OnesCount64(word)
		if seen+n <= from {
			seen += n
			continue
		}
		for word != 0 && seen < to {
			bit := bits.TrailingZeros64(word)
			word &^= 1 << uint(bit)
			if seen >= from {
				out = append(out, int32(w*64+bit))
			}
			seen++
		}
		if seen >= to {
			break
		}
	}
	return out
}
