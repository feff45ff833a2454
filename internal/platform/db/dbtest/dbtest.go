// Package dbtest gives store and flow tests a fresh, migrated database on each engine.
// SQLite always runs; PostgreSQL runs too when TEST_DATABASE_URL is set, each test in its own
// schema so that tests may run in parallel.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"emplois/internal/platform/db"
)

// Run runs fn as a subtest named after each available engine, with a fresh database.
func Run(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, engine := range Engines() {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Engines lists the engines this test run covers.
func Engines() []db.Engine {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []db.Engine{db.SQLite, db.Postgres}
	}
	return []db.Engine{db.SQLite}
}

// Open returns a fresh migrated database of the given engine, removed when the test ends.
func Open(t testing.TB, engine db.Engine) *db.DB {
	t.Helper()
	ctx := context.Background()
	var d *db.DB
	var err error
	switch engine {
	case db.SQLite:
		d, err = db.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "test.db"))
	case db.Postgres:
		d, err = openSchema(t)
	}
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", engine, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("dbtest: migrate %s: %v", engine, err)
	}
	return d
}

// URL returns a database URL of the engine for code under test that opens its own connection
// (a server started by a browser test, a subcommand). The database is dropped at the end.
func URL(t testing.TB, engine db.Engine) string {
	t.Helper()
	if engine == db.SQLite {
		return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	}
	_, u := createSchema(t)
	return u
}

func openSchema(t testing.TB) (*db.DB, error) {
	_, u := createSchema(t)
	return db.Open(context.Background(), u)
}

// createSchema creates a schema named after a random suffix and returns a URL whose connections
// use it as search_path.
func createSchema(t testing.TB) (string, string) {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema := "t_" + hex.EncodeToString(suffix)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return schema, u.String()
}
