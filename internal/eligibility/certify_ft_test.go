package eligibility

import (
	"context"
	"net/http"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
	"emplois/internal/platform/jobs"
)

// ftCertifier is a certifier on the fixture's clock asking an in-process France Travail only,
// and a worker running its jobs whose clock is the real time moved by *shift.
func (f *fixture) ftCertifier(shift *time.Duration) (*Certifier, *fttest.Server, *jobs.Worker) {
	s := fttest.New()
	f.t.Cleanup(s.Close)
	c := NewCertifier(f.d, nil, quiet)
	c.Now = f.clk.Now
	c.UseFranceTravail(francetravail.New(f.d, s.Config(), f.clk.Now))
	w := jobs.New(f.d, jobs.Options{Now: func() time.Time { return time.Now().Add(*shift) }, Log: quiet})
	w.Register(CertifyJob, c.Handle)
	w.Register(CertifyFTJob, c.HandleFT)
	return c, s, w
}

// ftIdentity gives the job seeker a profile born on 1990-03-07 with this NIR and France
// Travail identifier (either may be empty).
func (f *fixture) ftIdentity(u *account.User, nir, ftID string) {
	f.t.Helper()
	f.certifiable(u)
	var n any
	if nir != "" {
		n = nir
	}
	if _, err := f.d.NewRaw("UPDATE job_seeker_profile SET nir = ?, pole_emploi_id = ? WHERE user_id = ?", n, ftID, u.ID).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) certifiers(u *account.User) []string {
	f.t.Helper()
	var out []string
	err := f.d.NewSelect().Table("identity_certification").Column("certifier").Where("job_seeker_id = ?", u.ID).Scan(context.Background(), &out)
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) lastAttempt(selectedID int64) *time.Time {
	f.t.Helper()
	var at *time.Time
	err := f.d.NewSelect().Table("selected_administrative_criteria").Column("last_certification_attempt_at").
		Where("id = ?", selectedID).Scan(context.Background(), &at)
	if err != nil {
		f.t.Fatal(err)
	}
	return at
}

func dayOf(p *time.Time) string {
	if p == nil {
		return "-"
	}
	return p.Format(time.DateOnly)
}

func TestCertifyFT_EachAnswerOfFranceTravailAsTheSpecStoresIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var shift time.Duration
		_, ft, w := f.ftCertifier(&shift)
		prescriber := f.prescriber(true)

		type want struct {
			certified    bool   // certified_at set
			empty        bool   // the empty period
			from, until  string // the period, "-" for none
			identity     bool   // identity certified by API_FT_RECHERCHER_USAGER
			badge        BadgeState
			searchByFTID bool
		}
		for _, tc := range []struct {
			name      string
			nir, ftID string
			user      *fttest.User
			want      want
		}{
			{"RQTH with an end", "290037512345678", "", &fttest.User{NIR: "290037512345678", Birthdate: "1990-03-07",
				RQTH: fttest.RQTHValid("2022-03-01", "2025-02-28")}, want{true, false, "2022-03-01", "2025-02-28", true, BadgeTemporary, false}},
			{"RQTH without end (9999-12-31)", "290037512345679", "", &fttest.User{NIR: "290037512345679", Birthdate: "1990-03-07",
				RQTH: fttest.RQTHValid("2021-01-01", francetravail.OpenEnd)}, want{true, false, "2021-01-01", "-", true, BadgeCertified, false}},
			{"RQTH starting later", "", "12345678901", &fttest.User{FTID: "12345678901",
				RQTH: fttest.RQTHValid("2025-01-01", francetravail.OpenEnd)}, want{true, false, "2025-01-01", "-", true, BadgeFuture, true}},
			{"no RQTH", "290037512345680", "", &fttest.User{NIR: "290037512345680", Birthdate: "1990-03-07"},
				want{true, true, "-", "-", true, BadgeNotCertified, false}},
			{"identity not certified", "290037512345681", "", &fttest.User{NIR: "290037512345681", Birthdate: "1990-03-07", NotCertified: true},
				want{true, true, "-", "-", false, BadgeNotCertified, false}},
			{"nobody found (S002)", "290037512345682", "", nil, want{false, false, "-", "-", false, BadgeInProgress, false}},
			{"several people (S003)", "", "12345678902", &fttest.User{FTID: "12345678902", Code: francetravail.UsersSeveral},
				want{false, false, "-", "-", false, BadgeInProgress, true}},
		} {
			js, _ := f.jobSeeker()
			f.ftIdentity(js, tc.nir, tc.ftID)
			if tc.user != nil {
				ft.AddUser(*tc.user)
			}
			diag := f.createIAE(prescriber, js, CreateOptions{}, TH, "DETLD")
			before := len(ft.UserSearches())
			if n, err := w.Drain(ctx); err != nil || n != 1 {
				t.Fatalf("%s: Drain = %d, %v", tc.name, n, err)
			}
			searches := ft.UserSearches()[before:]
			wantPath := francetravail.UserByNIRPath
			if tc.want.searchByFTID {
				wantPath = francetravail.UserByFTIDPath
			}
			if len(searches) != 1 || searches[0]["path"] != wantPath {
				t.Errorf("%s: searches %v; want one at %s", tc.name, searches, wantPath)
			}
			row := f.selected(diag, TH)
			got := want{row.CertifiedAt != nil, row.CertificationEmpty, dayOf(row.CertifiedFrom), dayOf(row.CertifiedUntil),
				len(f.certifiers(js)) == 1 && f.certifiers(js)[0] == "API_FT_RECHERCHER_USAGER", 0, tc.want.searchByFTID}
			if row.CertifiedAt == nil && f.lastAttempt(row.ID) == nil {
				t.Errorf("%s: the attempt was not noted", tc.name)
			}
			seen, err := f.svc.IAEDiagnosis(ctx, prescriber, diag.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range seen.Criteria {
				if s.Criterion.Kind == TH {
					got.badge = CertificationBadge(TH, s, nil, seen.ExpiresAt, f.clk.Now()).State
				}
			}
			if got != tc.want {
				t.Errorf("%s: got %+v; want %+v", tc.name, got, tc.want)
			}
		}
		if p := ft.Problems(); len(p) > 0 {
			t.Errorf("France Travail refused: %v", p)
		}
		if n := f.count("job", "status = ?", jobs.StatusPending); n != 0 {
			t.Errorf("%d jobs left pending; the definitive answers are not retried", n)
		}
		// Without NIR nor identifier, nothing is asked.
		js, _ := f.jobSeeker()
		f.ftIdentity(js, "", "1234567A")
		f.createIAE(prescriber, js, CreateOptions{}, TH)
		calls := ft.Counts().UserSearchCalls
		w.Drain(ctx)
		if n := ft.Counts().UserSearchCalls; n != calls {
			t.Errorf("a job seeker with only an 8-character identifier was searched")
		}
	})
}

