package account

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ActionProfessionalCreated is the audit action of CreateProfessional.
const ActionProfessionalCreated = "professional_created"

// ProfessionalInput creates a professional password account.
type ProfessionalInput struct {
	Email     string
	FirstName string
	LastName  string
	Password  string
}

// CreateProfessional creates a professional account that logs in with e-mail and password, its
// e-mail considered verified: the caller vouches for it (demo data, an invitation whose link was
// received at that address). Organizations are joined separately (package org). How
// professionals may log in with it depends on EMPLOIS_PRO_PASSWORD_LOGIN.
func (s *Service) CreateProfessional(ctx context.Context, in ProfessionalInput, via, clientIP string) (*User, error) {
	var errs FieldErrors
	email := NormalizeEmail(in.Email)
	if p := EmailProblem(email); p != "" {
		errs.add("email", p)
	}
	if p := nameProblem(strings.TrimSpace(in.FirstName), true); p != "" {
		errs.add("first_name", p)
	}
	if p := nameProblem(strings.TrimSpace(in.LastName), true); p != "" {
		errs.add("last_name", p)
	}
	checkNewPassword(&errs, "password", "", in.Password, "", PasswordOwner{Email: email, FirstName: in.FirstName, LastName: in.LastName})
	if err := errs.err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password, s.Params)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{
		PublicID: uuid.NewString(), Email: email, Kind: Professional, IdentityProvider: Django,
		PasswordHash: hash, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		IsActive: true, EmailVerifiedAt: &now, DateJoined: now, PasswordChangedAt: &now,
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertUser(ctx, tx, u, msgEmailExists); err != nil {
			return err
		}
		return s.record(ctx, tx, ActionProfessionalCreated, u, clientIP, map[string]any{"via": via})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
