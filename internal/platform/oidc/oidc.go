// Package oidc is the relying party of OpenID Connect providers built like ProConnect and
// FranceConnect (actors.md §11): discovery from the issuer, authorization code flow with PKCE
// (S256), a state and a nonce per login kept server-side (table oidc_state, one-time, short-lived),
// ID token verification (signature, issuer, audience, expiry, nonce), userinfo returned as a
// signed JWT (ProConnect) or plain JSON (other providers), and the end-session URL for logout.
//
// A login is two calls: Start stores a pending login and gives the URL to send the browser to,
// with the state the caller keeps in the visitor's session; Finish, on the callback, checks the
// state against that session value and the table, exchanges the code, verifies everything and
// returns the verified claims. Every refusal is an *Error whose Reason says what failed (for the
// logs; the person sees one French sentence per kind of failure, chosen by the web layer).
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// Lifetimes of the pending logins.
const (
	// StateTTL is how long a pending login waits for its callback. ProConnect's own code lives 30
	// seconds and a person types an e-mail and a password in between: 10 minutes is plenty. The
	// original kept states 30 days (actors.md §11), which only widens the window in which a
	// leaked callback URL can be replayed or a stale tab logs someone in.
	StateTTL = 10 * time.Minute
	// StateRetention is how long used and expired states stay before the purge deletes them:
	// long enough for support to tell "used twice" from "never existed" when a person reports a
	// failed login, short enough that the table (one row per click) stays small. The rows hold no
	// personal data (no e-mail, no claim), only random values and the page to go back to.
	StateRetention = 60 * 24 * time.Hour
	// AbandonedRetention is how long a state never used stays after it expired.
	AbandonedRetention = 24 * time.Hour
	// httpTimeout bounds every call to the provider (discovery, token, userinfo, keys).
	httpTimeout = 10 * time.Second
)

// ProConnect names the ProConnect provider in the state table and the audit trail.
const ProConnect = "proconnect"

// ProConnectScopes are the scopes the service asks ProConnect for (identity of the professional
// and the SIRET of their organization).
var ProConnectScopes = []string{"openid", "email", "given_name", "usual_name", "siret", "uid"}

// ProConnectClaimsRequest asks for the `amr` claim (how the person authenticated: password,
// two factors…) and the `acr` (eIDAS level) in the ID token, as ProConnect's documentation says:
// amr is only sent when requested, acr eidas2 or eidas3 are welcome but not required.
const ProConnectClaimsRequest = `{"id_token":{"amr":{"essential":true},"acr":{"essential":false,"values":["eidas1","eidas2","eidas3"]}}}`

// FranceConnect names the FranceConnect provider in the state table and the audit trail.
const FranceConnect = "franceconnect"

// FranceConnectScopes are the scopes the service asks FranceConnect for: the identity pivot
// (names, gender, birth date, birth place and country) and the e-mail (actors.md §11).
var FranceConnectScopes = []string{"openid", "given_name", "family_name", "preferred_username", "gender", "birthdate",
	"birthplace", "birthcountry", "email"}

// FranceConnectACR is the eIDAS level asked of FranceConnect (its documentation requires
// acr_values; eidas1 is the level of the identity providers it federates).
const FranceConnectACR = "eidas1"

// Config describes one provider and this service's registration with it.
type Config struct {
	// Name identifies the provider in the state table ("proconnect").
	Name         string
	Issuer       string
	ClientID     string
	ClientSecret config.Secret
	// RedirectURL is this service's callback, registered with the provider.
	RedirectURL string
	Scopes      []string
	// ClaimsRequest is the JSON of the OpenID `claims` parameter ("" to send none).
	ClaimsRequest string
	// ACRValues is the OpenID `acr_values` parameter ("" to send none).
	ACRValues string
	// RequireSignedUserinfo refuses a userinfo answer that is not a signed JWT (ProConnect always
	// signs it; other providers may answer plain JSON).
	RequireSignedUserinfo bool
	// HTTPClient calls the provider (default: a client with a 10 s timeout).
	HTTPClient *http.Client
}

