package oidc_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/oidc"
	"emplois/internal/platform/oidc/oidctest"
)

const (
	clientID     = "emplois"
	clientSecret = "s3cret-client"
	redirectURL  = "http://emplois.test/proconnect/callback"
	afterLogout  = "http://emplois.test/"
)

var awa = oidctest.User{Subject: "pc-sub-awa", Email: "awa.diallo@example.org", GivenName: "Awa",
	UsualName: "Diallo", SIRET: "13003013300016", Claims: map[string]any{"idp_id": "fia1"}}

// testClock is the relying party's clock; it starts at the real time, since the provider signs
// with the real one.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

type fixture struct {
	d        *db.DB
	provider *oidctest.Provider
	client   *oidc.Client
	clock    *testClock
}

func newFixture(t *testing.T, d *db.DB, configure ...func(*oidc.Config)) *fixture {
	t.Helper()
	p := oidctest.Start(t)
	p.RegisterClient(oidctest.Client{ID: clientID, Secret: clientSecret,
		RedirectURIs: []string{redirectURL}, PostLogoutRedirectURIs: []string{afterLogout}})
	p.SetNextUser(awa)
	cfg := oidc.Config{Name: oidc.ProConnect, Issuer: p.Issuer, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: redirectURL, Scopes: oidc.ProConnectScopes, ClaimsRequest: oidc.ProConnectClaimsRequest,
		RequireSignedUserinfo: true}
	for _, c := range configure {
		c(&cfg)
	}
	c, err := oidc.New(d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Now()}
	c.Now = clock.Now
	return &fixture{d: d, provider: p, client: c, clock: clock}
}

// start begins a login and plays the browser at the provider: it returns the pending login and
// the callback URL the provider sent the browser to.
func (f *fixture) start(t *testing.T, opts oidc.StartOptions) (*oidc.Pending, *url.URL) {
	t.Helper()
	pending, err := f.client.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return pending, f.provider.Authorize(t, pending.URL)
}

func (f *fixture) login(t *testing.T) (*oidc.Login, error) {
	t.Helper()
	pending, callback := f.start(t, oidc.StartOptions{Next: "/dashboard"})
	return f.client.Finish(context.Background(), pending.State, callback.Query())
}

// wantRefusal fails unless err is a refusal of the given kind whose reason mentions reason.
func wantRefusal(t *testing.T, err error, kind oidc.Kind, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("login accepted, want a refusal (%s)", reason)
	}
	if oidc.KindOf(err) != kind || !strings.Contains(err.Error(), reason) {
		t.Fatalf("err = %v (kind %d), want kind %d about %q", err, oidc.KindOf(err), kind, reason)
	}
}

func TestLogin_ReturnsTheVerifiedIdentityOfTheProvider(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		login, err := f.login(t)
		if err != nil {
			t.Fatal(err)
		}
		if login.Subject != awa.Subject || login.Claim("email") != awa.Email || login.Claim("given_name") != "Awa" ||
			login.Claim("usual_name") != "Diallo" || login.Claim("siret") != awa.SIRET || login.Claim("idp_id") != "fia1" {
			t.Fatalf("login = %+v", login)
		}
		if login.Next != "/dashboard" || login.IDToken == "" {
			t.Fatalf("next = %q, id token kept = %v", login.Next, login.IDToken != "")
		}
		if login.ACR != "eidas1" || len(login.AMR) != 1 || login.AMR[0] != "pwd" {
			t.Fatalf("acr = %q, amr = %v", login.ACR, login.AMR)
		}
	})
}

func TestStart_AsksForCodeWithPKCEStateNonceAndTheClaimsProConnectNeeds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.start(t, oidc.StartOptions{Next: "/dashboard", LoginHint: "awa.diallo@example.org"})
		reqs := f.provider.AuthorizeRequests()
		if len(reqs) != 1 {
			t.Fatalf("%d authorize requests", len(reqs))
		}
		q := reqs[0]
		if q.Get("response_type") != "code" || q.Get("client_id") != clientID || q.Get("redirect_uri") != redirectURL {
			t.Fatalf("query = %v", q)
		}
		if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
			t.Fatalf("PKCE: method %q challenge %q", q.Get("code_challenge_method"), q.Get("code_challenge"))
		}
		if len(q.Get("state")) < 32 || len(q.Get("nonce")) < 32 || q.Get("state") == q.Get("nonce") {
			t.Fatalf("state %q nonce %q: ProConnect wants 32 characters at least, and two values", q.Get("state"), q.Get("nonce"))
		}
		if q.Get("scope") != "openid email given_name usual_name siret uid" || q.Get("login_hint") != "awa.diallo@example.org" {
			t.Fatalf("scope %q login_hint %q", q.Get("scope"), q.Get("login_hint"))
		}
		var claims struct {
			IDToken map[string]struct {
				Essential bool     `json:"essential"`
				Values    []string `json:"values"`
			} `json:"id_token"`
		}
		if err := json.Unmarshal([]byte(q.Get("claims")), &claims); err != nil {
			t.Fatalf("claims %q: %v", q.Get("claims"), err)
		}
		if !claims.IDToken["amr"].Essential || len(claims.IDToken["acr"].Values) == 0 {
			t.Fatalf("claims = %+v, want amr essential and acr values", claims)
		}
		var stored int
		if err := d.NewRaw("SELECT count(*) FROM oidc_state WHERE state_hash <> ? AND nonce = ?", q.Get("state"), q.Get("nonce")).Scan(context.Background(), &stored); err != nil || stored != 1 {
			t.Fatalf("state stored in clear or not stored (count %d, err %v)", stored, err)
		}
	})
}

