package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"emplois/internal/convention"
	"emplois/internal/platform/db"
)

// The national size of the ASP exports (issue 11): 6,000 structures, 20,000 annexes.
const (
	aspStructures = 6000
	aspAnnexes    = 20000
	aspBudget     = 10 * time.Second
)

// benchASP imports national-size fluxIAE exports into an empty database of engine, then the next
// month's exports (updates), and checks each against the budget.
func benchASP(ctx context.Context, engine string) error {
	var dbURL string
	switch engine {
	case "postgres":
		dbURL = os.Getenv("BENCH_ASP_DATABASE_URL")
		if dbURL == "" {
			dbURL = "postgres://postgres@127.0.0.1:5432/emplois_bench_asp?sslmode=disable"
			if err := createDatabase(ctx, dbURL); err != nil {
				return err
			}
		}
	case "sqlite":
		if err := os.MkdirAll("var", 0o755); err != nil {
			return err
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove("var/bench-asp.db" + suffix); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		dbURL = "sqlite://./var/bench-asp.db"
	default:
		return fmt.Errorf("unknown engine %q: postgres or sqlite", engine)
	}
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if d.Engine == db.Postgres {
		// A new database each time: the first import must create everything.
		if _, err := d.ExecContext(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
			return err
		}
	}
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "bench-asp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	failed := false
	for _, second := range []bool{false, true} {
		structures, annexes, err := convention.BenchExports(dir, aspStructures, aspAnnexes, second)
		if err != nil {
			return err
		}
		start := time.Now()
		sum, err := convention.Import(ctx, d, convention.Options{StructuresPath: structures, AnnexesPath: annexes, WetRun: true})
		if err != nil {
			return err
		}
		took := time.Since(start)
		name, verdict := "first import (creations)", "ok"
		if second {
			name = "second import (updates)"
		}
		if took > aspBudget {
			verdict, failed = "OVER BUDGET", true
		}
		fmt.Printf("%-8s %-25s %6.2f s (budget %.0f s) %s: %+v\n", engine, name, took.Seconds(), aspBudget.Seconds(), verdict, sum)
	}
	if failed {
		return fmt.Errorf("an import took more than %s", aspBudget)
	}
	return nil
}
