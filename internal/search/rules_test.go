package search

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
)

// Centres of the communes (reference file communes.csv).
var (
	lyon         = Point{45.758, 4.8351}
	villeurbanne = Point{45.7719, 4.8898}
	paris        = Point{48.8589, 2.347}
	marseille    = Point{43.2803, 5.3806}
	lille        = Point{50.6311, 3.0469}
)

// destination is the point at km from p in the direction bearing (degrees from north), on the
// great circle (the inverse of DistanceKm, to place fixtures at exact distances).
func destination(p Point, bearing, km float64) Point {
	const rad = math.Pi / 180
	lat1, lon1, b := p.Lat*rad, p.Lon*rad, bearing*rad
	d := km / EarthRadiusKm
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(b))
	lon2 := lon1 + math.Atan2(math.Sin(b)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	return Point{lat2 / rad, lon2 / rad}
}

func TestDistanceKm_MatchesKnownCityPairs(t *testing.T) {
	tests := []struct {
		name     string
		a, b     Point
		min, max float64
	}{
		{"Lyon to Villeurbanne", lyon, villeurbanne, 3, 5},
		{"Paris to Lyon", paris, lyon, 390, 394},
		{"Lyon to Marseille", lyon, marseille, 275, 280},
		{"Paris to Lille", paris, lille, 203, 206},
		{"a point to itself", lyon, lyon, 0, 0},
		{"half way round the equator", Point{0, 0}, Point{0, 180}, math.Pi*EarthRadiusKm - 0.001, math.Pi*EarthRadiusKm + 0.001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DistanceKm(tt.a, tt.b)
			if d < tt.min || d > tt.max {
				t.Errorf("DistanceKm = %.3f km, want between %.3f and %.3f", d, tt.min, tt.max)
			}
			if back := DistanceKm(tt.b, tt.a); math.Abs(back-d) > 1e-9 {
				t.Errorf("not symmetric: %.6f and %.6f", d, back)
			}
		})
	}
}

func TestWithin_KeepsThePointsUpToTheRadiusIncluded(t *testing.T) {
	tests := []struct {
		name    string
		bearing float64
		km      float64
		want    bool
	}{
		{"24.9 km north", 0, 24.9, true},
		{"25.1 km north", 0, 25.1, false},
		{"24.9 km east", 90, 24.9, true},
		{"25.1 km east", 90, 25.1, false},
		{"24.99 km south-west", 225, 24.99, true},
		{"25.01 km south-west", 225, 25.01, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Within(lyon, destination(lyon, tt.bearing, tt.km), 25); got != tt.want {
				t.Errorf("Within = %v, want %v", got, tt.want)
			}
		})
	}
}

// The index's radius test (squared chords) answers exactly as Within, at the edge too, and its
// key orders positions as their distance does.
func TestCircle_AgreesWithWithinAndOrdersByDistance(t *testing.T) {
	for _, center := range []Point{lyon, lille, marseille, {-21.1, 55.5} /* La Réunion */, {0, 179.9}} {
		for _, r := range []float64{2, 5, 25, 100} {
			c := newCircle(center, r)
			prevKey := -1.0
			for _, factor := range []float64{0, 0.5, 0.999, 1 - 1e-12, 1, 1 + 1e-12, 1.001, 2} {
				for bearing := 0.0; bearing < 360; bearing += 45 {
					p := destination(center, bearing, r*factor)
					in, key := c.contains(place(p))
					if want := Within(center, p, r); in != want {
						t.Errorf("%v km around %v, point at %v×r bearing %v: contains %v, Within %v", r, center, factor, bearing, in, want)
					}
					if bearing == 0 {
						if key < prevKey {
							t.Errorf("%v km around %v: key %g at %v×r below %g", r, center, key, factor, prevKey)
						}
						prevKey = key
					}
				}
			}
		}
	}
}