func TestFinish_RefusesAnIDTokenWithAnotherNonce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{Nonce: "a-nonce-from-an-earlier-login-0123456789abc"})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "nonce")
	})
}

func TestFinish_RefusesAnIDTokenForAnotherClient(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{Audience: "another-service"})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "audience")
	})
}

func TestFinish_RefusesAnExpiredIDToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{IDTokenLifetime: -time.Minute})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "expired")
	})
}

func TestFinish_RefusesAnIDTokenWhoseSignatureWasTamperedWith(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{TamperIDTokenSignature: true})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "signature")
	})
}

func TestFinish_RefusesAUserinfoSignedByAnotherKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{UserinfoForeignKey: true})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "userinfo signature")
	})
}

func TestFinish_RefusesAUserinfoAboutSomeoneElse(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{UserinfoSubject: "pc-sub-someone-else"})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "userinfo sub")
	})
}

func TestFinish_RefusesAPlainUserinfoWhenASignedOneIsRequired(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.provider.Misbehave(oidctest.Misbehaviour{UserinfoPlainJSON: true})
		_, err := f.login(t)
		wantRefusal(t, err, oidc.KindToken, "not a signed JWT")
	})
}

func TestFinish_AcceptsAPlainUserinfoFromProvidersThatDoNotSign(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, func(c *oidc.Config) { c.RequireSignedUserinfo = false })
		f.provider.Misbehave(oidctest.Misbehaviour{UserinfoPlainJSON: true})
		login, err := f.login(t)
		if err != nil {
			t.Fatal(err)
		}
		if login.Claim("email") != awa.Email {
			t.Fatalf("claims = %v", login.Claims)
		}
	})
}

func TestFinish_RefusesAReplayedState(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pending, callback := f.start(t, oidc.StartOptions{})
		if _, err := f.client.Finish(context.Background(), pending.State, callback.Query()); err != nil {
			t.Fatal(err)
		}
		_, err := f.client.Finish(context.Background(), pending.State, callback.Query())
		wantRefusal(t, err, oidc.KindState, "already used")
	})
}

func TestFinish_RefusesAStateOlderThanTenMinutesAndSpendsIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pending, callback := f.start(t, oidc.StartOptions{})
		f.clock.t = f.clock.t.Add(oidc.StateTTL)
		_, err := f.client.Finish(context.Background(), pending.State, callback.Query())
		wantRefusal(t, err, oidc.KindState, "expired")
		_, err = f.client.Finish(context.Background(), pending.State, callback.Query())
		wantRefusal(t, err, oidc.KindState, "already used")
	})
}

func TestFinish_RefusesACallbackStartedInAnotherBrowserWithoutSpendingTheState(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mine, _ := f.start(t, oidc.StartOptions{})
		theirs, theirCallback := f.start(t, oidc.StartOptions{})
		// An attacker hands their callback URL to my browser (login CSRF).
		_, err := f.client.Finish(context.Background(), mine.State, theirCallback.Query())
		wantRefusal(t, err, oidc.KindState, "does not match the session")
		_, err = f.client.Finish(context.Background(), "", theirCallback.Query())
		wantRefusal(t, err, oidc.KindState, "does not match the session")
		if _, err := f.client.Finish(context.Background(), theirs.State, theirCallback.Query()); err != nil {
			t.Fatalf("their own login should still work: %v", err)
		}
	})
}

func TestFinish_RefusesACodeRedeemedWithAnotherPKCEVerifier(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, stolen := f.start(t, oidc.StartOptions{})
		mine, _ := f.start(t, oidc.StartOptions{})
		// The code of another login, injected into mine: the provider checks it against the
		// challenge of its own login, and my verifier does not match.
		q := url.Values{"code": {stolen.Query().Get("code")}, "state": {mine.State}}
		_, err := f.client.Finish(context.Background(), mine.State, q)
		wantRefusal(t, err, oidc.KindProvider, "code exchange")
		if !strings.Contains(err.Error(), "invalid_grant") {
			t.Fatalf("err = %v, want the provider's invalid_grant", err)
		}
	})
}

