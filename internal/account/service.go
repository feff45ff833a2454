package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// Audit actions written by this package.
const (
	ActionSignup          = "signup"
	ActionEmailVerified   = "email_verified"
	ActionLogin           = "login"
	ActionLoginFailed     = "login_failed"
	ActionLogout          = "logout"
	ActionPasswordChanged = "password_changed"
	ActionStaffCreated    = "staff_created"
	ActionUserDeactivated = "user_deactivated"
)

// Service is what users and administrators may do with accounts.
type Service struct {
	db          *db.DB
	baseURL     string
	maxAttempts int
	window      time.Duration
	// proPasswordLogin lets professionals log in with a password (EMPLOIS_PRO_PASSWORD_LOGIN, or
	// ProConnect not configured: then it is their only way in).
	proPasswordLogin bool

	// Now is the clock (tests move it to cross token expiries and throttle windows).
	Now func() time.Time
	// Params are the argon2id costs for new hashes.
	Params HashParams

	dummyOnce sync.Once
	dummyHash string
}

// NewService returns the account service: links in e-mails start with cfg.BaseURL, logins are
// throttled by cfg.LoginMaxAttempts within cfg.LoginWindow.
func NewService(d *db.DB, cfg config.Config) *Service {
	return &Service{
		db: d, baseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"),
		maxAttempts: cfg.LoginMaxAttempts, window: cfg.LoginWindow,
		proPasswordLogin: cfg.ProPasswordLogin || !cfg.ProConnectEnabled(),
		Now:              time.Now, Params: DefaultHashParams,
	}
}

// ProfessionalPasswordAllowed reports whether professionals may log in, and so sign up, with a
// password (EMPLOIS_PRO_PASSWORD_LOGIN, or ProConnect not configured: then it is their only way in).
func (s *Service) ProfessionalPasswordAllowed() bool { return s.proPasswordLogin }

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// VerifyLink and ResetLink are the URLs mailed to the user.
func (s *Service) VerifyLink(token string) string { return s.baseURL + "/accounts/verify/" + token }
func (s *Service) ResetLink(token string) string {
	return s.baseURL + "/accounts/password/reset/" + token
}

// ByID returns the user, or ErrNotFound.
func (s *Service) ByID(ctx context.Context, id int64) (*User, error) {
	return userBy(ctx, s.db, "id", id)
}

// ByPublicID returns the user with this public id, or ErrNotFound.
func (s *Service) ByPublicID(ctx context.Context, publicID string) (*User, error) {
	return userBy(ctx, s.db, "public_id", publicID)
}

// ByEmail returns the user with this e-mail (any case), or ErrNotFound.
func (s *Service) ByEmail(ctx context.Context, email string) (*User, error) {
	return userBy(ctx, s.db, "email", NormalizeEmail(email))
}

// SignUpInput is the account part of a job seeker's self-signup (actors.md §10.1); the
// jobseeker domain adds the birth data and the NIR (jobseeker.SignUpInput).
type SignUpInput struct {
	Title           Title
	FirstName       string
	LastName        string
	Email           string
	Password        string
	PasswordConfirm string
}

// ValidateSignUp returns the refused fields of a job seeker signup (a nil error when all is well).
func ValidateSignUp(in SignUpInput) error {
	var errs fault.Fields
	switch in.Title {
	case Monsieur, Madame:
	case "":
		errs.Add("title", msgRequired)
	default:
		errs.Add("title", msgTitleInvalid)
	}
	checkSignUpFields(&errs, in.FirstName, in.LastName, in.Email, in.Password, in.PasswordConfirm, func(email string) string {
		if IsFranceTravailEmail(email) {
			return msgEmailFranceTravail
		}
		return ""
	})
	return errs.Err()
}

// checkSignUpFields adds the refusals of the fields every password signup has: first_name,
// last_name, email (emailRule, when not nil, checks a well-formed address further), password1
// and password2.
func checkSignUpFields(errs *fault.Fields, firstName, lastName, email, password, confirm string, emailRule func(string) string) {
	if p := nameProblem(strings.TrimSpace(firstName), true); p != "" {
		errs.Add("first_name", p)
	}
	if p := nameProblem(strings.TrimSpace(lastName), true); p != "" {
		errs.Add("last_name", p)
	}
	email = NormalizeEmail(email)
	if p := EmailProblem(email); p != "" {
		errs.Add("email", p)
	} else if emailRule != nil {
		if p := emailRule(email); p != "" {
			errs.Add("email", p)
		}
	}
	checkNewPassword(errs, "password1", "password2", password, confirm,
		PasswordOwner{Email: email, FirstName: firstName, LastName: lastName})
}

