package jobseeker

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/platform/fault"
)

// MsgSignupNIRTaken refuses a self-signup whose NIR already has an account (actors.md §10.1).
const MsgSignupNIRTaken = "Un compte existe déjà avec ce numéro de sécurité sociale. Connectez-vous avec ce compte (« Mot de passe oublié » si besoin) ; si vous ne le reconnaissez pas, contactez le support."

// SignUpInput is the self-signup of a job seeker (actors.md §10.1): the identity step, then
// the credentials step's password.
type SignUpInput struct {
	Email           string
	Identity        IdentityInput
	Password        string
	PasswordConfirm string
}

// CheckSignUpIdentity validates the identity step of the self-signup (before the credentials
// step): the identity and the e-mail (actors.md §2.2–2.4) first; then, all being well, whether
// the e-mail or the NIR has an account, which counts as a signup attempt of clientIP (the
// signup throttle, account.ThrottledError): that answer is what a prober wants.
func (s *Service) CheckSignUpIdentity(ctx context.Context, email string, in IdentityInput, clientIP string) error {
	c, err := s.checkParts(ctx, &in, nil, nil, true)
	if err != nil && fault.FieldsOf(err) == nil {
		return err
	}
	if errs := merge(fault.FieldsOf(err), checkProxyEmail(email)); len(errs) > 0 {
		return errs.Err()
	}
	if err := s.accounts.CountSignupAttempt(ctx, email, clientIP); err != nil {
		return err
	}
	var errs fault.Fields
	if _, err := account.UserByEmail(ctx, s.db, email); err == nil {
		errs.Add("email", account.MsgEmailExists+" Connectez-vous, ou réinitialisez votre mot de passe si vous l'avez oublié.")
	} else if !errors.Is(err, account.ErrNotFound) {
		return err
	}
	if c.identity.NIR != nil {
		if holder, err := holderOfNIR(ctx, s.db, *c.identity.NIR, 0); err != nil {
			return err
		} else if holder != nil {
			errs.Add("nir", MsgSignupNIRTaken)
		}
	}
	return errs.Err()
}

// SignUp creates a job seeker's password account with its profile, in one transaction, and
// mails the e-mail verification link (actors.md §10.1). The rules of every field are checked
// first; then the account service's signup throttle counts the attempt (once), and the
// database's unique constraints refuse an e-mail or a NIR taken (on the field "email" or
// "nir"), so that nothing is written and nothing is told before the throttle.
func (s *Service) SignUp(ctx context.Context, in SignUpInput, clientIP string) (*account.User, error) {
	c, err := s.checkParts(ctx, &in.Identity, nil, nil, true)
	if err != nil && fault.FieldsOf(err) == nil {
		return nil, err
	}
	// Every refusal that tells nothing about other accounts comes at once.
	acc := account.SignUpInput{Title: c.identity.Title, FirstName: c.identity.FirstName, LastName: c.identity.LastName,
		Email: in.Email, Password: in.Password, PasswordConfirm: in.PasswordConfirm}
	if errs := merge(fault.FieldsOf(err), fault.FieldsOf(account.ValidateSignUp(acc)), checkProxyEmail(in.Email)); len(errs) > 0 {
		return nil, errs.Err()
	}
	now := s.now()
	u, err := s.accounts.SignUpJobSeekerWith(ctx, acc, clientIP,
		func(ctx context.Context, tx bun.Tx, u *account.User) error {
			p := Profile{UserID: u.ID, HasRSAAllocation: RSANo}
			applyIdentity(u, &p, c.identity, nil)
			return saveProfile(ctx, tx, &p, s.key, now)
		})
	if errors.Is(err, errNIRTaken) {
		return nil, fault.InvalidField("nir", MsgSignupNIRTaken)
	}
	return u, err
}
