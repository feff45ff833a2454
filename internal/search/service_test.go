package search

import (
	"context"
	"errors"
	"math"
	"reflect"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func sorted(list []string) []string {
	out := append([]string(nil), list...)
	sort.Strings(out)
	return out
}

func TestSearchEmployers_ShowsOnlyActiveSearchableCompaniesWithinTheRadius(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.company(named("ACI à 3 km"), kind(org.ACI), at(destination(lyon, 45, 3)))
		f.company(named("EI à 24,9 km au nord"), at(destination(lyon, 0, 24.9)))
		f.company(named("GEIQ à 24,9 km à l'est"), kind(org.GEIQ), at(destination(lyon, 90, 24.9)))
		f.company(named("OPCS visible"), kind(org.OPCS), at(destination(lyon, 180, 10)))
		f.company(named("Bloquée"), blocked(), at(destination(lyon, 270, 5)))
		f.company(named("EI à 25,1 km au nord"), at(destination(lyon, 0, 25.1)))
		f.company(named("EI à 25,1 km à l'est"), at(destination(lyon, 90, 25.1)))
		f.company(named("SIAE inactive"), kind(org.ACI), inactiveConvention(), at(destination(lyon, 10, 2)))
		f.company(named("Entreprise adaptée"), kind(org.EA), at(destination(lyon, 20, 1)))
		f.company(named("Réservée"), kind(org.Reserved), at(destination(lyon, 30, 1)))
		f.company(named("GEIQ masqué"), kind(org.GEIQ), unsearchable(), at(destination(lyon, 40, 1)))
		f.company(named("OPCS masquée"), kind(org.OPCS), unsearchable(), at(destination(lyon, 50, 1)))
		noCoords := f.company(named("Sans coordonnées"))
		if _, err := d.NewRaw("UPDATE company SET latitude = NULL, longitude = NULL WHERE id = ?", noCoords.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}

		res, err := f.svc.SearchEmployers(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"ACI à 3 km", "Bloquée", "EI à 24,9 km au nord", "GEIQ à 24,9 km à l'est", "OPCS visible"}
		if got := sorted(names(res.Items)); !reflect.DeepEqual(got, want) {
			t.Errorf("results %q, want %q", got, want)
		}
		if res.Distance != DefaultEmployerDistance || res.City.InseeCode != lyonCode || res.EmployerCount != 5 || res.Total != 5 {
			t.Errorf("distance %d, city %s, count %d, total %d", res.Distance, res.City.InseeCode, res.EmployerCount, res.Total)
		}
		for _, r := range res.Items {
			if r.Name == "ACI à 3 km" && math.Abs(r.DistanceKm-3) > 0.001 {
				t.Errorf("distance of the ACI: %.4f km", r.DistanceKm)
			}
		}
	})
}

