// Package session keeps HTTP sessions server-side in the database (table http_session), so they
// are revocable and shared by every instance behind a load balancer.
package session

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/uptrace/bun"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// CookieName is the session cookie's name.
const CookieName = "emplois_session"

type row struct {
	bun.BaseModel `bun:"table:http_session"`

	Token  string    `bun:"token,pk"`
	Data   []byte    `bun:"data,notnull"`
	Expiry time.Time `bun:"expiry,notnull"`
}

// Store implements scs.CtxStore over bun, on both engines.
type Store struct{ db *db.DB }

// NewStore returns a database-backed session store.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// FindCtx returns the session data for token, unless it is missing or expired.
func (s *Store) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var r row
	err := s.db.NewSelect().Model(&r).Where("token = ?", token).Where("expiry > ?", time.Now().UTC()).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return r.Data, true, nil
}

// CommitCtx saves the session data.
func (s *Store) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	r := row{Token: token, Data: b, Expiry: expiry.UTC()}
	_, err := s.db.NewInsert().Model(&r).
		On("CONFLICT (token) DO UPDATE").
		Set("data = EXCLUDED.data").Set("expiry = EXCLUDED.expiry").
		Exec(ctx)
	return err
}

// DeleteCtx removes a session.
func (s *Store) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.NewDelete().Model((*row)(nil)).Where("token = ?", token).Exec(ctx)
	return err
}

// Find, Commit and Delete satisfy scs.Store; scs calls the Ctx variants.
func (s *Store) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}
func (s *Store) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes expired sessions; the worker runs it periodically.
func (s *Store) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*row)(nil)).Where("expiry <= ?", now.UTC()).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// NewManager returns the session manager: cookie ends with the browser, server-side idle and
// absolute timeouts from the configuration (actors.md §11), Secure when served over HTTPS.
func NewManager(cfg config.Config, d *db.DB) *scs.SessionManager {
	m := scs.New()
	m.Store = NewStore(d)
	m.IdleTimeout = cfg.SessionIdle
	m.Lifetime = cfg.SessionLifetime
	m.Cookie.Name = CookieName
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = cfg.SecureCookies()
	m.Cookie.Persist = false
	m.Cookie.Path = "/"
	return m
}
