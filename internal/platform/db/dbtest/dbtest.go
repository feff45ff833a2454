// Package dbtest gives store and flow tests a fresh, migrated database on each engine.
// SQLite always runs; PostgreSQL runs too when TEST_DATABASE_URL is set, each test in its own
// database so that tests may run in parallel.
//
// Migrating costs about a second per database under the race detector, and the suite opens
// a thousand of them, so the migrations run once per schema version into a template that every
// test database is copied from: a file for SQLite, a template database for PostgreSQL, both
// named after a hash of the migrations and shared by the test processes of one machine.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"emplois/internal/platform/db"
	"emplois/migrations"
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
	d, err := db.Open(ctx, URL(t, engine))
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", engine, err)
	}
	t.Cleanup(func() { d.Close() })
	// The copy is already at the last version: this only checks it.
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("dbtest: migrate %s: %v", engine, err)
	}
	return d
}

// URL returns the URL of a fresh migrated database of the engine, for code under test that
// opens its own connection (a server started by a browser test, a subcommand). The database is
// removed at the end of the test.
func URL(t testing.TB, engine db.Engine) string {
	t.Helper()
	if engine == db.SQLite {
		return copySQLiteTemplate(t)
	}
	return createPostgresDatabase(t)
}

// schemaVersion names the templates: a hash of every migration of the engine.
func schemaVersion(engine db.Engine) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, string(engine), func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		b, err := migrations.FS.ReadFile(path)
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

var sqliteTemplate struct {
	once sync.Once
	path string
	err  error
}

// copySQLiteTemplate copies the migrated template file into the test's own folder.
func copySQLiteTemplate(t testing.TB) string {
	t.Helper()
	sqliteTemplate.once.Do(func() { sqliteTemplate.path, sqliteTemplate.err = buildSQLiteTemplate() })
	if sqliteTemplate.err != nil {
		t.Fatalf("dbtest: SQLite template: %v", sqliteTemplate.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := copyFile(sqliteTemplate.path, path); err != nil {
		t.Fatalf("dbtest: copy the SQLite template: %v", err)
	}
	return "sqlite://" + path
}

// buildSQLiteTemplate migrates a database once per schema version into the machine's temporary
// folder, written under a unique name and renamed, so that concurrent test processes never read
// a half-written template.
func buildSQLiteTemplate() (string, error) {
	version, err := schemaVersion(db.SQLite)
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), "emplois-dbtest-"+version+"-wal.db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	work, err := os.MkdirTemp("", "emplois-dbtest-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	ctx := context.Background()
	d, err := db.Open(ctx, "sqlite://"+filepath.Join(work, "migrated.db"))
	if err != nil {
		return "", err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return "", err
	}
	// VACUUM INTO writes one self-contained file, the WAL included.
	packed := filepath.Join(work, "template.db")
	if _, err := d.ExecContext(ctx, "VACUUM INTO ?", packed); err != nil {
		return "", err
	}
	// VACUUM INTO writes a rollback-journal file; a copy's first connections would then race to
	// switch it to WAL, and the losers get SQLITE_BUSY. Switched once here, the mode stays in
	// the file's header.
	p, err := db.Open(ctx, "sqlite://"+packed)
	if err != nil {
		return "", err
	}
	if err := p.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(packed, path)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// createPostgresDatabase creates a database copied from the migrated template of this schema
// version and returns its URL; it is dropped at the end of the test.
func createPostgresDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: TEST_DATABASE_URL: %v", err)
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer admin.Close()
	template, err := postgresTemplate(ctx, admin, u)
	if err != nil {
		t.Fatalf("dbtest: PostgreSQL template: %v", err)
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := strings.TrimPrefix(u.Path, "/") + "_t_" + hex.EncodeToString(suffix)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := db.Open(context.Background(), base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	own := *u
	own.Path = "/" + name
	return own.String()
}

// postgresTemplate returns the name of the template database of this schema version, creating
// and migrating it first under an advisory lock that serialises the test processes.
func postgresTemplate(ctx context.Context, admin *db.DB, base *url.URL) (string, error) {
	version, err := schemaVersion(db.Postgres)
	if err != nil {
		return "", err
	}
	name := "emplois_template_" + version
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	const lockKey = 7_301_962 // any constant of ours: one template built at a time
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", lockKey); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(?)", lockKey)
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Built under another name and renamed, so that a crash never leaves a half-migrated template.
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	target := *base
	target.Path = "/" + building
	d, err := db.Open(ctx, target.String())
	if err != nil {
		return "", err
	}
	err = d.Migrate(ctx)
	d.Close()
	if err != nil {
		return "", err
	}
	_, err = conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name)
	return name, err
}
