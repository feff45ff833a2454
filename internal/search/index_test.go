package search

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// view is what the tests read of the searches around Lyon.
type view struct {
	employers   []EmployerResult
	fiches      []FicheResult
	prescribers []PrescriberResult
	city        string
	departments []Facet
}

func look(t *testing.T, f *fixture, svc *Service) view {
	t.Helper()
	e, err := svc.SearchEmployers(f.ctx, Query{City: lyonCode})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := svc.SearchFiches(f.ctx, Query{City: lyonCode})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.SearchPrescribers(f.ctx, Query{City: lyonCode})
	if err != nil {
		t.Fatal(err)
	}
	return view{employers: e.Items, fiches: fi.Items, prescribers: p.Items, city: e.City.Name, departments: e.Departments}
}

// Every write of the data searched shows in the next search of every instance: the index is
// rebuilt when the generation counters (raised by triggers, whatever code writes) change. Each
// change is made in plain SQL, as any code path or an operator could.
func TestSearch_ShowsEveryChangeAtTheNextSearchOfEveryInstance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		instances := []*Service{f.svc, f.instance()}
		co := f.company(named("Atelier du Rhône"), kind(org.ACI))
		jd := f.fiche(co, title("Agent d'entretien"))
		f.member(co, true)
		po := f.prescriber("Mission locale", lyon, false)
		for _, svc := range instances {
			v := look(t, f, svc)
			if len(v.employers) != 1 || !v.employers[0].HasMembers || len(v.fiches) != 1 || len(v.prescribers) != 0 {
				t.Fatalf("before the changes: %+v", v)
			}
		}
		var userID int64
		if err := d.NewRaw("SELECT user_id FROM company_membership WHERE organization_id = ?", co.ID).Scan(f.ctx, &userID); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name   string
			writes []statement
			check  func(v view) error
		}{
			{"the fiche is renamed", []statement{{"UPDATE job_description SET custom_name = 'Soudeur' WHERE id = ?", []any{jd.ID}}}, func(v view) error {
				if len(v.fiches) != 1 || v.fiches[0].Title != "Soudeur" || v.employers[0].Fiches[0].Title != "Soudeur" {
					return fmt.Errorf("fiche %+v", v.fiches)
				}
				return nil
			}},
			{"the appellation is relabelled", []statement{{"UPDATE job_description SET custom_name = '' WHERE id = ?", []any{jd.ID}}, {"UPDATE rome_appellation SET label = 'Agent / Agente de propreté urbaine' WHERE code = ?", []any{agentProprete}}}, func(v view) error {
				if len(v.fiches) != 1 || v.fiches[0].Title != "Agent / Agente de propreté urbaine" {
					return fmt.Errorf("fiche %+v", v.fiches)
				}
				return nil
			}},
			{"the member's account is deactivated", []statement{{"UPDATE users SET is_active = FALSE WHERE id = ?", []any{userID}}}, func(v view) error {
				if v.employers[0].HasMembers {
					return fmt.Errorf("still has members")
				}
				return nil
			}},
			{"the company blocks applications", []statement{{"UPDATE company SET block_job_applications = TRUE WHERE id = ?", []any{co.ID}}}, func(v view) error {
				if len(v.employers) != 1 || !v.employers[0].Blocked || len(v.fiches) != 0 {
					return fmt.Errorf("employers %+v, fiches %d", v.employers, len(v.fiches))
				}
				return nil
			}},
			{"the company takes applications again", []statement{{"UPDATE company SET block_job_applications = FALSE WHERE id = ?", []any{co.ID}}}, func(v view) error {
				if len(v.fiches) != 1 {
					return fmt.Errorf("fiches %d", len(v.fiches))
				}
				return nil
			}},
			{"the fiche is closed", []statement{{"UPDATE job_description SET is_active = FALSE WHERE id = ?", []any{jd.ID}}}, func(v view) error {
				if len(v.fiches) != 0 || len(v.employers[0].Fiches) != 0 {
					return fmt.Errorf("fiches %d, on the card %d", len(v.fiches), len(v.employers[0].Fiches))
				}
				return nil
			}},
			{"the prescriber is habilitated", []statement{{"UPDATE prescriber_organization SET authorization_status = 'VALIDATED' WHERE id = ?", []any{po.ID}}}, func(v view) error {
				if len(v.prescribers) != 1 {
					return fmt.Errorf("prescribers %d", len(v.prescribers))
				}
				return nil
			}},
			{"the département is renamed", []statement{{"UPDATE department SET name = 'Rhône (nouveau nom)' WHERE code = '69'", []any{}}}, func(v view) error {
				if len(v.departments) != 1 || v.departments[0].Label != "Rhône (nouveau nom) (69)" {
					return fmt.Errorf("départements %+v", v.departments)
				}
				return nil
			}},
			{"the commune is renamed", []statement{{"UPDATE commune SET name = 'Lugdunum' WHERE insee_code = ?", []any{lyonCode}}}, func(v view) error {
				if v.city != "Lugdunum" {
					return fmt.Errorf("city %q", v.city)
				}
				return nil
			}},
			{"the convention ends", []statement{{"UPDATE siae_convention SET is_active = FALSE WHERE id = ?", []any{*co.ConventionID}}}, func(v view) error {
				if len(v.employers) != 0 {
					return fmt.Errorf("employers %+v", v.employers)
				}
				return nil
			}},
		}
		for _, step := range steps {
			for _, stmt := range step.writes {
				if _, err := d.NewRaw(stmt.sql, stmt.args...).Exec(f.ctx); err != nil {
					t.Fatalf("%s: %v", step.name, err)
				}
			}
			for i, svc := range instances {
				if err := step.check(look(t, f, svc)); err != nil {
					t.Errorf("%s, instance %d: %v", step.name, i+1, err)
				}
			}
		}
	})
}

