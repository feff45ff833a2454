package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/audit"
)

// DemoLogin is an account of the demo data set, printed by `emplois serve --demo`.
type DemoLogin struct {
	Kind     Kind
	Email    string
	Password string
	Name     string
}

// demoAccounts have known passwords on purpose: they exist only in demo databases.
var demoAccounts = []struct {
	login     DemoLogin
	title     Title
	firstName string
	lastName  string
}{
	{DemoLogin{Kind: Staff, Email: "admin@demo.emplois.test", Password: "Demo-Equipe-Inclusion-2026"}, "", "Camille", "Administratrice"},
	{DemoLogin{Kind: JobSeeker, Email: "candidat@demo.emplois.test", Password: "Cafe-Croissant-Matin-2026"}, Madame, "Alice", "Martin"},
}

// SeedDemo creates the demo staff account, holding every permission of the back office so that
// the demo shows each staff page, and a verified job seeker, skipping those that exist, and
// returns their logins.
func (s *Service) SeedDemo(ctx context.Context) ([]DemoLogin, error) {
	var logins []DemoLogin
	for _, d := range demoAccounts {
		owner := PasswordOwner{Email: d.login.Email, FirstName: d.firstName, LastName: d.lastName}
		if problems := PasswordProblems(d.login.Password, owner); len(problems) > 0 {
			return nil, fmt.Errorf("account: demo password of %s refused: %v", d.login.Kind, problems)
		}
		login := d.login
		u := &User{
			PublicID: uuid.NewString(), Email: login.Email, Kind: login.Kind, IdentityProvider: Django,
			Title: d.title, FirstName: d.firstName, LastName: d.lastName, IsActive: true,
		}
		login.Name = u.DisplayName()
		logins = append(logins, login)
		if _, err := s.ByEmail(ctx, login.Email); err == nil {
			continue
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if err := s.createDemoAccount(ctx, u, login.Password); err != nil {
			return nil, err
		}
	}
	return logins, nil
}

func (s *Service) createDemoAccount(ctx context.Context, u *User, password string) error {
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return err
	}
	now := s.now()
	u.PasswordHash, u.DateJoined, u.EmailVerifiedAt, u.PasswordChangedAt = hash, now, &now, &now
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertUser(ctx, tx, u, msgEmailExists); err != nil {
			return err
		}
		if u.Kind == Staff {
			for _, p := range Permissions {
				if _, err := tx.NewInsert().Model(&staffPermission{UserID: u.ID, Permission: p, CreatedAt: now}).Exec(ctx); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, u.Actor(""), "demo_account_created", u.AuditObject(), map[string]any{"kind": string(u.Kind)})
	})
	if err != nil {
		return fmt.Errorf("account: demo %s: %w", u.Kind, err)
	}
	return nil
}
