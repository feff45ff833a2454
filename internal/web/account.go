package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/httpx"
)

// Session keys of the logged-in user. The session lives server-side (http_session); these are the
// only account facts it holds, the user row is read again on every request.
const (
	sessionUserID  = "account.user_id"
	sessionAuthAt  = "account.auth_at" // Unix time of the login, for the absolute lifetime
	sessionVersion = "account.session_version"
)

// accountRoutes: signup, login, logout, e-mail verification, password reset and change, dashboard.
func (s *Server) accountRoutes() {
	s.handle("GET /signup/{$}", Public, s.signupChoice)
	s.handle("GET /signup/job_seeker", Public, s.signupJobSeekerPage)
	s.handle("POST /signup/job_seeker", Public, s.signupJobSeeker)
	s.handle("GET /signup/job_seeker/sent", Public, s.signupSent)
	s.handle("GET /accounts/verify/{token}", Public, s.verifyEmail)
	s.handle("POST /accounts/verify/resend", Public, s.resendVerification)
	s.handle("GET /accounts/login", Public, s.loginPage)
	s.handle("POST /accounts/login", Public, s.login)
	s.handle("POST /accounts/logout", Public, s.logout)
	s.handle("GET /accounts/password/reset", Public, s.passwordResetPage)
	s.handle("POST /accounts/password/reset", Public, s.passwordReset)
	s.handle("GET /accounts/password/reset/{token}", Public, s.passwordResetConfirmPage)
	s.handle("POST /accounts/password/reset/{token}", Public, s.passwordResetConfirm)
	s.handle("GET /accounts/password/change", LoggedIn, s.passwordChangePage)
	s.handle("POST /accounts/password/change", LoggedIn, s.passwordChange)
	s.handle("GET /dashboard", LoggedIn, s.dashboard)
}

// now is the clock of the account rules (tests move it).
func (s *Server) now() time.Time { return s.accounts.Now() }

// withViewer resolves the logged-in user from the session for every request. A session past its
// absolute lifetime, of a deactivated or deleted account, or opened before a password change
// (the session version moved) is ended: the visitor continues anonymously, with a message.
func (s *Server) withViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") { // assets need no viewer: spare the query
			next.ServeHTTP(w, r.WithContext(withViewer(r.Context(), Viewer{})))
			return
		}
		v, err := s.viewerOf(r.Context())
		r = r.WithContext(withViewer(r.Context(), v))
		if v.Authenticated() {
			w = httpx.NoStore(w) // a logged-in user's pages are never cached
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) viewerOf(ctx context.Context) (Viewer, error) {
	id := s.sessions.GetInt64(ctx, sessionUserID)
	if id == 0 {
		return Viewer{}, nil
	}
	authAt := time.Unix(s.sessions.GetInt64(ctx, sessionAuthAt), 0)
	if !s.now().Before(authAt.Add(s.cfg.SessionLifetime)) {
		return Viewer{}, s.endSession(ctx, "Votre session a expiré : connectez-vous à nouveau.")
	}
	u, err := s.accounts.ByID(ctx, id)
	if errors.Is(err, account.ErrNotFound) {
		return Viewer{}, s.endSession(ctx, "")
	}
	if err != nil {
		return Viewer{}, err
	}
	if !u.IsActive || u.SessionVersion != s.sessions.GetInt(ctx, sessionVersion) {
		return Viewer{}, s.endSession(ctx, "Votre session a pris fin : connectez-vous à nouveau.")
	}
	v := Viewer{UserID: u.ID, PublicID: u.PublicID, Kind: u.Kind, Email: u.Email,
		FirstName: u.FirstName, LastName: u.LastName}
	if u.Kind == account.Professional { // the organization they act for (org_context.go)
		if err := s.resolveOrganization(ctx, &v); err != nil {
			return Viewer{}, err
		}
	}
	return v, nil
}

// startSession logs u in: a new session token (no fixation), the login time for the absolute
// lifetime and the account's session version.
func (s *Server) startSession(ctx context.Context, u *account.User) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionAuthAt, s.now().Unix())
	s.sessions.Put(ctx, sessionVersion, u.SessionVersion)
	return s.acceptInvitationsAtLogin(ctx, u) // pending invitations join at every login (invitation.go)
}

// endSession forgets everything in the session under a new token, then keeps flash (if any) for
// the next page.
func (s *Server) endSession(ctx context.Context, flash string) error {
	if err := s.sessions.Clear(ctx); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	if flash != "" {
		s.sessions.Put(ctx, "flash", flash)
	}
	return nil
}