// SignUpJobSeekerWith creates a job seeker password account and mails the verification link,
// in one transaction: no account without its mail, no mail without its account. The account
// cannot log in until the e-mail is verified (actors.md §10.1). also, when not nil, is what
// the jobseeker domain writes of the new account (its profile, jobseeker.Service.SignUp) in
// the same transaction: no account without its profile. also's refusals (a NIR taken) roll the
// signup back and are returned as they are.
func (s *Service) SignUpJobSeekerWith(ctx context.Context, in SignUpInput, clientIP string, also func(ctx context.Context, tx bun.Tx, u *User) error) (*User, error) {
	if err := ValidateSignUp(in); err != nil {
		return nil, err
	}
	return s.signUp(ctx, &User{Email: NormalizeEmail(in.Email), Kind: JobSeeker, Title: in.Title,
		FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName)}, in.Password, clientIP, also)
}

// signUp stores u, a validated password account not verified yet, and mails the verification
// link, in one transaction: no account without its mail, no mail without its account.
func (s *Service) signUp(ctx context.Context, u *User, password, clientIP string, also func(ctx context.Context, tx bun.Tx, u *User) error) (*User, error) {
	now := s.now()
	if err := s.checkSignupThrottle(ctx, u.Email, clientIP, now); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return nil, err
	}
	u.PublicID, u.IdentityProvider, u.PasswordHash = uuid.NewString(), Django, hash
	u.IsActive, u.DateJoined, u.PasswordChangedAt = true, now, &now
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertUser(ctx, tx, u, msgEmailTaken); err != nil {
			return err
		}
		if also != nil {
			if err := also(ctx, tx, u); err != nil {
				return err
			}
		}
		if err := s.mailVerification(ctx, tx, u, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(clientIP), ActionSignup, u.AuditObject(), map[string]any{"kind": string(u.Kind)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Service) mailVerification(ctx context.Context, tx bun.IDB, u *User, now time.Time) error {
	token, err := insertToken(ctx, tx, u.ID, purposeVerifyEmail, now, VerificationTokenTTL)
	if err != nil {
		return err
	}
	m, err := verificationMail.message(u.Email, mailData{Name: u.DisplayName(), Link: s.VerifyLink(token)})
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, m)
}

// VerifyEmail marks the e-mail of the token's owner as verified. Opening the link again once the
// address is verified succeeds too (mail scanners open links before people do).
func (s *Service) VerifyEmail(ctx context.Context, token, clientIP string) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := findToken(ctx, tx, purposeVerifyEmail, token)
		if err != nil {
			return err
		}
		if u, err = userBy(ctx, tx, "id", t.UserID); err != nil {
			return err
		}
		now := s.now()
		if t.UsedAt != nil || !now.Before(t.ExpiresAt) {
			if u.EmailVerified() && t.UsedAt != nil {
				return nil
			}
			return ErrInvalidToken
		}
		if err := useTokens(ctx, tx, u.ID, purposeVerifyEmail, now); err != nil {
			return err
		}
		if u.EmailVerified() {
			return nil
		}
		u.EmailVerifiedAt = &now
		if err := updateUser(ctx, tx, u, "email_verified_at"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(clientIP), ActionEmailVerified, u.AuditObject(), nil)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ResendVerification mails a new verification link when the address belongs to an active,
// unverified password account. The answer is the same whatever the address.
func (s *Service) ResendVerification(ctx context.Context, email, clientIP string) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		u, err := userBy(ctx, tx, "email", NormalizeEmail(email))
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if !u.IsActive || u.EmailVerified() || u.IdentityProvider != Django {
			return nil
		}
		now := s.now()
		if recent, err := recentTokenExists(ctx, tx, u.ID, purposeVerifyEmail, now.Add(-ResendCooldown)); err != nil || recent {
			return err
		}
		return s.mailVerification(ctx, tx, u, now)
	})
}

