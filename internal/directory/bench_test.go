package directory

import (
	"context"
	"sort"
	"testing"
	"time"

	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/reference/referencetest"
	"emplois/internal/search"
	"emplois/internal/seed"
)

// BenchmarkList measures the API's listings (service level: queries, sorting, loading the page's
// companies and fiches; no HTTP, no JSON) over the full communes and the generated national
// employers (6,000 companies, 60,000 fiches de poste), on each engine:
//
//	go test ./internal/directory -run x -bench List -benchtime 1x
func BenchmarkList(b *testing.B) {
	dir := referencetest.DataDir(b)
	for _, engine := range dbtest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, engine)
			start := time.Now()
			if err := reference.ImportDir(ctx, d, dir); err != nil {
				b.Fatal(err)
			}
			sc := seed.Scale{Name: "employers", Companies: seed.National.Companies, JobDescriptions: seed.National.JobDescriptions}
			if _, err := seed.Run(ctx, d, seed.Options{Scale: sc, Seed: seed.DefaultSeed}); err != nil {
				b.Fatal(err)
			}
			if _, err := d.ExecContext(ctx, "ANALYZE"); err != nil { // fresh statistics, as in production
				b.Fatal(err)
			}
			b.Logf("%s: data set ready in %v", engine, time.Since(start).Round(time.Second))
			svc := NewService(d, search.NewService(d))
			queries := map[string]Query{
				"lyon-25km":             {Near: &Near{InseeCode: "69123", DistanceKm: 25}},
				"paris11-25km":          {Near: &Near{InseeCode: "75111", DistanceKm: 25}},
				"rural-25km":            {Near: &Near{InseeCode: "01006", DistanceKm: 25}},
				"paris11-100km-by-name": {Near: &Near{InseeCode: "75111", DistanceKm: 100}, Order: []OrderKey{{Field: ByName}}},
				"departement-59":        {Department: "59"},
				"postes-dans-le-75":     {FichesInDepartment: "75"},
				"departement-13-page-3": {Department: "13", Page: 3, Order: []OrderKey{{Field: ByCity, Desc: true}}},
			}
			names := make([]string, 0, len(queries))
			for name := range queries {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				b.Run(name, func(b *testing.B) {
					res, err := svc.List(ctx, withPage(queries[name]))
					if err != nil {
						b.Fatal(err)
					}
					if _, err := svc.Listings(ctx, res.IDs); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(res.Total), "companies")
					referencetest.Latencies(b, []string{name}, 30, func(name string) error {
						res, err := svc.List(ctx, withPage(queries[name]))
						if err == nil {
							_, err = svc.Listings(ctx, res.IDs)
						}
						return err
					})
				})
			}
		})
	}
}

func withPage(q Query) Query {
	if q.Page == 0 {
		q.Page = 1
	}
	q.PageSize = DefaultPageSize
	return q
}
