package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"emplois/internal/apitoken"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/httpx"
)

// Scheme is one way a call may be authenticated (api.md §1.5). An endpoint lists the schemes it
// accepts, tried in order.
type Scheme int

const (
	// UserTokenAuth: `Authorization: Token <key>` of a user token. An unknown key is refused at
	// once (401 « Token non valide. »), whatever the schemes after it.
	UserTokenAuth Scheme = iota + 1
	// DepartmentTokenAuth and ServiceTokenAuth: the key of a département or service token; any
	// other key is ignored, as if no credentials were sent (api.md §10 Q10).
	DepartmentTokenAuth
	ServiceTokenAuth
	// CompanyTokenAuth: the key of a company token; any other key gets the original's English
	// « Invalid token. ».
	CompanyTokenAuth
	// SessionAuth: the logged-in user of the browser session (GET endpoints only: no CSRF).
	SessionAuth
)

// Identity is who calls: nobody (Scheme 0), a user (user token or session) or a token's service
// account.
type Identity struct {
	Scheme Scheme
	// Token is the token of a token scheme, nil for a session or an anonymous call.
	Token *apitoken.Token
	// UserID and UserKind are the user of a user token or a session (0 otherwise).
	UserID   int64
	UserKind actor.Kind
	// ClientIP is the client's address (behind trusted proxies, the forwarded one).
	ClientIP string
}

// Authenticated reports whether a scheme recognised the caller.
func (id Identity) Authenticated() bool { return id.Scheme != 0 }

// Actor is the caller as domain services see it: a user acting for themself with all their
// memberships (no current organization), or the system for a service account.
func (id Identity) Actor() actor.Actor {
	return actor.Actor{UserID: id.UserID, Kind: id.UserKind, ClientIP: id.ClientIP}
}

// LogName names the credentials in logs: the token as apitoken.Token.LogName says, "session",
// or "" for an anonymous call. Never the key.
func (id Identity) LogName() string {
	switch {
	case id.Token != nil:
		return id.Token.LogName()
	case id.Scheme == SessionAuth:
		return "session"
	}
	return ""
}

type identityKey struct{}

// IdentityOf is the identity of a call that went through the Gate (anonymous otherwise).
func IdentityOf(r *http.Request) Identity {
	id, _ := r.Context().Value(identityKey{}).(Identity)
	return id
}

// Permission decides who may call an endpoint once authenticated (DRF's permission classes):
// refused with 401 when no scheme recognised the caller, with 403 otherwise.
type Permission struct {
	Name  string
	Allow func(ctx context.Context, id Identity) (bool, error)
	// Object decides whether the caller may read one object the endpoint is about to answer
	// (DRF's has_object_permission); handlers ask through CheckObject. Nil: any object.
	Object func(id Identity, object any) bool
}

// AllowAny is the permission of public endpoints (credentials only identify the caller in logs).
var AllowAny = Permission{Name: "public", Allow: func(context.Context, Identity) (bool, error) { return true, nil }}

// DepartmentAccount lets any département token in (the search of conseils départementaux).
var DepartmentAccount = Permission{Name: "department-token", Allow: func(_ context.Context, id Identity) (bool, error) {
	return id.Token != nil && id.Token.Kind == apitoken.DepartmentToken, nil
}}

// CompanyAccount lets any company token in, limited to its companies by the handler.
var CompanyAccount = Permission{Name: "company-token", Allow: func(_ context.Context, id Identity) (bool, error) {
	return id.Token != nil && id.Token.Kind == apitoken.CompanyToken, nil
}}

// ServiceAccount lets in the service tokens of these services (any service when none is given).
func ServiceAccount(services ...apitoken.Partner) Permission {
	return Permission{Name: "service-token", Allow: func(_ context.Context, id Identity) (bool, error) {
		return id.Token != nil && id.Token.Kind == apitoken.ServiceToken &&
			(len(services) == 0 || slices.Contains(services, id.Token.Service)), nil
	}}
}

type permissionKey struct{}

// CheckObject asks the endpoint's permission whether the caller may read object: nil, or a 403
// refusal for fail.
func CheckObject(r *http.Request, object any) error {
	p, _ := r.Context().Value(permissionKey{}).(Permission)
	if p.Object == nil || p.Object(IdentityOf(r), object) {
		return nil
	}
	return fault.Forbidden(MsgPermissionDenied)
}