type statement struct {
	sql  string
	args []any
}

// Writes that change nothing searched (a login, a session) cost nothing; a change of a
// company's rows costs an apply of that company, not a rebuild.
func TestSearch_KeepsItsIndexThroughUnrelatedWrites(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company()
		f.fiche(co)
		f.member(co, true)
		look(t, f, f.svc)
		builds, _ := f.svc.IndexBuilds()
		if _, err := d.NewRaw("UPDATE users SET last_login = ?, first_name = 'Autre'", f.now).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		look(t, f, f.svc)
		if after, _ := f.svc.IndexBuilds(); after != builds {
			t.Errorf("%d builds after a login, want %d", after, builds)
		}
		if applies, _, _ := f.svc.IndexApplies(); applies != 0 {
			t.Errorf("%d applies after a login, want 0", applies)
		}
		if _, err := d.NewRaw("UPDATE company SET description = 'Nouvelle description' WHERE id = ?", co.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		look(t, f, f.svc)
		if after, _ := f.svc.IndexBuilds(); after != builds {
			t.Errorf("%d builds after a change of a company, want %d", after, builds)
		}
		if applies, _, _ := f.svc.IndexApplies(); applies != 1 {
			t.Errorf("%d applies after a change of a company, want 1", applies)
		}
	})
}

// Searches running while the data changes each see a whole index (run with -race to check the
// sharing), and the last one sees every change.
func TestSearch_RunsBesideWrites(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					if _, err := f.svc.SearchFiches(f.ctx, Query{City: lyonCode}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for range 10 {
			f.fiche(co)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		res, err := f.svc.SearchFiches(f.ctx, Query{City: lyonCode})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 10 {
			t.Errorf("%d fiches after the writes, want 10", res.Total)
		}
	})
}

func TestRankSet_SlicesInAscendingOrder(t *testing.T) {
	s := newRankSet(300)
	ranks := []int32{0, 3, 63, 64, 65, 127, 128, 200, 299}
	for _, r := range ranks {
		s.add(r)
	}
	tests := []struct {
		from, to int
		want     []int32
	}{
		{0, 3, []int32{0, 3, 63}},
		{2, 5, []int32{63, 64, 65}},
		{5, 9, []int32{127, 128, 200, 299}},
		{8, 10, []int32{299}},
		{9, 10, nil},
	}
	for _, tt := range tests {
		if got := s.slice(tt.from, tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("slice(%d, %d) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
