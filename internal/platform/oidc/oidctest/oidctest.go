// Package oidctest runs a real OpenID Connect provider in-process for tests: zitadel's `op`
// package (discovery, authorize, token with PKCE, userinfo, end-session, JWKS) over an in-memory
// storage, served by httptest on 127.0.0.1, shaped like ProConnect (scopes named after claims,
// client_secret_post, userinfo answered as a JWT signed with the provider's key).
//
// Nobody types a password at this provider: a login is completed at once for the user set with
// SetNextUser. Misbehave makes it send what a broken or hostile provider would (another nonce,
// another audience, an expired ID token, a tampered signature, a userinfo signed by another key):
// tokens are still signed by real keys, so the relying party's real verification is what refuses
// them.
//
//	p := oidctest.Start(t)
//	p.RegisterClient(oidctest.Client{ID: "emplois", Secret: "s3cret", RedirectURIs: []string{base + "/proconnect/callback"}})
//	p.SetNextUser(oidctest.User{Subject: "sub-1", Email: "awa@example.org", GivenName: "Awa", UsualName: "Diallo"})
//	callback := p.Authorize(t, authURL) // follows the provider's redirects up to the redirect URI
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is the person who logs in at the provider, with their claims (ProConnect's names).
type User struct {
	Subject   string
	Email     string
	GivenName string
	UsualName string
	SIRET     string
	// Claims are more userinfo claims, sent whatever the scopes (e.g. "custom": {...}).
	Claims map[string]any
}

// Client is a relying party registered with the provider.
type Client struct {
	ID                     string
	Secret                 string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
}

// Misbehaviour is what the provider gets wrong, for every login until changed. The zero value
// is a well-behaved provider.
type Misbehaviour struct {
	// Nonce, when set, replaces the login's nonce in the ID token.
	Nonce string
	// Audience, when set, replaces the audience (and azp) of the ID token, re-signed with the
	// provider's key (zitadel always adds the client id to the audience itself).
	Audience string
	// IDTokenLifetime, when not zero, is the ID token's lifetime (negative: expired at issue).
	IDTokenLifetime time.Duration
	// TamperIDTokenSignature alters one byte of the ID token's signature in the token response.
	TamperIDTokenSignature bool
	// UserinfoForeignKey signs the userinfo JWT with a key that is not in the JWKS (same key id).
	UserinfoForeignKey bool
	// UserinfoPlainJSON answers userinfo as plain JSON instead of a signed JWT.
	UserinfoPlainJSON bool
	// UserinfoSubject, when set, makes userinfo speak about another subject.
	UserinfoSubject string
}

// Provider is a running provider.
type Provider struct {
	// Issuer is the provider's issuer URL (http://127.0.0.1:PORT), also its base URL.
	Issuer string

	op      *op.Provider
	storage *storage

	mu          sync.Mutex
	next        *User
	misbehave   Misbehaviour
	authorizes  []url.Values
	endSessions []string
}

// Start runs a provider until the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	p := &Provider{Issuer: "http://" + srv.Listener.Addr().String()}
	p.storage = newStorage(p)
	var cryptoKey [32]byte
	rand.Read(cryptoKey[:])
	provider, err := op.NewProvider(&op.Config{
		CryptoKey:      cryptoKey,
		CodeMethodS256: true,
		AuthMethodPost: true,
		SupportedScopes: []string{"openid", "email", "given_name", "usual_name", "siret", "uid",
			"phone", "organizational_unit", "belonging_population", "idp_id", "idp_acr"},
	}, p.storage, op.StaticIssuer(p.Issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatalf("oidctest: %v", err)
	}
	p.op = provider
	srv.Config.Handler = p.handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

// handler serves the login step (completed at once), ProConnect's userinfo JWT and the token
// response tampering around zitadel's router, which handles everything else.
func (p *Provider) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", p.login)
	mux.HandleFunc("/userinfo", p.userinfo)
	mux.HandleFunc("/oauth/token", p.token)
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.authorizes = append(p.authorizes, r.URL.Query())
		p.mu.Unlock()
		p.op.ServeHTTP(w, r)
	})
	mux.HandleFunc("/end_session", func(w http.ResponseWriter, r *http.Request) {
		if hint := r.URL.Query().Get("id_token_hint"); hint != "" {
			p.mu.Lock()
			p.endSessions = append(p.endSessions, hint)
			p.mu.Unlock()
		}
		p.op.ServeHTTP(w, r)
	})
	mux.Handle("/", p.op)
	return mux
}

// RegisterClient adds (or replaces) a relying party.
func (p *Provider) RegisterClient(c Client) {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	p.storage.clients[c.ID] = &client{Client: c, provider: p}
}

// SetNextUser sets who logs in at the provider from now on.
func (p *Provider) SetNextUser(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next = &u
}

// Misbehave makes the provider send what m says, from now on (Misbehaviour{} makes it behave).
func (p *Provider) Misbehave(m Misbehaviour) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.misbehave = m
}

func (p *Provider) misbehaviour() Misbehaviour {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.misbehave
}

// AuthorizeRequests returns the query of every request the authorization endpoint received.
func (p *Provider) AuthorizeRequests() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.authorizes...)
}

// EndSessionHints returns the id_token_hint of every end-session request received.
func (p *Provider) EndSessionHints() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.endSessions...)
}

// EndedSessions returns the subjects whose session the provider ended (a valid end-session
// request).
func (p *Provider) EndedSessions() []string {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	return append([]string(nil), p.storage.ended...)
}

// login completes the pending authorization request for the next user, as if they had typed
// their e-mail and password, and goes back to zitadel's callback, which issues the code.
func (p *Provider) login(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	next := p.next
	p.mu.Unlock()
	if next == nil {
		http.Error(w, "oidctest: no user set (SetNextUser)", http.StatusConflict)
		return
	}
	id := r.URL.Query().Get("id")
	if err := p.storage.complete(id, *next); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, op.AuthCallbackURL(p.op)(op.ContextWithIssuer(r.Context(), p.Issuer), id), http.StatusFound)
}

// Authorize plays the browser at the provider: it GETs authURL and follows the provider's own
// redirects until one leaves the provider (the client's redirect URI), which it returns without
// requesting it. The provider answering anything else fails the test.
func (p *Provider) Authorize(t testing.TB, authURL string) *url.URL {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := authURL
	for range 10 {
		res, err := hc.Get(next)
		if err != nil {
			t.Fatalf("oidctest: %v", err)
		}
		res.Body.Close()
		loc, err := res.Location()
		if err != nil {
			t.Fatalf("oidctest: %s answered %d without a redirect", next, res.StatusCode)
		}
		if !strings.HasPrefix(loc.String(), p.Issuer+"/") {
			return loc
		}
		next = loc.String()
	}
	t.Fatal("oidctest: too many redirects at the provider")
	return nil
}

// keys are generated once per test binary: RSA generation is slow, and the tests need two (the
// provider's and a foreign one for the misbehaviours).
var keys struct {
	once             sync.Once
	signing, foreign *rsa.PrivateKey
}

func signingKeys() (signing, foreign *rsa.PrivateKey) {
	keys.once.Do(func() {
		var err error
		if keys.signing, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if keys.foreign, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return keys.signing, keys.foreign
}