func TestSearchEmployers_OrdersMembersFirstThenHiringThenScoreThenDistance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.company(named("A sans membre, recrute, score 0"), at(destination(lyon, 0, 1))) // after H: farther
		b := f.company(named("B membre, ne recrute pas"), spontaneousClosed(), at(destination(lyon, 0, 5)))
		c := f.company(named("C membre, fiche, score 2"), spontaneousClosed(), at(destination(lyon, 0, 8)))
		dd := f.company(named("D membre, spontanées, score 1"), at(destination(lyon, 0, 9)))
		e := f.company(named("E membre, score 0, 2 km"), at(destination(lyon, 0, 2)))
		g := f.company(named("F membre, score 0, 3 km"), at(destination(lyon, 0, 3)))
		h := f.company(named("G membre, bloquée"), blocked(), at(destination(lyon, 0, 1)))
		i := f.company(named("H membre inactif, recrute"), at(destination(lyon, 0, 0.5)))
		for _, co := range []*org.Company{b, c, dd, e, g, h} {
			f.member(co, true)
		}
		f.member(i, false)
		jd := f.fiche(c)
		f.fiche(h)
		// C: 2 candidatures for 1 offer (its fiche); D: 1 for 1 (its spontaneous applications);
		// E: one older than the window, which counts no more.
		f.candidature(c, f.now.Add(-time.Hour), jd)
		f.candidature(c, f.now.Add(-20*24*time.Hour))
		f.candidature(dd, f.now.Add(-time.Hour))
		f.candidature(e, f.now.Add(-22*24*time.Hour))
		_ = a

		res, err := f.svc.SearchEmployers(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"E membre, score 0, 2 km", "F membre, score 0, 3 km", "D membre, spontanées, score 1",
			"C membre, fiche, score 2", "G membre, bloquée", "B membre, ne recrute pas",
			"H membre inactif, recrute", "A sans membre, recrute, score 0"}
		if got := names(res.Items); !reflect.DeepEqual(got, want) {
			t.Errorf("order:\n%q\nwant\n%q", got, want)
		}
		flags := map[string][3]bool{}
		scores := map[string]float64{}
		for _, r := range res.Items {
			flags[r.Name[:1]] = [3]bool{r.HasMembers, r.Hiring, r.Blocked}
			scores[r.Name[:1]] = *r.JobAppScore
		}
		if flags["G"] != [3]bool{true, false, true} || flags["C"] != [3]bool{true, true, false} || flags["H"] != [3]bool{false, true, false} {
			t.Errorf("flags %v", flags)
		}
		if scores["C"] != 2 || scores["D"] != 1 || scores["E"] != 0 {
			t.Errorf("scores %v", scores)
		}
		// Three weeks later, C's candidatures are out of the window: its score is 0, without any
		// write.
		f.now = f.now.Add(21 * 24 * time.Hour)
		res, err = f.svc.SearchEmployers(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Items {
			if r.Name[:1] == "C" && *r.JobAppScore != 0 {
				t.Errorf("C's score three weeks later: %v", *r.JobAppScore)
			}
		}
	})
}

func TestSearchEmployers_ListsTheOpenFichesOfEachCompanyOnItsCard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(named("Avec fiches"), branded("Enseigne"))
		f.fiche(co, title("Agent d'entretien"))
		f.fiche(co, title("Fermée"), closed())
		f.fiche(co, appellationCode(auxiliaireDeVie), contract(jobdesc.Other), func(j *jobdesc.JobDescription) { j.OtherContractType = "Contrat aidé" })
		f.company(named("Sans fiche"))

		res, err := f.svc.SearchEmployers(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		var card EmployerResult
		for _, r := range res.Items {
			if r.Name == "Avec fiches" {
				card = r
			}
		}
		want := []FicheSummary{
			{Title: "Agent d'entretien", ContractType: jobdesc.FixedTermI, Contract: "CDD insertion", FewApplications: true},
			{Title: "Auxiliaire de vie", ContractType: jobdesc.Other, Contract: "Contrat aidé", FewApplications: true},
		}
		for i := range card.Fiches {
			card.Fiches[i].UID = ""
		}
		if !reflect.DeepEqual(card.Fiches, want) || card.DisplayName() != "Enseigne" || !card.Hiring {
			t.Errorf("card %+v", card)
		}
		if res.FicheCount != 2 || res.EmployerCount != 2 {
			t.Errorf("counts: %d fiches, %d employers", res.FicheCount, res.EmployerCount)
		}
	})
}

func TestSearchFiches_HidesTheOffersOfCompaniesThatBlockApplications(t *testing.T) {
	// actors.md §22 scenario 29.
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		open := f.company(named("Ouverte"))
		f.fiche(open, title("Offre visible"))
		shut := f.company(named("Bloquée"), blocked())
		f.fiche(shut, title("Offre d'une structure bloquée"))
		f.fiche(shut, title("Autre offre bloquée"), located(villeurbanneCode))

		res, err := f.svc.SearchFiches(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		if got := ficheTitles(res.Items); !reflect.DeepEqual(got, []string{"Offre visible"}) {
			t.Errorf("fiches %q", got)
		}
		if res.FicheCount != 1 || res.EmployerCount != 2 {
			t.Errorf("counts: %d fiches, %d employers", res.FicheCount, res.EmployerCount)
		}
	})
}

