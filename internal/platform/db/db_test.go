package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/searchtext"
)

func TestInTx_RollsBackEverythingOnError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if err := audit.Record(ctx, tx, actor.Actor{}, "test", audit.Object{Type: "test"}, nil); err != nil {
				t.Fatal(err)
			}
			return errBoom
		})
		if err != errBoom {
			t.Fatalf("InTx returned %v, want errBoom", err)
		}
		events, err := audit.List(ctx, d, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 0 {
			t.Fatalf("rolled-back transaction left %d events", len(events))
		}
	})
}

func TestMigrate_IsIdempotent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background()); err != nil {
			t.Fatalf("second migration run: %v", err)
		}
	})
}

func TestIsUniqueViolation_DetectsBothEngines(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, "INSERT INTO http_session (token, data, expiry) VALUES ('a', ?, ?)", []byte("x"), "2030-01-01 00:00:00"); err != nil {
			t.Fatal(err)
		}
		_, err := d.ExecContext(ctx, "INSERT INTO http_session (token, data, expiry) VALUES ('a', ?, ?)", []byte("x"), "2030-01-01 00:00:00")
		if !db.IsUniqueViolation(err) {
			t.Fatalf("IsUniqueViolation(%v) = false", err)
		}
	})
}

type boom struct{}

func (boom) Error() string { return "boom" }

var errBoom error = boom{}

// Two processes (here: two handles) opening and migrating a fresh SQLite file at once must both
// succeed: `serve` and `worker` started together.
func TestMigrate_ConcurrentOpenersOfOneSQLiteFile(t *testing.T) {
	url := "sqlite://" + t.TempDir() + "/shared.db"
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			d, err := db.Open(context.Background(), url)
			if err != nil {
				errs <- err
				return
			}
			defer d.Close()
			errs <- d.Migrate(context.Background())
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
}

func TestFoldFunction_IsSearchtextNormalizeOnBothEngines(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		for _, s := range []string{"Hélène", "L'Haÿ-les-Roses", "ŒUVRE  d'Ève", "François-Xavier DUPONT", "", "Saint-Étienne 42"} {
			var got string
			if err := d.NewRaw("SELECT "+db.FoldFunction+"(?)", s).Scan(context.Background(), &got); err != nil {
				t.Fatal(err)
			}
			if want := searchtext.Normalize(s); got != want {
				t.Errorf("%s(%q) = %q, want %q", db.FoldFunction, s, got, want)
			}
		}
	})
}

func TestInTx_SQLiteWritersOfOneProcessWaitTheirTurnAndGiveUpWithTheirContext(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := d.InTx(ctx, func(context.Context, bun.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Errorf("InTx while another holds the writer, context cancelled: ran = %v, err = %v", ran, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := d.InTx(context.Background(), func(context.Context, bun.Tx) error { ran = true; return nil }); err != nil || !ran {
		t.Errorf("InTx once free: ran = %v, err = %v", ran, err)
	}
}