// Authenticate checks an e-mail and password typed at login. It refuses with *ThrottledError when
// the account or the client address failed too often within the window, ErrInvalidCredentials on
// an unknown e-mail or a wrong password (the same answer, in about the same time),
// *ProviderError for accounts bound to an identity provider, then, only once the password is
// right, *InactiveError, ErrEmailNotVerified or, for professionals when they must use ProConnect,
// ErrProConnectRequired. Every attempt is audited.
func (s *Service) Authenticate(ctx context.Context, email, password, clientIP string) (*User, error) {
	email = NormalizeEmail(email)
	key := accountKey(email)
	now := s.now()
	if err := s.checkThrottle(ctx, key, clientIP, now); err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			if aerr := audit.Record(ctx, s.db, actor.Actor{ClientIP: clientIP}, ActionLoginFailed, audit.Object{Type: "user"}, map[string]any{"reason": "throttled"}); aerr != nil {
				return nil, aerr
			}
		}
		return nil, err
	}
	u, err := userBy(ctx, s.db, "email", email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if u == nil {
		s.burnHashTime(password)
		return nil, s.fail(ctx, nil, key, clientIP, now, "unknown_email", ErrInvalidCredentials)
	}
	if u.IdentityProvider != Django {
		return nil, s.fail(ctx, u, key, clientIP, now, "identity_provider", &ProviderError{Provider: u.IdentityProvider})
	}
	if !u.HasUsablePassword() {
		s.burnHashTime(password)
		return nil, s.fail(ctx, u, key, clientIP, now, "no_password", ErrInvalidCredentials)
	}
	ok, err := VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("account: verify password of user %d: %w", u.ID, err)
	}
	if !ok {
		return nil, s.fail(ctx, u, key, clientIP, now, "wrong_password", ErrInvalidCredentials)
	}
	if !u.IsActive {
		return nil, s.refuse(ctx, u, clientIP, "inactive", &InactiveError{PublicID: u.PublicID})
	}
	if !u.EmailVerified() {
		return nil, s.refuse(ctx, u, clientIP, "email_not_verified", ErrEmailNotVerified)
	}
	if u.Kind == Professional && !s.ProfessionalPasswordAllowed() {
		return nil, s.refuse(ctx, u, clientIP, "proconnect_required", ErrProConnectRequired)
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		columns := []string{"last_login"}
		u.LastLogin = &now
		if u.FirstLogin == nil {
			u.FirstLogin = &now
			columns = append(columns, "first_login")
		}
		if needsRehash(u.PasswordHash, s.Params) {
			if hash, err := HashPassword(password, s.Params); err == nil {
				u.PasswordHash = hash
				columns = append(columns, "password_hash")
			}
		}
		if err := updateUser(ctx, tx, u, columns...); err != nil {
			return err
		}
		if err := clearFailures(ctx, tx, key); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(clientIP), ActionLogin, u.AuditObject(), map[string]any{"method": "password"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// fail records a failed login (for the throttle and the audit trail) and returns refusal.
func (s *Service) fail(ctx context.Context, u *User, key, clientIP string, now time.Time, reason string, refusal error) error {
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := recordFailure(ctx, tx, key, clientIP, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(clientIP), ActionLoginFailed, u.AuditObject(), map[string]any{"reason": reason})
	})
	if err != nil {
		return err
	}
	return refusal
}

// refuse audits a login refused after a right password (it does not count for the throttle).
func (s *Service) refuse(ctx context.Context, u *User, clientIP, reason string, refusal error) error {
	if err := audit.Record(ctx, s.db, u.Actor(clientIP), ActionLoginFailed, u.AuditObject(), map[string]any{"reason": reason}); err != nil {
		return err
	}
	return refusal
}

// checkThrottle refuses a login as LoginThrottle says, from the failures of the account key and
// of the client address within the window. Without a client address (command line), the
// account limit applies to every attempt.
func (s *Service) checkThrottle(ctx context.Context, key, clientIP string, now time.Time) error {
	since := now.Add(-s.window)
	account, err := recentFailures(ctx, s.db, "account_key", key, since, s.maxAttempts)
	if err != nil {
		return err
	}
	client := []time.Time{now}
	if clientIP != "" {
		if client, err = recentFailures(ctx, s.db, "client_ip", clientIP, since, IPThrottleFactor*s.maxAttempts); err != nil {
			return err
		}
	}
	return throttled(LoginThrottle(account, client, s.maxAttempts, s.window), now, false)
}

// checkSignupThrottle refuses a signup as SignupThrottle says, then counts this one. Signup
// attempts are rows of login_attempt whose keys say "signup", so the two throttles count apart.
func (s *Service) checkSignupThrottle(ctx context.Context, email, clientIP string, now time.Time) error {
	since := now.Add(-s.window)
	key, client := signupKey(email), "signup:"+clientIP
	byEmail, err := recentFailures(ctx, s.db, "account_key", key, since, s.maxAttempts)
	if err != nil {
		return err
	}
	byClient, err := recentFailures(ctx, s.db, "client_ip", client, since, IPThrottleFactor*s.maxAttempts)
	if err != nil {
		return err
	}
	if err := throttled(SignupThrottle(byEmail, byClient, s.maxAttempts, s.window), now, true); err != nil {
		return err
	}
	return recordFailure(ctx, s.db, key, client, now)
}