func TestCertifyFT_FailuresAreRetriedEveryTenMinutesOrWhenTheRateLimitSays(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var shift time.Duration
		_, ft, w := f.ftCertifier(&shift)
		js, _ := f.jobSeeker()
		f.ftIdentity(js, "290037512345678", "")
		ft.AddUser(fttest.User{NIR: "290037512345678", Birthdate: "1990-03-07", RQTH: fttest.RQTHValid("2022-03-01", francetravail.OpenEnd)})
		diag := f.createIAE(f.prescriber(true), js, CreateOptions{}, TH, "DETLD")

		job := func() jobs.Job {
			var j jobs.Job
			if err := d.NewSelect().Model(&j).Where("kind = ?", CertifyFTJob).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			return j
		}
		if j := job(); j.MaxAttempts != ftCertifyAttempts {
			t.Errorf("max attempts %d; want %d (every 10 min for 3 h)", j.MaxAttempts, ftCertifyAttempts)
		}
		for _, tc := range []struct {
			failure fttest.Failure
			wait    time.Duration
		}{
			{fttest.RCode(http.StatusInternalServerError, "R999"), ftRetryEvery},
			{fttest.RCode(http.StatusBadRequest, "R001"), ftRetryEvery},
			{fttest.Failure{Status: http.StatusTooManyRequests, RetryAfter: "120"}, 2 * time.Minute},
			{fttest.Failure{Status: http.StatusTooManyRequests, RetryAfter: "later"}, time.Minute},
		} {
			ft.FailAPI(tc.failure)
			ran := time.Now().Add(shift)
			if n, err := w.Drain(ctx); err != nil || n != 1 {
				t.Fatalf("%v: Drain = %d, %v", tc.failure, n, err)
			}
			j := job()
			if j.Status != jobs.StatusPending || j.RunAt.Before(ran.Add(tc.wait-time.Second)) || j.RunAt.After(time.Now().Add(shift+tc.wait+time.Second)) {
				t.Fatalf("%v: job %+v; want a retry in %s", tc.failure, j, tc.wait)
			}
			if row := f.selected(diag, TH); row.CertifiedAt != nil || f.lastAttempt(row.ID) == nil {
				t.Fatalf("%v: TH = %+v; want uncertified, attempted", tc.failure, row)
			}
			shift += tc.wait + time.Second
		}
		// A failure of « données RQTH » after the search is retried the same way.
		ft.FailAPI(fttest.Failure{}, fttest.RCode(http.StatusServiceUnavailable, "R998"))
		if n, _ := w.Drain(ctx); n != 1 {
			t.Fatal("the job did not run")
		}
		if j := job(); j.Status != jobs.StatusPending || ft.Counts().RQTHCalls != 1 {
			t.Fatalf("job %+v, %d RQTH calls; want a retry after the failed RQTH call", j, ft.Counts().RQTHCalls)
		}
		shift += ftRetryEvery + time.Second
		if n, _ := w.Drain(ctx); n != 1 {
			t.Fatal("the job did not run")
		}
		if j := job(); j.Status != jobs.StatusDone || j.Attempts != 6 {
			t.Fatalf("job %+v; want done at the sixth attempt", j)
		}
		if row := f.selected(diag, TH); dayOf(row.CertifiedFrom) != "2022-03-01" || row.CertifiedUntil != nil {
			t.Errorf("TH = %+v; want certified from 2022-03-01, open-ended", row)
		}
		if p := ft.Problems(); len(p) > 0 {
			t.Errorf("France Travail refused: %v", p)
		}
	})
}

