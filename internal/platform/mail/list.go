package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
)

// ErrNotFound is returned when no outbox mail has the requested id.
var ErrNotFound = errors.New("mail: not found")

// ListRecent returns the newest outbox mails first, at most limit (the /dev/mails page).
func ListRecent(ctx context.Context, idb bun.IDB, limit int) ([]OutboxMail, error) {
	var rows []OutboxMail
	err := idb.NewSelect().Model(&rows).
		ExcludeColumn("text_body", "html_body").
		OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail: list outbox: %w", err)
	}
	return rows, nil
}

// Get returns one outbox mail with its parts.
func Get(ctx context.Context, idb bun.IDB, id int64) (OutboxMail, error) {
	var row OutboxMail
	err := idb.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return row, ErrNotFound
	}
	if err != nil {
		return row, fmt.Errorf("mail: get %d: %w", id, err)
	}
	return row, nil
}
