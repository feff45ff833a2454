package search

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// EarthRadiusKm is the mean Earth radius used for great-circle distances.
const EarthRadiusKm = 6371.0

// kmPerDegreeLat is the length of one degree of latitude (2π·6371/360), the scale of the
// bounding box.
const kmPerDegreeLat = 2 * math.Pi * EarthRadiusKm / 360

// Point is a position in decimal degrees (WGS84).
type Point struct{ Lat, Lon float64 }

// DistanceKm is the great-circle distance between a and b in km (haversine formula).
func DistanceKm(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Within reports whether p lies within radiusKm of center: the rule that decides whether a result
// is shown (actors.md §13.1: "coords within radius of the city centre").
func Within(center, p Point, radiusKm float64) bool { return DistanceKm(center, p) <= radiusKm }

// placed is a position with its unit vector on the sphere, computed once when the index is
// built, so that testing it against a radius needs no trigonometry (see circle).
type placed struct {
	Point
	unit [3]float64
	cell int32 // the latitude band (see cellOf)
}

func place(p Point) placed {
	const rad = math.Pi / 180
	lat, lon := p.Lat*rad, p.Lon*rad
	return placed{p, [3]float64{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}, cellOf(p.Lat)}
}

// cellDegrees is the height of the latitude bands that order the index's rows: rows are sorted
// by band, then by longitude, so that a search reads, band by band, only the rows of its
// bounding box's longitude range (a band a tenth of a degree high is about 11 km).
const cellDegrees = 0.1

func cellOf(lat float64) int32 { return int32(math.Floor(lat / cellDegrees)) }

// before orders positions by latitude band, then longitude (see cellDegrees).
func (p placed) before(q placed) bool {
	if p.cell != q.cell {
		return p.cell < q.cell
	}
	return p.Lon < q.Lon
}

// circle is the area within a radius of a centre, for testing many placed positions. The
// squared chord between unit vectors grows with the great-circle distance, so comparing it with
// the radius's squared chord decides without trigonometry; the rare positions within a hair
// (one part in 10⁹) of the edge are decided by DistanceKm itself, so the answer is always
// Within's.
type circle struct {
	center       placed
	km           float64
	inner, outer float64 // squared chord of the radius, minus and plus the margin
	box          Box
}

func newCircle(center Point, km float64) circle {
	chord := 2 * math.Sin(km/EarthRadiusKm/2)
	return circle{center: place(center), km: km, inner: chord * chord * (1 - 1e-9), outer: chord * chord * (1 + 1e-9),
		box: BoundingBox(center, km)}
}

// contains reports whether p is within the radius, and a key that orders positions by distance
// from the centre (the squared chord).
func (c circle) contains(p placed) (bool, float64) {
	dx, dy, dz := p.unit[0]-c.center.unit[0], p.unit[1]-c.center.unit[1], p.unit[2]-c.center.unit[2]
	key := dx*dx + dy*dy + dz*dz
	switch {
	case key < c.inner:
		return true, key
	case key > c.outer:
		return false, key
	}
	return Within(c.center.Point, p.Point, c.km), key
}

// Box is a latitude/longitude rectangle, bounds included.
type Box struct{ MinLat, MaxLat, MinLon, MaxLon float64 }

// Contains reports whether p is inside the box.
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.MinLat && p.Lat <= b.MaxLat && p.Lon >= b.MinLon && p.Lon <= b.MaxLon
}

// BoundingBox is a rectangle that contains every point within radiusKm of center: a latitude band
// of ± radius/111 km, and a longitude band widened by 1/cos of the latitude nearest the pole
// inside the band (the widest the circle gets). Its SQL twin uses the (latitude, longitude)
// indexes; the exact distance is then checked in Go. A small margin (0.1 %) covers rounding.
func BoundingBox(center Point, radiusKm float64) Box {
	dLat := radiusKm / kmPerDegreeLat * 1.001
	b := Box{MinLat: center.Lat - dLat, MaxLat: center.Lat + dLat}
	extreme := math.Max(math.Abs(b.MinLat), math.Abs(b.MaxLat))
	if extreme >= 89 { // near a pole, any longitude may be close
		b.MinLon, b.MaxLon = -180, 180
		return b
	}
	dLon := dLat / math.Cos(extreme*math.Pi/180)
	b.MinLon, b.MaxLon = center.Lon-dLon, center.Lon+dLon
	return b
}

