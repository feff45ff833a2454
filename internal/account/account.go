// Package account holds the user accounts (actors.md §2): the three stored kinds, password
// hashing and rules, e-mail verification, login with throttling, password reset and the
// command-line administration of staff accounts. The web and API layers call Service; they never
// touch the users table.
package account

import (
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// Kind is the stored user kind (package actor); the names are kept here because accounts are
// where kinds are stored and chosen.
type Kind = actor.Kind

const (
	JobSeeker    = actor.JobSeeker
	Professional = actor.Professional
	Staff        = actor.Staff
)

// IdentityProvider says how the account logs in (actors.md §2.1).
type IdentityProvider string

const (
	Django               IdentityProvider = "DJANGO" // e-mail and password
	FranceConnect        IdentityProvider = "FC"
	ProConnect           IdentityProvider = "PC"
	FranceTravailConnect IdentityProvider = "FTC"
)

// Label is the French name of the provider, as named in messages to the user.
func (p IdentityProvider) Label() string {
	switch p {
	case Django:
		return "e-mail et mot de passe"
	case FranceConnect:
		return "FranceConnect"
	case ProConnect:
		return "ProConnect"
	case FranceTravailConnect:
		return "France Travail Connect"
	}
	return string(p)
}

// AllowsKind reports whether an account of kind k may use provider p: FranceConnect and France
// Travail Connect are for job seekers, ProConnect for professionals, e-mail and password for all
// (actors.md §2.1; the database enforces it too).
func (p IdentityProvider) AllowsKind(k Kind) bool {
	switch p {
	case Django:
		return true
	case FranceConnect, FranceTravailConnect:
		return k == JobSeeker
	case ProConnect:
		return k == Professional
	}
	return false
}

// Title is the civilité.
type Title string

const (
	Monsieur Title = "M"
	Madame   Title = "MME"
)

// Label is "Monsieur" or "Madame".
func (t Title) Label() string {
	switch t {
	case Monsieur:
		return "Monsieur"
	case Madame:
		return "Madame"
	}
	return ""
}

// User is a stored account. The e-mail is kept normalized (trimmed, lowercase); it is empty only
// for anonymised professionals.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID                int64            `bun:"id,pk,autoincrement"`
	PublicID          string           `bun:"public_id,notnull"`
	Email             string           `bun:"email,nullzero"`
	Kind              Kind             `bun:"kind,notnull"`
	IdentityProvider  IdentityProvider `bun:"identity_provider,notnull"`
	PasswordHash      string           `bun:"password_hash,notnull" json:"-"`
	Title             Title            `bun:"title,notnull"`
	FirstName         string           `bun:"first_name,notnull"`
	LastName          string           `bun:"last_name,notnull"`
	Phone             string           `bun:"phone,notnull"`
	IsActive          bool             `bun:"is_active,notnull"`
	EmailVerifiedAt   *time.Time       `bun:"email_verified_at"`
	DateJoined        time.Time        `bun:"date_joined,notnull"`
	LastLogin         *time.Time       `bun:"last_login"`
	FirstLogin        *time.Time       `bun:"first_login"`
	PasswordChangedAt *time.Time       `bun:"password_changed_at"`
	SessionVersion    int              `bun:"session_version,notnull"`
	CreatedByID       *int64           `bun:"created_by_id"`
	// Username is the identity provider's subject (OpenID `sub`) of SSO accounts, empty for
	// password accounts (actors.md §2.1).
	Username string `bun:"username,nullzero"`

	// The address (actors.md §2.1), kept on users because a professional has one too; the
	// jobseeker package fills it for job seekers. Department is derived from the post code.
	AddressLine1  string     `bun:"address_line_1,notnull"`
	AddressLine2  string     `bun:"address_line_2,notnull"`
	PostCode      string     `bun:"post_code,notnull"`
	City          string     `bun:"city,notnull"`
	Department    string     `bun:"department,notnull"`
	InseeCode     *string    `bun:"insee_code"`
	Latitude      *float64   `bun:"latitude"`
	Longitude     *float64   `bun:"longitude"`
	LastCheckedAt *time.Time `bun:"last_checked_at"`

	// ExternalDataSourceHistory says which identity provider set which field, and when
	// (actors.md §2.1): FranceConnect's fields are read-only for the job seeker (§11).
	ExternalDataSourceHistory []FieldSource `bun:"external_data_source_history,type:text,nullzero"`
}

// FieldSource is one field an identity provider set on an account.
type FieldSource struct {
	Field  string           `json:"field"`
	Source IdentityProvider `json:"source"`
	At     time.Time        `json:"at"`
}

