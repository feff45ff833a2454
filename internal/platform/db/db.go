// Package db opens the database (embedded SQLite or PostgreSQL), applies migrations and runs
// transactions. Both engines go through bun with the same SQL: `?` placeholders are rewritten for
// PostgreSQL by bun, so a store has one code path.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite" // SQLite driver "sqlite"

	"emplois/internal/platform/searchtext"
	"emplois/migrations"
)

// Engine names a supported database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is the application's database handle.
type DB struct {
	*bun.DB
	Engine Engine
	path   string // SQLite file, for the migration lock
	// checkpoints copies a SQLite file's WAL back into it in the background (nil otherwise).
	checkpoints *checkpointer
	// writer lets one InTx of this process at a time into SQLite (nil on PostgreSQL).
	writer chan struct{}
}

// FoldFunction is the SQL function that folds a text as searchtext.Normalize does, for
// comparisons that ignore case and accents: defined by a migration on PostgreSQL, registered
// here for SQLite.
const FoldFunction = "emplois_fold"

func init() {
	err := sqlite.RegisterDeterministicScalarFunction(FoldFunction, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			return searchtext.Normalize(v), nil
		case []byte:
			return searchtext.Normalize(string(v)), nil
		default:
			return nil, fmt.Errorf("%s: a text is expected, not %T", FoldFunction, v)
		}
	})
	if err != nil {
		panic(err)
	}
}

// Open connects to the database named by url: sqlite://PATH, sqlite::memory: or postgres://...
// The SQLite file's folder is created when missing.
func Open(ctx context.Context, url string) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		sqldb, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("db: open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(20)
		sqldb.SetMaxIdleConns(10)
		return ping(ctx, &DB{DB: bun.NewDB(sqldb, pgdialect.New()), Engine: Postgres})
	case strings.HasPrefix(url, "sqlite://"), strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "sqlite:")
		if path == "" {
			return nil, errors.New("db: sqlite URL needs a path, e.g. sqlite://./var/emplois.db")
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("db: create %s: %w", dir, err)
			}
		}
		// WAL lets readers run beside the single writer; IMMEDIATE transactions take the write lock
		// up front so two writers wait (busy_timeout) instead of failing on lock upgrade.
		// busy_timeout comes first so that the other pragmas wait for a concurrent opener too.
		// wal_autocheckpoint(0): no commit copies the WAL back into the file; the checkpointer
		// does, beside the commits (checkpoint.go).
		dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
			"&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(0)&_txlock=immediate&_time_format=sqlite"
		sqldb, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("db: open sqlite: %w", err)
		}
		sqldb.SetMaxOpenConns(8)
		d, err := ping(ctx, &DB{DB: bun.NewDB(sqldb, sqlitedialect.New()), Engine: SQLite, path: path})
		if err != nil {
			return nil, err
		}
		d.checkpoints = startCheckpoints(d.DB.DB, checkpointEvery)
		d.writer = make(chan struct{}, 1)
		return d, nil
	default:
		return nil, fmt.Errorf("db: unsupported DATABASE_URL %q (expected sqlite://PATH or postgres://USER@HOST/DB)", redact(url))
	}
}

func ping(ctx context.Context, db *DB) (*DB, error) {
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", db.Engine, err)
	}
	return db, nil
}

// redact hides a password in a database URL so that it never reaches a log.
func redact(url string) string {
	if at := strings.Index(url, "@"); at > 0 {
		if scheme := strings.Index(url, "://"); scheme > 0 && scheme < at {
			return url[:scheme+3] + "***" + url[at:]
		}
	}
	return url
}

// Migrate applies the pending migrations of this engine. Several instances starting at once on
// PostgreSQL serialize on an advisory lock.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations.FS, string(db.Engine))
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if db.Engine == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	if db.Engine == SQLite {
		// `serve` and `worker` started together on one file: the second waits for the first's
		// migrations instead of applying them again.
		unlock, err := lockFile(db.path + ".migrate.lock")
		if err != nil {
			return fmt.Errorf("db: migration lock: %w", err)
		}
		defer unlock()
	}
	provider, err := goose.NewProvider(dialect, db.DB.DB, sub, opts...)
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	return nil
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled back otherwise.
// Services open it around a whole use case and pass tx down to the stores.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	if db.writer != nil {
		// SQLite has one writer at a time, and an IMMEDIATE transaction takes the lock at BEGIN.
		// Waiting here, in turn, rather than in SQLite's busy handler, which lets a newcomer pass
		// a connection that slept: under a burst, a transaction could wait out busy_timeout and
		// fail. busy_timeout still covers the other processes on the file.
		select {
		case db.writer <- struct{}{}:
			defer func() { <-db.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return db.RunInTx(ctx, nil, fn)
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// lockFile takes an exclusive advisory lock on path, waiting for another process that holds it.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