func TestSearchFiches_PlacesAFicheAtItsCommuneElseAtItsCompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		stEtienne := Point{45.4241, 4.3665}
		far := f.company(named("Stéphanoise"), inDepartment("42"), at(stEtienne))
		f.fiche(far, title("À Villeurbanne"), located(villeurbanneCode))
		f.fiche(far, title("À Saint-Étienne"))
		near := f.company(named("Lyonnaise"))
		f.fiche(near, title("Lyon, posté à Saint-Étienne"), located(saintEtienneCode))
		f.fiche(near, title("À Lyon"))

		res, err := f.svc.SearchFiches(f.ctx, Query{City: lyonCode, Distance: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := sorted(ficheTitles(res.Items)); !reflect.DeepEqual(got, []string{"À Lyon", "À Villeurbanne"}) {
			t.Fatalf("fiches around Lyon %q", got)
		}
		for _, r := range res.Items {
			if r.Title == "À Villeurbanne" {
				if want := DistanceKm(lyon, villeurbanne); math.Abs(r.DistanceKm-want) > 1e-6 || r.CityName != "Villeurbanne" || r.Department != "69" || r.CompanyName != "Stéphanoise" {
					t.Errorf("fiche at Villeurbanne: %+v (want %.3f km)", r, want)
				}
			}
		}
		res, err = f.svc.SearchFiches(f.ctx, Query{City: saintEtienneCode, Distance: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := sorted(ficheTitles(res.Items)); !reflect.DeepEqual(got, []string{"Lyon, posté à Saint-Étienne", "À Saint-Étienne"}) {
			t.Errorf("fiches around Saint-Étienne %q", got)
		}
		for _, r := range res.Items {
			if r.Department != "42" {
				t.Errorf("%s: département %q", r.Title, r.Department)
			}
		}
	})
}

func TestSearchFiches_ListsOnlyOpenFichesOfListedCompaniesMostRecentFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company()
		f.fiche(co, title("Ancienne"), updatedAgo(48*time.Hour))
		f.fiche(co, title("Récente"))
		f.fiche(co, title("Hier"), updatedAgo(24*time.Hour))
		f.fiche(co, title("Fermée"), closed())
		f.fiche(f.company(kind(org.ACI), inactiveConvention()), title("SIAE inactive"))
		f.fiche(f.company(kind(org.EA)), title("Entreprise adaptée"))
		f.fiche(f.company(kind(org.GEIQ), unsearchable()), title("Masquée"))
		f.fiche(f.company(at(destination(lyon, 0, 30))), title("Trop loin"))

		res, err := f.svc.SearchFiches(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		if got := ficheTitles(res.Items); !reflect.DeepEqual(got, []string{"Récente", "Hier", "Ancienne"}) {
			t.Errorf("fiches %q", got)
		}
		if r := res.Items[0]; r.Contract != "CDD insertion" || r.RomeCode != "K2204" || r.CompanyKind != org.EI || r.UpdatedAt.IsZero() {
			t.Errorf("card %+v", r)
		}
	})
}

func TestSearchFiches_FiltersOnRomeDomainContractAndKind(t *testing.T) {
	// actors.md §22 scenario 32: domain F keeps only the ROME codes starting with F.
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		aci := f.company(kind(org.ACI))
		geiq := f.company(kind(org.GEIQ))
		f.fiche(aci, title("Maçon"), appellationCode(macon))
		f.fiche(aci, title("Agent de propreté"))
		f.fiche(geiq, title("Auxiliaire en apprentissage"), appellationCode(auxiliaireDeVie), contract(jobdesc.Apprenticeship))

		tests := []struct {
			name string
			q    Query
			want []string
		}{
			{"domain F", Query{Domains: []string{"F"}}, []string{"Maçon"}},
			{"domains F and K", Query{Domains: []string{"F", "K"}}, []string{"Agent de propreté", "Auxiliaire en apprentissage", "Maçon"}},
			{"domain N", Query{Domains: []string{"N"}}, nil},
			{"apprenticeship", Query{ContractTypes: []jobdesc.ContractType{jobdesc.Apprenticeship}}, []string{"Auxiliaire en apprentissage"}},
			{"ACI", Query{Kinds: []org.CompanyKind{org.ACI}}, []string{"Agent de propreté", "Maçon"}},
			{"ACI and domain K", Query{Kinds: []org.CompanyKind{org.ACI}, Domains: []string{"K"}}, []string{"Agent de propreté"}},
			{"département 42", Query{Departments: []string{"42"}}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.City = lyonCode
				res, err := f.svc.SearchFiches(f.ctx, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := sorted(ficheTitles(res.Items)); !reflect.DeepEqual(got, sorted(tt.want)) && !(len(got) == 0 && len(tt.want) == 0) {
					t.Errorf("fiches %q, want %q", got, tt.want)
				}
				if res.FicheCount != len(tt.want) {
					t.Errorf("count %d", res.FicheCount)
				}
			})
		}
	})
}

