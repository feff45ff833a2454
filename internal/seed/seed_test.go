package seed_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/reference/referencetest"
	"emplois/internal/seed"
)

var day = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

// importFull loads the full reference data (skipping the test when ../shared/data is absent).
func importFull(t *testing.T, d *db.DB) {
	t.Helper()
	if err := reference.ImportDir(t.Context(), d, referencetest.DataDir(t)); err != nil {
		t.Fatal(err)
	}
}

// digest sums up the generated rows that must not depend on the engine nor on the run: companies
// and fiches de poste (with their places, kinds, contracts and dates), prescriber organizations
// and users.
func digest(t *testing.T, d *db.DB) string {
	t.Helper()
	ctx := t.Context()
	h := sha256.New()
	var companies []struct {
		UID, SIRET, Kind, Name, Brand, CommuneCode, PostCode string
		Latitude, Longitude                                  float64
		IsSearchable, BlockJobApplications                   bool
		CreatedAt                                            time.Time
		ConventionActive                                     *bool
	}
	err := d.NewRaw(`SELECT co.uid, co.siret, co.kind, co.name, co.brand, co.commune_code, co.post_code, co.latitude, co.longitude,
		co.is_searchable, co.block_job_applications, co.created_at, cv.is_active AS convention_active
		FROM company co LEFT JOIN siae_convention cv ON cv.id = co.convention_id ORDER BY co.uid`).Scan(ctx, &companies)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range companies {
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s|%s|%.6f|%.6f|%v|%v|%s|%v\n", c.UID, c.SIRET, c.Kind, c.Name, c.Brand, c.CommuneCode, c.PostCode,
			c.Latitude, c.Longitude, c.IsSearchable, c.BlockJobApplications, c.CreatedAt.UTC().Format(time.RFC3339), c.ConventionActive != nil && *c.ConventionActive)
	}
	var fiches []struct {
		UID, CompanyUID, AppellationCode, ContractType string
		LocationCode                                   *string
		IsActive                                       bool
		UpdatedAt                                      time.Time
	}
	err = d.NewRaw(`SELECT jd.uid, co.uid AS company_uid, jd.appellation_code, jd.contract_type, jd.location_code, jd.is_active, jd.updated_at
		FROM job_description jd JOIN company co ON co.id = jd.company_id ORDER BY jd.uid`).Scan(ctx, &fiches)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fiches {
		loc := ""
		if f.LocationCode != nil {
			loc = *f.LocationCode
		}
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%v|%s\n", f.UID, f.CompanyUID, f.AppellationCode, f.ContractType, loc, f.IsActive, f.UpdatedAt.UTC().Format(time.RFC3339))
	}
	var profiles []string
	err = d.NewRaw(`SELECT u.public_id || '|' || u.post_code || '|' || COALESCE(p.nir, p.lack_of_nir_reason) || '|' || p.asp_uid
		FROM job_seeker_profile p JOIN users u ON u.id = p.user_id ORDER BY 1`).Scan(ctx, &profiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles {
		fmt.Fprintln(h, p)
	}
	var applications []string
	err = d.NewRaw(`SELECT ja.public_id || '|' || co.uid || '|' || js.public_id || '|' || ja.state || '|' || ja.sender_kind || '|' ||
		(SELECT COUNT(*) FROM job_application_selected_job sj WHERE sj.job_application_id = ja.id)
		FROM job_application ja JOIN company co ON co.id = ja.to_company_id JOIN users js ON js.id = ja.job_seeker_id ORDER BY 1`).Scan(ctx, &applications)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range applications {
		fmt.Fprintln(h, a)
	}
	var others []string
	err = d.NewRaw(`SELECT uid || '|' || COALESCE(siret, '') || '|' || kind || '|' || authorization_status FROM prescriber_organization
		UNION ALL SELECT public_id || '|' || email || '|' || kind || '|' || identity_provider FROM users ORDER BY 1`).Scan(ctx, &others)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range others {
		fmt.Fprintln(h, o)
	}
	var passes []struct {
		Key            string
		StartAt, EndAt time.Time
	}
	err = d.NewRaw(`SELECT a.number || '|' || a.public_id || '|' || u.public_id || '|' || a.origin || '|' ||
		COALESCE(ja.public_id, '') || '|' || (SELECT COUNT(*) FROM suspension s WHERE s.approval_id = a.id) AS key, a.start_at, a.end_at
		FROM approval a JOIN users u ON u.id = a.user_id LEFT JOIN job_application ja ON ja.approval_id = a.id ORDER BY 1`).Scan(ctx, &passes)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range passes {
		fmt.Fprintf(h, "%s|%s|%s\n", p.Key, p.StartAt.Format(time.DateOnly), p.EndAt.Format(time.DateOnly))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.NewRaw(query, args...).Scan(t.Context(), &n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestRun_SmallScaleIsTheSameOnEveryRunAndEngineAndForceReplacesIt(t *testing.T) {
	digests := map[db.Engine]string{}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		importFull(t, d)
		ctx := t.Context()
		var out bytes.Buffer
		sum, err := seed.Run(ctx, d, seed.Options{Scale: seed.Small, Seed: 42, Now: day, Progress: &out})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"companies", "fiches de poste", "rows/s", "job applications", "PASS IAE", "suspensions", "done: small data set (seed 42)"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("progress lacks %q:\n%s", want, out.String())
			}
		}
		if sum.Duration <= 0 || len(sum.Stages) != 8 {
			t.Errorf("summary: %+v", sum)
		}
		counts := []struct {
			what  string
			query string
			want  int
		}{
			{"companies", "SELECT COUNT(*) FROM company", seed.Small.Companies},
			{"fiches de poste", "SELECT COUNT(*) FROM job_description", seed.Small.JobDescriptions},
			{"prescriber organizations", "SELECT COUNT(*) FROM prescriber_organization", seed.Small.Prescribers},
			{"job seekers", "SELECT COUNT(*) FROM users WHERE kind = 'job_seeker'", seed.Small.JobSeekers},
			{"job seekers with a profile and a post code", "SELECT COUNT(*) FROM job_seeker_profile p JOIN users u ON u.id = p.user_id WHERE u.post_code <> ''", seed.Small.JobSeekers},
			{"candidatures sent by an employer to no company", "SELECT COUNT(*) FROM job_application WHERE sender_kind = 'employer' AND sender_company_id IS NULL", 0},
			{"job seekers with a usable password", "SELECT COUNT(*) FROM users WHERE kind = 'job_seeker' AND password_hash <> ''", 0},
			// A misplaced id (rows tied to the wrong company) would show here.
			{"fiches whose contract the company's kind may not offer", "SELECT jd.contract_type, co.kind FROM job_description jd JOIN company co ON co.id = jd.company_id", -1},
			{"SIAE of the ASP without convention", "SELECT COUNT(*) FROM company WHERE source = 'ASP' AND convention_id IS NULL", 0},
			{"admins among former members", "SELECT COUNT(*) FROM company_membership WHERE is_admin AND NOT is_active", 0},
			{"organizations with active members but no admin", `SELECT COUNT(*) FROM company co WHERE EXISTS (SELECT 1 FROM company_membership m WHERE m.organization_id = co.id AND m.is_active)
				AND NOT EXISTS (SELECT 1 FROM company_membership m WHERE m.organization_id = co.id AND m.is_admin)`, 0},
		}
		for _, c := range counts {
			if c.want < 0 {
				var rows []struct{ ContractType, Kind string }
				if err := d.NewRaw(c.query).Scan(ctx, &rows); err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					if !jobdesc.ContractAllowed(org.CompanyKind(r.Kind), false, jobdesc.ContractType(r.ContractType)) {
						t.Fatalf("%s: %s offers %s", c.what, r.Kind, r.ContractType)
					}
				}
				continue
			}
			if got := count(t, d, c.query); got != c.want {
				t.Errorf("%s: %d, want %d", c.what, got, c.want)
			}
		}
		// The PASS stage adds the accepted candidatures of the PASS that the candidature stage's
		// hires do not cover.
		if got := count(t, d, "SELECT COUNT(*) FROM job_application"); got < seed.Small.JobApplications || got > seed.Small.JobApplications+seed.Small.Approvals {
			t.Errorf("candidatures: %d, want %d and those added for the PASS", got, seed.Small.JobApplications)
		}
		var nirs []struct {
			NIR       string
			Title     string
			Birthdate time.Time
		}
		if err := d.NewRaw(`SELECT p.nir, u.title, p.birthdate FROM job_seeker_profile p JOIN users u ON u.id = p.user_id
			WHERE p.nir IS NOT NULL`).Scan(ctx, &nirs); err != nil {
			t.Fatal(err)
		}
		if len(nirs) < seed.Small.JobSeekers*8/10 {
			t.Errorf("%d job seekers with a NIR, want most of %d", len(nirs), seed.Small.JobSeekers)
		}
		for _, n := range nirs {
			if msg := jobseeker.NIRProblem(n.NIR); msg != "" {
				t.Fatalf("generated NIR %s: %s", n.NIR, msg)
			}
			if _, msg := jobseeker.NIRConsistency(n.NIR, account.Title(n.Title), &n.Birthdate); msg != "" {
				t.Fatalf("generated NIR %s (%s, %s): %s", n.NIR, n.Title, n.Birthdate.Format("2006-01-02"), msg)
			}
		}
		bigInbox := int(float64(seed.Small.JobApplications) * seed.BigInboxShare)
		if got := count(t, d, "SELECT COUNT(*) FROM (SELECT 1 FROM job_application GROUP BY to_company_id HAVING COUNT(*) >= ?) c", bigInbox); got == 0 {
			t.Errorf("no company received the big inbox's %d candidatures", bigInbox)
		}
		checkPASS(t, d)
		first := digest(t, d)

		if _, err := seed.Run(ctx, d, seed.Options{Scale: seed.Small, Seed: 42, Now: day}); !errors.Is(err, seed.ErrAlreadySeeded) {
			t.Fatalf("second run without --force: %v, want ErrAlreadySeeded", err)
		}
		if got := digest(t, d); got != first {
			t.Fatal("a refused run changed the data")
		}
		sum, err = seed.Run(ctx, d, seed.Options{Scale: seed.Small, Seed: 42, Now: day, Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Removed == 0 {
			t.Error("--force removed nothing")
		}
		if got := digest(t, d); got != first {
			t.Error("the same seed on the same day gave other rows")
		}
		if _, err := seed.Run(ctx, d, seed.Options{Scale: seed.Small, Seed: 7, Now: day, Force: true}); err != nil {
			t.Fatal(err)
		}
		if got := digest(t, d); got == first {
			t.Error("another seed gave the same rows")
		}
		if got := count(t, d, "SELECT COUNT(*) FROM company"); got != seed.Small.Companies {
			t.Errorf("after --force: %d companies, want %d (the previous set must be gone)", got, seed.Small.Companies)
		}
		digests[d.Engine] = first
	})
	if len(digests) == 2 && digests[db.SQLite] != digests[db.Postgres] {
		t.Error("the same seed gave other rows on SQLite and PostgreSQL")
	}
}