// CountSignupAttempt refuses a signup step that tells whether an e-mail has an account (the
// identity step of a job seeker's self-signup) as the signup throttle says, then counts it.
func (s *Service) CountSignupAttempt(ctx context.Context, email, clientIP string) error {
	return s.checkSignupThrottle(ctx, NormalizeEmail(email), clientIP, s.now())
}

// throttled is the refusal of an attempt that may be made only at until (zero: now).
func throttled(until, now time.Time, signup bool) error {
	if !until.After(now) {
		return nil
	}
	return &ThrottledError{RetryAfter: until.Sub(now), Signup: signup}
}

// burnHashTime spends the time of a password check, so that an unknown e-mail is not told apart
// from a wrong password by the response time.
func (s *Service) burnHashTime(password string) {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = HashPassword("not the password of anyone", s.Params)
	})
	VerifyPassword(password, s.dummyHash)
}

// RecordLogout audits a logout.
func (s *Service) RecordLogout(ctx context.Context, a actor.Actor) error {
	u, err := s.ByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	return audit.Record(ctx, s.db, a, ActionLogout, u.AuditObject(), nil)
}

// RequestPasswordReset mails a reset link when the address belongs to an active account that logs
// in with a password (or has yet to choose one). It answers the same, with no error, whether the
// address exists or not (actors.md §11).
func (s *Service) RequestPasswordReset(ctx context.Context, email, clientIP string) error {
	email = NormalizeEmail(email)
	if EmailProblem(email) != "" {
		return fault.InvalidField("email", msgEmailInvalid)
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		u, err := userBy(ctx, tx, "email", email)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if !u.IsActive || u.IdentityProvider != Django {
			return nil
		}
		now := s.now()
		if recent, err := recentTokenExists(ctx, tx, u.ID, purposePasswordReset, now.Add(-ResendCooldown)); err != nil || recent {
			return err
		}
		token, err := insertToken(ctx, tx, u.ID, purposePasswordReset, now, ResetTokenTTL)
		if err != nil {
			return err
		}
		m, err := resetMail.message(u.Email, mailData{Name: u.DisplayName(), Link: s.ResetLink(token)})
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, m)
	})
}

// CheckResetToken returns ErrInvalidToken unless token is an unused, unexpired reset token.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	t, err := findToken(ctx, s.db, purposePasswordReset, token)
	if err != nil {
		return err
	}
	if t.UsedAt != nil || !s.now().Before(t.ExpiresAt) {
		return ErrInvalidToken
	}
	return nil
}

