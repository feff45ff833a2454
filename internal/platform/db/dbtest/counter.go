package dbtest

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Statements counts the statements sent through a database, for tests that a page costs as many
// statements whatever its size.
type Statements struct{ n atomic.Int64 }

// CountStatements returns d with every statement counted by the returned counter.
func CountStatements(d *db.DB) (*db.DB, *Statements) {
	c := &Statements{}
	return &db.DB{DB: d.DB.WithQueryHook(c), Engine: d.Engine}, c
}

// Reset starts counting again from zero.
func (c *Statements) Reset() { c.n.Store(0) }

// Count is the number of statements since the last Reset.
func (c *Statements) Count() int64 { return c.n.Load() }

func (c *Statements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *Statements) AfterQuery(context.Context, *bun.QueryEvent) {}
