package account

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
)

// ssoLogin is one login with an identity provider, and what differs between the providers
// (LoginWithProConnect, LoginWithFranceConnect): loginWithSSO does the rest the same way.
type ssoLogin struct {
	provider IdentityProvider
	method   string // the audit trail's "method"
	subject  string
	email    string
	acr      string
	amr      []string
	// invalid refuses claims without a subject or a usable e-mail.
	invalid error
	// create is the account to create when none has this subject or e-mail.
	create func(now time.Time) *User
	// link decides about the account found by e-mail: a refusal (its audit reason and the
	// error), or the columns changed to bind it to this subject.
	link func(u *User, details map[string]any) (columns []string, reason string, refusal error)
	// apply sets the provider's fields at every login and returns the columns changed.
	apply func(u *User, now time.Time) []string
	// also, when not nil, writes what another domain keeps of the account, in the same
	// transaction (created: the account is new).
	also func(ctx context.Context, tx bun.Tx, u *User, created bool) error
}

// loginWithSSO finds the account bound to the provider's subject (its e-mail follows the
// provider's unless another account owns it: then a Warning), else the account with the e-mail
// (l.link binds or refuses it), else creates one (l.create); a deactivated account is refused
// with *InactiveError. It records the login, and nothing else on a refusal.
func (s *Service) loginWithSSO(ctx context.Context, l ssoLogin, clientIP string) (*SSOLogin, error) {
	sub, email := strings.TrimSpace(l.subject), NormalizeEmail(l.email)
	if sub == "" || utf8.RuneCountInString(sub) > 255 || EmailProblem(email) != "" {
		if err := audit.Record(ctx, s.db, actor.Actor{ClientIP: clientIP}, ActionLoginFailed, audit.Object{Type: "user"}, map[string]any{"method": l.method, "reason": "invalid_claims"}); err != nil {
			return nil, err
		}
		return nil, l.invalid
	}
	l.subject, l.email = sub, email
	now := s.now()
	out := &SSOLogin{}
	var refusal error
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		details := map[string]any{"method": l.method, "provider": string(l.provider)}
		if l.acr != "" {
			details["acr"] = l.acr
		}
		if len(l.amr) > 0 {
			details["amr"] = l.amr
		}
		refuse := func(u *User, reason string, err error) error {
			refusal = err
			return audit.Record(ctx, tx, u.Actor(clientIP), ActionLoginFailed, u.AuditObject(), map[string]any{"method": l.method, "reason": reason})
		}
		var columns []string
		u, err := userBySSO(ctx, tx, l.provider, sub)
		switch {
		case err == nil:
			if !u.IsActive {
				return refuse(u, "inactive", &InactiveError{PublicID: u.PublicID})
			}
			if u.Email != email {
				switch other, err := userBy(ctx, tx, "email", email); {
				case err == nil && other.ID != u.ID:
					out.Warning = emailConflictWarning(l.provider, u.Email, email)
					details["email_conflict"] = true
				case errors.Is(err, ErrNotFound):
					u.Email = email
					columns = append(columns, "email")
					details["email_changed"] = true
				case err != nil:
					return err
				}
			}
		case errors.Is(err, ErrNotFound):
			u, err = userBy(ctx, tx, "email", email)
			if errors.Is(err, ErrNotFound) {
				return s.createSSOAccount(ctx, tx, l, now, clientIP, details, out)
			}
			if err != nil {
				return err
			}
			changed, reason, err := l.link(u, details)
			if err != nil {
				return refuse(u, reason, err)
			}
			if !u.IsActive {
				return refuse(u, "inactive", &InactiveError{PublicID: u.PublicID})
			}
			u.Username = sub
			columns = append(append(columns, changed...), "username")
		default:
			return err
		}
		columns = append(columns, l.apply(u, now)...)
		if u.EmailVerifiedAt == nil { // the provider vouches for the address
			u.EmailVerifiedAt = &now
			columns = append(columns, "email_verified_at")
		}
		u.LastLogin = &now
		columns = append(columns, "last_login")
		if u.FirstLogin == nil {
			u.FirstLogin = &now
			columns = append(columns, "first_login")
		}
		if err := updateUser(ctx, tx, u, columns...); err != nil {
			return err
		}
		if l.also != nil {
			if err := l.also(ctx, tx, u, false); err != nil {
				return err
			}
		}
		out.User = u
		return audit.Record(ctx, tx, u.Actor(clientIP), ActionLogin, u.AuditObject(), details)
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	return out, nil
}

// createSSOAccount creates the account of a first login with a provider, its e-mail verified
// by it, and records the signup and the login.
func (s *Service) createSSOAccount(ctx context.Context, tx bun.Tx, l ssoLogin, now time.Time, clientIP string, details map[string]any, out *SSOLogin) error {
	u := l.create(now)
	u.Email, u.IdentityProvider, u.Username, u.IsActive = l.email, l.provider, l.subject, true
	u.EmailVerifiedAt, u.DateJoined, u.FirstLogin, u.LastLogin = &now, now, &now, &now
	out.User, out.Created = u, true
	if err := insertUser(ctx, tx, u, msgEmailExists); err != nil {
		return err
	}
	if l.also != nil {
		if err := l.also(ctx, tx, u, true); err != nil {
			return err
		}
	}
	if err := audit.Record(ctx, tx, u.Actor(clientIP), ActionSignup, u.AuditObject(), map[string]any{"kind": string(u.Kind), "provider": string(l.provider)}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, u.Actor(clientIP), ActionLogin, u.AuditObject(), details)
}