func TestSearchEmployers_FiltersOnKindDepartmentAndCompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.company(named("ACI du Rhône"), kind(org.ACI))
		f.company(named("EI du Rhône"))
		target := f.company(named("ACI de la Loire"), kind(org.ACI), inDepartment("42"), at(destination(lyon, 225, 20)))
		f.fiche(target)

		res, err := f.svc.SearchEmployers(f.ctx, Query{City: lyonCode, Kinds: []org.CompanyKind{org.ACI}})
		if err != nil {
			t.Fatal(err)
		}
		if got := sorted(names(res.Items)); !reflect.DeepEqual(got, []string{"ACI de la Loire", "ACI du Rhône"}) {
			t.Errorf("ACI: %q", got)
		}
		want := []Facet{{Value: "42", Label: "Loire (42)", Count: 1}, {Value: "69", Label: "Rhône (69)", Count: 1}}
		if !reflect.DeepEqual(res.Departments, want) {
			t.Errorf("département choices %+v", res.Departments)
		}
		res, err = f.svc.SearchEmployers(f.ctx, Query{City: lyonCode, Kinds: []org.CompanyKind{org.ACI}, Departments: []string{"42"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(res.Items); !reflect.DeepEqual(got, []string{"ACI de la Loire"}) || len(res.Departments) != 2 || res.FicheCount != 1 {
			t.Errorf("ACI in 42: %q, choices %v, fiches %d", got, res.Departments, res.FicheCount)
		}
		res, err = f.svc.SearchEmployers(f.ctx, Query{City: lyonCode, Company: target.UID})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(res.Items); !reflect.DeepEqual(got, []string{"ACI de la Loire"}) || len(res.Companies) != 3 || res.EmployerCount != 1 {
			t.Errorf("one company: %q, choices %v", got, res.Companies)
		}
	})
}

