package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/db"
)

// TestCheckpoints_NoCommitCopiesTheWALTheBackgroundDoes: on a SQLite file, commits leave the
// WAL as it is (no autocheckpoint), and within a few seconds the checkpointer has copied it
// into the database file.
func TestCheckpoints_NoCommitCopiesTheWALTheBackgroundDoes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ckpt.db")
	d, err := db.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var auto int
	if err := d.NewRaw("PRAGMA wal_autocheckpoint").Scan(ctx, &auto); err != nil || auto != 0 {
		t.Fatalf("wal_autocheckpoint = %d, %v", auto, err)
	}
	if _, err := d.ExecContext(ctx, "CREATE TABLE blob (v TEXT)"); err != nil {
		t.Fatal(err)
	}
	page := strings.Repeat("x", 4000)
	for range 1500 { // 1,500 commits of a page each: past SQLite's 1,000-page autocheckpoint
		if _, err := d.ExecContext(ctx, "INSERT INTO blob (v) VALUES (?)", page); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 1500*4000 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database file is %d bytes: the WAL was never copied back", fi.Size())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
