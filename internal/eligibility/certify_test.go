package eligibility

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/apiparticulier"
	"emplois/internal/platform/apiparticulier/apiparticuliertest"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/jobs"
)

// certifiable gives the job seeker the identity API Particulier needs: born in Lyon.
func (f *fixture) certifiable(u *account.User) {
	f.t.Helper()
	ctx := context.Background()
	if _, err := f.d.NewUpdate().Table("users").Set("title = 'MME'").Where("id = ?", u.ID).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	now := f.clk.Now()
	_, err := f.d.NewRaw(`INSERT INTO job_seeker_profile (user_id, birthdate, birth_country_code, birth_place_code, asp_uid, updated_at)
		VALUES (?, '1990-03-07', '99100', '69123', ?, ?)`, u.ID, jobseeker.ASPUID([]byte("test key"), u.ID), now).Exec(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) selected(d *Diagnosis, kind Kind) selectedRow {
	f.t.Helper()
	var row selectedRow
	err := f.d.NewSelect().Model(&row).Join("JOIN administrative_criteria AS c ON c.id = sc.administrative_criteria_id").
		Where("sc.eligibility_diagnosis_id = ? AND c.kind = ?", d.ID, kind).Scan(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return row
}

// certifier is a certifier on the fixture's clock asking an in-process API Particulier, closed
// with the test.
func (f *fixture) certifier() (*Certifier, *apiparticuliertest.Server) {
	api := apiparticuliertest.New()
	f.t.Cleanup(api.Close)
	c := NewCertifier(f.d, apiparticulier.New(api.URL(), apiparticuliertest.Token), quiet)
	c.Now = f.clk.Now
	return c, api
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestCertify_StoresEachAnswerOfAPIParticulierAndRetriesWhatItDidNotAnswer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, api := f.certifier()
		// Jobs are queued at the real time; the worker's clock moves on from it.
		var shift time.Duration
		w := jobs.New(d, jobs.Options{Now: func() time.Time { return time.Now().Add(shift) }, Log: quiet})
		w.Register(CertifyJob, c.Handle)

		js, _ := f.jobSeeker()
		f.certifiable(js)
		prescriber := f.prescriber(true)
		diag := f.createIAE(prescriber, js, CreateOptions{}, RSA, AAH, "PI", "DETLD")
		if n := f.count("job", "kind = ?", CertifyJob); n != 1 {
			t.Fatalf("%d certification jobs queued; want 1", n)
		}
		other, _ := f.jobSeeker()
		f.createIAE(prescriber, other, CreateOptions{}, "DETLD")
		if n := f.count("job", "kind = ?", CertifyJob); n != 1 {
			t.Fatalf("a diagnosis without RSA, AAH or PI queued a certification")
		}

		api.Set(apiparticulier.RSA, "Martin", apiparticuliertest.Beneficiary("2024-01-15"))
		api.Set(apiparticulier.AAH, "Martin", apiparticuliertest.NotBeneficiary())
		api.Set(apiparticulier.ASF, "Martin", apiparticuliertest.Reply{Status: http.StatusTooManyRequests, Body: map[string]any{}, RetryAfter: "120"})
		started := time.Now()
		if n, err := w.Drain(ctx); err != nil || n != 1 {
			t.Fatalf("Drain = %d, %v", n, err)
		}
		if p := api.Problems(); len(p) != 0 {
			t.Fatalf("API Particulier refused: %v", p)
		}
		rsa, aah, pi := f.selected(diag, RSA), f.selected(diag, AAH), f.selected(diag, "PI")
		if rsa.CertifiedAt == nil || rsa.CertifiedFrom == nil || rsa.CertifiedFrom.Format(time.DateOnly) != "2024-01-15" || rsa.CertifiedUntil != nil {
			t.Errorf("RSA = %+v; want certified from 2024-01-15, open-ended", rsa)
		}
		if aah.CertifiedAt == nil || !aah.CertificationEmpty || aah.CertifiedFrom != nil {
			t.Errorf("AAH = %+v; want the empty period", aah)
		}
		if pi.CertifiedAt != nil {
			t.Errorf("PI = %+v; want uncertified after a 429", pi)
		}
		if ok, _ := jobseeker.IdentityCertified(ctx, d, js.ID); !ok {
			t.Error("a definitive answer must certify the identity")
		}
		var job jobs.Job
		if err := d.NewSelect().Model(&job).Where("kind = ?", CertifyJob).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if job.Status != jobs.StatusPending || job.RunAt.Before(started.Add(2*time.Minute)) || job.RunAt.After(time.Now().Add(2*time.Minute)) {
			t.Fatalf("job = %+v; want a retry after the Retry-After of 120 s", job)
		}

		// The badges of §2.5 read what was stored.
		seen, err := f.svc.IAEDiagnosis(ctx, prescriber, diag.ID)
		if err != nil {
			t.Fatal(err)
		}
		badges := map[Kind]BadgeState{}
		for _, s := range seen.Criteria {
			badges[s.Criterion.Kind] = CertificationBadge(s.Criterion.Kind, s, nil, seen.ExpiresAt, f.clk.Now()).State
		}
		if badges[RSA] != BadgeCertified || badges[AAH] != BadgeNotCertified || badges["PI"] != BadgeInProgress || badges["DETLD"] != BadgeNone {
			t.Errorf("badges = %v", badges)
		}

		// The retry asks only what is still uncertified: a person unknown to the provider.
		api.Set(apiparticulier.ASF, "Martin", apiparticuliertest.NotFound())
		before := len(api.Calls())
		shift = 3 * time.Minute
		if n, err := w.Drain(ctx); err != nil || n != 1 {
			t.Fatalf("retry: Drain = %d, %v", n, err)
		}
		if calls := api.Calls()[before:]; len(calls) != 1 || calls[0].Benefit != apiparticulier.ASF {
			t.Fatalf("retry calls = %+v; want PI only", calls)
		}
		if pi := f.selected(diag, "PI"); pi.CertifiedAt == nil || pi.CertificationEmpty || pi.CertifiedFrom != nil {
			t.Errorf("PI = %+v; want checked without a period (« Certification impossible »)", pi)
		}
	})
}

