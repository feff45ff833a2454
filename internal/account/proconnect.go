package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/fault"
)

// ProConnectIdentity is who ProConnect says logged in: claims already verified by the OpenID
// client (signature, issuer, audience, nonce).
type ProConnectIdentity struct {
	Subject   string // `sub`: ProConnect's identifier of the person
	Email     string
	FirstName string // `given_name`
	LastName  string // `usual_name`
	// ACR and AMR say how the person authenticated; they go to the audit trail.
	ACR string
	AMR []string
}

// SSOLogin is the outcome of a login with an identity provider (ProConnect, FranceConnect).
type SSOLogin struct {
	User *User
	// Created is true when the account was created by this login (first visit).
	Created bool
	// Warning is a French sentence to show after the login, "" when all went well.
	Warning string
}

// Errors of the ProConnect login whose text is shown to the user as is.
var (
	ErrProConnectRequired = fault.Forbidden("Les professionnels se connectent avec ProConnect : utilisez le bouton « S'identifier avec ProConnect ». Votre compte sera relié à ProConnect dès votre première connexion avec la même adresse e-mail.")
	ErrProConnectIdentity = fault.Invalid("ProConnect n'a pas transmis d'identifiant ou d'adresse e-mail valide : la connexion n'est pas possible. Contactez le support si le problème persiste.")
)

// KindConflictError refuses an SSO login whose e-mail belongs to an account of another kind
// (a job seeker or staff at ProConnect, a professional or staff at FranceConnect): one e-mail,
// one account (actors.md §11).
type KindConflictError struct {
	Kind Kind // the kind of the existing account
	// Provider is the provider of the refused login (ProConnect when empty).
	Provider IdentityProvider
}

func (e *KindConflictError) Error() string {
	msg := "Un compte " + strings.ToLower(e.Kind.Label()) + " existe déjà avec cette adresse e-mail. "
	if e.Provider == FranceConnect {
		return msg + "Un compte candidat ne peut pas utiliser la même adresse e-mail : connectez-vous à FranceConnect avec une autre adresse e-mail, ou contactez le support."
	}
	return msg + "Vous devez créer un compte ProConnect avec une autre adresse e-mail pour devenir professionnel sur la plateforme. " +
		"Besoin d'aide ? Contactez le support."
}

// emailConflictWarning says why the e-mail of the account was not updated to the one the
// provider sent: another account owns it (actors.md §11, "email conflict on update").
func emailConflictWarning(p IdentityProvider, current, sent string) string {
	return "L'adresse e-mail transmise par " + p.Label() + " (" + sent + ") est différente de celle de votre compte (" + current +
		") et appartient déjà à un autre compte : nous n'avons pas pu la mettre à jour. Contactez le support pour régler la situation."
}

// LoginWithProConnect finds or creates the professional account of a verified ProConnect
// identity and records the login (actors.md §10.2, §11):
//   - an account bound to ProConnect with this sub is the one; its e-mail follows ProConnect's
//     unless another account owns the new address (then the login goes on, with a Warning);
//   - else the account with this e-mail: a professional password account moves to ProConnect
//     (its password stops working), a ProConnect account takes the new sub (people recreate their
//     ProConnect account, which changes the sub), a job seeker or staff account is refused with
//     *KindConflictError;
//   - else a new professional account is created.
//
// The names follow ProConnect's claims at every login. A deactivated account is refused with
// *InactiveError (its public id for support). Nothing is written on a refusal but the audit.
func (s *Service) LoginWithProConnect(ctx context.Context, id ProConnectIdentity, clientIP string) (*SSOLogin, error) {
	firstName, lastName := clipName(id.FirstName), clipName(id.LastName)
	return s.loginWithSSO(ctx, ssoLogin{
		provider: ProConnect, method: "proconnect", subject: id.Subject, email: id.Email, acr: id.ACR, amr: id.AMR,
		invalid: ErrProConnectIdentity,
		create: func(time.Time) *User {
			return &User{PublicID: uuid.NewString(), Kind: Professional, FirstName: firstName, LastName: lastName}
		},
		link: func(u *User, details map[string]any) ([]string, string, error) {
			switch {
			case u.Kind != Professional:
				return nil, "kind_conflict", &KindConflictError{Kind: u.Kind}
			case u.IdentityProvider == ProConnect:
				details["sub_changed"] = true
				return nil, "", nil
			}
			// A professional password account moves to ProConnect: its password is of no use
			// any more (password logins of SSO accounts are refused), so it is dropped.
			details["migrated_from"] = string(u.IdentityProvider)
			u.IdentityProvider, u.PasswordHash = ProConnect, ""
			return []string{"identity_provider", "password_hash"}, "", nil
		},
		apply: func(u *User, _ time.Time) []string {
			var columns []string
			if firstName != "" && firstName != u.FirstName {
				u.FirstName = firstName
				columns = append(columns, "first_name")
			}
			if lastName != "" && lastName != u.LastName {
				u.LastName = lastName
				columns = append(columns, "last_name")
			}
			return columns
		},
	}, clientIP)
}

// userBySSO returns the account bound to this identity provider's subject, or ErrNotFound.
func userBySSO(ctx context.Context, idb bun.IDB, provider IdentityProvider, sub string) (*User, error) {
	u := new(User)
	err := idb.NewSelect().Model(u).Where("identity_provider = ?", provider).Where("username = ?", sub).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("account: user by %s subject: %w", provider, err)
	}
	return u, nil
}

// clipName trims a name claim and cuts it to MaxNameLength characters (the column's limit): a
// provider's long name must not make the login fail.
func clipName(name string) string {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) <= MaxNameLength {
		return name
	}
	return string([]rune(name)[:MaxNameLength])
}
