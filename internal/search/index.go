package search

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"time"

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
// (issue 4's budget). It is never written: a change of reference data builds a new one, a
// change of some companies' rows makes a new one from the previous and those rows (see with).
type index struct {
	gen    Version
	places *places

	// companies and prescribers are sorted by place (latitude band, then longitude), so that the
	// rows around a city are found by binary search (see eachWithin).
	companies   []listedCompany
	prescribers []prescriberCandidate
	// fiches are the open fiches of listed companies that take applications, in the order of the
	// fiche tab (internal offers first, most recently updated, newest; see compareFiches): a
	// fiche's rank is its place here. Pointers: an index made from another copies 40,000 of
	// them, not 40,000 structs (and the collector has less to scan).
	fiches []*FicheResult
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
	spotKey
}

// spotKey names a spot: a company's position (company set), or a commune's centre (location).
type spotKey struct {
	company  int64
	location string
}

func (f *FicheResult) spot() spotKey {
	if f.location != "" {
		return spotKey{location: f.location}
	}
	return spotKey{company: f.companyID}
}

// counted are the numbers of a row's département and arrondissement (see numbering).
type counted struct {
	departmentNo, districtNo int32
}

// numbering gives small numbers to codes (départements, arrondissement post codes), so that a
// search counts its results in a slice rather than a map. Numbers are never taken back: an
// index made from another keeps them (the codes are a few hundred).
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

