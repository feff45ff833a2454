package account

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// FranceConnectIdentity is who FranceConnect says logged in: claims already verified by the
// OpenID client (signature, issuer, audience, nonce). The birth data go to the job seeker's
// profile (package jobseeker).
type FranceConnectIdentity struct {
	Subject   string // `sub`: FranceConnect's identifier of the person
	Email     string
	FirstName string // `given_name`
	LastName  string // `family_name`
	Title     Title  // from `gender`: male ⇒ M, female ⇒ MME
	// ACR and AMR say how the person authenticated; they go to the audit trail.
	ACR string
	AMR []string
}

// TitleOfGender is the civilité of FranceConnect's `gender` claim, "" when unknown.
func TitleOfGender(gender string) Title {
	switch strings.ToLower(strings.TrimSpace(gender)) {
	case "male":
		return Monsieur
	case "female":
		return Madame
	}
	return ""
}

// FranceConnectFields are the account fields FranceConnect sets (and so locks, actors.md §11).
var FranceConnectFields = []string{"email", "title", "first_name", "last_name"}

// ErrFranceConnectIdentity refuses claims without a subject or a usable e-mail.
var ErrFranceConnectIdentity = fault.Invalid("FranceConnect n'a pas transmis d'identifiant ou d'adresse e-mail valide : la connexion n'est pas possible. Contactez le support si le problème persiste.")

// ProviderConflictError refuses a FranceConnect login whose e-mail is that of a job seeker
// bound to another identity: another FranceConnect identity or France Travail Connect
// (actors.md §11 « conflict page »).
type ProviderConflictError struct {
	Provider IdentityProvider // the provider the existing account uses
}

func (e *ProviderConflictError) Error() string {
	if e.Provider == FranceConnect {
		return "Cette adresse e-mail est déjà celle d'un compte candidat relié à une autre identité FranceConnect. Si ce compte est le vôtre, contactez le support pour le relier à votre identité actuelle."
	}
	return "Cette adresse e-mail est déjà celle d'un compte candidat qui se connecte avec " + e.Provider.Label() +
		" : connectez-vous avec " + e.Provider.Label() + ". Besoin d'aide ? Contactez le support."
}

// LoginWithFranceConnect finds, links or creates the job seeker account of a verified
// FranceConnect identity and records the login (actors.md §10.1, §11):
//   - the account bound to FranceConnect with this sub is the one; its e-mail follows
//     FranceConnect's unless another account owns the new address (then a Warning);
//   - else the account with this e-mail: a job seeker's password account is linked to
//     FranceConnect (its password stops working); a job seeker bound to another identity is
//     refused with *ProviderConflictError, a professional or staff account with
//     *KindConflictError;
//   - else a new job seeker account is created, its e-mail verified by FranceConnect.
//
// Names and civilité follow FranceConnect at every login and are recorded as its fields. also,
// when not nil, writes what the jobseeker domain keeps (the profile) in the same transaction.
// A deactivated account is refused with *InactiveError. Nothing is written on a refusal but
// the audit.
func (s *Service) LoginWithFranceConnect(ctx context.Context, id FranceConnectIdentity, clientIP string,
	also func(ctx context.Context, tx bun.Tx, u *User, created bool) error) (*SSOLogin, error) {
	sub := strings.TrimSpace(id.Subject)
	email := NormalizeEmail(id.Email)
	const method = "franceconnect"
	if sub == "" || utf8.RuneCountInString(sub) > 255 || EmailProblem(email) != "" {
		if err := audit.Record(ctx, s.db, actor.Actor{ClientIP: clientIP}, ActionLoginFailed, audit.Object{Type: "user"}, map[string]any{"method": method, "reason": "invalid_claims"}); err != nil {
			return nil, err
		}
		return nil, ErrFranceConnectIdentity
	}
	now := s.now()
	out := &SSOLogin{}
	var refusal error
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		details := map[string]any{"method": method, "provider": string(FranceConnect)}
		if id.ACR != "" {
			details["acr"] = id.ACR
		}
		if len(id.AMR) > 0 {
			details["amr"] = id.AMR
		}
		refuse := func(u *User, reason string, err error) error {
			refusal = err
			return audit.Record(ctx, tx, u.Actor(clientIP), ActionLoginFailed, u.AuditObject(), map[string]any{"method": method, "reason": reason})
		}
		u, err := userBySSO(ctx, tx, FranceConnect, sub)
		var columns []string
		switch {
		case err == nil:
			if !u.IsActive {
				return refuse(u, "inactive", &InactiveError{PublicID: u.PublicID})
			}
			if u.Email != email {
				switch other, err := userBy(ctx, tx, "email", email); {
				case err == nil && other.ID != u.ID:
					out.Warning = emailConflictWarning(FranceConnect, u.Email, email)
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
				u = &User{PublicID: uuid.NewString(), Email: email, Kind: JobSeeker, IdentityProvider: FranceConnect,
					Username: sub, IsActive: true, EmailVerifiedAt: &now, DateJoined: now, FirstLogin: &now, LastLogin: &now}
				applyFranceConnectNames(u, id, now)
				out.User, out.Created = u, true
				if err := insertUser(ctx, tx, u, msgEmailExists); err != nil {
					return err
				}
				if also != nil {
					if err := also(ctx, tx, u, true); err != nil {
						return err
					}
				}
				if err := audit.Record(ctx, tx, u.Actor(clientIP), ActionSignup, u.AuditObject(), map[string]any{"kind": string(JobSeeker), "provider": string(FranceConnect)}); err != nil {
					return err
				}
				return audit.Record(ctx, tx, u.Actor(clientIP), ActionLogin, u.AuditObject(), details)
			}
			if err != nil {
				return err
			}
			switch {
			case u.Kind != JobSeeker:
				return refuse(u, "kind_conflict", &KindConflictError{Kind: u.Kind, Provider: FranceConnect})
			case u.IdentityProvider != Django:
				return refuse(u, "provider_conflict", &ProviderConflictError{Provider: u.IdentityProvider})
			case !u.IsActive:
				return refuse(u, "inactive", &InactiveError{PublicID: u.PublicID})
			}
			// A job seeker's password account is linked to FranceConnect: password logins of SSO
			// accounts are refused, so the password goes.
			details["migrated_from"] = string(u.IdentityProvider)
			u.IdentityProvider, u.PasswordHash, u.Username = FranceConnect, "", sub
			columns = append(columns, "identity_provider", "password_hash", "username")
		default:
			return err
		}
		applyFranceConnectNames(u, id, now)
		columns = append(columns, "title", "first_name", "last_name", "external_data_source_history")
		if u.EmailVerifiedAt == nil {
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
		if also != nil {
			if err := also(ctx, tx, u, false); err != nil {
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

// applyFranceConnectNames sets the names and civilité FranceConnect sent (a missing claim keeps
// the stored value) and records the fields it set.
func applyFranceConnectNames(u *User, id FranceConnectIdentity, now time.Time) {
	set := []string{"email"}
	if v := clipName(id.FirstName); v != "" {
		u.FirstName = v
		set = append(set, "first_name")
	}
	if v := clipName(id.LastName); v != "" {
		u.LastName = v
		set = append(set, "last_name")
	}
	if id.Title != "" {
		u.Title = id.Title
		set = append(set, "title")
	}
	u.RecordFieldSources(FranceConnect, now, set...)
}