// In Lyon (and Paris, Marseille), both tabs offer the arrondissements of the results
// (actors.md §13.1): a company's post code, or the arrondissement a fiche is placed at.
func TestSearch_FiltersOnTheArrondissementsOfLyon(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		third := f.company(named("Lyon 3e"), postCode("69003"))
		f.fiche(third)
		seventh := f.company(named("Lyon 7e"), postCode("69007"), at(destination(lyon, 180, 2)))
		f.fiche(seventh)
		villeurbanne := f.company(named("Villeurbanne"), postCode("69100"), at(destination(lyon, 60, 4)))
		f.fiche(villeurbanne, located("69383")) // placed in Lyon 3e
		f.fiche(villeurbanne)

		res, err := f.svc.SearchEmployers(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		want := []Facet{{Value: "69003", Label: "3e arrondissement (69003)", Count: 1}, {Value: "69007", Label: "7e arrondissement (69007)", Count: 1}}
		if !reflect.DeepEqual(res.Districts, want) {
			t.Errorf("arrondissements %+v", res.Districts)
		}
		res, err = f.svc.SearchEmployers(f.ctx, Query{City: lyonCode, Districts: []string{"69003"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(res.Items); !reflect.DeepEqual(got, []string{"Lyon 3e"}) || res.FicheCount != 2 || len(res.Districts) != 2 {
			t.Errorf("in the 3e: %q, %d fiches, choices %v", got, res.FicheCount, res.Districts)
		}
		fiches, err := f.svc.SearchFiches(f.ctx, Query{City: lyonCode, Districts: []string{"69003"}})
		if err != nil {
			t.Fatal(err)
		}
		want = []Facet{{Value: "69003", Label: "3e arrondissement (69003)", Count: 2}, {Value: "69007", Label: "7e arrondissement (69007)", Count: 1}}
		if fiches.Total != 2 || fiches.EmployerCount != 1 || !reflect.DeepEqual(fiches.Districts, want) {
			t.Errorf("fiches in the 3e: %d, employers %d, choices %+v", fiches.Total, fiches.EmployerCount, fiches.Districts)
		}
		// From Villeurbanne, no arrondissement is offered, and those of Lyon left in the URL are dropped.
		res, err = f.svc.SearchEmployers(f.ctx, Query{City: villeurbanneCode, Districts: []string{"69003"}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Districts != nil || len(res.Query.Districts) != 0 || res.Total != 3 {
			t.Errorf("from Villeurbanne: choices %v, kept %v, %d results", res.Districts, res.Query.Districts, res.Total)
		}
		// From an arrondissement, those of its city.
		res, err = f.svc.SearchEmployers(f.ctx, Query{City: "69383"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Districts) != 2 {
			t.Errorf("from Lyon 3e: choices %v", res.Districts)
		}
	})
}

func TestSearchEmployers_PagesByTenAndShowsTheLastPageBeyondTheEnd(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for i := 0; i < 12; i++ {
			f.company(at(destination(lyon, 0, float64(i+1))))
		}
		tests := []struct {
			page, items, number int
			clamped             bool
		}{{1, 10, 1, false}, {2, 2, 2, false}, {3, 2, 2, true}, {math.MaxInt32, 2, 2, true}, {0, 10, 1, false}}
		for _, tt := range tests {
			res, err := f.svc.SearchEmployers(f.ctx, Query{City: lyonCode, Page: tt.page})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Items) != tt.items || res.Number != tt.number || res.PageCount != 2 || res.Clamped != tt.clamped || res.Total != 12 {
				t.Errorf("page %d: %d items, page %d/%d, clamped %v", tt.page, len(res.Items), res.Number, res.PageCount, res.Clamped)
			}
		}
	})
}

func TestSearch_RejectsUnknownCitiesAndRadiiOutsideTheChoices(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tests := []struct {
			name string
			q    Query
			want error
		}{
			{"no city", Query{}, ErrCityRequired},
			{"unknown INSEE code", Query{City: "99999"}, ErrUnknownCity},
			{"garbage code", Query{City: "'; DROP TABLE company; --"}, ErrUnknownCity},
			{"unknown name", Query{CityText: "Atlantide"}, ErrUnknownCity},
			{"radius 500", Query{City: lyonCode, Distance: 500}, ErrDistance},
			{"radius -2", Query{City: lyonCode, Distance: -2}, ErrDistance},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := f.svc.SearchEmployers(f.ctx, tt.q); !errors.Is(err, tt.want) {
					t.Errorf("employers: %v, want %v", err, tt.want)
				}
				if _, err := f.svc.SearchFiches(f.ctx, tt.q); !errors.Is(err, tt.want) {
					t.Errorf("fiches: %v, want %v", err, tt.want)
				}
				if _, err := f.svc.SearchPrescribers(f.ctx, tt.q); !errors.Is(err, tt.want) {
					t.Errorf("prescribers: %v, want %v", err, tt.want)
				}
			})
		}
	})
}

func TestResolveCity_AcceptsWhatCanBeTypedWithoutJavaScript(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tests := []struct{ text, code, want string }{
			{"", lyonCode, lyonCode},
			{"Lyon (69)", "", lyonCode},
			{"lyon", "", lyonCode},
			{"69266", "", villeurbanneCode},
			{"Villeurbanne (69)", lyonCode, villeurbanneCode}, // typed again after a pick
			{"Lyon (69)", lyonCode, lyonCode},
		}
		for _, tt := range tests {
			c, err := f.svc.ResolveCity(f.ctx, tt.text, tt.code)
			if err != nil || c.InseeCode != tt.want {
				t.Errorf("ResolveCity(%q, %q) = %s, %v; want %s", tt.text, tt.code, c.InseeCode, err, tt.want)
			}
		}
	})
}

