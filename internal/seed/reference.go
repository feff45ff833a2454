package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/uptrace/bun"
)

// place is a commune where organizations are put: a commune, or a municipal arrondissement of
// Paris, Lyon or Marseille (then Commune* name the whole city, as addresses do).
type place struct {
	InseeCode      string
	Name           string
	Department     string
	PostalCode     string
	Latitude       float64
	Longitude      float64
	Population     int
	CommuneCode    string // the INSEE code an address keeps: the parent city's for an arrondissement
	CommuneName    string
	Arrondissement bool
}

// appellation is a ROME appellation that fiches de poste may use.
type appellation struct {
	Code     string
	Label    string
	RomeCode string
}

// reference is the part of the reference data the generator draws from, in a fixed order so that
// the draws are the same on every engine.
type reference struct {
	places       []place // sorted by INSEE code
	cumulative   []int64 // cumulative population, for drawing a place in proportion to it
	grid         map[cell][]int
	appellations []appellation // sorted by code
	common       []int         // indexes of appellations of the usual IAE trades
}

// cell is a square of the grid used to find the communes near a point (0.1° of latitude, about
// 11 km, by 0.15° of longitude).
type cell struct{ lat, lon int }

const cellLat, cellLon = 0.1, 0.15

func cellOf(lat, lon float64) cell {
	return cell{int(math.Floor(lat / cellLat)), int(math.Floor(lon / cellLon))}
}

// loadReference reads the communes of metropolitan France and the DROM with their population (the
// cities split into arrondissements are replaced by their arrondissements) and the ROME
// appellations.
func loadReference(ctx context.Context, idb bun.IDB) (*reference, error) {
	var rows []struct {
		InseeCode   string `bun:"insee_code"`
		Name        string `bun:"name"`
		Department  string `bun:"department_code"`
		PostalCodes string `bun:"postal_codes"`
		Latitude    float64
		Longitude   float64
		Population  int
		ParentCode  *string `bun:"parent_code"`
	}
	err := idb.NewSelect().TableExpr("commune AS c").
		Column("c.insee_code", "c.name", "c.department_code", "c.postal_codes", "c.latitude", "c.longitude", "c.population", "c.parent_code").
		Join("JOIN department AS d ON d.code = c.department_code").
		Where("d.zone IN ('metro', 'drom')").
		OrderExpr("c.insee_code").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("communes: %w", err)
	}
	names := map[string]string{}
	split := map[string]bool{}
	for _, r := range rows {
		names[r.InseeCode] = r.Name
		if r.ParentCode != nil {
			split[*r.ParentCode] = true
		}
	}
	var places []place
	for _, r := range rows {
		if split[r.InseeCode] || r.Population <= 0 {
			continue
		}
		p := place{InseeCode: r.InseeCode, Name: r.Name, Department: r.Department, Latitude: r.Latitude,
			Longitude: r.Longitude, Population: r.Population, CommuneCode: r.InseeCode, CommuneName: r.Name}
		if codes := strings.Fields(r.PostalCodes); len(codes) > 0 {
			p.PostalCode = codes[0]
		}
		if r.ParentCode != nil {
			p.CommuneCode, p.CommuneName, p.Arrondissement = *r.ParentCode, names[*r.ParentCode], true
		}
		places = append(places, p)
	}
	var apps []appellation
	err = idb.NewSelect().Table("rome_appellation").Column("code", "label", "rome_code").OrderExpr("code").Scan(ctx, &apps)
	if err != nil {
		return nil, fmt.Errorf("ROME appellations: %w", err)
	}
	return newReference(places, apps), nil
}

// iaeTrades are the ROME codes most fiches de poste of inclusive employers are about: cleaning,
// green spaces, building, handling and logistics, catering, home care, waste sorting and
// recycling, sales, delivery, maintenance.
var iaeTrades = []string{
	"K2204", "A1203", "F1703", "F1701", "F1602", "F1606", "N1105", "N1103", "N4105", "G1603", "G1602",
	"G1605", "K1302", "K1304", "K2303", "H3302", "H3303", "D1106", "D1507", "I1203", "A1414", "A1416",
	"K2301", "N1101", "G1501", "F1704", "H2909", "I1604",
}

