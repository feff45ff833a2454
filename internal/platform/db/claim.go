package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Claim describes one claim of due rows of a queue table (the job queue, the mail outbox): the
// rows are updated — typically a lease pushed ahead and an attempt counted — and returned, in
// one transaction. On PostgreSQL the inner select skips rows another instance is claiming
// (FOR UPDATE SKIP LOCKED), so concurrent workers never take the same row; SQLite has a single
// writer, which serializes the claims.
type Claim struct {
	Table string
	// Set is the SET clause, with ? placeholders filled by SetArgs.
	Set     string
	SetArgs []any
	// Due is the WHERE clause of the rows that may be claimed, filled by DueArgs.
	Due     string
	DueArgs []any
	// Order and Limit pick the rows claimed first.
	Order string
	Limit int
	// Returning lists the columns scanned into dest.
	Returning string
}

// ClaimRows runs c and scans the claimed rows into dest (a pointer to a slice).
func (db *DB) ClaimRows(ctx context.Context, c Claim, dest any) error {
	skipLocked := ""
	if db.Engine == Postgres {
		skipLocked = " FOR UPDATE SKIP LOCKED"
	}
	query := fmt.Sprintf(`UPDATE %s SET %s WHERE id IN (SELECT id FROM %s WHERE %s ORDER BY %s LIMIT %d%s) RETURNING %s`,
		c.Table, c.Set, c.Table, c.Due, c.Order, c.Limit, skipLocked, c.Returning)
	args := append(append([]any{}, c.SetArgs...), c.DueArgs...)
	return db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(query, args...).Scan(ctx, dest)
	})
}
