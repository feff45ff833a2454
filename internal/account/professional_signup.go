package account

import (
	"context"
	"strings"

	"emplois/internal/platform/fault"
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
	var errs fault.Fields
	checkSignUpFields(&errs, in.FirstName, in.LastName, in.Email, in.Password, in.PasswordConfirm, nil)
	return errs.Err()
}

// SignUpProfessional creates a professional password account and mails the verification link,
// in one transaction; the account cannot log in until the address is verified. The professional
// then joins or registers an organization (actors.md §10.2-10.5).
func (s *Service) SignUpProfessional(ctx context.Context, in ProfessionalSignUpInput, clientIP string) (*User, error) {
	if err := ValidateProfessionalSignUp(in); err != nil {
		return nil, err
	}
	return s.signUp(ctx, &User{Email: NormalizeEmail(in.Email), Kind: Professional,
		FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName)}, in.Password, clientIP, nil)
}
