package importfile

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Upsert inserts the records' values (bun models), updating cols of those whose key already
// exists, in multi-row statements of BatchSize rows. It counts the table before and after to
// tell new rows from updated ones.
func Upsert[T any](ctx context.Context, tx bun.IDB, recs []Record[T], key string, cols ...string) (Result, error) {
	before, err := tx.NewSelect().Model((*T)(nil)).Count(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("importfile: count: %w", err)
	}
	values := make([]T, len(recs))
	for i, r := range recs {
		values[i] = r.Value
	}
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = c + " = EXCLUDED." + c
	}
	err = Batches(values, func(batch []T) error {
		_, err := tx.NewInsert().Model(&batch).On("CONFLICT (" + key + ") DO UPDATE").Set(strings.Join(set, ", ")).Exec(ctx)
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("importfile: upsert: %w", err)
	}
	after, err := tx.NewSelect().Model((*T)(nil)).Count(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("importfile: count: %w", err)
	}
	added := int(after - before)
	return Result{Rows: len(recs), Inserted: added, Updated: len(recs) - added}, nil
}

// UpsertInTx is Upsert in a transaction of its own.
func UpsertInTx[T any](ctx context.Context, d *db.DB, recs []Record[T], key string, cols ...string) (res Result, err error) {
	err = d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err = Upsert(ctx, tx, recs, key, cols...)
		return err
	})
	return res, err
}

// Insert inserts rows (bun models) in multi-row statements of BatchSize rows.
func Insert[T any](ctx context.Context, tx bun.IDB, rows []T) error {
	return Batches(rows, func(batch []T) error {
		_, err := tx.NewInsert().Model(&batch).Exec(ctx)
		return err
	})
}

// Codes returns the set of values of a one-column query ("SELECT code FROM department"), to
// check a file's references with Known before writing.
func Codes(ctx context.Context, tx bun.IDB, query string) (map[string]bool, error) {
	var list []string
	if err := tx.NewRaw(query).Scan(ctx, &list); err != nil {
		return nil, fmt.Errorf("importfile: %s: %w", query, err)
	}
	set := make(map[string]bool, len(list))
	for _, c := range list {
		set[c] = true
	}
	return set, nil
}

// Analyze refreshes the planner statistics of tables after a bulk import, so that both engines
// keep choosing the word indexes. It runs after the commit; a failure only costs speed, and the
// import itself succeeded, so it is not reported.
func Analyze(ctx context.Context, d *db.DB, tables ...string) {
	for _, t := range tables {
		d.ExecContext(ctx, "ANALYZE "+t)
	}
}