// Endpoint is one route of the API with what the Gate checks before its handler.
type Endpoint struct {
	// Path is the ServeMux path ("/api/v1/siaes/{$}"); Methods the methods served (HEAD comes
	// with GET). Other methods get the original's 405, after authentication and permission.
	Path    string
	Methods []string
	// Schemes are the accepted credentials, in the order tried (api.md §1.5).
	Schemes    []Scheme
	Permission Permission
	// Throttles are counted after the permission, so a refused call costs nothing (api.md §1.6).
	Throttles []Throttle
	Handler   http.HandlerFunc
}

// Patterns are the route table's patterns of the endpoint: one per method served, and the bare
// path, whose handler answers the other methods.
func (e Endpoint) Patterns() []string {
	patterns := make([]string, 0, len(e.Methods)+1)
	for _, m := range e.Methods {
		patterns = append(patterns, m+" "+e.Path)
	}
	return append(patterns, e.Path)
}

// allows reports whether the endpoint serves method.
func (e Endpoint) allows(method string) bool {
	return slices.Contains(e.Methods, method) || (method == http.MethodHead && slices.Contains(e.Methods, http.MethodGet))
}

// Gate is what every API call goes through: authentication, permission, throttles, method,
// then the handler, and one log line naming the credentials.
type Gate struct {
	Tokens *apitoken.Service
	// Session is the user logged in through the browser session (0 when none).
	Session func(r *http.Request) (userID int64, kind actor.Kind)
	// ClientIP is the client's address.
	ClientIP func(r *http.Request) string
	Log      *slog.Logger
}

// Wrap returns the handler of e behind the gate.
func (g *Gate) Wrap(e Endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &httpx.StatusRecorder{ResponseWriter: w}
		id, refusal := g.serve(rec, r, e)
		attrs := []any{"request_id", httpx.RequestID(r.Context()), "method", r.Method, "path", httpx.RedactPath(r.URL.Path),
			"status", rec.Status, "duration_ms", float64(time.Since(start).Microseconds()) / 1000}
		if name := id.LogName(); name != "" {
			attrs = append(attrs, "token", name)
		}
		if id.UserID != 0 {
			attrs = append(attrs, "user_id", id.UserID)
		}
		if refusal != "" {
			attrs = append(attrs, "refused", refusal)
		}
		g.Log.Info("api call", attrs...)
	}
}

// serve runs the checks and the handler; it returns the identity and why the call was refused
// (for the log line), "" when the handler ran.
func (g *Gate) serve(w http.ResponseWriter, r *http.Request, e Endpoint) (Identity, string) {
	if !servesFormat(r.URL.Query().Get(ParamFormat)) {
		// The framework negotiates the format first, before any credential is read.
		WriteError(w, http.StatusNotFound, MsgNotFound)
		return Identity{ClientIP: g.ClientIP(r)}, "format"
	}
	id, err := g.authenticate(r, e.Schemes)
	id.ClientIP = g.ClientIP(r)
	if err != nil {
		var bad *credentialsError
		if errors.As(err, &bad) {
			g.unauthorized(w, bad.detail)
			return id, "credentials"
		}
		fail(w, r, g.Log, err)
		return id, "error"
	}
	ok, err := e.Permission.Allow(r.Context(), id)
	switch {
	case err != nil:
		fail(w, r, g.Log, err)
		return id, "error"
	case !ok && !id.Authenticated() && len(e.Schemes) > 0 && e.Schemes[0] == SessionAuth:
		// The framework answers 403 when its first scheme has no challenge to send: the session.
		WriteError(w, http.StatusForbidden, MsgNotAuthenticated)
		return id, "not authenticated"
	case !ok && !id.Authenticated():
		g.unauthorized(w, MsgNotAuthenticated)
		return id, "not authenticated"
	case !ok:
		WriteError(w, http.StatusForbidden, MsgPermissionDenied)
		return id, "permission"
	}
	for _, t := range e.Throttles {
		if wait, ok := t.allow(r.Context(), g.Log, r, id); !ok {
			secs := max(int(wait/time.Second), 1)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			unit := "secondes"
			if secs == 1 {
				unit = "seconde"
			}
			WriteError(w, http.StatusTooManyRequests, fmt.Sprintf(MsgThrottled, secs, unit))
			return id, "throttled"
		}
	}
	if !e.allows(r.Method) {
		w.Header().Set("Allow", strings.Join(e.Methods, ", "))
		WriteError(w, http.StatusMethodNotAllowed, fmt.Sprintf(MsgMethodNotAllowed, r.Method))
		return id, "method"
	}
	ctx := context.WithValue(context.WithValue(r.Context(), identityKey{}, id), permissionKey{}, e.Permission)
	e.Handler(w, r.WithContext(ctx))
	return id, ""
}

