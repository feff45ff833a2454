package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// Permission names a self-service page of the back office beyond the common ones (actors.md
// §20: each is behind a named permission). Staff hold them by grant from the command line.
type Permission string

// PermEmployeeRecords3437 lets staff export the fiches salarié rejected with code 3437 and
// import the ASP's answer, which changes job seekers' ASP ids (asp.md §5.13).
const PermEmployeeRecords3437 Permission = "employee_records_3437"

// PermSuperuser is the original's superuser flag (actors.md §2, is_superuser), held like the
// other permissions by staff only. It opens what the original opens to superusers alone: the
// GEIQ hires of every GEIQ through the API with a browser session (api.md §6).
const PermSuperuser Permission = "superuser"

// PermAPITokens lets staff create, list and revoke the partner API's département, company and
// service tokens on /staff/api-tokens (api.md §1.1, issue 12 §1). The original gives these
// admin pages to its « itou-admin » group (actors.md §20), not to every staff member.
const PermAPITokens Permission = "api_tokens"

// Permissions are the permissions there are.
var Permissions = []Permission{PermEmployeeRecords3437, PermSuperuser, PermAPITokens}

// Label is what the permission allows, in French.
func (p Permission) Label() string {
	switch p {
	case PermEmployeeRecords3437:
		return "Régulariser les fiches salarié en erreur 3437"
	case PermSuperuser:
		return "Superutilisateur : lire par l'API les embauches de tous les GEIQ"
	case PermAPITokens:
		return "Gérer les jetons d'API des partenaires (départements, entreprises, services)"
	}
	return string(p)
}

// Audit actions of the permissions.
const (
	ActionPermissionGranted = "staff_permission_granted"
	ActionPermissionRevoked = "staff_permission_revoked"
)

var (
	// ErrNoPermission refuses a page behind a permission the staff member does not hold.
	ErrNoPermission = fault.Forbidden("Vous n'avez pas la permission d'accéder à cette page.")
	// ErrNotStaffAccount: only staff accounts hold permissions.
	ErrNotStaffAccount = fault.Invalid("Seuls les comptes de l'équipe (itou_staff) actifs reçoivent des permissions.")
)

// staffPermission is a row of staff_permission.
type staffPermission struct {
	bun.BaseModel `bun:"table:staff_permission"`

	UserID     int64      `bun:"user_id,pk"`
	Permission Permission `bun:"permission,pk"`
	CreatedAt  time.Time  `bun:"created_at,notnull"`
}

// ParsePermission returns the permission named s, or an error listing the known ones.
func ParsePermission(s string) (Permission, error) {
	if p := Permission(s); slices.Contains(Permissions, p) {
		return p, nil
	}
	names := make([]string, len(Permissions))
	for i, p := range Permissions {
		names[i] = string(p)
	}
	return "", fault.Invalid(fmt.Sprintf("Permission inconnue « %s » (connues : %s).", s, strings.Join(names, ", ")))
}

// RequirePermission refuses (ErrNoPermission) an actor who is not an active staff account
// holding p; idb may be a transaction.
func RequirePermission(ctx context.Context, idb bun.IDB, a actor.Actor, p Permission) error {
	if !a.IsStaff() || a.UserID == 0 {
		return ErrNoPermission
	}
	held, err := idb.NewSelect().TableExpr("staff_permission AS sp").Join("JOIN users AS u ON u.id = sp.user_id").
		Where("sp.user_id = ? AND sp.permission = ? AND u.kind = ? AND u.is_active", a.UserID, p, Staff).Exists(ctx)
	if err != nil {
		return fmt.Errorf("account: permission %s of %d: %w", p, a.UserID, err)
	}
	if !held {
		return ErrNoPermission
	}
	return nil
}

// Holds reports whether a is an active staff account holding p.
func (s *Service) Holds(ctx context.Context, a actor.Actor, p Permission) (bool, error) {
	err := RequirePermission(ctx, s.db, a, p)
	if errors.Is(err, ErrNoPermission) {
		return false, nil
	}
	return err == nil, err
}

// GrantPermission gives p to the active staff account of this e-mail (the command line);
// granting it again changes nothing.
func (s *Service) GrantPermission(ctx context.Context, email string, p Permission) (*User, error) {
	return s.changePermission(ctx, email, p, true)
}

// RevokePermission takes p back from the account of this e-mail.
func (s *Service) RevokePermission(ctx context.Context, email string, p Permission) (*User, error) {
	return s.changePermission(ctx, email, p, false)
}

func (s *Service) changePermission(ctx context.Context, email string, p Permission, grant bool) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = userBy(ctx, tx, "email", NormalizeEmail(email)); err != nil {
			return err
		}
		var res interface{ RowsAffected() (int64, error) }
		action := ActionPermissionRevoked
		if grant {
			if u.Kind != Staff || !u.IsActive {
				return ErrNotStaffAccount
			}
			action = ActionPermissionGranted
			res, err = tx.NewInsert().Model(&staffPermission{UserID: u.ID, Permission: p, CreatedAt: s.now()}).
				On("CONFLICT DO NOTHING").Exec(ctx)
		} else {
			res, err = tx.NewDelete().Model((*staffPermission)(nil)).Where("user_id = ? AND permission = ?", u.ID, p).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("account: %s %s: %w", action, p, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, actor.Actor{}, action, u.AuditObject(), map[string]any{"permission": string(p), "via": "cli"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