// ProConnectConfig is the ProConnect registration read from the service settings, or ok=false
// when ProConnect is not configured.
func ProConnectConfig(cfg config.Config) (c Config, ok bool) {
	if !cfg.ProConnectEnabled() {
		return Config{}, false
	}
	return Config{
		Name: ProConnect, Issuer: cfg.ProConnectIssuer,
		ClientID: cfg.ProConnectClientID, ClientSecret: cfg.ProConnectClientSecret,
		RedirectURL:   strings.TrimSuffix(cfg.BaseURL.String(), "/") + "/proconnect/callback",
		Scopes:        ProConnectScopes,
		ClaimsRequest: ProConnectClaimsRequest, RequireSignedUserinfo: true,
	}, true
}

// FranceConnectConfig is the FranceConnect registration read from the service settings, or
// ok=false when FranceConnect is not configured. Its userinfo may be plain JSON (FranceConnect
// v1) or a signed JWT (v2), which is then verified.
func FranceConnectConfig(cfg config.Config) (c Config, ok bool) {
	if !cfg.FranceConnectEnabled() {
		return Config{}, false
	}
	return Config{
		Name: FranceConnect, Issuer: cfg.FranceConnectIssuer,
		ClientID: cfg.FranceConnectClientID, ClientSecret: cfg.FranceConnectClientSecret,
		RedirectURL: strings.TrimSuffix(cfg.BaseURL.String(), "/") + "/franceconnect/callback",
		Scopes:      FranceConnectScopes, ACRValues: FranceConnectACR,
	}, true
}

// Client is the relying party of one provider. It discovers the provider on first use (so that
// the service starts even when the provider is down) and keeps what it learnt.
type Client struct {
	cfg  Config
	db   *db.DB
	http *http.Client

	// Now is the clock of state expiry and token expiry (tests move it).
	Now func() time.Time

	mu        sync.Mutex
	discovery *discovered
}

// discovered is what the provider's discovery document told.
type discovered struct {
	provider      *gooidc.Provider
	keys          *gooidc.RemoteKeySet
	endSessionURL string
	authStyle     oauth2.AuthStyle
	// algorithms are the asymmetric algorithms the provider signs ID tokens with (HS256, signed
	// with the client secret, and "none" are never accepted).
	algorithms []string
}

// New returns the client of the provider described by cfg, storing pending logins in d.
func New(d *db.DB, cfg Config) (*Client, error) {
	if cfg.Name == "" || cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: name, issuer, client id and redirect URL are required")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{gooidc.ScopeOpenID, "email"}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: httpTimeout}
	}
	return &Client{cfg: cfg, db: d, http: hc, Now: time.Now}, nil
}

// Name is the provider's name given in Config.
func (c *Client) Name() string { return c.cfg.Name }

// Issuer is the provider's issuer URL.
func (c *Client) Issuer() string { return c.cfg.Issuer }

func (c *Client) now() time.Time { return c.Now().UTC().Truncate(time.Microsecond) }

// httpContext makes go-oidc and oauth2 call the provider with the client's HTTP client.
func (c *Client) httpContext(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, c.http)
}