// servesFormat reports whether the API answers the ?format= asked: JSON, and "api", the
// original's browsable pages, answered in JSON here. Any other is the framework's 404.
func servesFormat(format string) bool {
	return format == "" || format == "json" || format == "api"
}

// unauthorized answers 401 with the header every endpoint of the original sends (api.md §1.4).
func (g *Gate) unauthorized(w http.ResponseWriter, detail string) {
	w.Header().Set("WWW-Authenticate", "Token")
	WriteError(w, http.StatusUnauthorized, detail)
}

// credentialsError is a 401 raised by a scheme: the call stops there.
type credentialsError struct{ detail string }

func (e *credentialsError) Error() string { return e.detail }

// authenticate tries the schemes in order (api.md §1.4–1.5): the first that recognises the
// caller wins; a scheme that does not recognise the header's keyword is skipped; a malformed
// header or an unknown key is refused at once by the user and company token schemes. No scheme:
// an anonymous identity.
func (g *Gate) authenticate(r *http.Request, schemes []Scheme) (Identity, error) {
	key, present, headerErr := TokenFromHeader(r.Header.Get("Authorization"))
	var token *apitoken.Token
	looked := false
	lookup := func() (*apitoken.Token, error) {
		if !looked {
			looked = true
			t, err := g.Tokens.Authenticate(r.Context(), key)
			if err != nil && !errors.Is(err, apitoken.ErrUnknown) {
				return nil, err
			}
			token = t
		}
		return token, nil
	}
	for _, s := range schemes {
		if s == SessionAuth {
			if uid, kind := g.Session(r); uid != 0 {
				return Identity{Scheme: SessionAuth, UserID: uid, UserKind: kind}, nil
			}
			continue
		}
		if !present {
			continue
		}
		if headerErr != "" {
			return Identity{}, &credentialsError{headerErr}
		}
		t, err := lookup()
		if err != nil {
			return Identity{}, err
		}
		switch s {
		case UserTokenAuth:
			if t == nil || t.Kind != apitoken.UserToken {
				return Identity{}, &credentialsError{MsgInvalidToken}
			}
			if !t.UserActive {
				return Identity{}, &credentialsError{MsgInactiveUser}
			}
			return Identity{Scheme: s, Token: t, UserID: *t.UserID, UserKind: actor.Kind(t.UserKind)}, nil
		case CompanyTokenAuth:
			if t == nil || t.Kind != apitoken.CompanyToken {
				return Identity{}, &credentialsError{MsgInvalidCompanyToken}
			}
			return Identity{Scheme: s, Token: t}, nil
		case DepartmentTokenAuth, ServiceTokenAuth:
			if want := familyOf[s]; t != nil && t.Kind == want {
				return Identity{Scheme: s, Token: t}, nil
			}
		}
	}
	return Identity{}, nil
}

var familyOf = map[Scheme]apitoken.Kind{DepartmentTokenAuth: apitoken.DepartmentToken, ServiceTokenAuth: apitoken.ServiceToken}

// TokenFromHeader reads `Authorization: Token <key>` as the framework does: present is false when
// the header does not start with the keyword (case-insensitive), and a present header without a
// key, with spaces in the key or with bytes that are not text is refused with the message given.
func TokenFromHeader(h string) (key string, present bool, refusal string) {
	parts := strings.Fields(h)
	if len(parts) == 0 || !strings.EqualFold(parts[0], "token") {
		return "", false, ""
	}
	switch {
	case len(parts) == 1:
		return "", true, MsgHeaderNoKey
	case len(parts) > 2:
		return "", true, MsgHeaderSpaces
	case !utf8.ValidString(parts[1]):
		return "", true, MsgHeaderInvalidChars
	}
	return parts[1], true, ""
}
