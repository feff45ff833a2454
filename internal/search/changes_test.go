package search

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// everything is what the tests compare of two instances: the results of both tabs around Lyon
// (all pages), and the API's entries.
func everything(t *testing.T, f *fixture, svc *Service) string {
	t.Helper()
	e, err := svc.SearchEmployers(f.ctx, Query{City: lyonCode, Distance: 100})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := svc.SearchFiches(f.ctx, Query{City: lyonCode, Distance: 100})
	if err != nil {
		t.Fatal(err)
	}
	dir, _, err := svc.Directory(f.ctx, DirectoryFilter{NearCode: lyonCode, RadiusKm: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%d employers, %d fiches, départements %v\n", e.Total, fi.Total, e.Departments)
	for _, r := range e.Items {
		r.ID = 0
		out += fmt.Sprintf("employer %s members=%v hiring=%v blocked=%v score=%v fiches=%+v\n", r.Name, r.HasMembers, r.Hiring,
			r.Blocked, *r.JobAppScore, r.Fiches)
	}
	for _, r := range fi.Items {
		out += fmt.Sprintf("fiche %s %s %s few=%v\n", r.Title, r.CompanyName, r.CityName, r.FewApplications)
	}
	for _, d := range dir {
		out += fmt.Sprintf("api %s %s fiches in %v\n", d.Name, d.Department, d.ficheDepartments)
	}
	return out
}

// Each kind of write to a company's rows, made in plain SQL, shows in the next search of another
// instance, which applies it to its index without rebuilding: its results are those of an
// instance that builds its index anew.
func TestSearch_AppliesEachKindOfCompanyWriteAtTheNextSearchOfAnotherInstance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(named("Atelier du Rhône"), kind(org.ACI))
		other := f.company(named("Brico Villeurbanne"), at(destination(lyon, 90, 4)))
		jd := f.fiche(co, title("Agent d'entretien"))
		placedJD := f.fiche(other, title("Maçon à Villeurbanne"), located(villeurbanneCode))
		f.member(co, true)
		patched := f.instance()
		everything(t, f, patched) // its first search builds its index
		var userID int64
		if err := d.NewRaw("SELECT user_id FROM company_membership WHERE organization_id = ?", co.ID).Scan(f.ctx, &userID); err != nil {
			t.Fatal(err)
		}
		var application int64
		steps := []struct {
			name  string
			write func()
			check func(v view) error
		}{
			{"a fiche is opened", func() { f.fiche(co, title("Jardinier")) }, func(v view) error {
				if len(v.fiches) != 3 {
					return fmt.Errorf("%d fiches", len(v.fiches))
				}
				return nil
			}},
			{"a fiche is renamed", func() {
				f.exec("UPDATE job_description SET custom_name = 'Soudeur', updated_at = ? WHERE id = ?", f.now.Add(time.Hour), jd.ID)
			}, func(v view) error {
				if v.fiches[0].Title != "Soudeur" {
					return fmt.Errorf("first fiche %q", v.fiches[0].Title)
				}
				return nil
			}},
			{"a candidature selects the fiche", func() { application = f.candidature(co, f.now, jd) }, func(v view) error {
				if few := fewOf(v, "Soudeur"); few {
					return nil // one candidature: still few
				}
				return fmt.Errorf("no badge after one candidature")
			}},
			{"a second candidature selects the fiche", func() { f.candidature(co, f.now, jd) }, func(v view) error {
				if fewOf(v, "Soudeur") {
					return fmt.Errorf("badge after two candidatures")
				}
				if s := scoreOf(v, "Atelier du Rhône"); s != 2.0/3 {
					return fmt.Errorf("score %v, want 2/3", s)
				}
				return nil
			}},
			{"a candidature is deleted", func() { f.exec("DELETE FROM job_application WHERE id = ?", application) }, func(v view) error {
				if !fewOf(v, "Soudeur") || scoreOf(v, "Atelier du Rhône") != 1.0/3 {
					return fmt.Errorf("badge %v, score %v", fewOf(v, "Soudeur"), scoreOf(v, "Atelier du Rhône"))
				}
				return nil
			}},
			{"the member's account is deactivated", func() { f.exec("UPDATE users SET is_active = FALSE WHERE id = ?", userID) }, func(v view) error {
				if employer(v, "Atelier du Rhône").HasMembers {
					return fmt.Errorf("still has members")
				}
				return nil
			}},
			{"a member joins", func() { f.member(co, true) }, func(v view) error {
				if !employer(v, "Atelier du Rhône").HasMembers {
					return fmt.Errorf("no members")
				}
				return nil
			}},
			{"the company moves out of the radius", func() {
				f.exec("UPDATE company SET latitude = 43.3, longitude = 5.4 WHERE id = ?", other.ID)
			}, func(v view) error {
				if employer(v, "Brico Villeurbanne").Name != "" || len(v.fiches) != 3 {
					return fmt.Errorf("employers %d, fiches %d (its fiche placed at Villeurbanne stays)", len(v.employers), len(v.fiches))
				}
				return nil
			}},
			{"the fiche placed at a commune is closed", func() { f.exec("UPDATE job_description SET is_active = FALSE WHERE id = ?", placedJD.ID) }, func(v view) error {
				if len(v.fiches) != 2 {
					return fmt.Errorf("%d fiches", len(v.fiches))
				}
				return nil
			}},
			{"the company blocks applications", func() { f.exec("UPDATE company SET block_job_applications = TRUE WHERE id = ?", co.ID) }, func(v view) error {
				if !employer(v, "Atelier du Rhône").Blocked || len(v.fiches) != 0 {
					return fmt.Errorf("fiches %d", len(v.fiches))
				}
				return nil
			}},
			{"the company takes applications again", func() { f.exec("UPDATE company SET block_job_applications = FALSE WHERE id = ?", co.ID) }, func(v view) error {
				if len(v.fiches) != 2 {
					return fmt.Errorf("fiches %d", len(v.fiches))
				}
				return nil
			}},
			{"the convention ends", func() { f.exec("UPDATE siae_convention SET is_active = FALSE WHERE id = ?", *co.ConventionID) }, func(v view) error {
				if employer(v, "Atelier du Rhône").Name != "" || len(v.fiches) != 0 {
					return fmt.Errorf("employers %d, fiches %d", len(v.employers), len(v.fiches))
				}
				return nil
			}},
			{"a company is created with a fiche", func() {
				f.fiche(f.company(named("Nouvelle structure"), at(destination(lyon, 180, 3))), title("Cuisinier"))
			}, func(v view) error {
				if employer(v, "Nouvelle structure").Name == "" || len(v.fiches) != 1 {
					return fmt.Errorf("employers %d, fiches %d", len(v.employers), len(v.fiches))
				}
				return nil
			}},
		}
		for _, step := range steps {
			step.write()
			if err := step.check(look(t, f, patched)); err != nil {
				t.Errorf("%s: %v", step.name, err)
			}
			if got, want := everything(t, f, patched), everything(t, f, f.instance()); got != want {
				t.Errorf("%s: the patched index differs from a new one:\n%s\nwant\n%s", step.name, got, want)
			}
		}
		if builds, _ := patched.IndexBuilds(); builds != 1 {
			t.Errorf("%d whole builds, want 1 (the first)", builds)
		}
		if applies, _, _ := patched.IndexApplies(); applies < int64(len(steps)) {
			t.Errorf("%d applies for %d writes", applies, len(steps))
		}
	})
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.NewRaw(query, args...).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

