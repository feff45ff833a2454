package page

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"emplois/internal/platform/ratelimit"
)

// Router is the one route table of the site: every room declares its routes here, each with
// its policy and options. The permission test walks Routes() with every role.
type Router struct {
	kit    *Kit
	mux    *http.ServeMux
	routes []Route
}

// Route is one entry of the route table.
type Route struct {
	Pattern string
	Policy  Policy
	// OpenToUnaffiliated: a professional without organization may still reach it (actors.md §8).
	OpenToUnaffiliated bool
	// Limit counts the requests of anonymous clients (nil: not limited).
	Limit *Limit
}

// Option changes how a route is served.
type Option func(*Route)

// OpenToUnaffiliated lets a professional without organization reach the route: login and
// logout, signup and invitations (to join one), the warning page, legal pages, the API and the
// autocompletes of the signup forms (actors.md §8). Every other page sends them to the warning.
func OpenToUnaffiliated(rt *Route) { rt.OpenToUnaffiliated = true }

// Limit is a rate limit of client addresses (search pages, API calls: anonymous ones): the counters
// live in the database, so the limit holds across all the instances behind a load balancer.
type Limit struct {
	Limiter *ratelimit.Limiter
	Scope   string // counter name: "pages", "api"
	// Refuse answers a request over the limit (a JSON body on the API); nil: the French page.
	Refuse func(w http.ResponseWriter, r *http.Request, retryAfter int)
	// Everyone counts logged-in visitors too (a lookup that must not be tried at scale by anyone).
	Everyone bool
}

// RateLimited counts the route's requests of anonymous clients under l.
func RateLimited(l *Limit) Option { return func(rt *Route) { rt.Limit = l } }

// NewRouter returns an empty route table.
func (k *Kit) NewRouter() *Router { return &Router{kit: k, mux: http.NewServeMux()} }

// Handle registers a route guarded by a policy. It is the only way to add a route.
func (rt *Router) Handle(pattern string, p Policy, h http.HandlerFunc, opts ...Option) {
	if p.Allow == nil {
		panic("page: route " + pattern + " has no policy")
	}
	route := Route{Pattern: pattern, Policy: p}
	for _, o := range opts {
		o(&route)
	}
	rt.routes = append(rt.routes, route)
	k := rt.kit
	rt.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := ViewerOf(r)
		if v.Unaffiliated() && !route.OpenToUnaffiliated {
			http.Redirect(w, r, UnaffiliatedWarningPath(v), http.StatusSeeOther)
			return
		}
		if !p.Allow(v) {
			k.deny(w, r, v)
			return
		}
		if route.Limit != nil && !k.withinLimit(w, r, v, route.Limit) {
			return
		}
		h(w, r)
	}))
}

// Raw registers a handler outside the route table: the static assets only, public by nature.
func (rt *Router) Raw(pattern string, h http.HandlerFunc) { rt.mux.HandleFunc(pattern, h) }

// Routes returns the route table (for the permission test and the docs).
func (rt *Router) Routes() []Route { return slices.Clone(rt.routes) }

// Mux is the request multiplexer of the table.
func (rt *Router) Mux() *http.ServeMux { return rt.mux }

// Finish settles what depends on the whole table: the main menu shows only the pages served.
func (rt *Router) Finish() {
	rt.kit.router = rt
	rt.kit.nav = nil
	for _, l := range mainNavigation {
		if rt.has(l.Href) {
			rt.kit.nav = append(rt.kit.nav, l)
		}
	}
}

// has reports whether a GET of path reaches a registered page rather than the 404 catch-all.
func (rt *Router) has(path string) bool {
	_, pattern := rt.mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}})
	return pattern != "" && pattern != "/"
}

// Serves reports whether a GET of path reaches a page of the site (false before Router.Finish).
func (k *Kit) Serves(path string) bool { return k.router != nil && k.router.has(path) }

// deny answers a refused request: anonymous visitors are sent to the login page, others get a 403.
func (k *Kit) deny(w http.ResponseWriter, r *http.Request, v Viewer) {
	if !v.Authenticated() && r.Method == http.MethodGet {
		http.Redirect(w, r, LoginPath(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	k.Error(w, r, http.StatusForbidden)
}

// LoginPath is the login page that comes back to next afterwards.
func LoginPath(next string) string { return "/accounts/login?next=" + url.QueryEscape(next) }

// withinLimit counts an anonymous request under l and answers it with a 429 when over the
// limit. Logged-in users pass. When the database cannot count, the request passes: the limit
// protects the service, it must not take it down.
func (k *Kit) withinLimit(w http.ResponseWriter, r *http.Request, v Viewer, l *Limit) bool {
	if !l.Limiter.On() || (v.Authenticated() && !l.Everyone) {
		return true
	}
	dec, err := l.Limiter.Allow(r.Context(), l.Scope+":"+ratelimit.ClientKey(k.ClientIP(r)))
	if err != nil {
		k.log.Warn("rate limit not counted", "request_id", RequestID(r), "err", err)
	}
	if dec.Allowed {
		return true
	}
	secs := dec.RetryAfterSeconds()
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	if l.Refuse != nil {
		l.Refuse(w, r, secs)
		return false
	}
	if IsHTMX(r) {
		// htmx swaps no error answer: have it reload the page, which shows the 429 page.
		w.Header().Set("HX-Refresh", "true")
	}
	k.render(w, r, http.StatusTooManyRequests, k.own, "error.html", errorTitles[http.StatusTooManyRequests],
		errorData{Status: http.StatusTooManyRequests, RetryAfter: FrenchSeconds(secs)})
	return false
}

// FrenchSeconds is "1 seconde", "42 secondes" (never less than one).
func FrenchSeconds(n int) string { return Plural(max(n, 1), "seconde", "secondes") }

// IsHTMX reports whether the request is an htmx swap, where a fragment is wanted (not a history
// restore, which wants the whole page).
func IsHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}
