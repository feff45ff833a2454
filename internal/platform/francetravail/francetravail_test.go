package francetravail_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
)

// clock is a test clock moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func start(t *testing.T) (*fttest.Server, *clock) {
	t.Helper()
	s := fttest.New()
	t.Cleanup(s.Close)
	t.Cleanup(func() {
		if p := s.Problems(); len(p) > 0 && !t.Failed() {
			t.Logf("requests the server refused: %v", p)
		}
	})
	return s, &clock{t: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
}

func lat(f float64) *francetravail.Coordinate { c := francetravail.Coordinate(f); return &c }

func TestAgencies_TokenIsExchangedAsSpecifiedAndSharedThroughTheDatabaseUntilItExpires(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		s.SetAgencies([]francetravail.Agency{{CodeSafir: "69001", SIRET: "13000548100010", Libelle: "*LYON PART DIEU",
			Contact: francetravail.AgencyContact{TelephonePublic: "3949", Email: "ape.69001@francetravail.fr"},
			AdressePrincipale: francetravail.AgencyAddress{Ligne4: "10 rue de Bonnel", BureauDistributeur: "69003",
				CommuneImplantation: "69383", GPSLat: lat(45.76), GPSLon: lat(4.85)}}})
		c := francetravail.New(d, s.Config(), clk.now)

		got, err := c.Agencies(ctx)
		if err != nil {
			t.Fatalf("agencies: %v (server: %v)", err, s.Problems())
		}
		if len(got) != 1 || got[0].CodeSafir != "69001" || got[0].Libelle != "*LYON PART DIEU" ||
			got[0].Contact.Email != "ape.69001@francetravail.fr" || got[0].AdressePrincipale.CommuneImplantation != "69383" {
			t.Fatalf("agencies = %+v", got)
		}
		if v, ok := got[0].AdressePrincipale.GPSLon.Value(); !ok || v != 4.85 {
			t.Errorf("longitude = %v %v", v, ok)
		}
		if p := s.Problems(); len(p) > 0 {
			t.Errorf("the server refused: %v", p)
		}
		// Another instance (or the worker) on the same database uses the same token.
		other := francetravail.New(d, s.Config(), clk.now)
		clk.t = clk.t.Add(1499*time.Second - 11*time.Second)
		if _, err := other.Agencies(ctx); err != nil {
			t.Fatal(err)
		}
		if n := s.Counts(); n.TokensIssued != 1 || n.AgencyCalls != 2 {
			t.Errorf("counts = %+v, want one token for two calls", n)
		}
		// expires_in − 10 s after it was given, the token is no longer used.
		clk.t = clk.t.Add(time.Second)
		if _, err := c.Agencies(ctx); err != nil {
			t.Fatal(err)
		}
		if n := s.Counts(); n.TokensIssued != 2 {
			t.Errorf("tokens issued = %d, want a new one after expires_in − 10 s", n.TokensIssued)
		}
		var rows int
		if err := d.NewRaw("SELECT count(*) FROM partner_token").Scan(ctx, &rows); err != nil || rows != 1 {
			t.Errorf("partner_token rows = %d, %v", rows, err)
		}
	})
}

func TestAgencies_ATokenLivingTenSecondsOrLessIsNotKept(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, clk := start(t)
		s.SetExpiresIn(10)
		c := francetravail.New(d, s.Config(), clk.now)
		for range 2 {
			if _, err := c.Agencies(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if n := s.Counts(); n.TokensIssued != 2 {
			t.Errorf("tokens issued = %d, want one per call", n.TokensIssued)
		}
	})
}

