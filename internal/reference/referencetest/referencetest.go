// Package referencetest helps tests that need the full reference data of ../shared/data.
package referencetest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// DataDir returns the shared reference data folder (../shared/data beside the module), or skips
// the test when it is absent.
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found: full reference data unavailable")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "communes.csv")); err != nil {
		tb.Skipf("%s absent: full reference data tests skipped", data)
	}
	return data
}

// Open opens a file of the shared reference data folder, skipping the test when it is absent.
func Open(tb testing.TB, name string) *os.File {
	tb.Helper()
	f, err := os.Open(filepath.Join(DataDir(tb), name))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// Latencies runs each query rounds times through search and reports, on b, the p50, p95 and
// p99 of all the calls and the p95 of the slowest query, in milliseconds. With -v it logs
// each query's own p50/p95.
func Latencies(b *testing.B, queries []string, rounds int, search func(q string) error) {
	b.Helper()
	var all []time.Duration
	type stat struct {
		q        string
		p50, p95 time.Duration
	}
	var worst stat
	var stats []stat
	for range b.N {
		all = all[:0]
		stats = stats[:0]
		worst = stat{}
		for _, q := range queries {
			runs := make([]time.Duration, rounds)
			for i := range runs {
				start := time.Now()
				if err := search(q); err != nil {
					b.Fatalf("%q: %v", q, err)
				}
				runs[i] = time.Since(start)
			}
			all = append(all, runs...)
			slices.Sort(runs)
			s := stat{q, percentile(runs, 50), percentile(runs, 95)}
			stats = append(stats, s)
			if s.p95 > worst.p95 {
				worst = s
			}
		}
	}
	slices.Sort(all)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(all, 95)), "p95-ms")
	b.ReportMetric(ms(percentile(all, 99)), "p99-ms")
	b.ReportMetric(ms(worst.p95), "worst-query-p95-ms")
	for _, s := range stats {
		b.Logf("%-22q p50 %6.3f ms  p95 %6.3f ms", s.q, ms(s.p50), ms(s.p95))
	}
	b.Logf("slowest query: %q (p95 %.3f ms)", worst.q, ms(worst.p95))
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p+99)/100 - 1
	return sorted[max(i, 0)]
}
