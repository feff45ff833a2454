// Package wizard keeps the state of multi-step forms on the server (table wizard_session): one
// row per journey, reached by a random key carried in the journey's URLs, so that several
// browser tabs each keep their own (applications.md §3.0-8). A row belongs to one user and one
// kind of journey, holds the journey's state as JSON and expires after a time to live. The
// domains keep their own state types and rules; this package only stores them.
package wizard

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ErrNotFound: no open journey of this key, kind and user (unknown, expired or someone else's).
var ErrNotFound = errors.New("wizard: not found")

type row struct {
	bun.BaseModel `bun:"table:wizard_session,alias:ws"`

	Key       string    `bun:"key,pk"`
	UserID    int64     `bun:"user_id"`
	Kind      string    `bun:"kind"`
	Data      string    `bun:"data"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// newKey is a random key of 144 bits, URL-safe.
func newKey() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("wizard: key: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Start stores a new journey of kind for the user, holding data, open until now+ttl; it
// returns the journey's key.
func Start(ctx context.Context, idb bun.IDB, userID int64, kind string, data any, now time.Time, ttl time.Duration) (string, error) {
	key, err := newKey()
	if err != nil {
		return "", err
	}
	js, err := json.Marshal(data)
	if err != nil {
		return "", fmt.Errorf("wizard: %s data: %w", kind, err)
	}
	_, err = idb.NewInsert().Model(&row{Key: key, UserID: userID, Kind: kind, Data: string(js),
		CreatedAt: now, ExpiresAt: now.Add(ttl)}).Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("wizard: start %s: %w", kind, err)
	}
	return key, nil
}

// Load reads the user's open journey of this key and kind into data; an unknown, expired or
// someone else's key (or no user) is ErrNotFound.
func Load(ctx context.Context, idb bun.IDB, userID int64, kind, key string, now time.Time, data any) error {
	if userID == 0 || key == "" {
		return ErrNotFound
	}
	var r row
	err := idb.NewSelect().Model(&r).
		Where("key = ?", key).Where("user_id = ?", userID).Where("kind = ?", kind).
		Where("expires_at > ?", now).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("wizard: load %s: %w", kind, err)
	}
	if err := json.Unmarshal([]byte(r.Data), data); err != nil {
		return fmt.Errorf("wizard: %s data: %w", kind, err)
	}
	return nil
}

// Save writes the journey's data back.
func Save(ctx context.Context, idb bun.IDB, userID int64, key string, data any) error {
	js, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("wizard: data: %w", err)
	}
	_, err = idb.NewUpdate().Table("wizard_session").Set("data = ?", string(js)).
		Where("key = ?", key).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("wizard: save: %w", err)
	}
	return nil
}

// Delete closes the journey of this key.
func Delete(ctx context.Context, idb bun.IDB, key string) error {
	if _, err := idb.NewDelete().Table("wizard_session").Where("key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("wizard: delete: %w", err)
	}
	return nil
}

// purgeBatch bounds the rows one Purge reads or deletes per statement.
const purgeBatch = 500

// Purge deletes the journeys of kind ("" for every kind) expired at now; each, when not nil,
// first sees the data of every journey deleted (to remove what it points at, such as a stored
// file). It returns how many were deleted.
func Purge(ctx context.Context, idb bun.IDB, kind string, now time.Time, each func(data []byte) error) (int, error) {
	total := 0
	for {
		var rows []row
		q := idb.NewSelect().Model(&rows).Column("key", "data").Where("expires_at <= ?", now).OrderExpr("key").Limit(purgeBatch)
		if kind != "" {
			q = q.Where("kind = ?", kind)
		}
		if err := q.Scan(ctx); err != nil {
			return total, fmt.Errorf("wizard: expired: %w", err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		keys := make([]string, len(rows))
		for i, r := range rows {
			if each != nil {
				if err := each([]byte(r.Data)); err != nil {
					return total, err
				}
			}
			keys[i] = r.Key
		}
		res, err := idb.NewDelete().Table("wizard_session").Where("key IN (?)", bun.List(keys)).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("wizard: purge: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if len(rows) < purgeBatch {
			return total, nil
		}
	}
}