// discover fetches the discovery document once; a failure is retried at the next login.
func (c *Client) discover(ctx context.Context) (*discovered, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.discovery != nil {
		return c.discovery, nil
	}
	ctx, cancel := context.WithTimeout(c.httpContext(ctx), httpTimeout)
	defer cancel()
	p, err := gooidc.NewProvider(ctx, c.cfg.Issuer)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Reason: "discovery", Err: err}
	}
	var meta struct {
		JWKSURL            string   `json:"jwks_uri"`
		EndSessionEndpoint string   `json:"end_session_endpoint"`
		TokenAuthMethods   []string `json:"token_endpoint_auth_methods_supported"`
		IDTokenAlgorithms  []string `json:"id_token_signing_alg_values_supported"`
		CodeChallenge      []string `json:"code_challenge_methods_supported"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, &Error{Kind: KindUnavailable, Reason: "discovery", Err: err}
	}
	if meta.JWKSURL == "" {
		return nil, &Error{Kind: KindUnavailable, Reason: "discovery", Err: errors.New("no jwks_uri")}
	}
	if len(meta.CodeChallenge) > 0 && !contains(meta.CodeChallenge, "S256") {
		// PKCE is not optional here: a provider that says it cannot do S256 is refused rather
		// than silently used without it.
		return nil, &Error{Kind: KindUnavailable, Reason: "discovery", Err: errors.New("provider does not support PKCE S256")}
	}
	d := &discovered{
		provider: p,
		// The context only carries the HTTP client (go-oidc ignores its cancellation here).
		keys:          gooidc.NewRemoteKeySet(gooidc.ClientContext(context.Background(), c.http), meta.JWKSURL),
		endSessionURL: meta.EndSessionEndpoint,
		authStyle:     authStyle(meta.TokenAuthMethods),
	}
	for _, alg := range meta.IDTokenAlgorithms {
		if asymmetric[alg] {
			d.algorithms = append(d.algorithms, alg)
		}
	}
	if len(d.algorithms) == 0 {
		d.algorithms = []string{gooidc.RS256}
	}
	c.discovery = d
	return d, nil
}

// authStyle sends the client secret in the body when the provider says it takes it there and not
// in the Authorization header (ProConnect's documented way), in the header when it takes both.
func authStyle(methods []string) oauth2.AuthStyle {
	switch {
	case contains(methods, "client_secret_basic"):
		return oauth2.AuthStyleInHeader
	case contains(methods, "client_secret_post"):
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleAutoDetect
}

func (c *Client) oauth2Config(d *discovered) *oauth2.Config {
	ep := d.provider.Endpoint()
	ep.AuthStyle = d.authStyle
	return &oauth2.Config{
		ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret.Reveal(),
		Endpoint: ep, RedirectURL: c.cfg.RedirectURL, Scopes: c.cfg.Scopes,
	}
}

// StartOptions are the per-login inputs of Start.
type StartOptions struct {
	// Next is the local page to go to after the login (kept server-side with the state).
	Next string
	// LoginHint pre-fills the e-mail on the provider's page.
	LoginHint string
}

// Pending is a login waiting for its callback.
type Pending struct {
	// URL is the provider's authorization URL to redirect the browser to.
	URL string
	// State must be kept in the visitor's session and given back to Finish: it binds the
	// callback to the browser that started the login (no login CSRF).
	State string
}

// Start stores a new pending login (state, nonce, PKCE verifier, next page) and returns the
// authorization URL.
func (c *Client) Start(ctx context.Context, opts StartOptions) (*Pending, error) {
	d, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	state, nonce := randomToken(), randomToken()
	verifier := oauth2.GenerateVerifier()
	now := c.now()
	row := &stateRow{Provider: c.cfg.Name, StateHash: hashState(state), Nonce: nonce, CodeVerifier: verifier,
		NextURL: opts.Next, CreatedAt: now, ExpiresAt: now.Add(StateTTL)}
	if err := insertState(ctx, c.db, row); err != nil {
		return nil, err
	}
	params := []oauth2.AuthCodeOption{gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if c.cfg.ClaimsRequest != "" {
		params = append(params, oauth2.SetAuthURLParam("claims", c.cfg.ClaimsRequest))
	}
	if c.cfg.ACRValues != "" {
		params = append(params, oauth2.SetAuthURLParam("acr_values", c.cfg.ACRValues))
	}
	if opts.LoginHint != "" {
		params = append(params, oauth2.SetAuthURLParam("login_hint", opts.LoginHint))
	}
	return &Pending{URL: c.oauth2Config(d).AuthCodeURL(state, params...), State: state}, nil
}

// Login is a verified login.
type Login struct {
	// Next is the page given to Start.
	Next string
	// IDToken is the raw ID token, to keep in the session for EndSessionURL.
	IDToken string
	// Subject is the provider's stable identifier of the person (`sub`).
	Subject string
	// ACR and AMR say how the person authenticated (eIDAS level, methods).
	ACR string
	AMR []string
	// Claims are the userinfo claims (verified), e.g. email, given_name, usual_name, siret.
	Claims map[string]any
}

// Claim returns a string claim, "" when absent or not a string.
func (l *Login) Claim(name string) string {
	s, _ := l.Claims[name].(string)
	return strings.TrimSpace(s)
}

// Finish completes the login of the callback request query, for the browser whose session kept
// sessionState. It refuses (*Error) a provider error, a missing, foreign, unknown, used or
// expired state, a code the provider does not exchange (wrong PKCE verifier, replayed code), an
// ID token that is not signed by the provider, not for this client, expired or with another
// nonce, and a userinfo answer that is not signed by the provider (when required) or is about
// someone else. The state is spent by the first Finish that reaches it, whatever the outcome.
func (c *Client) Finish(ctx context.Context, sessionState string, query url.Values) (*Login, error) {
	state := query.Get("state")
	if state == "" || sessionState == "" || subtle.ConstantTimeCompare([]byte(state), []byte(sessionState)) != 1 {
		return nil, &Error{Kind: KindState, Reason: "state does not match the session"}
	}
	row, err := spendState(ctx, c.db, c.cfg.Name, hashState(state), c.now())
	if err != nil {
		return nil, err
	}
	if e := query.Get("error"); e != "" {
		// The person cancelled, or the provider refused: the state is spent all the same.
		return nil, &Error{Kind: KindProvider, Reason: "provider error " + e, Err: errors.New(query.Get("error_description"))}
	}
	code := query.Get("code")
	if code == "" {
		return nil, &Error{Kind: KindProvider, Reason: "no code in the callback"}
	}
	d, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	hctx, cancel := context.WithTimeout(c.httpContext(ctx), httpTimeout)
	defer cancel()
	token, err := c.oauth2Config(d).Exchange(hctx, code, oauth2.VerifierOption(row.CodeVerifier))
	if err != nil {
		return nil, &Error{Kind: KindProvider, Reason: "code exchange", Err: err}
	}
	rawID, _ := token.Extra("id_token").(string)
	if rawID == "" {
		return nil, &Error{Kind: KindToken, Reason: "no ID token"}
	}
	idToken, err := c.verifyIDToken(hctx, d, rawID, row.Nonce, token.AccessToken)
	if err != nil {
		return nil, err
	}
	var extra struct {
		ACR string   `json:"acr"`
		AMR []string `json:"amr"`
	}
	if err := idToken.Claims(&extra); err != nil {
		return nil, &Error{Kind: KindToken, Reason: "ID token claims", Err: err}
	}
	claims, err := c.userinfo(hctx, d, token.AccessToken, idToken.Subject)
	if err != nil {
		return nil, err
	}
	return &Login{Next: row.NextURL, IDToken: rawID, Subject: idToken.Subject, ACR: extra.ACR, AMR: extra.AMR, Claims: claims}, nil
}

// verifyIDToken checks the signature (provider's keys, asymmetric algorithms it advertises),
// issuer, audience (this client; azp when several), expiry, nonce, and at_hash when present.
func (c *Client) verifyIDToken(ctx context.Context, d *discovered, raw, nonce, accessToken string) (*gooidc.IDToken, error) {
	v := gooidc.NewVerifier(c.cfg.Issuer, d.keys, &gooidc.Config{ClientID: c.cfg.ClientID, SupportedSigningAlgs: d.algorithms, Now: c.Now})
	t, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, &Error{Kind: KindToken, Reason: "ID token", Err: err}
	}
	if t.Nonce == "" || subtle.ConstantTimeCompare([]byte(t.Nonce), []byte(nonce)) != 1 {
		return nil, &Error{Kind: KindToken, Reason: "ID token nonce does not match"}
	}
	if len(t.Audience) > 1 {
		var azp struct {
			AZP string `json:"azp"`
		}
		if err := t.Claims(&azp); err != nil || azp.AZP != c.cfg.ClientID {
			return nil, &Error{Kind: KindToken, Reason: "ID token for several audiences without this client as azp"}
		}
	}
	if t.AccessTokenHash != "" {
		if err := t.VerifyAccessToken(accessToken); err != nil {
			return nil, &Error{Kind: KindToken, Reason: "ID token at_hash", Err: err}
		}
	}
	if t.Subject == "" {
		return nil, &Error{Kind: KindToken, Reason: "ID token without sub"}
	}
	return t, nil
}

// maxUserinfoSize bounds the userinfo answer read into memory.
const maxUserinfoSize = 1 << 20

// userinfo fetches the claims of the access token. A JWT answer (application/jwt) must be signed
// by one of the provider's keys, and its iss and aud, when present, must be the provider and this
// client; a JSON answer is refused when the config requires a signed one. In both cases the sub
// must be the ID token's (OpenID Connect Core §5.3.2).
func (c *Client) userinfo(ctx context.Context, d *discovered, accessToken, subject string) (map[string]any, error) {
	endpoint := d.provider.UserInfoEndpoint()
	if endpoint == "" {
		return nil, &Error{Kind: KindUnavailable, Reason: "no userinfo endpoint"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Reason: "userinfo request", Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/jwt, application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Reason: "userinfo", Err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxUserinfoSize))
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Reason: "userinfo", Err: err}
	}
	if res.StatusCode != http.StatusOK {
		return nil, &Error{Kind: KindProvider, Reason: fmt.Sprintf("userinfo answered %d", res.StatusCode)}
	}
	mediaType, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	signed := mediaType == "application/jwt"
	if signed {
		payload, err := d.keys.VerifySignature(ctx, strings.TrimSpace(string(body)))
		if err != nil {
			return nil, &Error{Kind: KindToken, Reason: "userinfo signature", Err: err}
		}
		body = payload
	} else if c.cfg.RequireSignedUserinfo {
		return nil, &Error{Kind: KindToken, Reason: "userinfo is not a signed JWT (" + mediaType + ")"}
	}
	var claims map[string]any
	if err := json.Unmarshal(body, &claims); err != nil {
		return nil, &Error{Kind: KindToken, Reason: "userinfo is not a JSON object", Err: err}
	}
	if sub, _ := claims["sub"].(string); sub != subject {
		return nil, &Error{Kind: KindToken, Reason: "userinfo sub differs from the ID token's"}
	}
	if signed {
		if iss, ok := claims["iss"]; ok && iss != c.cfg.Issuer {
			return nil, &Error{Kind: KindToken, Reason: "userinfo issued by someone else"}
		}
		if aud, ok := claims["aud"]; ok && !audienceHas(aud, c.cfg.ClientID) {
			return nil, &Error{Kind: KindToken, Reason: "userinfo meant for another client"}
		}
	}
	return claims, nil
}

// audienceHas reports whether the aud claim (a string or a list) names clientID.
func audienceHas(aud any, clientID string) bool {
	switch a := aud.(type) {
	case string:
		return a == clientID
	case []any:
		for _, v := range a {
			if v == clientID {
				return true
			}
		}
	}
	return false
}

// EndSessionURL is where to send the browser to end the provider's session after logging out
// here: the provider checks id_token_hint, then comes back to postLogoutRedirect (registered with
// it) with the state. ok is false when the provider has no end-session endpoint.
func (c *Client) EndSessionURL(ctx context.Context, idToken, postLogoutRedirect string) (u string, ok bool, err error) {
	d, err := c.discover(ctx)
	if err != nil {
		return "", false, err
	}
	if d.endSessionURL == "" {
		return "", false, nil
	}
	return BuildEndSessionURL(d.endSessionURL, idToken, randomToken(), postLogoutRedirect), true, nil
}

// BuildEndSessionURL adds id_token_hint, state and post_logout_redirect_uri to the provider's
// end-session endpoint (keeping the query it may already have).
func BuildEndSessionURL(endpoint, idToken, state, postLogoutRedirect string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("state", state)
	q.Set("post_logout_redirect_uri", postLogoutRedirect)
	u.RawQuery = q.Encode()
	return u.String()
}

// randomToken is 32 random bytes in base64url: 43 characters, above ProConnect's minimum of 32
// for state and nonce.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("oidc: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// asymmetric are the signature algorithms accepted on ID tokens and userinfo.
var asymmetric = map[string]bool{
	gooidc.RS256: true, gooidc.RS384: true, gooidc.RS512: true,
	gooidc.ES256: true, gooidc.ES384: true, gooidc.ES512: true,
	gooidc.PS256: true, gooidc.PS384: true, gooidc.PS512: true, gooidc.EdDSA: true,
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
