package jobseeker_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/jobseeker"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Applicants: the people who applied to the companies asked about, newest account first, each
// with those companies only, and the ASP names of their birth commune at their birth date.
func TestApplicants_ListsThePeopleWhoAppliedToTheCompanies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		id := func(query string, args ...any) int64 {
			t.Helper()
			var id int64
			if err := d.NewRaw(query, args...).Scan(ctx, &id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		exec := func(query string, args ...any) {
			t.Helper()
			if _, err := d.NewRaw(query, args...).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		company := func(uid, siret string) int64 {
			return id(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES (?, ?, 'GEIQ', 'G', 'GEIQ', ?, ?) RETURNING id`, uid, siret, now, now)
		}
		a, b, c := company("uid-a", "12345678900011"), company("uid-b", "12345678900029"), company("uid-c", "12345678900037")
		person := func(name string, born *time.Time, place string) int64 {
			u := id(`INSERT INTO users (public_id, kind, first_name, date_joined) VALUES (?, 'job_seeker', ?, ?) RETURNING id`, uuid.NewString(), name, now)
			if born != nil {
				exec(`INSERT INTO job_seeker_profile (user_id, birthdate, birth_place_code, birth_country_code, asp_uid, updated_at) VALUES (?, ?, ?, '99100', ?, ?)`,
					u, *born, place, uuid.NewString()[:30], now)
			}
			return u
		}
		apply := func(js int64, companies ...int64) {
			for _, co := range companies {
				exec(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_kind, created_at, updated_at) VALUES (?, ?, ?, 'job_seeker', ?, ?)`,
					uuid.NewString(), js, co, now, now)
			}
		}
		// The commune 49018 was « BAUGE » until 2016, « BAUGE-EN-ANJOU » since.
		exec(`INSERT INTO asp_country (code, name, group_code) VALUES ('100', 'FRANCE', '1')`)
		exec(`INSERT INTO asp_commune (code, name, search_name, start_date, end_date) VALUES ('49018', 'BAUGE', 'bauge', ?, ?)`, day(1943, 1, 1), day(2016, 1, 1))
		exec(`INSERT INTO asp_commune (code, name, search_name, start_date) VALUES ('49018', 'BAUGE-EN-ANJOU', 'bauge en anjou', ?)`, day(2016, 1, 1))
		old, young := day(1980, 5, 2), day(2017, 3, 4)
		first := person("Ancien", &old, "49018")
		second := person("Jeune", &young, "49018")
		third := person("Sans profil", nil, "")
		apply(first, a, b, c)
		apply(second, b, b)
		apply(third, c)
		apply(id(`INSERT INTO users (public_id, kind, first_name, date_joined) VALUES (?, 'professional', 'Pro', ?) RETURNING id`, uuid.NewString(), now), a)

		svc := jobseeker.NewService(d, nil, []byte("k"))
		if n, err := svc.CountApplicants(ctx, []int64{a, b}); err != nil || n != 2 {
			t.Fatalf("count: %d %v", n, err)
		}
		rows, err := svc.Applicants(ctx, []int64{a, b}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].ID != second || rows[1].ID != first {
			t.Fatalf("rows %+v", rows)
		}
		if !reflect.DeepEqual(rows[0].CompanyUIDs, []string{"uid-b"}) || !reflect.DeepEqual(rows[1].CompanyUIDs, []string{"uid-a", "uid-b"}) {
			t.Errorf("companies %v, %v", rows[0].CompanyUIDs, rows[1].CompanyUIDs)
		}
		if *rows[0].BirthPlace != "BAUGE-EN-ANJOU" || *rows[1].BirthPlace != "BAUGE" || *rows[1].BirthCountry != "FRANCE" {
			t.Errorf("birth places %q, %q", *rows[0].BirthPlace, *rows[1].BirthPlace)
		}
		if !rows[1].Birthdate.Equal(old) {
			t.Errorf("birth date %v", rows[1].Birthdate)
		}
		page2, err := svc.Applicants(ctx, []int64{a, b, c}, 1, 1)
		if err != nil || len(page2) != 1 || page2[0].ID != second || page2[0].BirthPlace == nil {
			t.Errorf("second page of one: %+v %v", page2, err)
		}
		if rows, err := svc.Applicants(ctx, []int64{c}, 0, 10); err != nil || len(rows) != 2 || rows[0].ID != third || rows[0].BirthPlace != nil || rows[0].Birthdate != nil {
			t.Errorf("company c: %+v %v", rows, err)
		}
		if n, err := svc.CountApplicants(ctx, nil); err != nil || n != 0 {
			t.Errorf("no company: %d %v", n, err)
		}
	})
}