func TestDistrictNumber_ReadsTheArrondissementsOfParisLyonAndMarseille(t *testing.T) {
	tests := []struct {
		city, postCode string
		want           int
	}{
		{"75056", "75001", 1}, {"75056", "75020", 20}, {"75056", "75116", 16}, {"75056", "75021", 0},
		{"69123", "69009", 9}, {"69123", "69010", 0}, {"69123", "75001", 0},
		{"13055", "13016", 16}, {"13055", "13017", 0},
		{"42218", "42000", 0}, {"75056", "7500", 0}, {"75056", "abcde", 0},
	}
	for _, tt := range tests {
		if got := DistrictNumber(tt.city, tt.postCode); got != tt.want {
			t.Errorf("DistrictNumber(%s, %s) = %d, want %d", tt.city, tt.postCode, got, tt.want)
		}
	}
	if DistrictCity("75111", "75056") != "75056" || DistrictCity("69123", "") != "69123" || DistrictCity("69266", "") != "" {
		t.Error("DistrictCity")
	}
	if DistrictLabel(1) != "1er arrondissement" || DistrictLabel(11) != "11e arrondissement" {
		t.Error("DistrictLabel")
	}
}

func TestSortFirst_PutsTheKSmallestFirstInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 40, 800} {
		for _, k := range []int{0, 1, 3, 10, 30, 200, 800} {
			list := make([]int, n)
			for i := range list {
				list[i] = rng.IntN(50) // duplicates on purpose
			}
			want := slices.Sorted(slices.Values(list))
			sortFirst(list, k, cmp.Compare[int])
			if m := min(k, n); !slices.Equal(list[:m], want[:m]) {
				t.Errorf("n=%d k=%d: first %v, want %v", n, k, list[:m], want[:m])
			}
			if !slices.Equal(slices.Sorted(slices.Values(list)), want) {
				t.Errorf("n=%d k=%d: elements lost", n, k)
			}
		}
	}
}

func TestBoundingBox_ContainsEveryPointOfTheCircle(t *testing.T) {
	for _, center := range []Point{lyon, lille, marseille, {-21.1, 55.5} /* La Réunion */, {64.1, -21.9}, {0, 179.9}} {
		for _, r := range []float64{2, 25, 100} {
			box := BoundingBox(center, r)
			for bearing := 0.0; bearing < 360; bearing += 5 {
				if p := destination(center, bearing, r); !box.Contains(p) {
					t.Errorf("box of %v km around %v misses %v (bearing %v)", r, center, p, bearing)
				}
			}
			if p := destination(center, 0, r*1.01); box.Contains(p) {
				t.Errorf("box of %v km around %v holds a point %v km north", r, center, r*1.01)
			}
		}
	}
}

func TestParseDistance_AcceptsOnlyTheOfferedRadii(t *testing.T) {
	tests := []struct {
		raw     string
		want    int
		wantErr bool
	}{
		{"", 25, false},
		{"  ", 25, false},
		{"2", 2, false},
		{"50", 50, false},
		{"100", 100, false},
		{"25.0", 25, false},
		{"0", 0, true},
		{"500", 0, true},
		{"-5", 0, true},
		{"24", 0, true},
		{"12.5", 0, true},
		{"abc", 0, true},
		{"1e400", 0, true},
		{"NaN", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := ParseDistance(tt.raw, 25)
			if tt.wantErr {
				if !errors.Is(err, ErrDistance) {
					t.Fatalf("ParseDistance(%q) = %d, %v; want ErrDistance", tt.raw, got, err)
				}
				if ErrDistance.Message != "La distance doit être l'une des valeurs proposées." {
					t.Errorf("message %q", ErrDistance.Message)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseDistance(%q) = %d, %v; want %d", tt.raw, got, err, tt.want)
			}
		})
	}
}

