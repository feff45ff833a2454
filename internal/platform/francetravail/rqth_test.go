package francetravail_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
)

const (
	someNIR  = "290057512345678"
	someFTID = "12345678901"
)

var someBirth = time.Date(1990, 5, 7, 0, 0, 0, 0, time.UTC)

func day(t *testing.T, p *time.Time) string {
	t.Helper()
	if p == nil {
		return "open"
	}
	return p.Format(time.DateOnly)
}

func TestSearchUserThenRQTH_ByNIROrIdentifierWithTheAgentRealmsToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		s.AddUser(fttest.User{NIR: someNIR, Birthdate: "1990-05-07", RQTH: fttest.RQTHValid("2022-03-01", "2027-02-28")})
		s.AddUser(fttest.User{FTID: someFTID, RQTH: fttest.RQTHValid("2021-01-01", francetravail.OpenEnd)})
		s.AddUser(fttest.User{NIR: "190057512345699", Birthdate: "1990-05-07"})

		for _, tc := range []struct {
			name     string
			q        francetravail.UserQuery
			valid    bool
			from, to string
		}{
			{"by NIR and birth date, bounded", francetravail.UserQuery{NIR: someNIR, Birthdate: &someBirth, FTID: someFTID}, true, "2022-03-01", "2027-02-28"},
			{"by identifier, 9999-12-31 is open-ended", francetravail.UserQuery{FTID: someFTID}, true, "2021-01-01", "open"},
			{"no recognition", francetravail.UserQuery{NIR: "190057512345699", Birthdate: &someBirth}, false, "open", "open"},
		} {
			outcome, a, err := c.SearchUser(ctx, tc.q)
			if err != nil || outcome != francetravail.UserCertified || a.Token == "" {
				t.Fatalf("%s: search = %v %+v %v (server: %v)", tc.name, outcome, a, err, s.Problems())
			}
			r, err := c.RQTH(ctx, a.Token)
			if err != nil {
				t.Fatalf("%s: rqth: %v (server: %v)", tc.name, err, s.Problems())
			}
			if r.Valid != tc.valid || day(t, r.From) != tc.from || day(t, r.Until) != tc.to || len(r.Body) == 0 {
				t.Errorf("%s: RQTH = valid %v from %s to %s; want %v %s %s", tc.name, r.Valid, day(t, r.From), day(t, r.Until), tc.valid, tc.from, tc.to)
			}
		}
		searches := s.UserSearches()
		if len(searches) != 3 || searches[0]["path"] != francetravail.UserByNIRPath || searches[0]["nir"] != someNIR ||
			searches[0]["dateNaissance"] != "1990-05-07" || searches[1]["path"] != francetravail.UserByFTIDPath ||
			searches[1]["numeroFranceTravail"] != someFTID {
			t.Errorf("searches = %v", searches)
		}
		if p := s.Problems(); len(p) > 0 {
			t.Errorf("the server refused: %v", p)
		}
		// One agent token for the six calls, kept apart from the partner realm's.
		if n := s.Counts(); n.TokensIssued != 1 || n.UserSearchCalls != 3 || n.RQTHCalls != 3 {
			t.Errorf("counts = %+v", n)
		}
		if _, err := c.Agencies(ctx); err != nil {
			t.Fatal(err)
		}
		var keys []string
		if err := d.NewSelect().Table("partner_token").Column("key").Order("key").Scan(ctx, &keys); err != nil {
			t.Fatal(err)
		}
		if len(keys) != 2 || keys[0] != "francetravail/agent:"+fttest.ClientID || keys[1] != "francetravail/partenaire:"+fttest.ClientID {
			t.Errorf("cached tokens = %v; want one per realm", keys)
		}
	})
}

