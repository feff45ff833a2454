package oidc

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// stateRow is a pending login (table oidc_state).
type stateRow struct {
	bun.BaseModel `bun:"table:oidc_state"`

	ID           int64      `bun:"id,pk,autoincrement"`
	Provider     string     `bun:"provider,notnull"`
	StateHash    string     `bun:"state_hash,notnull"`
	Nonce        string     `bun:"nonce,notnull"`
	CodeVerifier string     `bun:"code_verifier,notnull"`
	NextURL      string     `bun:"next_url,notnull"`
	CreatedAt    time.Time  `bun:"created_at,notnull"`
	ExpiresAt    time.Time  `bun:"expires_at,notnull"`
	UsedAt       *time.Time `bun:"used_at"`
}

func hashState(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

func insertState(ctx context.Context, idb bun.IDB, row *stateRow) error {
	if _, err := idb.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("oidc: store state: %w", err)
	}
	return nil
}

// spendState marks the pending login of this state hash as used and returns it. One UPDATE
// guarded by "used_at IS NULL" decides: of two callbacks racing with the same state, one wins.
// Unknown, used and expired states are refused (KindState).
func spendState(ctx context.Context, d *db.DB, provider, stateHash string, now time.Time) (*stateRow, error) {
	row := new(stateRow)
	var refusal error
	err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(row).Where("state_hash = ?", stateHash).Where("provider = ?", provider).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			refusal = &Error{Kind: KindState, Reason: "unknown state"}
			return nil
		}
		if err != nil {
			return fmt.Errorf("oidc: find state: %w", err)
		}
		if row.UsedAt != nil {
			refusal = &Error{Kind: KindState, Reason: "state already used"}
			return nil
		}
		res, err := tx.NewUpdate().Model((*stateRow)(nil)).Set("used_at = ?", now).
			Where("id = ?", row.ID).Where("used_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("oidc: spend state: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			refusal = &Error{Kind: KindState, Reason: "state already used"}
			return nil
		}
		if !now.Before(row.ExpiresAt) {
			refusal = &Error{Kind: KindState, Reason: "state expired"}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	return row, nil
}

// PurgeStates deletes the logins created before now - StateRetention, and the ones never used
// that expired more than AbandonedRetention ago (every GET of the authorize URL writes a row: a
// crawler must not fill the table for 60 days). It returns how many went. The worker runs it.
func PurgeStates(ctx context.Context, idb bun.IDB, now time.Time) (int64, error) {
	now = now.UTC()
	res, err := idb.NewDelete().Model((*stateRow)(nil)).
		WhereOr("created_at < ?", now.Add(-StateRetention)).
		WhereOr("used_at IS NULL AND expires_at < ?", now.Add(-AbandonedRetention)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("oidc: purge states: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