// Distances are the radii offered, in km (actors.md §13.1).
var Distances = []int{2, 5, 10, 15, 25, 50, 100}

// Default radii (actors.md §13.1-13.2).
const (
	DefaultEmployerDistance   = 25
	DefaultPrescriberDistance = 5
)

// French messages of the search input.
const (
	MsgCityRequired  = "Choisissez une ville dans la liste."
	MsgUnknownCity   = "Cette ville est inconnue : choisissez-la dans la liste proposée."
	MsgDistance      = "La distance doit être l'une des valeurs proposées."
	MsgPage          = "Le numéro de page est invalide : la première page est affichée."
	MsgPageBeyondEnd = "Cette page n'existe pas (ou plus) : la dernière page est affichée."
	MsgKind          = "Type de structure inconnu."
	MsgContractType  = "Type de contrat inconnu."
	MsgDomain        = "Domaine professionnel inconnu."
	MsgDepartment    = "Département inconnu."
)

// Field names of the input, as in the URL.
const (
	FieldCity          = "city"
	FieldDistance      = "distance"
	FieldPage          = "page"
	FieldKinds         = "kinds"
	FieldDepartments   = "departments"
	FieldDistricts     = "districts"
	FieldCompany       = "company"
	FieldContractTypes = "contract_types"
	FieldDomains       = "domains"
)

// InputError is bad search input, with the French message to show next to the field.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return "search: " + e.Field + ": " + e.Message }

// Input errors the callers may test with errors.Is.
var (
	ErrCityRequired = &InputError{Field: FieldCity, Message: MsgCityRequired}
	ErrUnknownCity  = &InputError{Field: FieldCity, Message: MsgUnknownCity}
	ErrDistance     = &InputError{Field: FieldDistance, Message: MsgDistance}
)

// ParseDistance reads the radius: empty means def; otherwise one of Distances ("25" or "25.0"),
// else ErrDistance.
func ParseDistance(raw string, def int) (int, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
	if err != nil || f != math.Trunc(f) {
		return 0, ErrDistance
	}
	if !ValidDistance(int(f)) {
		return 0, ErrDistance
	}
	return int(f), nil
}

// ValidDistance reports whether km is one of the radii offered.
func ValidDistance(km int) bool {
	for _, d := range Distances {
		if d == km {
			return true
		}
	}
	return false
}

// ParsePage reads a page number: empty is page 1; anything else that is not a positive integer
// (-1, 0, "abc") is page 1 too, with ok false so that the page can say so. Huge numbers are
// clamped later to the last page.
func ParsePage(raw string) (page int, ok bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 1, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange && !strings.HasPrefix(raw, "-") {
			return math.MaxInt32, true // beyond any end
		}
		return 1, false
	}
	if n < 1 {
		return 1, false
	}
	return n, true
}

// paginate cuts total results into pages of size and returns the bounds [from, to) of page
// requested. A page beyond the end shows the last page (Clamped): a shared or bookmarked URL
// whose results shrank still shows the nearest thing to what was asked, with a message, rather
// than an empty page.
func paginate(total, requested, size int) (from, to int, p pageInfo) {
	p.PageSize = size
	p.PageCount = (total + size - 1) / size
	if p.PageCount < 1 {
		p.PageCount = 1
	}
	p.Number = requested
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Number > p.PageCount {
		p.Number, p.Clamped = p.PageCount, true
	}
	from = (p.Number - 1) * size
	to = from + size
	if from > total {
		from = total
	}
	if to > total {
		to = total
	}
	return from, to, p
}

type pageInfo struct {
	Number, PageCount, PageSize int
	Clamped                     bool
}

// districtCities are the communes divided into municipal arrondissements (actors.md §13.1), by
// INSEE code, with the post codes of their arrondissements: from first, numbered in order, and
// the few extra post codes of an arrondissement (Paris 16e has two).
var districtCities = map[string]struct {
	first, count int
	extra        map[int]int
}{
	"75056": {75001, 20, map[int]int{75116: 16}},
	"69123": {69001, 9, nil},
	"13055": {13001, 16, nil},
}

// DistrictCity returns the INSEE code of the city with arrondissements that the commune is or
// belongs to, or "" (the district filter is offered only there).
func DistrictCity(inseeCode, parentCode string) string {
	for _, code := range []string{inseeCode, parentCode} {
		if _, ok := districtCities[code]; ok {
			return code
		}
	}
	return ""
}

