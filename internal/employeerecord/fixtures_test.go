package employeerecord

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
)

// fixture is a service over a migrated database, on 2026-03-02 in Paris, with one AI under
// convention: its ASP company (the « mother ») and an antenna that shares the convention.
type fixture struct {
	t       testing.TB
	d       *db.DB
	svc     *Service
	today   time.Time
	seq     int
	asp     int64 // the ASP company
	antenna int64
	admin   actor.Actor // an admin of the antenna
}

const motherSIRET = "12345678900012"

func newFixture(t testing.TB, d *db.DB) *fixture {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f := &fixture{t: t, d: d, svc: NewService(d, func() time.Time { return now }), today: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	convention := f.insertID(`INSERT INTO siae_convention (kind, siret_signature, asp_id, created_at, updated_at) VALUES ('AI', ?, 4242, ?, ?)`,
		motherSIRET, now, now)
	f.asp = f.company(motherSIRET, "ASP", convention)
	f.antenna = f.company("12345678900099", "USER_CREATED", convention)
	f.admin = f.member(f.antenna, true)
	return f
}

func (f *fixture) insertID(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw(query+" RETURNING id", args...).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.NewRaw(query, args...).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) next() int { f.seq++; return f.seq }

func (f *fixture) company(siret, source string, convention any) int64 {
	return f.insertID(`INSERT INTO company (uid, siret, kind, name, source, convention_id, created_at, updated_at) VALUES (?, ?, 'AI', ?, ?, ?, ?, ?)`,
		uuid.NewString(), siret, fmt.Sprintf("Structure %d", f.next()), source, convention, f.today, f.today)
}

func (f *fixture) user(kind actor.Kind, title string) int64 {
	n := f.next()
	return f.insertID(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, date_joined) VALUES (?, ?, ?, ?, 'Julie', ?, ?)`,
		uuid.NewString(), fmt.Sprintf("user%d@example.org", n), string(kind), title, fmt.Sprintf("Martin%d", n), f.today)
}

// member is a new active member of the company acting for it.
func (f *fixture) member(companyID int64, admin bool) actor.Actor {
	u := f.user(actor.Professional, "")
	f.exec(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, TRUE, ?, ?)`,
		u, companyID, f.today, admin, f.today, f.today)
	return actor.Actor{UserID: u, Kind: actor.Professional, ClientIP: "192.0.2.1",
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: "AI", ID: companyID, IsAdmin: admin}}
}

// employee is a job seeker complete for a fiche: civilité, education level, NIR, birth date
// and country, an HEXA address.
func (f *fixture) employee() int64 {
	id := f.user(actor.JobSeeker, "MME")
	f.exec(`INSERT INTO job_seeker_profile (user_id, asp_uid, nir, birthdate, education_level, birth_country_code, birth_place_code,
		hexa_lane_number, hexa_lane_type, hexa_lane_name, hexa_post_code, hexa_commune_code, updated_at)
		VALUES (?, ?, ?, ?, '40', '99100', '75056', '12', 'RUE', 'DE LA PAIX', '75002', '75102', ?)`,
		id, fmt.Sprintf("%030d", id), fmt.Sprintf("2900575123%05d", id), time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), f.today)
	return id
}

// hired stores a PASS IAE numbered number for the job seeker and their candidature accepted by
// the company from hiringStart; it returns the candidature's public id.
func (f *fixture) hired(jobSeeker, companyID int64, number string, hiringStart time.Time) string {
	pass := f.insertID(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'ai_stock', ?, ?)`, uuid.NewString(), number, hiringStart, hiringStart.AddDate(2, 0, -1), jobSeeker, f.today, f.today)
	return f.accepted(jobSeeker, companyID, pass, hiringStart)
}

// accepted stores a candidature of the job seeker accepted by the company on the PASS.
func (f *fixture) accepted(jobSeeker, companyID, pass int64, hiringStart time.Time) string {
	publicID := uuid.NewString()
	f.exec(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state, hiring_start_at, processed_at,
		approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', 'accepted', ?, ?, ?, 'automatic', ?, ?)`,
		publicID, jobSeeker, companyID, jobSeeker, hiringStart, f.today, pass, f.today, f.today)
	return publicID
}

func (f *fixture) count(table, where string, args ...any) int {
	f.t.Helper()
	n, err := f.d.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}