// clone returns a copy that can number new codes without changing n (read by searches).
func (n numbering) clone() numbering {
	return numbering{codes: slices.Clone(n.codes), number: maps.Clone(n.number)}
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

// companyRows are the rows of some companies (or of all) as loaded from the database.
type companyRows struct {
	listed    []listedCompany
	directory []DirectoryEntry
	fiches    []FicheResult // open, each company's in its employer's order
	received  received
}

// loadCompanyRows reads the rows of the companies of ids (all when nil), the candidatures of the
// window ending at now included. The tables are read in parallel (each on its own connection):
// the load delays the search that asked for it.
func loadCompanyRows(ctx context.Context, d *db.DB, ids []int64, now time.Time) (companyRows, error) {
	var r companyRows
	err := inParallel([]func() error{
		func() (err error) { r.listed, r.directory, err = loadCompanies(ctx, d, ids); return err },
		func() (err error) { r.fiches, err = loadOpenFiches(ctx, d, ids); return err },
		func() (err error) {
			r.received, err = loadCandidatures(ctx, d, ids, now.Add(-CandidatureWindow))
			return err
		},
	})
	return r, err
}

// buildIndex reads the data of the searches as of Version gen. Reusing prev's places when
// they did not change spares reading 35,000 communes after each change of a prescriber.
func buildIndex(ctx context.Context, d *db.DB, gen Version, prev *index, now time.Time) (*index, error) {
	base := &index{}
	var (
		rows        companyRows
		prescribers []prescriberCandidate
	)
	loads := []func() error{
		func() (err error) { rows, err = loadCompanyRows(ctx, d, nil, now); return err },
		func() (err error) { prescribers, err = loadHabilitatedPrescribers(ctx, d); return err },
	}
	if prev != nil && prev.gen.places == gen.places {
		base.places = prev.places
	} else {
		loads = append(loads, func() (err error) { base.places, err = loadPlaces(ctx, d); return err })
	}
	if err := inParallel(loads); err != nil {
		return nil, err
	}
	for i := range prescribers {
		prescribers[i].Position = place(prescribers[i].Position.Point)
	}
	sortByPlace(prescribers, prescriberPosition)
	base.prescribers = prescribers
	return base.with(gen, nil, rows), nil
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

// with returns a new index at Version gen: ix, where the rows of the companies of changed are
// replaced by rows (the companies' rows as they are now; a company absent from rows is gone from
// the searches). ix is left as it was: searches may be reading it. Its unchanged rows are
// copied in their order and the new ones merged in (no sort of the whole), so that applying the
// change of a few companies costs a few copies of the arrays, not a rebuild.
func (ix *index) with(gen Version, changed map[int64]bool, rows companyRows) *index {
	nx := &index{gen: gen, places: ix.places, prescribers: ix.prescribers,
		departments: ix.departments.clone(), districts: ix.districts.clone()}
	gone := func(company int64) bool { return changed[company] }

	companies, shown := nx.prepare(rows)
	sortByPlace(companies, companyPosition)
	nx.companies = mergeSorted(slices.DeleteFunc(slices.Clone(ix.companies), func(c listedCompany) bool { return gone(c.ID) }),
		companies, func(a, b *listedCompany) bool { return a.Position.before(b.Position) })

	slices.SortFunc(shown, func(a, b FicheResult) int { return compareFiches(&a, &b) })
	nx.setFiches(ix, gone, shown)

	nx.directory = slices.DeleteFunc(slices.Clone(ix.directory), func(e DirectoryEntry) bool { return gone(e.ID) })
	nx.directory = append(nx.directory, rows.directory...)
	var placedNew []DirectoryEntry
	for _, e := range rows.directory {
		if e.placed {
			placedNew = append(placedNew, e)
		}
	}
	sortByPlace(placedNew, directoryPosition)
	nx.directoryPlaced = mergeSorted(slices.DeleteFunc(slices.Clone(ix.directoryPlaced), func(e DirectoryEntry) bool { return gone(e.ID) }),
		placedNew, func(a, b *DirectoryEntry) bool { return a.position.before(b.position) })
	return nx
}

// prepare completes loaded rows: each listed company's place, numbers, name key, open fiches,
// hiring flag and candidatures; the directory entries' places and fiche départements. It
// returns the listed companies, and the fiches the fiche tab shows (those of the listed
// companies that take applications, placed: at their commune, else at their company), in no
// particular order.
func (ix *index) prepare(rows companyRows) ([]listedCompany, []FicheResult) {
	companies := rows.listed
	byID := make(map[int64]*listedCompany, len(companies))
	collator := collators.Get().(*collate.Collator)
	defer collators.Put(collator)
	var buf collate.Buffer
	for i := range companies {
		c := &companies[i]
		c.Position = place(c.Position.Point)
		c.counted = ix.count(c.Department, c.PostCode)
		c.nameKey = slices.Clone(collator.KeyFromString(&buf, c.displayName()))
		buf.Reset()
		c.received = rows.received.byCompany[c.ID]
		byID[c.ID] = c
	}
	var shown []FicheResult
	for _, f := range rows.fiches { // each company's in its employer's order
		co := byID[f.companyID]
		if co == nil {
			continue
		}
		f.recent = rows.received.byFiche[f.ID]
		co.Open = append(co.Open, FicheSummary{UID: f.UID, Title: f.Title, ContractType: f.ContractType, Contract: f.Contract, recent: f.recent})
		if co.Blocked {
			continue // shown on its card, not offered on the fiche tab
		}
		f.CompanyUID, f.CompanyName, f.CompanyKind = co.UID, co.displayName(), co.Kind
		f.CityName, f.Department, f.position, f.postCode = co.CityName, co.Department, co.Position.Point, co.PostCode
		if f.location != "" {
			lc, ok := ix.places.communes[f.location]
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

	byEntry := make(map[int64]*DirectoryEntry, len(rows.directory))
	for i := range rows.directory {
		e := &rows.directory[i]
		e.position = place(e.position.Point)
		byEntry[e.ID] = e
	}
	for _, f := range rows.fiches {
		e := byEntry[f.companyID]
		if e == nil {
			continue
		}
		dept := e.Department
		if f.location != "" {
			dept = ix.places.communes[f.location].DepartmentCode
		}
		if dept != "" && !contains(e.ficheDepartments, dept) {
			e.ficheDepartments = append(e.ficheDepartments, dept)
		}
	}
	return companies, shown
}

// collators are French collators (one is not safe for concurrent use, and making one costs).
var collators = sync.Pool{New: func() any { return collate.New(language.French, collate.IgnoreCase, collate.Loose) }}

// compareFiches is the order of the fiche tab (actors.md §13.1): internal offers first, then
// most recently updated, then newest.
func compareFiches(a, b *FicheResult) int {
	if a.internal != b.internal {
		return boolFirst(a.internal)
	}
	if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// setFiches makes the fiche ranks and spots of nx: those of old whose company is not gone, in
// their order, merged with added (in the tab's order). The kept fiches' ranks move by the
// fiches removed and added before them; each spot keeps its place, gains the ranks of the
// added fiches placed there, and goes when it holds none; new positions make new spots.
func (nx *index) setFiches(old *index, gone func(int64) bool, added []FicheResult) {
	nx.fiches = make([]*FicheResult, 0, len(old.fiches)+len(added))
	remap := make([]int32, len(old.fiches)) // old rank → new rank, -1 when removed
	addedRanks := make([]int32, len(added))
	i, j := 0, 0
	for i < len(old.fiches) || j < len(added) {
		if i < len(old.fiches) && gone(old.fiches[i].companyID) {
			remap[i] = -1
			i++
			continue
		}
		if j >= len(added) || i < len(old.fiches) && compareFiches(old.fiches[i], &added[j]) <= 0 {
			remap[i] = int32(len(nx.fiches))
			nx.fiches = append(nx.fiches, old.fiches[i])
			i++
		} else {
			addedRanks[j] = int32(len(nx.fiches))
			nx.fiches = append(nx.fiches, &added[j])
			j++
		}
	}

	// Each added fiche goes to the old spot of its position and key, else to a new spot.
	oldTarget := make([]int32, len(added)) // spot index in old.spots, -1 when new
	newTarget := make([]int32, len(added)) // spot index in fresh
	var fresh []ficheSpot
	freshOf := map[spotKey]int32{}
	gained := map[int32]int{} // old spot → added ranks
	for j := range added {
		f := &added[j]
		p, key := place(f.position), f.spot()
		oldTarget[j], newTarget[j] = old.findSpot(p, key), -1
		if oldTarget[j] >= 0 {
			gained[oldTarget[j]]++
			continue
		}
		k, ok := freshOf[key]
		if !ok {
			k = int32(len(fresh))
			freshOf[key] = k
			fresh = append(fresh, ficheSpot{Position: p, Department: f.Department, PostCode: f.postCode,
				counted: nx.count(f.Department, f.postCode), spotKey: key})
		}
		newTarget[j] = k
	}

	// The ranks of all spots share one array, each spot its own part, with room for the ranks
	// it gains.
	ranks := make([]int32, 0, len(nx.fiches))
	kept := make([]ficheSpot, 0, len(old.spots)+len(fresh))
	keptOf := make([]int32, len(old.spots)) // old spot → index in kept, -1 when it went
	for s := range old.spots {
		from := len(ranks)
		for _, r := range old.spots[s].ranks {
			if n := remap[r]; n >= 0 {
				ranks = append(ranks, n)
			}
		}
		extra := gained[int32(s)]
		if len(ranks) == from && extra == 0 {
			keptOf[s] = -1
			continue
		}
		spot := old.spots[s]
		spot.ranks = ranks[from : len(ranks) : len(ranks)+extra]
		ranks = ranks[:len(ranks)+extra]
		keptOf[s] = int32(len(kept))
		kept = append(kept, spot)
	}
	freshRanks := make([][]int32, len(fresh))
	for j := range added {
		if t := oldTarget[j]; t >= 0 {
			spot := &kept[keptOf[t]]
			spot.ranks = append(spot.ranks, addedRanks[j]) // into the room left for it
		} else {
			freshRanks[newTarget[j]] = append(freshRanks[newTarget[j]], addedRanks[j])
		}
	}
	for t := range gained {
		slices.Sort(kept[keptOf[t]].ranks)
	}
	for k := range fresh {
		fresh[k].ranks = freshRanks[k] // added in rank order: ascending
	}
	sortByPlace(fresh, spotPosition)
	nx.spots = mergeSorted(kept, fresh, func(a, b *ficheSpot) bool { return a.Position.before(b.Position) })
}

// findSpot returns the index of the spot of key at position p, or -1.
func (ix *index) findSpot(p placed, key spotKey) int32 {
	i := sort.Search(len(ix.spots), func(i int) bool { return !ix.spots[i].Position.before(p) })
	for ; i < len(ix.spots) && !p.before(ix.spots[i].Position); i++ {
		if ix.spots[i].spotKey == key && ix.spots[i].Position.Point == p.Point {
			return int32(i)
		}
	}
	return -1
}

// mergeSorted merges two lists sorted by less into a new one (a's first among equals).
func mergeSorted[T any](a, b []T, less func(x, y *T) bool) []T {
	if len(b) == 0 {
		return a
	}
	out := make([]T, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if less(&b[j], &a[i]) {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
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

// companyHit is a listed company within the radius, with its distance key and its
// job_app_score.
type companyHit struct {
	*listedCompany
	key   float64
	score float64
}

// companiesWithin returns the listed companies within the circle (blocked ones included), with
// their job_app_score as of the window starting at since.
func (ix *index) companiesWithin(c circle, since int64) []companyHit {
	var hits []companyHit
	eachWithin(ix.companies, companyPosition, c, func(co *listedCompany, key float64) {
		hits = append(hits, companyHit{co, key, co.score(since)})
	})
	return hits
}

// score is the company's job_app_score over the window starting at since.
func (c *listedCompany) score(since int64) float64 {
	return JobAppScore(countSince(c.received, since), len(c.Open), !c.Blocked && c.Spontaneous)
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
				f := ix.fiches[rank]
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
