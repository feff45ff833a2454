package account

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ProfessionalSignUpInput is the password signup of a professional (development and demo, when
// EMPLOIS_PRO_PASSWORD_LOGIN lets professionals use a password; ProConnect otherwise).
type ProfessionalSignUpInput struct {
	FirstName       string
	LastName        string
	Email           string
	Password        string
	PasswordConfirm string
}

// ValidateProfessionalSignUp returns the refused fields of a professional password signup.
// Field names: first_name, last_name, email, password1, password2.
func ValidateProfessionalSignUp(in ProfessionalSignUpInput) error {
	var errs FieldErrors
	if p := nameProblem(strings.TrimSpace(in.FirstName), true); p != "" {
		errs.add("first_name", p)
	}
	if p := nameProblem(strings.TrimSpace(in.LastName), true); p != "" {
		errs.add("last_name", p)
	}
	email := NormalizeEmail(in.Email)
	if p := EmailProblem(email); p != "" {
		errs.add("email", p)
	}
	checkNewPassword(&errs, "password1", "password2", in.Password, in.PasswordConfirm,
		PasswordOwner{Email: email, FirstName: in.FirstName, LastName: in.LastName})
	return errs.err()
}

// SignUpProfessional creates a professional password account and mails the verification link,
// in one transaction; the account cannot log in until the address is verified. The professional
// then joins or registers an organization (actors.md §10.2-10.5).
func (s *Service) SignUpProfessional(ctx context.Context, in ProfessionalSignUpInput, clientIP string) (*User, error) {
	if err := ValidateProfessionalSignUp(in); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password, s.Params)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{
		PublicID: uuid.NewString(), Email: NormalizeEmail(in.Email), Kind: Professional, IdentityProvider: Django,
		PasswordHash: hash, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		IsActive: true, DateJoined: now, PasswordChangedAt: &now,
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertUser(ctx, tx, u, msgEmailTaken); err != nil {
			return err
		}
		if err := s.mailVerification(ctx, tx, u, now); err != nil {
			return err
		}
		return s.record(ctx, tx, ActionSignup, u, clientIP, map[string]any{"kind": string(u.Kind)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
