package account

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

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
	return s.loginWithSSO(ctx, ssoLogin{
		provider: FranceConnect, method: "franceconnect", subject: id.Subject, email: id.Email, acr: id.ACR, amr: id.AMR,
		invalid: ErrFranceConnectIdentity, also: also,
		create: func(now time.Time) *User {
			u := &User{PublicID: uuid.NewString(), Kind: JobSeeker}
			applyFranceConnectNames(u, id, now)
			return u
		},
		link: func(u *User, details map[string]any) ([]string, string, error) {
			switch {
			case u.Kind != JobSeeker:
				return nil, "kind_conflict", &KindConflictError{Kind: u.Kind, Provider: FranceConnect}
			case u.IdentityProvider != Django:
				return nil, "provider_conflict", &ProviderConflictError{Provider: u.IdentityProvider}
			}
			// A job seeker's password account is linked to FranceConnect: password logins of
			// SSO accounts are refused, so the password goes.
			details["migrated_from"] = string(u.IdentityProvider)
			u.IdentityProvider, u.PasswordHash = FranceConnect, ""
			return []string{"identity_provider", "password_hash"}, "", nil
		},
		apply: func(u *User, now time.Time) []string {
			applyFranceConnectNames(u, id, now)
			return []string{"title", "first_name", "last_name", "external_data_source_history"}
		},
	}, clientIP)
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
