package db

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// SQLite's WAL is copied back into the database file by a checkpoint. Left to SQLite, the commit
// that fills the WAL to 1,000 pages runs it and waits for it: on a file of gigabytes that commit
// pays tens of milliseconds (the slow 5 % of acceptances of `make bench-pass`). Here no commit
// checkpoints (wal_autocheckpoint is 0 on every connection): a goroutine runs a PASSIVE
// checkpoint every checkpointEvery, which never blocks readers nor writers and copies what no
// reader still needs. Several processes on one file each run theirs; they take turns.

// checkpointEvery is how often the WAL is copied back: at most a second of writes stays in it.
const checkpointEvery = time.Second

type checkpointer struct {
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func startCheckpoints(sqldb *sql.DB, every time.Duration) *checkpointer {
	c := &checkpointer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				if _, err := sqldb.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
					slog.Warn("db: WAL checkpoint", "error", err)
				}
			}
		}
	}()
	return c
}

// Stop ends the checkpoints and waits for the one running.
func (c *checkpointer) Stop() {
	c.once.Do(func() { close(c.stop) })
	<-c.done
}

// Close stops the background work of the handle, then closes it. A SQLite file gets a last
// checkpoint so that it holds every commit by itself.
func (db *DB) Close() error {
	if db.checkpoints != nil {
		db.checkpoints.Stop()
		if _, err := db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			slog.Warn("db: last WAL checkpoint", "error", err)
		}
	}
	return db.DB.Close()
}