func newReference(places []place, apps []appellation) *reference {
	sort.Slice(places, func(i, j int) bool { return places[i].InseeCode < places[j].InseeCode })
	sort.Slice(apps, func(i, j int) bool { return apps[i].Code < apps[j].Code })
	ref := &reference{places: places, cumulative: make([]int64, len(places)), grid: map[cell][]int{}, appellations: apps}
	var total int64
	for i, p := range places {
		total += int64(p.Population)
		ref.cumulative[i] = total
		c := cellOf(p.Latitude, p.Longitude)
		ref.grid[c] = append(ref.grid[c], i)
	}
	trades := map[string]bool{}
	for _, t := range iaeTrades {
		trades[t] = true
	}
	for i, a := range apps {
		if trades[a.RomeCode] {
			ref.common = append(ref.common, i)
		}
	}
	return ref
}

// drawPlace returns the index of a place drawn in proportion to population.
func (ref *reference) drawPlace(r *rand.Rand) int {
	total := ref.cumulative[len(ref.cumulative)-1]
	x := r.Int64N(total)
	return sort.Search(len(ref.cumulative), func(i int) bool { return ref.cumulative[i] > x })
}

// nearbyRadiusKm bounds the commune of a fiche de poste placed away from its company.
const nearbyRadiusKm = 20

// drawNearby returns a place of another commune than from's, within nearbyRadiusKm of (lat, lon),
// drawn in proportion to population; from itself when there is none.
func (ref *reference) drawNearby(r *rand.Rand, from int, lat, lon float64) int {
	c := cellOf(lat, lon)
	var candidates []int
	var weights []int64
	var total int64
	for dl := -2; dl <= 2; dl++ {
		for dn := -2; dn <= 2; dn++ {
			for _, i := range ref.grid[cell{c.lat + dl, c.lon + dn}] {
				p := ref.places[i]
				if i == from || p.CommuneCode == ref.places[from].CommuneCode || distanceKm(lat, lon, p.Latitude, p.Longitude) > nearbyRadiusKm {
					continue
				}
				candidates = append(candidates, i)
				total += int64(p.Population)
				weights = append(weights, total)
			}
		}
	}
	if len(candidates) == 0 {
		return from
	}
	// The grid cells are visited in a fixed order, so the candidates are too.
	x := r.Int64N(total)
	return candidates[sort.Search(len(weights), func(i int) bool { return weights[i] > x })]
}

// drawAppellation returns an appellation: most often one of the usual IAE trades, else any.
func (ref *reference) drawAppellation(r *rand.Rand) appellation {
	if len(ref.common) > 0 && r.Float64() < 0.65 {
		return ref.appellations[ref.common[r.IntN(len(ref.common))]]
	}
	return ref.appellations[r.IntN(len(ref.appellations))]
}

// jitter moves a point by up to maxKm in a random direction, as an address is away from the
// commune's centre; coordinates are rounded to 6 decimals (about 10 cm).
func jitter(r *rand.Rand, lat, lon, maxKm float64) (float64, float64) {
	d := maxKm * math.Sqrt(r.Float64())
	theta := 2 * math.Pi * r.Float64()
	lat2 := lat + d*math.Cos(theta)/111.2
	lon2 := lon + d*math.Sin(theta)/(111.2*math.Cos(lat*math.Pi/180))
	return round6(lat2), round6(lon2)
}

// spreadKm is how far from the centre addresses of a place may be: wider for bigger towns,
// narrow for arrondissements.
func spreadKm(p place) float64 {
	if p.Arrondissement {
		return 1
	}
	return math.Min(4, 0.5+math.Sqrt(float64(p.Population))/200)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// distanceKm is the great-circle distance between two points (haversine, Earth radius 6371 km).
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371 * math.Asin(math.Sqrt(a))
}