func employer(v view, name string) EmployerResult {
	for _, e := range v.employers {
		if e.Name == name {
			return e
		}
	}
	return EmployerResult{}
}

func scoreOf(v view, name string) float64 {
	if s := employer(v, name).JobAppScore; s != nil {
		return *s
	}
	return -1
}

func fewOf(v view, title string) bool {
	for _, fi := range v.fiches {
		if fi.Title == title {
			return fi.FewApplications
		}
	}
	return false
}

// The badge « peu de candidatures » (actors.md §4.6) shows on a fiche with at most one
// candidature in the last 3 weeks, on both tabs; it comes back when the window slides past them,
// without any write.
func TestSearch_ShowsFewApplicationsUpToOneCandidatureInThreeWeeks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company()
		quiet := f.fiche(co, title("Calme"))
		busy := f.fiche(co, title("Demandée"))
		old := f.fiche(co, title("Ancienne"))
		f.candidature(co, f.now.Add(-time.Hour), quiet)
		f.candidature(co, f.now.Add(-2*time.Hour), busy, old)
		f.candidature(co, f.now.Add(-10*24*time.Hour), busy)
		f.candidature(co, f.now.Add(-22*24*time.Hour), old)
		f.candidature(co, f.now.Add(-23*24*time.Hour), old)
		badges := func() map[string][2]bool {
			v := look(t, f, f.svc)
			out := map[string][2]bool{}
			for _, fi := range v.fiches {
				out[fi.Title] = [2]bool{fi.FewApplications}
			}
			for _, fi := range v.employers[0].Fiches {
				b := out[fi.Title]
				b[1] = fi.FewApplications
				out[fi.Title] = b
			}
			return out
		}
		want := map[string][2]bool{"Calme": {true, true}, "Demandée": {false, false}, "Ancienne": {true, true}}
		if got := badges(); !reflect.DeepEqual(got, want) {
			t.Errorf("badges (fiche tab, employer card) %v, want %v", got, want)
		}
		f.now = f.now.Add(12 * 24 * time.Hour) // the candidature of 10 days ago is now 22 days old
		want["Demandée"] = [2]bool{true, true}
		if got := badges(); !reflect.DeepEqual(got, want) {
			t.Errorf("12 days later: badges %v, want %v", got, want)
		}
	})
}

// The change log keeps an hour: the purge removes older rows and marks how far it went, so an
// instance that had not applied them rebuilds its index whole and still sees every change.
func TestPurgeChanges_RemovesOldRowsAndMakesLateInstancesRebuild(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(named("Avant"))
		late := f.instance()
		look(t, f, late)
		f.exec("UPDATE company SET name = 'Après' WHERE id = ?", co.ID)
		var rows int
		if err := d.NewRaw("SELECT COUNT(*) FROM search_change").Scan(f.ctx, &rows); err != nil || rows == 0 {
			t.Fatalf("change rows %d, %v", rows, err)
		}
		if n, err := PurgeChanges(f.ctx, d, time.Now()); err != nil || n != 0 {
			t.Fatalf("purge of rows younger than an hour: %d deleted, %v", n, err)
		}
		n, err := PurgeChanges(f.ctx, d, time.Now().Add(ChangeRetention+time.Minute))
		if err != nil || n != int64(rows) {
			t.Fatalf("purge an hour later: %d deleted of %d, %v", n, rows, err)
		}
		v := look(t, f, late)
		if employer(v, "Après").Name == "" {
			t.Errorf("the late instance misses the change: %+v", v.employers)
		}
		if builds, _ := late.IndexBuilds(); builds != 2 {
			t.Errorf("%d builds of the late instance, want 2 (rebuilt whole after the purge)", builds)
		}
	})
}