// DistrictNumber returns the arrondissement of the city that a post code designates (1 for
// 75001, 16 for 75116), or 0 when it designates none.
func DistrictNumber(city, postCode string) int {
	d, ok := districtCities[city]
	if !ok || len(postCode) != 5 {
		return 0
	}
	n, err := strconv.Atoi(postCode)
	if err != nil {
		return 0
	}
	if n >= d.first && n < d.first+d.count {
		return n - d.first + 1
	}
	return d.extra[n]
}

// ValidDistrict reports whether a post code designates an arrondissement of any of the cities.
func ValidDistrict(postCode string) bool {
	for city := range districtCities {
		if DistrictNumber(city, postCode) > 0 {
			return true
		}
	}
	return false
}

// DistrictLabel names an arrondissement: "1er arrondissement", "11e arrondissement".
func DistrictLabel(n int) string {
	if n == 1 {
		return "1er arrondissement"
	}
	return strconv.Itoa(n) + "e arrondissement"
}

// RomeDomain is a ROME grand domain: the first letter of a ROME code.
type RomeDomain struct {
	Code  string
	Label string
}

// RomeDomains are the 14 ROME grand domains A-N (actors.md §13.1), matched by ROME code prefix.
var RomeDomains = []RomeDomain{
	{"A", "Agriculture et pêche, espaces naturels et espaces verts, soins aux animaux"},
	{"B", "Arts et façonnage d'ouvrages d'art"},
	{"C", "Banque, assurance, immobilier"},
	{"D", "Commerce, vente et grande distribution"},
	{"E", "Communication, média et multimédia"},
	{"F", "Construction, bâtiment et travaux publics"},
	{"G", "Hôtellerie-restauration, tourisme, loisirs et animation"},
	{"H", "Industrie"},
	{"I", "Installation et maintenance"},
	{"J", "Santé"},
	{"K", "Services à la personne et à la collectivité"},
	{"L", "Spectacle"},
	{"M", "Support à l'entreprise"},
	{"N", "Transport et logistique"},
}

// ValidDomain reports whether code is one of the ROME grand domains.
func ValidDomain(code string) bool {
	for _, d := range RomeDomains {
		if d.Code == code {
			return true
		}
	}
	return false
}

// InDomains reports whether a ROME code belongs to one of the domains (all when domains is empty).
func InDomains(romeCode string, domains []string) bool {
	if len(domains) == 0 {
		return true
	}
	for _, d := range domains {
		if strings.HasPrefix(romeCode, d) {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// CandidatureWindow is the period over which the « peu de candidatures » badge and the
// job_app_score count the candidatures (actors.md §4.6: the last 3 weeks).
const CandidatureWindow = 21 * 24 * time.Hour

// MaxFewApplications is the most candidatures of the window a fiche de poste may have and
// still show « Soyez parmi les premiers à postuler » (actors.md §4.6: « ≤ 1 application »).
const MaxFewApplications = 1

// FewApplications reports whether a fiche de poste that received count candidatures in the
// window shows the badge.
func FewApplications(count int) bool { return count <= MaxFewApplications }

// JobAppScore is the employer ranking score (actors.md §4.6): the candidatures received in the
// window per open offer, an offer being an open fiche de poste or the open spontaneous
// applications, at least one: received / max(1, openFiches + (spontaneousOpen ? 1 : 0)). The
// employer tab shows the lowest scores first, so that candidatures spread over the employers.
// Upstream computes it hourly into company.job_app_score (+∞ until then); here it is computed
// at each search from the times kept in the index, exact at every moment.
func JobAppScore(received, openFiches int, spontaneousOpen bool) float64 {
	offers := openFiches
	if spontaneousOpen {
		offers++
	}
	return float64(received) / float64(max(1, offers))
}

// windowStart is the first second of the window ending at now (Unix seconds).
func windowStart(now time.Time) int64 { return now.Add(-CandidatureWindow).Unix() }

// countSince counts the times (ascending Unix seconds) at or after since.
func countSince(times []int64, since int64) int {
	return len(times) - sort.Search(len(times), func(i int) bool { return times[i] >= since })
}

// recentCount counts the two latest times (0: none) that are at or after since: enough to
// decide FewApplications.
func recentCount(two [2]int64, since int64) int {
	n := 0
	for _, t := range two {
		if t != 0 && t >= since {
			n++
		}
	}
	return n
}
