package oidctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// keyID names the provider's signing key in its JWKS.
const keyID = "oidctest-1"

// Lifetimes of what the provider issues (ProConnect: access token 60 s).
const (
	accessTokenLifetime = time.Minute
	idTokenLifetime     = 5 * time.Minute
)

// storage is the provider's in-memory op.Storage.
type storage struct {
	p *Provider

	mu       sync.Mutex
	clients  map[string]*client
	requests map[string]*authRequest
	codes    map[string]string // code → request id
	tokens   map[string]*accessToken
	ended    []string
}

type accessToken struct {
	subject  string
	clientID string
	scopes   []string
	user     User
	expires  time.Time
}

func newStorage(p *Provider) *storage {
	return &storage{p: p, clients: map[string]*client{}, requests: map[string]*authRequest{},
		codes: map[string]string{}, tokens: map[string]*accessToken{}}
}

var errNotFound = errors.New("oidctest: not found")

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// complete marks the authorization request as authenticated by u.
func (s *storage) complete(id string, u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return fmt.Errorf("oidctest: no authorization request %q", id)
	}
	r.user, r.done, r.authTime = u, true, time.Now().UTC()
	return nil
}

// AuthStorage

func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &authRequest{id: randomID(), p: s.p, req: *req}
	s.requests[r.id] = r
	return r, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		return r, nil
	}
	return nil, errNotFound
}

func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[s.codes[code]]; ok {
		return r, nil
	}
	return nil, errNotFound
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest is called once the code is exchanged: the code cannot be used again.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	r, ok := req.(*authRequest)
	if !ok {
		return "", time.Time{}, errors.New("oidctest: only the authorization code flow is supported")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := randomID()
	exp := time.Now().UTC().Add(accessTokenLifetime)
	s.tokens[id] = &accessToken{subject: r.user.Subject, clientID: r.req.ClientID, scopes: r.req.Scopes, user: r.user, expires: exp}
	return id, exp, nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("oidctest: no refresh tokens")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, errors.New("oidctest: no refresh tokens")
}

func (s *storage) TerminateSession(_ context.Context, userID, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ended = append(s.ended, userID)
	return nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tokenOrID)
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	priv, _ := signingKeys()
	return signingKey{priv: priv}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	priv, _ := signingKeys()
	return []op.Key{publicKey{signingKey{priv: priv}}}, nil
}

// OPStorage

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	return nil, errNotFound
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok && c.Secret == secret {
		return nil
	}
	return errors.New("oidctest: invalid client credentials")
}

// SetUserinfoFromScopes fills the ID token: like ProConnect's, it carries no identity claim
// beyond the subject.
func (s *storage) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, userID, _ string, _ []string) error {
	info.Subject = userID
	return nil
}

// SetUserinfoFromToken fills the userinfo answer: the claims named by the scopes, the extra
// claims, and iss/aud as in ProConnect's signed userinfo.
func (s *storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expires) {
		return errors.New("oidctest: unknown or expired access token")
	}
	u := t.user
	info.Subject = u.Subject
	if sub := s.p.misbehaviour().UserinfoSubject; sub != "" {
		info.Subject = sub
	}
	for _, scope := range t.scopes {
		switch scope {
		case "email":
			info.Email = u.Email
		case "given_name":
			info.GivenName = u.GivenName
		case "usual_name":
			info.AppendClaims("usual_name", u.UsualName)
		case "siret":
			info.AppendClaims("siret", u.SIRET)
		case "uid":
			info.AppendClaims("uid", u.Subject)
		}
	}
	for k, v := range u.Claims {
		info.AppendClaims(k, v)
	}
	info.AppendClaims("iss", op.IssuerFromContext(ctx))
	info.AppendClaims("aud", t.clientID)
	return nil
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tokenID]; ok {
		resp.Active = time.Now().Before(t.expires)
		resp.Subject = subject
		resp.ClientID = clientID
	}
	return nil
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("oidctest: no JWT profile grant")
}

func (s *storage) Health(context.Context) error { return nil }

// authRequest is one authorization request, completed by login.
type authRequest struct {
	id  string
	p   *Provider
	req oidc.AuthRequest

	user     User
	done     bool
	authTime time.Time
}

func (r *authRequest) GetID() string { return r.id }

// GetACR is ProConnect's default level.
func (r *authRequest) GetACR() string { return "eidas1" }

func (r *authRequest) GetAMR() []string {
	if r.done {
		return []string{"pwd"}
	}
	return nil
}

// GetAudience is the client: zitadel always adds the client id to the audience, so the wrong
// audience misbehaviour is crafted on the token response instead (see token).
func (r *authRequest) GetAudience() []string { return []string{r.req.ClientID} }

func (r *authRequest) GetAuthTime() time.Time { return r.authTime }
func (r *authRequest) GetClientID() string    { return r.req.ClientID }

func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if r.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: r.req.CodeChallenge, Method: r.req.CodeChallengeMethod}
}

func (r *authRequest) GetNonce() string {
	if n := r.p.misbehaviour().Nonce; n != "" {
		return n
	}
	return r.req.Nonce
}

func (r *authRequest) GetRedirectURI() string             { return r.req.RedirectURI }
func (r *authRequest) GetResponseType() oidc.ResponseType { return r.req.ResponseType }
func (r *authRequest) GetResponseMode() oidc.ResponseMode { return r.req.ResponseMode }
func (r *authRequest) GetScopes() []string                { return r.req.Scopes }
func (r *authRequest) GetState() string                   { return r.req.State }
func (r *authRequest) GetSubject() string                 { return r.user.Subject }
func (r *authRequest) Done() bool                         { return r.done }

// client is a registered relying party: a confidential web application authenticating with
// client_secret_post, like ProConnect's service providers.
type client struct {
	Client
	provider *Provider
}

func (c *client) GetID() string                       { return c.ID }
func (c *client) RedirectURIs() []string              { return c.Client.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string    { return c.Client.PostLogoutRedirectURIs }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodPost }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string            { return c.provider.Issuer + "/login?id=" + id }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IsScopeAllowed(string) bool           { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// DevMode lets the client use http:// redirect URIs (the test servers are not on HTTPS).
func (c *client) DevMode() bool { return true }

func (c *client) IDTokenLifetime() time.Duration {
	if d := c.provider.misbehaviour().IDTokenLifetime; d != 0 {
		return d
	}
	return idTokenLifetime
}

// signingKey is the provider's RS256 key.
type signingKey struct{ priv any }

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.priv }
func (k signingKey) ID() string                                  { return keyID }

// publicKey is the public half, published in the JWKS.
type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any {
	priv, _ := signingKeys()
	return &priv.PublicKey
}