// FieldsFrom lists the fields whose latest value came from the provider p.
func (u *User) FieldsFrom(p IdentityProvider) []string {
	latest := map[string]IdentityProvider{}
	var order []string
	for _, fs := range u.ExternalDataSourceHistory {
		if _, seen := latest[fs.Field]; !seen {
			order = append(order, fs.Field)
		}
		latest[fs.Field] = fs.Source
	}
	var out []string
	for _, f := range order {
		if latest[f] == p {
			out = append(out, f)
		}
	}
	return out
}

// RecordFieldSources notes that provider p set these fields at now (a field already noted
// from p keeps its entry, with the new time).
func (u *User) RecordFieldSources(p IdentityProvider, now time.Time, fields ...string) {
	for _, f := range fields {
		kept := u.ExternalDataSourceHistory[:0]
		for _, fs := range u.ExternalDataSourceHistory {
			if fs.Field != f || fs.Source != p {
				kept = append(kept, fs)
			}
		}
		u.ExternalDataSourceHistory = append(kept, FieldSource{Field: f, Source: p, At: now})
	}
}

// DisplayName is "Firstname LASTNAME" (actors.md §2.1), or the e-mail when names are unknown.
func (u *User) DisplayName() string {
	if u.FirstName == "" && u.LastName == "" {
		return u.Email
	}
	return strings.TrimSpace(u.FirstName + " " + strings.ToUpper(u.LastName))
}

// HasUsablePassword reports whether the account can log in with a password.
func (u *User) HasUsablePassword() bool { return u.PasswordHash != "" }

// EmailVerified reports whether the owner proved they read mail at this address.
func (u *User) EmailVerified() bool { return u.EmailVerifiedAt != nil }

// Actor is the account acting for itself (a login, a password change) from clientIP; a nil
// account (an unknown e-mail) is an anonymous actor.
func (u *User) Actor(clientIP string) actor.Actor {
	if u == nil {
		return actor.Actor{ClientIP: clientIP}
	}
	return actor.Actor{UserID: u.ID, Kind: u.Kind, ClientIP: clientIP}
}

// AuditObject is the account as the object of an audit event (no id for a nil account).
func (u *User) AuditObject() audit.Object {
	if u == nil {
		return audit.Object{Type: "user"}
	}
	return audit.Object{Type: "user", ID: u.PublicID}
}

// Errors whose text is shown to the user as is.
var (
	ErrInvalidCredentials = fault.Invalid("Adresse e-mail ou mot de passe incorrect.")
	ErrEmailNotVerified   = fault.Forbidden("Vous devez d'abord confirmer votre adresse e-mail : ouvrez le lien reçu par e-mail après votre inscription. Vous pouvez demander un nouveau lien ci-dessous.")
	ErrInvalidToken       = fault.Invalid("Ce lien n'est pas valide : il a expiré ou a déjà été utilisé. Vous pouvez en demander un nouveau.")
	ErrNotFound           = fault.NotFound("Compte introuvable.")
	ErrThrottled          = fault.Forbidden("Trop de tentatives de connexion.")
	ErrInactive           = fault.Forbidden("Ce compte est désactivé.")
)

// ThrottledError refuses a login because too many failed within the throttle window, or a signup
// because too many were tried. It matches errors.Is(err, ErrThrottled).
type ThrottledError struct {
	RetryAfter time.Duration
	Signup     bool
}

func (e *ThrottledError) Error() string {
	if e.Signup {
		return fmt.Sprintf("Trop de tentatives d'inscription depuis votre connexion ou avec cette adresse e-mail. Réessayez dans %s.", frenchMinutes(e.RetryAfter))
	}
	return fmt.Sprintf("Trop de tentatives de connexion. Réessayez dans %s.", frenchMinutes(e.RetryAfter))
}

func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// frenchMinutes rounds d up to whole minutes: "1 minute", "15 minutes".
func frenchMinutes(d time.Duration) string {
	n := int((d + time.Minute - 1) / time.Minute)
	if n <= 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

// InactiveError refuses a login on a deactivated account; it shows the public id so that support
// can find the account (actors.md §11). It matches errors.Is(err, ErrInactive).
type InactiveError struct {
	PublicID string
}

func (e *InactiveError) Error() string {
	return "Ce compte est désactivé. Si vous pensez qu'il s'agit d'une erreur, contactez le support en indiquant l'identifiant " + e.PublicID + "."
}

func (e *InactiveError) Is(target error) bool { return target == ErrInactive }

// ProviderError refuses a password login on an account bound to an identity provider, naming the
// provider to use (actors.md §11).
type ProviderError struct {
	Provider IdentityProvider
}

func (e *ProviderError) Error() string {
	return "Votre compte utilise " + e.Provider.Label() + " : connectez-vous avec " + e.Provider.Label() + "."
}