func TestFinish_RefusesWhatTheProviderReportsAsAnErrorAndSpendsTheState(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pending, err := f.client.Start(context.Background(), oidc.StartOptions{})
		if err != nil {
			t.Fatal(err)
		}
		q := url.Values{"error": {"access_denied"}, "error_description": {"cancelled"}, "state": {pending.State}}
		_, err = f.client.Finish(context.Background(), pending.State, q)
		wantRefusal(t, err, oidc.KindProvider, "access_denied")
		_, err = f.client.Finish(context.Background(), pending.State, q)
		wantRefusal(t, err, oidc.KindState, "already used")
	})
}

func TestStart_ReportsAnUnreachableProviderAndRecoversWhenItIsBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		var up bool
		var real http.Handler
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !up {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return
			}
			real.ServeHTTP(w, r)
		}))
		defer front.Close()
		p := oidctest.Start(t)
		real = http.RedirectHandler(p.Issuer, http.StatusFound) // never used: discovery fails first
		c, err := oidc.New(d, oidc.Config{Name: oidc.ProConnect, Issuer: front.URL, ClientID: clientID, RedirectURL: redirectURL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Start(context.Background(), oidc.StartOptions{})
		wantRefusal(t, err, oidc.KindUnavailable, "discovery")

		c2, _ := oidc.New(d, oidc.Config{Name: oidc.ProConnect, Issuer: p.Issuer, ClientID: clientID, RedirectURL: redirectURL})
		if _, err := c2.Start(context.Background(), oidc.StartOptions{}); err != nil {
			t.Fatalf("a reachable provider: %v", err)
		}
	})
}

func TestEndSessionURL_EndsTheProviderSessionAndComesBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		login, err := f.login(t)
		if err != nil {
			t.Fatal(err)
		}
		u, ok, err := f.client.EndSessionURL(context.Background(), login.IDToken, afterLogout)
		if err != nil || !ok {
			t.Fatalf("end session URL: ok=%v err=%v", ok, err)
		}
		parsed, _ := url.Parse(u)
		q := parsed.Query()
		if q.Get("id_token_hint") != login.IDToken || q.Get("post_logout_redirect_uri") != afterLogout || len(q.Get("state")) < 32 {
			t.Fatalf("end session query = %v", q)
		}
		back := f.provider.Authorize(t, u) // follows the provider's redirects
		if got := back.Scheme + "://" + back.Host + back.Path; got != afterLogout || back.Query().Get("state") != q.Get("state") {
			t.Fatalf("came back to %s", back)
		}
		if ended := f.provider.EndedSessions(); len(ended) != 1 || ended[0] != awa.Subject {
			t.Fatalf("ended sessions = %v", ended)
		}
	})
}

func TestBuildEndSessionURL_KeepsTheEndpointQuery(t *testing.T) {
	got := oidc.BuildEndSessionURL("https://idp.example/session/end?ui=fr", "tok", "st", "https://emplois.example/")
	u, _ := url.Parse(got)
	q := u.Query()
	if u.Path != "/session/end" || q.Get("ui") != "fr" || q.Get("id_token_hint") != "tok" || q.Get("state") != "st" || q.Get("post_logout_redirect_uri") != "https://emplois.example/" {
		t.Fatalf("url = %s", got)
	}
}

func TestPurgeStates_KeepsUsedStates60DaysAndAbandonedOnesADay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		now := f.clock.t
		login := func(at time.Time, finish bool) string {
			f.clock.t = at
			pending, callback := f.start(t, oidc.StartOptions{Next: at.Format(time.RFC3339)})
			if finish {
				if _, err := f.client.Finish(ctx, pending.State, callback.Query()); err != nil {
					t.Fatal(err)
				}
			}
			return at.Format(time.RFC3339)
		}
		recentUsed := login(now.Add(-59*24*time.Hour), true)
		login(now.Add(-61*24*time.Hour), true)             // used, past the retention: goes
		login(now.Add(-oidc.StateTTL-25*time.Hour), false) // abandoned more than a day ago: goes
		recentAbandoned := login(now.Add(-oidc.StateTTL-23*time.Hour), false)
		pending := login(now, false)
		n, err := oidc.PurgeStates(ctx, d, now)
		if err != nil || n != 2 {
			t.Fatalf("purged %d (err %v), want 2", n, err)
		}
		var left []string
		if err := d.NewRaw("SELECT next_url FROM oidc_state ORDER BY created_at").Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if want := []string{recentUsed, recentAbandoned, pending}; strings.Join(left, " ") != strings.Join(want, " ") {
			t.Fatalf("left %v, want %v", left, want)
		}
	})
}