func TestAgencies_AnswersBecomeTheOutcomesOfTheSpec(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		ftErr := `{"codeErreur": "JCS0011G", "codeHttp": 500, "message": "Erreur technique"}`
		for _, tc := range []struct {
			name      string
			token     bool // the failure comes from the token endpoint
			failure   fttest.Failure
			kind      francetravail.ErrorKind
			status    int
			body      string
			retryWait time.Duration
		}{
			{"429 with Retry-After", false, fttest.Failure{Status: 429, RetryAfter: "7"}, francetravail.RateLimited, 429, "", 7 * time.Second},
			{"429 without Retry-After", false, fttest.Failure{Status: 429}, francetravail.RateLimited, 429, "", 60 * time.Second},
			{"500 with France Travail's error", false, fttest.Failure{Status: 500, Body: ftErr}, francetravail.HTTPStatus, 500, ftErr, 0},
			{"404", false, fttest.Failure{Status: 404}, francetravail.HTTPStatus, 404, "", 0},
			{"200 that is not JSON", false, fttest.Failure{Status: 200, Body: "<html>"}, francetravail.BadAnswer, 200, "", 0},
			{"token endpoint 503", true, fttest.Failure{Status: 503, Body: "unavailable"}, francetravail.HTTPStatus, 503, "unavailable", 0},
			{"token endpoint without a token", true, fttest.Failure{Status: 200, Body: `{"token_type":"Bearer"}`}, francetravail.BadAnswer, 200, "", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if tc.token {
					// A fresh instance on a fresh clock: no token cached yet.
					clk.t = clk.t.Add(time.Hour)
					s.FailToken(tc.failure)
				} else {
					s.FailAPI(tc.failure)
				}
				_, err := c.Agencies(ctx)
				var e *francetravail.Error
				if !errors.As(err, &e) || !francetravail.Retryable(err) {
					t.Fatalf("err = %v, want a retryable *Error", err)
				}
				if e.Kind != tc.kind || e.Status != tc.status || e.Body != tc.body || e.RetryAfter != tc.retryWait {
					t.Errorf("error = %+v", e)
				}
				wantPath := francetravail.AgenciesPath
				if tc.token {
					wantPath = francetravail.TokenPath
				}
				if e.Path != wantPath {
					t.Errorf("path = %q, want %q", e.Path, wantPath)
				}
			})
		}
		// 204 and 206 are answers: no agency, and the partial list read.
		s.FailAPI(fttest.Failure{Status: 204})
		if got, err := c.Agencies(ctx); err != nil || len(got) != 0 {
			t.Errorf("204: %v, %v", got, err)
		}
		s.FailAPI(fttest.Failure{Status: 206, Body: `[{"codeSafir":"75001","libelle":"PARIS","adressePrincipale":{"gpsLat":"48.86","gpsLon":""}}]`})
		got, err := c.Agencies(ctx)
		if err != nil || len(got) != 1 || got[0].CodeSafir != "75001" {
			t.Fatalf("206: %+v, %v", got, err)
		}
		if v, ok := got[0].AdressePrincipale.GPSLat.Value(); !ok || v != 48.86 {
			t.Errorf("latitude given as text = %v %v", v, ok)
		}
		if _, ok := got[0].AdressePrincipale.GPSLon.Value(); ok {
			t.Error("an empty longitude has a value")
		}
	})
}

func TestAgencies_ARefusedTokenIsDroppedAndTheNextCallGetsANewOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		if _, err := c.Agencies(ctx); err != nil {
			t.Fatal(err)
		}
		s.Revoke()
		var e *francetravail.Error
		if _, err := c.Agencies(ctx); !errors.As(err, &e) || e.Status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %v", err)
		}
		if _, err := c.Agencies(ctx); err != nil {
			t.Fatalf("after the refusal: %v", err)
		}
		if n := s.Counts(); n.TokensIssued != 2 || n.Unauthorized != 1 {
			t.Errorf("counts = %+v", n)
		}
	})
}

func TestAgencies_NoAnswerIsARetryableHTTPError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, clk := start(t)
		cfg := s.Config()
		s.Close()
		_, err := francetravail.New(d, cfg, clk.now).Agencies(context.Background())
		var e *francetravail.Error
		if !errors.As(err, &e) || e.Kind != francetravail.Network || e.Code() != "http_error" || e.Status != 0 || !francetravail.Retryable(err) {
			t.Fatalf("err = %#v", err)
		}
	})
}

func TestToken_WrongCredentialsAreRefusedByTheServerAndNeverPrinted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, clk := start(t)
		cfg := s.Config()
		cfg.ClientSecret = config.Secret("not-the-secret")
		_, err := francetravail.New(d, cfg, clk.now).Agencies(context.Background())
		var e *francetravail.Error
		if !errors.As(err, &e) || e.Path != francetravail.TokenPath || e.Status != http.StatusBadRequest {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "not-the-secret") {
			t.Error("the error shows the secret")
		}
		if p := strings.Join(s.Problems(), "; "); !strings.Contains(p, "form field client_secret") {
			t.Errorf("server problems = %q", p)
		}
	})
}

func TestFromConfig_IsOffWithoutTheAPIBaseURL(t *testing.T) {
	if _, ok := francetravail.FromConfig(config.Config{}); ok {
		t.Error("on without settings")
	}
	c, ok := francetravail.FromConfig(config.Config{FTAPIBaseURL: "https://api", FTAuthBaseURL: "https://auth", FTClientID: "id", FTClientSecret: "s"})
	if !ok || c.APIBaseURL != "https://api" || c.AuthBaseURL != "https://auth" || c.ClientID != "id" || c.ClientSecret.Reveal() != "s" {
		t.Errorf("config = %+v, %v", c, ok)
	}
}
