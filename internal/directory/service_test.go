package directory

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/search"
)

// listed is a page of a listing with its companies loaded.
type listed struct {
	Result
	Listings []Listing
}

func list(t *testing.T, s *Service, q Query) listed {
	t.Helper()
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultPageSize
	}
	res, err := s.List(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.Listings(context.Background(), res.IDs)
	if err != nil {
		t.Fatal(err)
	}
	return listed{Result: res, Listings: page}
}

func uids(res listed) []string {
	out := []string{}
	for _, l := range res.Listings {
		out = append(out, l.Company.UID)
	}
	return out
}

func sameUIDs(t *testing.T, got []string, want ...*org.Company) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d companies %v, want %d", len(got), got, len(want))
	}
	for i, c := range want {
		if got[i] != c.UID {
			t.Fatalf("company %d is %s, want %s (%s)", i, got[i], c.UID, c.Name)
		}
	}
}

func near(insee string, km float64) *Near { return &Near{InseeCode: insee, DistanceKm: km} }

func TestList_KeepsACompanyIfAndOnlyIfItIsWithinTheRadius(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		center := search.Point{Lat: 45.758, Lon: 4.8351}
		// 0.0899° of latitude is 9.996 km, 0.0900° is 10.008 km; eastwards, 0.1288° of longitude
		// at this latitude is 9.992 km and 0.1290° is 10.008 km.
		inside := []*org.Company{
			f.company(org.ACI, at(center.Lat+0.0899, center.Lon)),
			f.company(org.EI, at(center.Lat, center.Lon+0.1288)),
		}
		outside := []search.Point{{Lat: center.Lat + 0.0900, Lon: center.Lon}, {Lat: center.Lat, Lon: center.Lon + 0.1290}}
		for _, p := range outside {
			f.company(org.ACI, at(p.Lat, p.Lon))
		}
		for _, c := range inside {
			if km := search.DistanceKm(center, search.Point{Lat: *c.Latitude, Lon: *c.Longitude}); km > 10 {
				t.Fatalf("fixture: %s is %.4f km away", c.Name, km)
			}
		}
		for _, p := range outside {
			if km := search.DistanceKm(center, p); km <= 10 {
				t.Fatalf("fixture: %v is %.4f km away", p, km)
			}
		}
		f.company(org.GEIQ, nowhere()) // no coordinates: never in a radius

		res := list(t, newService(d), Query{Near: near(lyon, 10)})
		if res.Total != 2 {
			t.Fatalf("%d companies within 10 km, want 2", res.Total)
		}
		sameUIDs(t, uids(res), inside...)
	})
}

func TestList_ListsInactiveAndUnsearchableCompaniesButNeverEAEATTNorReserved(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		want := []*org.Company{
			f.company(org.ACI),
			f.company(org.AI, inactiveConvention()),
			f.company(org.EI, unsearchable()),
			f.company(org.ETTI, blocked()),
			f.company(org.EITI),
			f.company(org.GEIQ),
			f.company(org.OPCS, unsearchable()),
		}
		f.company(org.EA)
		f.company(org.EATT)
		f.company(org.Reserved)

		res := list(t, newService(d), Query{Near: near(lyon, 5)})
		sameUIDs(t, uids(res), want...)
		if !res.Listings[3].Company.BlockJobApplications {
			t.Error("the blocked company lost its flag")
		}
	})
}

func TestList_FiltersOnTheCompanysDepartment(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rhone := f.company(org.ACI)
		f.company(org.ACI, inDepartment("42"), nowhere())
		loireNowhere := f.company(org.EI, inDepartment("42"), nowhere())
		s := newService(d)

		if res := list(t, s, Query{Department: "69"}); res.Total != 1 || res.Listings[0].Company.UID != rhone.UID {
			t.Errorf("département 69: %v", uids(res))
		}
		if res := list(t, s, Query{Department: "42"}); res.Total != 2 || res.Listings[1].Company.UID != loireNowhere.UID {
			t.Errorf("département 42 (companies without coordinates included): %v", uids(res))
		}
		// Filters combine: within 5 km of Lyon and in the Loire, nothing.
		if res := list(t, s, Query{Near: near(lyon, 5), Department: "42"}); res.Total != 0 {
			t.Errorf("Lyon + département 42: %v", uids(res))
		}
	})
}