func TestSearchPrescribers_ListsHabilitatedOrganizationsWithin5KmNearestFirst(t *testing.T) {
	// actors.md §22 scenario 33.
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.prescriber("À 3 km", destination(lyon, 90, 3), true)
		f.prescriber("À 1 km", destination(lyon, 0, 1), true)
		f.prescriber("À 4,9 km", destination(lyon, 180, 4.9), true)
		f.prescriber("À 5,1 km", destination(lyon, 270, 5.1), true)
		f.prescriber("Non habilitée à 500 m", destination(lyon, 0, 0.5), false)

		res, err := f.svc.SearchPrescribers(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range res.Items {
			got = append(got, p.Name)
		}
		if !reflect.DeepEqual(got, []string{"À 1 km", "À 3 km", "À 4,9 km"}) || res.Distance != 5 {
			t.Errorf("prescribers %q within %d km", got, res.Distance)
		}
		if p := res.Items[0]; p.Address != "1 place Bellecour, 69002 Lyon" || p.Kind != org.ML {
			t.Errorf("card %+v", p)
		}
		res, err = f.svc.SearchPrescribers(f.ctx, Query{City: lyonCode, Distance: 10})
		if err != nil || res.Total != 4 {
			t.Errorf("10 km: %v, %d", err, res.Total)
		}
	})
}

func TestPrescriberCard_ShowsOnlyHabilitatedOrganizations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		yes := f.prescriber("Habilitée", lyon, true)
		no := f.prescriber("En attente", lyon, false)
		if p, err := f.svc.PrescriberCard(f.ctx, yes.UID); err != nil || p.Name != "Habilitée" {
			t.Errorf("habilitated: %v, %v", p, err)
		}
		for _, uid := range []string{no.UID, "inconnue"} {
			if _, err := f.svc.PrescriberCard(f.ctx, uid); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: %v", uid, err)
			}
		}
	})
}

// queryCounter counts the queries the database runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestSearch_RunsAsManyQueriesForOneOrTenResults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &queryCounter{}
		f := newFixture(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		one := f.company(named("Seule"))
		f.fiche(one)
		stEtienne := Point{45.4241, 4.3665}
		for i := 0; i < 12; i++ {
			co := f.company(inDepartment("42"), at(destination(stEtienne, float64(30*i), 2)))
			f.member(co, true)
			f.fiche(co)
			f.fiche(co, located(saintEtienneCode))
			f.prescriber("Prescripteur", destination(stEtienne, float64(30*i), 1), true)
		}
		f.prescriber("Seul", lyon, true)
		count := func(run func(city string) (int, error), city string) (int64, int) {
			before := counter.n.Load()
			n, err := run(city)
			if err != nil {
				t.Fatal(err)
			}
			return counter.n.Load() - before, n
		}
		searches := map[string]func(city string) (int, error){
			"employers": func(city string) (int, error) {
				r, err := f.svc.SearchEmployers(f.ctx, Query{City: city, Distance: 10})
				if err != nil {
					return 0, err
				}
				return len(r.Items), nil
			},
			"fiches": func(city string) (int, error) {
				r, err := f.svc.SearchFiches(f.ctx, Query{City: city, Distance: 10})
				if err != nil {
					return 0, err
				}
				return len(r.Items), nil
			},
			"prescribers": func(city string) (int, error) {
				r, err := f.svc.SearchPrescribers(f.ctx, Query{City: city, Distance: 10})
				if err != nil {
					return 0, err
				}
				return len(r.Items), nil
			},
		}
		for name, run := range searches {
			count(run, lyonCode) // warm the département names
			small, nSmall := count(run, lyonCode)
			big, nBig := count(run, saintEtienneCode)
			if nSmall != 1 || nBig != 10 {
				t.Fatalf("%s: %d and %d results", name, nSmall, nBig)
			}
			if small != big || big > 4 {
				t.Errorf("%s: %d queries for 1 result, %d for 10", name, small, big)
			}
			t.Logf("%s: %d queries per page", name, big)
		}
	})
}
