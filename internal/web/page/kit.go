// Package page is the kernel every web room shares: who is asking (Viewer, sessions,
// policies), how a route is declared (Router and its options), how a page is rendered (the
// layout, the shared DSFR partials, fragments, flash messages, error pages), how a form is read
// and its field errors shown, the one mapping of domain errors to pages, and one pager.
//
// A room (internal/web/<domain>) holds a Handler with its services, a Routes(*Router) method,
// its handlers and its own templates, parsed over this package's layout by Kit.Templates. Rooms
// import this package and domain packages, never another room.
package page

import (
	"html/template"
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"emplois/internal/platform/httpx"
)

// Config is what the kernel needs from the wiring.
type Config struct {
	Log      *slog.Logger
	Sessions *scs.SessionManager
	ClientIP *httpx.ClientIP
	// StateIdentity shows the Marianne and the République française block (a State deployment).
	StateIdentity bool
	// Dev is the explicit development mode (EMPLOIS_DEV=1): the outbox viewer is served.
	Dev bool
	// StaticURL is the content-hashed URL of an embedded asset ("css/app.css").
	StaticURL func(name string) string
	// ProConnect reports whether login with ProConnect is configured (login and signup pages).
	ProConnect bool
	// FranceConnect reports whether login and signup of job seekers with FranceConnect are
	// configured.
	FranceConnect bool
	// Identity resolves the viewer of a session and opens and ends sessions (identity.go).
	Identity Identity
}

// Kit is the shared toolbox a room's Handler holds: rendering, sessions, flash, the error
// mapper and the viewer's identity.
type Kit struct {
	cfg  Config
	log  *slog.Logger
	base *template.Template // layout + shared partials, cloned under each room's pages
	own  *Templates         // the kernel's own pages (error.html)
	nav  []NavLink          // the main menu, settled once the routes are known (Router.Finish)
	// router is the finished route table (Router.Finish).
	router *Router
}

// New parses the layout and the shared partials.
func New(cfg Config) (*Kit, error) {
	k := &Kit{cfg: cfg, log: cfg.Log}
	base, err := parseBase(k.funcs())
	if err != nil {
		return nil, err
	}
	k.base = base
	if k.own, err = k.Templates(kernelFS, "templates/pages"); err != nil {
		return nil, err
	}
	return k, nil
}

// Log is the logger of the site (never given personal data: no NIR, no name, no e-mail).
func (k *Kit) Log() *slog.Logger { return k.log }

// Sessions is the session manager, for rooms that keep a journey in the session.
func (k *Kit) Sessions() *scs.SessionManager { return k.cfg.Sessions }

// ClientIP is the address of the client, behind the trusted proxies.
func (k *Kit) ClientIP(r *http.Request) string { return k.cfg.ClientIP.Of(r) }

// ProConnect reports whether login with ProConnect is configured.
func (k *Kit) ProConnect() bool { return k.cfg.ProConnect }

// FranceConnect reports whether login and signup with FranceConnect are configured.
func (k *Kit) FranceConnect() bool { return k.cfg.FranceConnect }

// sessionSignupNIR and sessionSignupLackOfNIR keep what the identity step of a job seeker's
// self-signup typed and FranceConnect does not give, until the FranceConnect callback applies
// it (actors.md §10.1-5: « after SSO the NIR from the session is applied »).
const (
	sessionSignupNIR       = "signup.job_seeker.nir"
	sessionSignupLackOfNIR = "signup.job_seeker.lack_of_nir_reason"
)

// KeepSignupNIR keeps the NIR (or the reason for having none) of a self-signup's identity
// step in the visitor's server-side session.
func (k *Kit) KeepSignupNIR(r *http.Request, nir, lackOfNIRReason string) {
	k.cfg.Sessions.Put(r.Context(), sessionSignupNIR, nir)
	k.cfg.Sessions.Put(r.Context(), sessionSignupLackOfNIR, lackOfNIRReason)
}

// PopSignupNIR returns and forgets what KeepSignupNIR kept.
func (k *Kit) PopSignupNIR(r *http.Request) (nir, lackOfNIRReason string) {
	return k.cfg.Sessions.PopString(r.Context(), sessionSignupNIR), k.cfg.Sessions.PopString(r.Context(), sessionSignupLackOfNIR)
}