// ResetPassword sets a new password through a reset link. The link works once, and every other
// reset link of the account stops working. Receiving the link proves the e-mail, so an unverified
// address becomes verified. Sessions opened before are logged out.
func (s *Service) ResetPassword(ctx context.Context, token, password, confirm, clientIP string) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := findToken(ctx, tx, purposePasswordReset, token)
		if err != nil {
			return err
		}
		now := s.now()
		if t.UsedAt != nil || !now.Before(t.ExpiresAt) {
			return ErrInvalidToken
		}
		if u, err = userBy(ctx, tx, "id", t.UserID); err != nil {
			return err
		}
		if !u.IsActive {
			return ErrInvalidToken
		}
		var errs fault.Fields
		checkNewPassword(&errs, "password1", "password2", password, confirm, ownerOf(u))
		if err := errs.Err(); err != nil {
			return err
		}
		if err := useTokens(ctx, tx, u.ID, purposePasswordReset, now); err != nil {
			return err
		}
		columns := []string{"password_hash", "password_changed_at", "session_version"}
		if !u.EmailVerified() {
			u.EmailVerifiedAt = &now
			columns = append(columns, "email_verified_at")
		}
		if err := s.setPassword(ctx, tx, u, password, now, columns...); err != nil {
			return err
		}
		if err := clearFailures(ctx, tx, accountKey(u.Email)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(clientIP), ActionPasswordChanged, u.AuditObject(), map[string]any{"via": "reset_link"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// setPassword hashes password into u, bumps its session version and writes the columns.
func (s *Service) setPassword(ctx context.Context, tx bun.IDB, u *User, password string, now time.Time, columns ...string) error {
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	u.PasswordChangedAt = &now
	u.SessionVersion++
	return updateUser(ctx, tx, u, columns...)
}

func ownerOf(u *User) PasswordOwner {
	return PasswordOwner{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName}
}

// ChangePassword sets a new password for a logged-in user who typed the current one. It returns
// the user with its new session version: the caller keeps its own session, others end.
func (s *Service) ChangePassword(ctx context.Context, a actor.Actor, current, password, confirm string) (*User, error) {
	u, err := s.ByID(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	if u.IdentityProvider != Django {
		return nil, &ProviderError{Provider: u.IdentityProvider}
	}
	var errs fault.Fields
	if current == "" {
		errs.Add("old_password", msgRequired)
	} else if ok, err := VerifyPassword(current, u.PasswordHash); err != nil && u.HasUsablePassword() {
		return nil, fmt.Errorf("account: verify password of user %d: %w", u.ID, err)
	} else if !ok {
		errs.Add("old_password", msgCurrentPassword)
	}
	checkNewPassword(&errs, "password1", "password2", password, confirm, ownerOf(u))
	if err := errs.Err(); err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.setPassword(ctx, tx, u, password, s.now(), "password_hash", "password_changed_at", "session_version"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionPasswordChanged, u.AuditObject(), map[string]any{"via": "password_change"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// StaffInput creates a staff account from the command line.
type StaffInput = VerifiedAccountInput

// VerifiedAccountInput is a password account whose e-mail the caller vouches for.
type VerifiedAccountInput struct {
	Email     string
	FirstName string
	LastName  string
	Password  string
}

// CreateStaff creates an itou_staff account with a verified e-mail (the operator typed it).
func (s *Service) CreateStaff(ctx context.Context, in StaffInput) (*User, error) {
	return s.createVerified(ctx, Staff, in, ActionStaffCreated, "", map[string]any{"via": "cli"})
}

// createVerified creates an active password account of the given kind with a verified e-mail,
// after the same checks as a signup (e-mail, names, password rules), and audits it.
func (s *Service) createVerified(ctx context.Context, kind Kind, in VerifiedAccountInput, action, clientIP string, details map[string]any) (*User, error) {
	var errs fault.Fields
	email := NormalizeEmail(in.Email)
	if p := EmailProblem(email); p != "" {
		errs.Add("email", p)
	}
	if p := nameProblem(strings.TrimSpace(in.FirstName), true); p != "" {
		errs.Add("first_name", p)
	}
	if p := nameProblem(strings.TrimSpace(in.LastName), true); p != "" {
		errs.Add("last_name", p)
	}
	checkNewPassword(&errs, "password", "", in.Password, "", PasswordOwner{Email: email, FirstName: in.FirstName, LastName: in.LastName})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password, s.Params)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{
		PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: Django,
		PasswordHash: hash, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		IsActive: true, EmailVerifiedAt: &now, DateJoined: now, PasswordChangedAt: &now,
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertUser(ctx, tx, u, msgEmailExists); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(clientIP), action, u.AuditObject(), details)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword sets the password of the account with this e-mail from the command line. The
// password rules apply; sessions opened before are logged out.
func (s *Service) SetPassword(ctx context.Context, email, password string) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = userBy(ctx, tx, "email", NormalizeEmail(email)); err != nil {
			return err
		}
		if u.IdentityProvider != Django {
			return &ProviderError{Provider: u.IdentityProvider}
		}
		var errs fault.Fields
		checkNewPassword(&errs, "password", "", password, "", ownerOf(u))
		if err := errs.Err(); err != nil {
			return err
		}
		if err := s.setPassword(ctx, tx, u, password, s.now(), "password_hash", "password_changed_at", "session_version"); err != nil {
			return err
		}
		if err := clearFailures(ctx, tx, accountKey(u.Email)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(""), ActionPasswordChanged, u.AuditObject(), map[string]any{"via": "cli"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Deactivate turns the account off: it can no longer log in and its open sessions end.
func (s *Service) Deactivate(ctx context.Context, email string) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = userBy(ctx, tx, "email", NormalizeEmail(email)); err != nil {
			return err
		}
		if !u.IsActive {
			return nil
		}
		u.IsActive = false
		u.SessionVersion++
		if err := updateUser(ctx, tx, u, "is_active", "session_version"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(""), ActionUserDeactivated, u.AuditObject(), map[string]any{"via": "cli"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// PurgeExpired deletes login failures older than the throttle window and links expired for a
// week (the worker runs it periodically).
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	res, err := s.db.NewDelete().Model((*loginAttempt)(nil)).Where("attempted_at <= ?", now.Add(-s.window)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("account: purge login failures: %w", err)
	}
	n, _ := res.RowsAffected()
	total += n
	res, err = s.db.NewDelete().Model((*userToken)(nil)).Where("expires_at <= ?", now.Add(-7*24*time.Hour)).Exec(ctx)
	if err != nil {
		return total, fmt.Errorf("account: purge tokens: %w", err)
	}
	n, _ = res.RowsAffected()
	return total + n, nil
}