func TestParsePage_ReadsBadNumbersAsPageOne(t *testing.T) {
	tests := []struct {
		raw    string
		want   int
		wantOK bool
	}{
		{"", 1, true},
		{"1", 1, true},
		{"7", 7, true},
		{"0", 1, false},
		{"-1", 1, false},
		{"abc", 1, false},
		{"2.5", 1, false},
		{"99999999999999999999", math.MaxInt32, true},
		{"-99999999999999999999", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, ok := ParsePage(tt.raw)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParsePage(%q) = %d, %v; want %d, %v", tt.raw, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestPaginate_ShowsTheLastPageBeyondTheEnd(t *testing.T) {
	tests := []struct {
		name                 string
		total, requested     int
		from, to, number, of int
		clamped              bool
	}{
		{"first page", 25, 1, 0, 10, 1, 3, false},
		{"last partial page", 25, 3, 20, 25, 3, 3, false},
		{"beyond the end", 25, 4, 20, 25, 3, 3, true},
		{"far beyond the end", 25, math.MaxInt32, 20, 25, 3, 3, true},
		{"no results", 0, 1, 0, 0, 1, 1, false},
		{"no results, page 2", 0, 2, 0, 0, 1, 1, true},
		{"exactly one page", 10, 1, 0, 10, 1, 1, false},
		{"page zero", 10, 0, 0, 10, 1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, p := paginate(tt.total, tt.requested, 10)
			if from != tt.from || to != tt.to || p.Number != tt.number || p.PageCount != tt.of || p.Clamped != tt.clamped {
				t.Errorf("paginate(%d, %d) = [%d, %d) page %d/%d clamped %v; want [%d, %d) page %d/%d clamped %v",
					tt.total, tt.requested, from, to, p.Number, p.PageCount, p.Clamped, tt.from, tt.to, tt.number, tt.of, tt.clamped)
			}
		})
	}
}

func TestInDomains_MatchesTheRomeCodePrefix(t *testing.T) {
	tests := []struct {
		rome    string
		domains []string
		want    bool
	}{
		{"F1703", []string{"F"}, true},
		{"K2204", []string{"F"}, false},
		{"K2204", []string{"F", "K"}, true},
		{"K2204", nil, true},
	}
	for _, tt := range tests {
		if got := InDomains(tt.rome, tt.domains); got != tt.want {
			t.Errorf("InDomains(%q, %v) = %v, want %v", tt.rome, tt.domains, got, tt.want)
		}
	}
	if len(RomeDomains) != 14 || RomeDomains[0].Code != "A" || RomeDomains[13].Code != "N" {
		t.Errorf("RomeDomains = %v", RomeDomains)
	}
}

func TestParseQuery_ReadsTheFiltersAndDropsUnknownValues(t *testing.T) {
	v, _ := url.ParseQuery("city=69123&city_name=Lyon+(69)&distance=50&kinds=ACI&kinds[]=ei&kinds=EA&kinds=XYZ" +
		"&departments=69&departments=2a&departments=../&contract_types=FIXED_TERM_I&contract_types=nope" +
		"&domains=f&domains=Z&company=abc&page=2&districts=69003&districts[]=75116&districts=69010")
	p := ParseQuery(v)
	want := Query{City: "69123", CityText: "Lyon (69)", Distance: 50, Kinds: []org.CompanyKind{org.ACI, org.EI},
		Departments: []string{"69", "2A"}, Districts: []string{"69003", "75116"}, Company: "abc", ContractTypes: []jobdesc.ContractType{jobdesc.FixedTermI},
		Domains: []string{"F"}, Page: 2}
	if !reflect.DeepEqual(p.Query, want) {
		t.Errorf("query = %+v\nwant    %+v", p.Query, want)
	}
	if len(p.Errors) != 0 || !reflect.DeepEqual(p.Notices, []string{MsgFiltersIgnored}) {
		t.Errorf("errors %v, notices %v", p.Errors, p.Notices)
	}
}

func TestParseQuery_ReportsABadDistanceAndCorrectsABadPage(t *testing.T) {
	for _, raw := range []string{"distance=0&page=-1", "distance=500&page=abc", "distance=%00&page=0"} {
		v, _ := url.ParseQuery("city=69123&" + raw)
		p := ParseQuery(v)
		if len(p.Errors) != 1 || p.Errors[0] != ErrDistance {
			t.Errorf("%s: errors %v", raw, p.Errors)
		}
		if p.Query.Page != 1 || !reflect.DeepEqual(p.Notices, []string{MsgPage}) {
			t.Errorf("%s: page %d, notices %v", raw, p.Query.Page, p.Notices)
		}
	}
}

func TestQueryValues_KeepsTheSharedFiltersOnEveryTab(t *testing.T) {
	q := Query{City: "69123", Distance: 50, Kinds: []org.CompanyKind{org.ACI}, Departments: []string{"69"}, Company: "c1",
		ContractTypes: []jobdesc.ContractType{jobdesc.FixedTermI}, Domains: []string{"K"}, Page: 3}
	if got := q.Values(BothTabs).Encode(); got != "city=69123&departments=69&distance=50&kinds=ACI" {
		t.Errorf("shared: %s", got)
	}
	if got := q.Values(EmployerTab).Encode(); got != "city=69123&company=c1&departments=69&distance=50&kinds=ACI" {
		t.Errorf("employers: %s", got)
	}
	if got := q.Values(FicheTab).Encode(); got != "city=69123&contract_types=FIXED_TERM_I&departments=69&distance=50&domains=K&kinds=ACI" {
		t.Errorf("fiches: %s", got)
	}
}

// eachWithin finds exactly the positions a scan of every one with Within finds, across latitude
// bands and at the edges.
func TestEachWithin_FindsWhatAFullScanFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var list []placed
	for range 5000 {
		list = append(list, place(Point{Lat: 42 + rng.Float64()*9, Lon: -5 + rng.Float64()*13}))
	}
	for _, center := range []Point{lyon, paris, lille, marseille} {
		for _, r := range []float64{2, 25, 100} {
			for bearing := 0.0; bearing < 360; bearing += 30 { // points on the edge, in and out
				list = append(list, place(destination(center, bearing, r*(1-1e-9))), place(destination(center, bearing, r*(1+1e-9))))
			}
		}
	}
	sortByPlace(list, func(p *placed) placed { return *p })
	for _, center := range []Point{lyon, paris, lille, marseille} {
		for _, r := range []float64{2, 25, 100} {
			want := 0
			for _, p := range list {
				if Within(center, p.Point, r) {
					want++
				}
			}
			got := 0
			eachWithin(list, func(p *placed) placed { return *p }, newCircle(center, r), func(*placed, float64) { got++ })
			if got != want {
				t.Errorf("%v km around %v: %d found, %d within", r, center, got, want)
			}
		}
	}
}

