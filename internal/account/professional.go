package account

import "context"

// ActionProfessionalCreated is the audit action of CreateProfessional.
const ActionProfessionalCreated = "professional_created"

// ProfessionalInput creates a professional password account.
type ProfessionalInput = VerifiedAccountInput

// CreateProfessional creates a professional account that logs in with e-mail and password, its
// e-mail considered verified: the caller vouches for it (demo data, an invitation whose link was
// received at that address). Organizations are joined separately (package org). How
// professionals may log in with it depends on EMPLOIS_PRO_PASSWORD_LOGIN.
func (s *Service) CreateProfessional(ctx context.Context, in ProfessionalInput, via, clientIP string) (*User, error) {
	return s.createVerified(ctx, Professional, in, ActionProfessionalCreated, clientIP, map[string]any{"via": via})
}
