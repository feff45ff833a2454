package account

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/httpx"
	"emplois/internal/platform/oidc"
)

// Login with an OpenID provider (actors.md §11): ProConnect for professionals, which also
// starts their signup (§10.2), and FranceConnect for job seekers, which also signs them up
// (§10.1). One pair of handlers serves both, parameterised by an ssoProvider.

// ssoProvider is one OpenID provider as the pages use it.
type ssoProvider struct {
	// client is nil when the provider is not configured: its routes then answer 404.
	client *oidc.Client
	// Label names it to people ("ProConnect"); Slug prefixes its paths, ids and session keys.
	Label, Slug string
	// login finds or creates the account of a verified login.
	login func(r *http.Request, l *oidc.Login) (*account.SSOLogin, error)
}

func (p *ssoProvider) stateKey() string   { return p.Slug + ".state" }
func (p *ssoProvider) idTokenKey() string { return p.Slug + ".id_token" }

// Retry starts a new login with the provider.
func (p *ssoProvider) Retry() string { return "/" + p.Slug + "/authorize" }

func (h *Handler) newProviders(proconnect, franceconnect *oidc.Client, jobseekers *jobseeker.Service) {
	h.proconnect = &ssoProvider{client: proconnect, Label: "ProConnect", Slug: "proconnect",
		login: func(r *http.Request, l *oidc.Login) (*account.SSOLogin, error) {
			return h.accounts.LoginWithProConnect(r.Context(), account.ProConnectIdentity{
				Subject: l.Subject, Email: l.Claim("email"),
				FirstName: l.Claim("given_name"), LastName: l.Claim("usual_name"),
				ACR: l.ACR, AMR: l.AMR,
			}, h.kit.ClientIP(r))
		}}
	h.franceconnect = &ssoProvider{client: franceconnect, Label: "FranceConnect", Slug: "franceconnect",
		login: func(r *http.Request, l *oidc.Login) (*account.SSOLogin, error) {
			nir, reason := h.kit.PopSignupNIR(r)
			return jobseekers.LoginWithFranceConnect(r.Context(), jobseeker.FranceConnectClaims{
				FranceConnectIdentity: account.FranceConnectIdentity{
					Subject: l.Subject, Email: l.Claim("email"),
					FirstName: l.Claim("given_name"), LastName: l.Claim("family_name"),
					Title: account.TitleOfGender(l.Claim("gender")), ACR: l.ACR, AMR: l.AMR,
				},
				Birthdate: l.Claim("birthdate"), BirthPlace: l.Claim("birthplace"), BirthCountry: l.Claim("birthcountry"),
			}, jobseeker.PendingSignup{NIR: nir, LackOfNIRReason: jobseeker.LackOfNIRReason(reason)}, h.kit.ClientIP(r))
		}}
}

// authorize sends the browser to the provider: ?next= is the local page to reach after the
// login, ?login_hint= an e-mail to pre-fill there.
func (h *Handler) authorize(p *ssoProvider) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if p.client == nil {
			h.kit.Error(w, r, http.StatusNotFound)
			return
		}
		q := r.URL.Query()
		next := httpx.LocalTarget(q.Get("next"), "")
		hint := account.NormalizeEmail(q.Get("login_hint"))
		if account.EmailProblem(hint) != "" {
			hint = ""
		}
		pending, err := p.client.Start(r.Context(), oidc.StartOptions{Next: next, LoginHint: hint})
		if err != nil {
			h.ssoFailed(w, r, p, err, "")
			return
		}
		h.kit.Sessions().Put(r.Context(), p.stateKey(), pending.State)
		http.Redirect(w, r, pending.URL, http.StatusSeeOther)
	}
}

// callback finishes the login: the OpenID checks (oidc.Client.Finish), then the account (find,
// link or create it), then a new session exactly as a password login opens one.
func (h *Handler) callback(p *ssoProvider) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if p.client == nil {
			h.kit.Error(w, r, http.StatusNotFound)
			return
		}
		ctx, sessions := r.Context(), h.kit.Sessions()
		login, err := p.client.Finish(ctx, sessions.PopString(ctx, p.stateKey()), r.URL.Query())
		if err != nil {
			h.ssoFailed(w, r, p, err, "")
			return
		}
		out, err := p.login(r, login)
		if err != nil {
			h.ssoFailed(w, r, p, err, login.IDToken)
			return
		}
		if err := h.kit.StartSession(ctx, out.User); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
		sessions.Put(ctx, p.idTokenKey(), login.IDToken)
		if out.Warning != "" {
			h.kit.SetFlash(r, out.Warning)
		}
		http.Redirect(w, r, loginTarget(login.Next), http.StatusSeeOther)
	}
}