func TestJobAppScore_CountsCandidaturesPerOpenOfferAtLeastOne(t *testing.T) {
	for _, c := range []struct {
		received, fiches int
		spontaneous      bool
		want             float64
	}{
		{0, 0, false, 0},
		{3, 0, false, 3},
		{3, 0, true, 3},
		{3, 2, true, 1},
		{4, 2, false, 2},
		{1, 3, true, 0.25},
	} {
		if got := JobAppScore(c.received, c.fiches, c.spontaneous); got != c.want {
			t.Errorf("JobAppScore(%d, %d, %v) = %v, want %v", c.received, c.fiches, c.spontaneous, got, c.want)
		}
	}
}

func TestFewApplications_UpToOneCandidatureInTheWindow(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	since := windowStart(now)
	day := int64(24 * 3600)
	for _, c := range []struct {
		recent [2]int64
		want   bool
	}{
		{[2]int64{}, true},
		{[2]int64{now.Unix(), 0}, true},
		{[2]int64{now.Unix(), now.Unix() - day}, false},
		{[2]int64{now.Unix(), since}, false},     // the window's first second counts
		{[2]int64{now.Unix(), since - 1}, true},  // the second before does not
		{[2]int64{since - 1, since - day}, true}, // both older than 3 weeks
	} {
		if got := FewApplications(recentCount(c.recent, since)); got != c.want {
			t.Errorf("FewApplications(%v) = %v, want %v", c.recent, got, c.want)
		}
	}
	times := []int64{since - 2, since - 1, since, since + 1, now.Unix()}
	if n := countSince(times, since); n != 3 {
		t.Errorf("countSince = %d, want 3", n)
	}
}
