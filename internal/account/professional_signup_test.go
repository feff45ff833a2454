package account

import (
	"context"
	"errors"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestSignUpProfessional_NeedsTheVerifiedAddressBeforeTheFirstLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		in := ProfessionalSignUpInput{FirstName: "Paula", LastName: "Pro", Email: " Paula.Pro@Example.org ",
			Password: strongPassword, PasswordConfirm: strongPassword}
		u, err := s.SignUpProfessional(ctx, in, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if u.Kind != Professional || u.Email != "paula.pro@example.org" || u.EmailVerified() {
			t.Errorf("account = %s %s verified=%v", u.Kind, u.Email, u.EmailVerified())
		}
		if _, err := s.Authenticate(ctx, u.Email, strongPassword, "192.0.2.1"); !errors.Is(err, ErrEmailNotVerified) {
			t.Errorf("login before verification: %v", err)
		}
		if _, err := s.VerifyEmail(ctx, lastToken(t, d, u.Email, "/accounts/verify/"), "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, u.Email, strongPassword, "192.0.2.1"); err != nil {
			t.Errorf("login after verification: %v", err)
		}
		if _, err := s.SignUpProfessional(ctx, in, "192.0.2.1"); fault.FieldsOf(err).On("email") == "" {
			t.Errorf("second signup with the same address: %v", err)
		}
	})
}

func TestValidateProfessionalSignUp_RefusesEveryBadField(t *testing.T) {
	err := ValidateProfessionalSignUp(ProfessionalSignUpInput{Email: "pas-un-mail", Password: "court", PasswordConfirm: "autre"})
	for _, field := range []string{"first_name", "last_name", "email", "password1", "password2"} {
		if fault.FieldsOf(err).On(field) == "" {
			t.Errorf("no error on %s", field)
		}
	}
}