func TestScheduleRetries_TakesTHUncertifiedOrEndedAfterThreeHoursAndAWeekWithoutAttempt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var shift time.Duration
		c, ft, w := f.ftCertifier(&shift)
		prescriber := f.prescriber(true)
		unknown, _ := f.jobSeeker() // S002 at first
		f.ftIdentity(unknown, "290037512345678", "")
		ending, _ := f.jobSeeker() // RQTH ending in 3 days
		f.ftIdentity(ending, "", "12345678901")
		ft.AddUser(fttest.User{FTID: "12345678901", RQTH: fttest.RQTHValid("2022-01-01", "2024-12-06")})
		anonymous, _ := f.jobSeeker() // never searchable
		f.ftIdentity(anonymous, "", "")
		unknownDiag := f.createIAE(prescriber, unknown, CreateOptions{}, TH)
		f.createIAE(prescriber, ending, CreateOptions{}, TH)
		f.createIAE(prescriber, anonymous, CreateOptions{}, TH)
		w.Drain(ctx)

		if n, err := c.ScheduleRetries(ctx); err != nil || n != 0 {
			t.Fatalf("the same day: %d queued, %v; want none", n, err)
		}
		f.clk.AdvanceDays(8)
		if n, err := c.ScheduleRetries(ctx); err != nil || n != 2 {
			t.Fatalf("a week later: %d queued, %v; want the unknown person's and the ended RQTH's", n, err)
		}
		ft.AddUser(fttest.User{NIR: "290037512345678", Birthdate: "1990-03-07", RQTH: fttest.RQTHValid("2024-01-01", francetravail.OpenEnd)})
		w.Drain(ctx)
		if row := f.selected(unknownDiag, TH); dayOf(row.CertifiedFrom) != "2024-01-01" {
			t.Errorf("TH = %+v; want certified by the retry", row)
		}
		if n, _ := c.ScheduleRetries(ctx); n != 0 {
			t.Errorf("%d queued right after the retry; want 0 (tried today)", n)
		}
		off := NewCertifier(d, nil, quiet)
		if n, err := off.ScheduleRetries(ctx); n != 0 || err != nil || off.FranceTravailEnabled() {
			t.Errorf("off: %d, %v", n, err)
		}
	})
}

func TestCertifyFT_AGEIQDiagnosisHasItsTHCertifiedToo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var shift time.Duration
		_, ft, w := f.ftCertifier(&shift)
		js, _ := f.jobSeeker()
		f.ftIdentity(js, "", "12345678901")
		ft.AddUser(fttest.User{FTID: "12345678901", RQTH: fttest.RQTHValid("2023-09-01", "2030-08-31")})
		diag := f.createGEIQ(f.prescriber(true), js, TH, SENIOR)
		if n := f.count("job", "kind = ?", CertifyFTJob); n != 1 {
			t.Fatalf("%d TH certifications queued; want 1", n)
		}
		if n, err := w.Drain(ctx); err != nil || n != 1 {
			t.Fatalf("Drain = %d, %v", n, err)
		}
		var from, until time.Time
		err := d.NewSelect().TableExpr("geiq_selected_administrative_criteria AS sc").ColumnExpr("sc.certified_from, sc.certified_until").
			Join("JOIN geiq_administrative_criteria AS c ON c.id = sc.administrative_criteria_id").
			Where("sc.eligibility_diagnosis_id = ? AND c.kind = ?", diag.ID, TH).Scan(ctx, &from, &until)
		if err != nil {
			t.Fatal(err)
		}
		if dayOf(&from) != "2023-09-01" || dayOf(&until) != "2030-08-31" {
			t.Errorf("GEIQ TH certified %s–%s; want 2023-09-01–2030-08-31", dayOf(&from), dayOf(&until))
		}
		if p := ft.Problems(); len(p) > 0 {
			t.Errorf("France Travail refused: %v", p)
		}
	})
}