func TestList_FichesInDepartmentReadTheFichesLocationElseTheCompanys(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A Rhône company with an open fiche in Saint-Étienne (42).
		rhoneHiringInLoire := f.company(org.ACI)
		f.fiche(rhoneHiringInLoire, locatedIn(saintEtienne))
		// A Loire company with a fiche without location: at the company, in the Loire.
		loire := f.company(org.EI, inDepartment("42"), at(45.4241, 4.3665))
		f.fiche(loire)
		// A Loire company whose only fiche in the Loire is closed, and one without fiche.
		closedOnly := f.company(org.AI, inDepartment("42"))
		f.fiche(closedOnly, closed())
		f.fiche(closedOnly, locatedIn(lyon))
		f.company(org.GEIQ, inDepartment("42"))
		s := newService(d)

		sameUIDs(t, uids(list(t, s, Query{FichesInDepartment: "42"})), rhoneHiringInLoire, loire)
		sameUIDs(t, uids(list(t, s, Query{FichesInDepartment: "69"})), closedOnly)
		sameUIDs(t, uids(list(t, s, Query{FichesInDepartment: "59"})))
	})
}

func TestList_GivesOnlyOpenFichesMostRecentlyUpdatedFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI)
		older := f.fiche(co, updatedAt(f.now.Add(-48*time.Hour)))
		f.fiche(co, closed())
		newer := f.fiche(co, locatedIn(villeurbanne))

		res := list(t, newService(d), Query{Department: "69"})
		fiches := res.Listings[0].Fiches
		if len(fiches) != 2 || fiches[0].UID != newer.UID || fiches[1].UID != older.UID {
			t.Fatalf("fiches: %+v", fiches)
		}
		first := fiches[0]
		if first.Appellation == nil || first.Appellation.Rome == nil || first.Appellation.Rome.Code != "K2204" {
			t.Errorf("appellation and ROME not loaded: %+v", first.Appellation)
		}
		if first.Location == nil || first.Location.Name != "Villeurbanne" || fiches[1].Location != nil {
			t.Errorf("locations: %+v, %+v", first.Location, fiches[1].Location)
		}
	})
}

func TestList_RefusesUnknownCitiesAndDepartments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		newFixture(t, d)
		s := newService(d)
		ctx := context.Background()
		if _, err := s.List(ctx, Query{Near: near("12345", 10), Page: 1, PageSize: 20}); !errors.Is(err, ErrUnknownCity) {
			t.Errorf("unknown INSEE code: %v", err)
		}
		for _, q := range []Query{{Department: "75"}, {FichesInDepartment: "999"}, {Department: "69", FichesInDepartment: "2A"}} {
			q.Page, q.PageSize = 1, 20
			var unknown *UnknownDepartmentError
			if _, err := s.List(ctx, q); !errors.As(err, &unknown) {
				t.Errorf("%+v: %v, want an unknown département", q, err)
			}
		}
	})
}

func TestList_PagesLikeDRF(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var all []*org.Company
		for i := 0; i < 5; i++ {
			all = append(all, f.company(org.ACI))
		}
		s := newService(d)
		sameUIDs(t, uids(list(t, s, Query{Department: "69", Page: 2, PageSize: 2})), all[2:4]...)
		last := list(t, s, Query{Department: "69", Page: LastPage, PageSize: 2})
		if last.Page != 3 {
			t.Errorf("last page is %d, want 3", last.Page)
		}
		sameUIDs(t, uids(last), all[4])
		for _, page := range []int{4, 0, -3} {
			if _, err := s.List(context.Background(), Query{Department: "69", Page: page, PageSize: 2}); !errors.Is(err, ErrInvalidPage) {
				t.Errorf("page %d: %v, want ErrInvalidPage", page, err)
			}
		}
		// Page 1 of nothing is an empty page, not an error.
		if res := list(t, s, Query{Department: "13"}); res.Total != 0 || len(res.Listings) != 0 || res.Page != 1 {
			t.Errorf("empty listing: %+v", res)
		}
	})
}

// queryCounter counts the statements the database runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestList_RunsAsManyQueriesForTwentyCompaniesAsForOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		counter := &queryCounter{}
		s := newService(&db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		count := func(q Query) int64 {
			counter.n.Store(0)
			list(t, s, q)
			return counter.n.Load()
		}
		one := f.company(org.ACI, inDepartment("42"), at(45.4241, 4.3665))
		f.fiche(one)
		f.fiche(one, locatedIn(saintEtienne))
		for i := 0; i < 20; i++ {
			co := f.company(org.ACI)
			f.fiche(co)
			f.fiche(co, locatedIn(villeurbanne))
		}
		list(t, s, Query{Department: "42"}) // builds the search index
		for _, tc := range []struct{ one, twenty Query }{
			{Query{Department: "42"}, Query{Department: "69"}},
			{Query{Near: near(saintEtienne, 10), Department: "42"}, Query{Near: near(lyon, 10), Department: "69"}},
		} {
			n1, n20 := count(tc.one), count(tc.twenty)
			if n1 != n20 || n1 > 3 {
				t.Errorf("%d queries for 1 company, %d for 20 (want equal, at most 3)", n1, n20)
			}
		}
	})
}
