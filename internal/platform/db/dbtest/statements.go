package dbtest

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Statements counts the SQL statements run through a database that Counting returned: tests
// check that a page costs the same statements whatever its size.
type Statements struct{ n atomic.Int64 }

// Counting returns d with every statement it runs counted in s.
func Counting(d *db.DB, s *Statements) *db.DB {
	return &db.DB{DB: d.DB.WithQueryHook(s), Engine: d.Engine}
}

// Count is the number of statements run so far.
func (s *Statements) Count() int64 { return s.n.Load() }

// BeforeQuery counts a statement (bun.QueryHook).
func (s *Statements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	s.n.Add(1)
	return ctx
}

// AfterQuery does nothing (bun.QueryHook).
func (s *Statements) AfterQuery(context.Context, *bun.QueryEvent) {}