func TestScheduleRetries_PicksUncertifiedCriteriaOfValidDiagnosesNotTriedForAWeek(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, api := f.certifier()
		w := jobs.New(d, jobs.Options{Log: quiet})
		w.Register(CertifyJob, c.Handle)

		js, _ := f.jobSeeker()
		f.certifiable(js)
		incomplete, _ := f.jobSeeker() // no birth data: never sent
		prescriber := f.prescriber(true)
		diag := f.createIAE(prescriber, js, CreateOptions{}, RSA)
		f.createIAE(prescriber, incomplete, CreateOptions{}, RSA)
		// API Particulier is down for the first try (502, not retried by the job).
		api.Set(apiparticulier.RSA, "Martin", apiparticuliertest.ProviderDown())
		w.Drain(ctx)
		if n, err := c.ScheduleRetries(ctx); err != nil || n != 0 {
			t.Fatalf("the same day: %d queued, %v; want none (created less than a day ago, just tried)", n, err)
		}
		f.clk.AdvanceDays(8)
		if n, err := c.ScheduleRetries(ctx); err != nil || n != 1 {
			t.Fatalf("a week later: %d queued, %v; want the one diagnosis with a full identity", n, err)
		}
		api.Set(apiparticulier.RSA, "Martin", apiparticuliertest.Beneficiary("2024-06-01"))
		w.Drain(ctx)
		if rsa := f.selected(diag, RSA); rsa.CertifiedFrom == nil {
			t.Fatalf("RSA = %+v; want certified by the retry", rsa)
		}
		if n, _ := c.ScheduleRetries(ctx); n != 0 {
			t.Errorf("%d queued once certified; want 0", n)
		}
		off := NewCertifier(d, nil, quiet)
		if n, err := off.ScheduleRetries(ctx); n != 0 || err != nil || off.Enabled() {
			t.Errorf("off: %d, %v", n, err)
		}
	})
}
