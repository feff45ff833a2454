package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// Token purposes.
const (
	purposeVerifyEmail   = "verify_email"
	purposePasswordReset = "password_reset"
)

// userToken is a one-time e-mail link; only the hash of the token is stored.
type userToken struct {
	bun.BaseModel `bun:"table:user_token"`

	ID        int64      `bun:"id,pk,autoincrement"`
	UserID    int64      `bun:"user_id,notnull"`
	Purpose   string     `bun:"purpose,notnull"`
	TokenHash string     `bun:"token_hash,notnull"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
	ExpiresAt time.Time  `bun:"expires_at,notnull"`
	UsedAt    *time.Time `bun:"used_at"`
}

// loginAttempt is one failed login.
type loginAttempt struct {
	bun.BaseModel `bun:"table:login_attempt"`

	ID          int64     `bun:"id,pk,autoincrement"`
	AttemptedAt time.Time `bun:"attempted_at,notnull"`
	AccountKey  string    `bun:"account_key,notnull"`
	ClientIP    string    `bun:"client_ip,notnull"`
}

// insertUser stores u; a taken e-mail becomes a field error saying takenMessage.
func insertUser(ctx context.Context, idb bun.IDB, u *User, takenMessage string) error {
	if _, err := idb.NewInsert().Model(u).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return fault.InvalidField("email", takenMessage)
		}
		return fmt.Errorf("account: insert user: %w", err)
	}
	return nil
}

// userBy returns the user matching column = value, or ErrNotFound.
func userBy(ctx context.Context, idb bun.IDB, column string, value any) (*User, error) {
	u := new(User)
	err := idb.NewSelect().Model(u).Where("? = ?", bun.Ident(column), value).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("account: user by %s: %w", column, err)
	}
	return u, nil
}

// updateUser writes the given columns of u.
func updateUser(ctx context.Context, idb bun.IDB, u *User, columns ...string) error {
	if _, err := idb.NewUpdate().Model(u).Column(columns...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("account: update user %d: %w", u.ID, err)
	}
	return nil
}

// insertToken creates a one-time token for the user and returns it in clear (the only time it
// exists in clear: it goes into the e-mail).
func insertToken(ctx context.Context, idb bun.IDB, userID int64, purpose string, now time.Time, ttl time.Duration) (string, error) {
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	row := userToken{UserID: userID, Purpose: purpose, TokenHash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if _, err := idb.NewInsert().Model(&row).Exec(ctx); err != nil {
		return "", fmt.Errorf("account: insert %s token: %w", purpose, err)
	}
	return token, nil
}

// findToken returns the token row of this purpose, or ErrInvalidToken. Used and expired rows are
// returned too: the caller decides.
func findToken(ctx context.Context, idb bun.IDB, purpose, token string) (*userToken, error) {
	if token == "" {
		return nil, ErrInvalidToken
	}
	t := new(userToken)
	err := idb.NewSelect().Model(t).Where("token_hash = ?", hashToken(token)).Where("purpose = ?", purpose).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("account: find token: %w", err)
	}
	return t, nil
}

// useTokens marks every unused token of the user for this purpose as used.
func useTokens(ctx context.Context, idb bun.IDB, userID int64, purpose string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*userToken)(nil)).Set("used_at = ?", now).
		Where("user_id = ?", userID).Where("purpose = ?", purpose).Where("used_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("account: use %s tokens: %w", purpose, err)
	}
	return nil
}

// recentTokenExists reports whether a token of this purpose was created for the user after since.
func recentTokenExists(ctx context.Context, idb bun.IDB, userID int64, purpose string, since time.Time) (bool, error) {
	ok, err := idb.NewSelect().Model((*userToken)(nil)).
		Where("user_id = ?", userID).Where("purpose = ?", purpose).Where("created_at > ?", since).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("account: recent %s token: %w", purpose, err)
	}
	return ok, nil
}

// recordFailure stores a failed login.
func recordFailure(ctx context.Context, idb bun.IDB, key, clientIP string, now time.Time) error {
	row := loginAttempt{AttemptedAt: now, AccountKey: key, ClientIP: clientIP}
	if _, err := idb.NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("account: record login failure: %w", err)
	}
	return nil
}

// clearFailures forgets the failed logins of an account (after a successful login or a reset).
func clearFailures(ctx context.Context, idb bun.IDB, key string) error {
	if _, err := idb.NewDelete().Model((*loginAttempt)(nil)).Where("account_key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("account: clear login failures: %w", err)
	}
	return nil
}

// recentFailures returns the times of the n most recent attempts after since whose column
// (account_key or client_ip) equals value, newest first.
func recentFailures(ctx context.Context, idb bun.IDB, column, value string, since time.Time, n int) ([]time.Time, error) {
	var times []time.Time
	err := idb.NewSelect().Model((*loginAttempt)(nil)).Column("attempted_at").
		Where("? = ?", bun.Ident(column), value).Where("attempted_at > ?", since).
		OrderExpr("attempted_at DESC").Limit(int64(n)).Scan(ctx, &times)
	if err != nil {
		return nil, fmt.Errorf("account: count login failures: %w", err)
	}
	return times, nil
}