func TestRun_PlacesCompaniesInProportionToPopulationAndLeavesOtherRowsAlone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		importFull(t, d)
		ctx := context.Background()
		// A real company (not generated) must survive --force.
		if _, err := d.NewRaw(`INSERT INTO company (uid, siret, kind, name, source, auth_email, created_at, updated_at)
			VALUES ('real', '73282932000074', 'EI', 'Vraie structure', 'ASP', 'vraie@example.org', ?, ?)`, day, day).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		scale := seed.Scale{Name: "test", Companies: 1500, JobDescriptions: 100, Prescribers: 10, JobSeekers: 10}
		for _, force := range []bool{false, true} {
			if _, err := seed.Run(ctx, d, seed.Options{Scale: scale, Seed: 42, Now: day, Force: force}); err != nil {
				t.Fatal(err)
			}
		}
		big := count(t, d, "SELECT COUNT(*) FROM company WHERE department IN ('75', '69', '13') AND uid <> 'real'")
		lozere := count(t, d, "SELECT COUNT(*) FROM company WHERE department = '48'")
		// 75, 69 and 13 hold about 9% of the population, Lozère 0.1%.
		if big < 90 || big > 190 || lozere > 8 {
			t.Errorf("Paris, Rhône and Bouches-du-Rhône: %d companies of 1,500 (want about 135); Lozère: %d (want about 2)", big, lozere)
		}
		if got := count(t, d, "SELECT COUNT(*) FROM company WHERE uid = 'real'"); got != 1 {
			t.Error("--force removed a company it had not generated")
		}
		if got := count(t, d, "SELECT COUNT(*) FROM company WHERE latitude IS NULL OR commune_code = ''"); got != 1 {
			t.Errorf("%d generated companies without position", got-1)
		}
	})
}

func TestRun_RefusesWithoutTheFullReferenceData(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		_, err := seed.Run(t.Context(), d, seed.Options{Scale: seed.Small, Seed: 42})
		if !errors.Is(err, seed.ErrReference) || !strings.Contains(err.Error(), "emplois import all") {
			t.Fatalf("err = %v, want ErrReference telling how to import", err)
		}
		if got := count(t, d, "SELECT COUNT(*) FROM company"); got != 0 {
			t.Errorf("%d companies written", got)
		}
	})
}
