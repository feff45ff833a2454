package page

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"emplois/internal/account"
	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/httpx"
)

// Identity resolves who is asking from the session, and opens and ends sessions.
type Identity struct {
	Accounts *account.Service
	Orgs     *org.Service
	// SessionLifetime is the absolute lifetime of a session, whatever the activity.
	SessionLifetime time.Duration
	// Invitations accepts, at every login of a professional, the pending invitations of their
	// address (actors.md §7).
	Invitations *invitation.Service
}

// Session keys of the logged-in user. The session lives server-side (http_session); these are the
// only account facts it holds, the user row is read again on every request.
const (
	sessionUserID  = "account.user_id"
	sessionAuthAt  = "account.auth_at" // Unix time of the login, for the absolute lifetime
	sessionVersion = "account.session_version"
	// sessionOrganization holds the key of the organization the professional chose ("company-<uid>").
	sessionOrganization = "org.current"
	sessionFlash        = "flash"
)

// Now is the clock of the account rules (tests move it).
func (k *Kit) Now() time.Time { return k.cfg.Identity.Accounts.Now() }

// ResolveViewer resolves the logged-in user from the session for every request. A session past
// its absolute lifetime, of a deactivated or deleted account, or opened before a password change
// (the session version moved) is ended: the visitor continues anonymously, with a message.
func (k *Kit) ResolveViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") { // assets need no viewer: spare the query
			next.ServeHTTP(w, r.WithContext(WithViewer(r.Context(), Viewer{})))
			return
		}
		v, err := k.viewerOf(r.Context())
		r = r.WithContext(WithViewer(r.Context(), v))
		if v.Authenticated() {
			w = httpx.NoStore(w) // a logged-in user's pages are never cached
		}
		if err != nil {
			k.ServerError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (k *Kit) viewerOf(ctx context.Context) (Viewer, error) {
	s, id := k.cfg.Sessions, k.cfg.Identity
	userID := s.GetInt64(ctx, sessionUserID)
	if userID == 0 {
		return Viewer{}, nil
	}
	authAt := time.Unix(s.GetInt64(ctx, sessionAuthAt), 0)
	if !k.Now().Before(authAt.Add(id.SessionLifetime)) {
		return Viewer{}, k.EndSession(ctx, "Votre session a expiré : connectez-vous à nouveau.")
	}
	u, err := id.Accounts.ByID(ctx, userID)
	if errors.Is(err, account.ErrNotFound) {
		return Viewer{}, k.EndSession(ctx, "")
	}
	if err != nil {
		return Viewer{}, err
	}
	if !u.IsActive || u.SessionVersion != s.GetInt(ctx, sessionVersion) {
		return Viewer{}, k.EndSession(ctx, "Votre session a pris fin : connectez-vous à nouveau.")
	}
	v := Viewer{UserID: u.ID, PublicID: u.PublicID, Kind: u.Kind, Email: u.Email,
		FirstName: u.FirstName, LastName: u.LastName}
	if u.Kind == actor.Professional { // the organization they act for (actors.md §8)
		c, err := id.Orgs.ContextFor(ctx, v.UserID, s.GetString(ctx, sessionOrganization))
		if err != nil {
			return Viewer{}, err
		}
		v.Organization, v.Organizations = c.Current, c.Switcher()
	}
	return v, nil
}

// StartSession logs u in: a new session token (no fixation), the login time for the absolute
// lifetime and the account's session version; then what has to happen at every login.
func (k *Kit) StartSession(ctx context.Context, u *account.User) error {
	s := k.cfg.Sessions
	if err := s.RenewToken(ctx); err != nil {
		return err
	}
	s.Put(ctx, sessionUserID, u.ID)
	s.Put(ctx, sessionAuthAt, k.Now().Unix())
	s.Put(ctx, sessionVersion, u.SessionVersion)
	k.acceptInvitationsAtLogin(ctx, u)
	return nil
}

// acceptInvitationsAtLogin accepts the pending invitations of a professional who just logged in
// and switches to the last organization joined. A failure is logged and does not stop the login:
// the invitations stay pending for the next one. (The client address is not at hand here: the
// login itself is audited with it.)
func (k *Kit) acceptInvitationsAtLogin(ctx context.Context, u *account.User) {
	if u.Kind != actor.Professional {
		return
	}
	done, err := k.cfg.Identity.Invitations.AcceptPending(ctx, u, "")
	if err != nil {
		k.log.Error("accept invitations at login", "request_id", httpx.RequestID(ctx), "err", err)
	}
	if len(done) == 0 {
		return
	}
	names := make([]string, len(done))
	for i, a := range done {
		names[i] = "« " + a.Organization.Name + " »"
	}
	k.ActFor(ctx, done[len(done)-1].Organization)
	k.cfg.Sessions.Put(ctx, sessionFlash, "Vous avez rejoint "+strings.Join(names, ", ")+" : vos invitations ont été acceptées.")
}

// LoggedInUserID is the user of the session (0 when anonymous), read from the session itself:
// it is already set when an account was just created and logged in by the request.
func (k *Kit) LoggedInUserID(ctx context.Context) int64 {
	return k.cfg.Sessions.GetInt64(ctx, sessionUserID)
}

// sessionSignupNext is where a professional who signed up with a password goes after the
// verification of their e-mail (the invitation or organization page they came from).
const sessionSignupNext = "signup.next"

// RememberSignupNext keeps, for after the e-mail verification, the local page a professional
// signing up with a password came from.
func (k *Kit) RememberSignupNext(ctx context.Context, next string) {
	k.cfg.Sessions.Put(ctx, sessionSignupNext, httpx.LocalTarget(next, "/"))
}

// AfterVerificationPath is where the e-mail verification link sends its owner: professionals
// log in and go on with their signup (the page they were following, else the choice of
// organization); job seekers log in.
func (k *Kit) AfterVerificationPath(ctx context.Context, u *account.User) string {
	if u.Kind != actor.Professional {
		return "/accounts/login"
	}
	next := k.cfg.Sessions.PopString(ctx, sessionSignupNext)
	if next == "" {
		next = "/signup/professional/kind"
	}
	return LoginPath(next)
}

// EndSession forgets everything in the session under a new token, then keeps flash (if any) for
// the next page.
func (k *Kit) EndSession(ctx context.Context, flash string) error {
	s := k.cfg.Sessions
	if err := s.Clear(ctx); err != nil {
		return err
	}
	if err := s.RenewToken(ctx); err != nil {
		return err
	}
	if flash != "" {
		s.Put(ctx, sessionFlash, flash)
	}
	return nil
}

// ActFor makes an organization the one the professional acts for (the switcher, a new antenna,
// an organization just joined).
func (k *Kit) ActFor(ctx context.Context, ref org.Ref) {
	k.cfg.Sessions.Put(ctx, sessionOrganization, org.Affiliation{Ref: ref}.Key())
}

// SetFlash stores a one-time message shown on the next page.
func (k *Kit) SetFlash(r *http.Request, msg string) {
	k.cfg.Sessions.Put(r.Context(), sessionFlash, msg)
}

// PopFlash returns and clears the one-time message. Outside the session middleware (a panic
// page) there is none.
func (k *Kit) PopFlash(r *http.Request) string {
	if _, ok := r.Context().Value(viewerKey{}).(Viewer); !ok {
		return ""
	}
	return k.cfg.Sessions.PopString(r.Context(), sessionFlash)
}
