package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"

	"emplois/internal/account"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/oidc"
)

// Session keys of the ProConnect login: the state of the login under way (it binds the callback
// to this browser) and the ID token of the login done (id_token_hint of the logout).
const (
	sessionProConnectState   = "proconnect.state"
	sessionProConnectIDToken = "proconnect.id_token"
)

// proconnectRoutes: login with ProConnect (actors.md §11). The routes exist whether ProConnect
// is configured or not; without it, they answer 404.
func (s *Server) proconnectRoutes() {
	s.handle("GET /proconnect/authorize", Public, s.proconnectAuthorize)
	s.handle("GET /proconnect/callback", Public, s.proconnectCallback)
}

// initProConnect builds the ProConnect client when the settings name an issuer. The provider is
// discovered at the first login, so the service starts even when ProConnect is down.
func (s *Server) initProConnect() error {
	cfg, ok := oidc.ProConnectConfig(s.cfg)
	if !ok {
		return nil
	}
	c, err := oidc.New(s.db, cfg)
	if err != nil {
		return err
	}
	s.proconnect = c
	return nil
}

// proconnectAuthorize sends the browser to ProConnect: ?next= is the local page to reach after
// the login, ?login_hint= an e-mail to pre-fill there.
func (s *Server) proconnectAuthorize(w http.ResponseWriter, r *http.Request) {
	if s.proconnect == nil {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	next := httpx.LocalTarget(q.Get("next"), "")
	hint := account.NormalizeEmail(q.Get("login_hint"))
	if account.EmailProblem(hint) != "" {
		hint = ""
	}
	pending, err := s.proconnect.Start(r.Context(), oidc.StartOptions{Next: next, LoginHint: hint})
	if err != nil {
		s.proconnectFailed(w, r, err, "")
		return
	}
	s.sessions.Put(r.Context(), sessionProConnectState, pending.State)
	http.Redirect(w, r, pending.URL, http.StatusSeeOther)
}

// proconnectCallback finishes the login: the OpenID checks (oidc.Client.Finish), then the
// account (find, move or create it), then a new session exactly as a password login opens one.
func (s *Server) proconnectCallback(w http.ResponseWriter, r *http.Request) {
	if s.proconnect == nil {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	login, err := s.proconnect.Finish(ctx, s.sessions.PopString(ctx, sessionProConnectState), r.URL.Query())
	if err != nil {
		s.proconnectFailed(w, r, err, "")
		return
	}
	out, err := s.accounts.LoginWithProConnect(ctx, account.ProConnectIdentity{
		Subject: login.Subject, Email: login.Claim("email"),
		FirstName: login.Claim("given_name"), LastName: login.Claim("usual_name"),
		ACR: login.ACR, AMR: login.AMR,
	}, s.clientIP.Of(r))
	if err != nil {
		s.proconnectFailed(w, r, err, login.IDToken)
		return
	}
	if err := s.startSession(ctx, out.User); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessionProConnectIDToken, login.IDToken)
	if out.Warning != "" {
		s.setFlash(r, out.Warning)
	}
	http.Redirect(w, r, loginTarget(login.Next), http.StatusSeeOther)
}

// proconnectErrorData is what proconnect/error.html shows.
type proconnectErrorData struct {
	Message string
	// Retry starts a new ProConnect login.
	Retry string
	// EndSession logs out of ProConnect, to log in again with another ProConnect account (when
	// ProConnect logged the person in but this service refused the account).
	EndSession string
}

// proconnectFailed shows the French page of a refused ProConnect login, with a way to retry. The
// cause is logged once, without personal data (oidc and account errors hold none).
func (s *Server) proconnectFailed(w http.ResponseWriter, r *http.Request, err error, idToken string) {
	data := proconnectErrorData{Retry: "/proconnect/authorize"}
	status := http.StatusBadRequest
	var inactive *account.InactiveError
	var conflict *account.KindConflictError
	switch kind := oidc.KindOf(err); {
	case kind == oidc.KindState:
		data.Message = "Cette demande de connexion n'est plus valable : elle a expiré, elle a déjà servi ou elle a été commencée dans un autre navigateur. Recommencez la connexion avec ProConnect."
	case kind == oidc.KindProvider:
		status = http.StatusBadGateway
		data.Message = "ProConnect n'a pas confirmé votre identité : la connexion a été annulée ou refusée. Recommencez la connexion avec ProConnect."
	case kind == oidc.KindToken:
		status = http.StatusBadGateway
		data.Message = "La réponse de ProConnect n'a pas pu être vérifiée, la connexion est refusée par sécurité. Recommencez la connexion ; si le problème persiste, contactez le support."
	case kind == oidc.KindUnavailable:
		status = http.StatusServiceUnavailable
		data.Message = "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes."
	case errors.As(err, &inactive), errors.As(err, &conflict):
		status = http.StatusForbidden
		data.Message = err.Error()
	case errors.Is(err, account.ErrProConnectIdentity):
		status = http.StatusBadGateway
		data.Message = err.Error()
	default:
		s.serverError(w, r, err)
		return
	}
	level := s.log.Info
	if oidc.KindOf(err) == oidc.KindToken || oidc.KindOf(err) == oidc.KindUnavailable {
		level = s.log.Warn // an attack, a misconfiguration or an outage: worth a look
	}
	level("proconnect login refused", "request_id", requestID(r.Context()), "err", err)
	if idToken != "" {
		data.EndSession = s.proconnectEndSessionURL(r.Context(), idToken)
	}
	s.render(w, r, status, "proconnect/error.html", "Connexion avec ProConnect impossible", data)
}

// proconnectLogoutURL returns where to send the browser after a local logout to end the
// ProConnect session too, "" when the session was not opened with ProConnect. Call it before the
// session is cleared.
func (s *Server) proconnectLogoutURL(r *http.Request) string {
	idToken := s.sessions.GetString(r.Context(), sessionProConnectIDToken)
	if idToken == "" {
		return ""
	}
	return s.proconnectEndSessionURL(r.Context(), idToken)
}

// proconnectEndSessionURL is ProConnect's end-session URL coming back to the home page, "" when
// it cannot be had (the local logout is done anyway).
func (s *Server) proconnectEndSessionURL(ctx context.Context, idToken string) string {
	if s.proconnect == nil {
		return ""
	}
	u, ok, err := s.proconnect.EndSessionURL(ctx, idToken, strings.TrimSuffix(s.cfg.BaseURL.String(), "/")+"/")
	if err != nil {
		s.log.Warn("proconnect end-session URL unavailable", "request_id", requestID(ctx), "err", err)
		return ""
	}
	if !ok {
		return ""
	}
	return u
}

// proconnectLogout shows the page that forwards the browser to ProConnect's end-session
// endpoint. A page rather than a redirect: the logout is a form, and the CSP form-action
// directive would stop its redirect chain at the first other site (ProConnect, then the identity
// provider behind it); a link followed by a script (or by a click) is not a form submission.
// The logout message waits for the page ProConnect comes back to: the page is rendered aside
// without it, then the message is put back before the response (and so the session) is written.
func (s *Server) proconnectLogout(w http.ResponseWriter, r *http.Request, endSession string) {
	flash := s.kit.PopFlash(r)
	page := &bufferedPage{header: http.Header{}}
	s.render(page, r, http.StatusOK, "proconnect/logout.html", "Déconnexion", map[string]string{"EndSession": endSession})
	if flash != "" {
		s.setFlash(r, flash)
	}
	for k, v := range page.header {
		w.Header()[k] = v
	}
	w.WriteHeader(page.status)
	page.body.WriteTo(w)
}

// bufferedPage holds a rendered response until the handler is done with the session.
type bufferedPage struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *bufferedPage) Header() http.Header         { return p.header }
func (p *bufferedPage) Write(b []byte) (int, error) { return p.body.Write(b) }
func (p *bufferedPage) WriteHeader(status int)      { p.status = status }