// ssoErrorData is what sso/error.html shows.
type ssoErrorData struct {
	Provider *ssoProvider
	Message  string
	// EndSession logs out of the provider, to log in again with another account there (when
	// the provider logged the person in but this service refused the account).
	EndSession string
}

// ssoFailed shows the French page of a refused login, with a way to retry. The cause is logged
// once, without personal data (oidc and account errors hold none).
func (h *Handler) ssoFailed(w http.ResponseWriter, r *http.Request, p *ssoProvider, err error, idToken string) {
	data := ssoErrorData{Provider: p}
	status := http.StatusBadRequest
	var inactive *account.InactiveError
	var conflict *account.KindConflictError
	var providerConflict *account.ProviderConflictError
	switch kind := oidc.KindOf(err); {
	case kind == oidc.KindState:
		data.Message = "Cette demande de connexion n'est plus valable : elle a expiré, elle a déjà servi ou elle a été commencée dans un autre navigateur. Recommencez la connexion avec " + p.Label + "."
	case kind == oidc.KindProvider:
		status = http.StatusBadGateway
		data.Message = p.Label + " n'a pas confirmé votre identité : la connexion a été annulée ou refusée. Recommencez la connexion avec " + p.Label + "."
	case kind == oidc.KindToken:
		status = http.StatusBadGateway
		data.Message = "La réponse de " + p.Label + " n'a pas pu être vérifiée, la connexion est refusée par sécurité. Recommencez la connexion ; si le problème persiste, contactez le support."
	case kind == oidc.KindUnavailable:
		status = http.StatusServiceUnavailable
		data.Message = p.Label + " ne répond pas pour le moment. Réessayez dans quelques minutes."
	case errors.As(err, &inactive), errors.As(err, &conflict), errors.As(err, &providerConflict):
		status = http.StatusForbidden
		data.Message = err.Error()
	case errors.Is(err, account.ErrProConnectIdentity), errors.Is(err, account.ErrFranceConnectIdentity):
		status = http.StatusBadGateway
		data.Message = err.Error()
	default:
		h.kit.ServerError(w, r, err)
		return
	}
	log := h.kit.Log()
	level := log.Info
	if oidc.KindOf(err) == oidc.KindToken || oidc.KindOf(err) == oidc.KindUnavailable {
		level = log.Warn // an attack, a misconfiguration or an outage: worth a look
	}
	level(p.Slug+" login refused", "request_id", httpx.RequestID(r.Context()), "err", err)
	if idToken != "" {
		data.EndSession = h.endSessionURL(r.Context(), p, idToken)
	}
	h.tpl.Render(w, r, status, "sso/error.html", "Connexion avec "+p.Label+" impossible", data)
}

// ssoLogoutURL returns the provider whose session to end after a local logout, and where to
// send the browser for it; nil when the session was not opened with a provider. Call it before
// the session is cleared.
func (h *Handler) ssoLogoutURL(r *http.Request) (*ssoProvider, string) {
	for _, p := range []*ssoProvider{h.proconnect, h.franceconnect} {
		if idToken := h.kit.Sessions().GetString(r.Context(), p.idTokenKey()); idToken != "" {
			if u := h.endSessionURL(r.Context(), p, idToken); u != "" {
				return p, u
			}
		}
	}
	return nil, ""
}

// endSessionURL is the provider's end-session URL coming back to the home page, "" when it
// cannot be had (the local logout is done anyway).
func (h *Handler) endSessionURL(ctx context.Context, p *ssoProvider, idToken string) string {
	if p.client == nil {
		return ""
	}
	u, ok, err := p.client.EndSessionURL(ctx, idToken, h.home)
	if err != nil {
		h.kit.Log().Warn(p.Slug+" end-session URL unavailable", "request_id", httpx.RequestID(ctx), "err", err)
		return ""
	}
	if !ok {
		return ""
	}
	return u
}

// ssoLogout shows the page that forwards the browser to the provider's end-session endpoint. A
// page rather than a redirect: the logout is a form, and the CSP form-action directive would
// stop its redirect chain at the first other site (the provider, then the identity provider
// behind it); a link followed by a script (or by a click) is not a form submission. The logout
// message waits for the page the provider comes back to: the page is rendered aside without
// it, then the message is put back before the response (and so the session) is written.
func (h *Handler) ssoLogout(w http.ResponseWriter, r *http.Request, p *ssoProvider, endSession string) {
	flash := h.kit.PopFlash(r)
	buf := &bufferedPage{header: http.Header{}}
	h.tpl.Render(buf, r, http.StatusOK, "sso/logout.html", "Déconnexion", ssoErrorData{Provider: p, EndSession: endSession})
	if flash != "" {
		h.kit.SetFlash(r, flash)
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.WriteHeader(buf.status)
	buf.body.WriteTo(w)
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
