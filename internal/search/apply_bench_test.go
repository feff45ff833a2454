package search

import (
	"context"
	"os"
	"testing"
	"time"

	"emplois/internal/platform/db"
)

// BenchmarkApply times the application of one company's change to an index of the national data
// set (EMPLOIS_BENCH_DB: sqlite://./var/bench.db or a PostgreSQL URL): the reload and the merge
// apart.
func BenchmarkApply(b *testing.B) {
	url := os.Getenv("EMPLOIS_BENCH_DB")
	if url == "" {
		b.Skip("EMPLOIS_BENCH_DB not set")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	gen, _, err := readGenerations(ctx, d)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ix, err := buildIndex(ctx, d, gen, nil, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("whole build: %v (%d companies, %d fiches, %d spots)", time.Since(start), len(ix.companies), len(ix.fiches), len(ix.spots))
	id := ix.fiches[len(ix.fiches)/2].companyID
	var rows companyRows
	b.Run("reload", func(b *testing.B) {
		for b.Loop() {
			if rows, err = loadCompanyRows(ctx, d, []int64{id}, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("merge", func(b *testing.B) {
		for b.Loop() {
			r := rows
			r.listed, r.directory, r.fiches = append([]listedCompany(nil), rows.listed...), append([]DirectoryEntry(nil), rows.directory...), rows.fiches
			ix.with(gen, map[int64]bool{id: true}, r)
		}
	})
}