func TestSearchUser_TheReturnCodesOfTheSpec(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		s.AddUser(fttest.User{FTID: "00000000001", NotCertified: true})
		s.AddUser(fttest.User{FTID: "00000000002"})
		s.AddUser(fttest.User{FTID: "00000000002"})
		s.AddUser(fttest.User{FTID: "00000000003", Code: "S004"})
		for _, tc := range []struct {
			id   string
			want francetravail.UserOutcome
		}{
			{"00000000001", francetravail.UserNotCertified},
			{"00000000002", francetravail.UserAmbiguous},
			{"00000000009", francetravail.UserUnknown},
		} {
			outcome, a, err := c.SearchUser(ctx, francetravail.UserQuery{FTID: tc.id})
			if err != nil || outcome != tc.want || a.Token != "" {
				t.Errorf("%s: %v %+v %v; want outcome %v without token", tc.id, outcome, a, err, tc.want)
			}
		}
		_, _, err := c.SearchUser(ctx, francetravail.UserQuery{FTID: "00000000003"})
		var e *francetravail.Error
		if !errors.As(err, &e) || e.Kind != francetravail.BadAnswer || !francetravail.Retryable(err) {
			t.Errorf("code S004: %v; want a retryable bad answer", err)
		}
		if _, _, err := c.SearchUser(ctx, francetravail.UserQuery{FTID: "1234567A"}); err == nil || francetravail.Retryable(err) {
			t.Errorf("an 8-character identifier: %v; want a refusal before any call", err)
		}
		if n := s.Counts().UserSearchCalls; n != 4 {
			t.Errorf("%d searches; want 4", n)
		}
		if p := s.Problems(); len(p) > 0 {
			t.Errorf("the server refused: %v", p)
		}
	})
}

func TestSearchUser_RCodesAndRateLimitsAreRetryableErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		s.AddUser(fttest.User{FTID: someFTID, RQTH: fttest.RQTHValid("2021-01-01", francetravail.OpenEnd)})
		q := francetravail.UserQuery{FTID: someFTID}
		for _, f := range []fttest.Failure{fttest.RCode(http.StatusBadRequest, "R001"), fttest.RCode(http.StatusInternalServerError, "R997"),
			fttest.RCode(http.StatusServiceUnavailable, "R998"), fttest.RCode(http.StatusInternalServerError, "R999")} {
			s.FailAPI(f)
			_, _, err := c.SearchUser(ctx, q)
			var e *francetravail.Error
			if !errors.As(err, &e) || e.Kind != francetravail.HTTPStatus || e.Status != f.Status || !francetravail.Retryable(err) {
				t.Errorf("%s: %v; want a retryable HTTP %d", f.Body, err, f.Status)
			}
		}
		s.FailAPI(fttest.Failure{Status: http.StatusTooManyRequests, RetryAfter: "90"}, fttest.Failure{Status: http.StatusTooManyRequests, RetryAfter: "soon"})
		for _, want := range []time.Duration{90 * time.Second, francetravail.DefaultRetryAfter} {
			_, _, err := c.SearchUser(ctx, q)
			var e *francetravail.Error
			if !errors.As(err, &e) || e.Kind != francetravail.RateLimited || e.RetryAfter != want {
				t.Errorf("429: %v; want rate limited for %s", err, want)
			}
		}
		outcome, a, err := c.SearchUser(ctx, q)
		if err != nil || outcome != francetravail.UserCertified {
			t.Fatalf("after the failures: %v %v", outcome, err)
		}
		s.FailAPI(fttest.RCode(http.StatusInternalServerError, "R999"))
		if _, err := c.RQTH(ctx, a.Token); !francetravail.Retryable(err) {
			t.Errorf("rqth R999: %v; want retryable", err)
		}
		if r, err := c.RQTH(ctx, a.Token); err != nil || !r.Valid {
			t.Errorf("rqth again: %+v %v", r, err)
		}
		if p := s.Problems(); len(p) > 0 {
			t.Errorf("the server refused: %v", p)
		}
	})
}

func TestRQTH_AValidRecognitionWithoutItsStartIsABadAnswer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		s.AddUser(fttest.User{FTID: someFTID, RQTH: map[string]any{"topValiditeRQTH": true, "dateDebutRqth": nil, "dateFinRqth": "2030-01-01"}})
		_, a, err := c.SearchUser(ctx, francetravail.UserQuery{FTID: someFTID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.RQTH(ctx, a.Token)
		var e *francetravail.Error
		if !errors.As(err, &e) || e.Kind != francetravail.BadAnswer {
			t.Errorf("rqth = %v; want a bad answer", err)
		}
	})
}
