package main

import (
	"context"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestRunWorker_PurgesPastRateLimitWindows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().Truncate(time.Minute)
		_, err := d.NewRaw("INSERT INTO rate_limit_counter (key, window_start, hits) VALUES (?, ?, 40), (?, ?, 3)",
			"api:203.0.113.7", now.Add(-time.Hour).Unix(), "api:203.0.113.7", now.Unix()).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stop := startTestWorker(t, workerTestConfig(t, map[string]string{}), d)
		workerWaitUntil(t, "the purge of the past rate-limit window", func() bool {
			n, err := d.NewSelect().Table("rate_limit_counter").Count(ctx)
			return err == nil && n == 1
		})
		stop()
		var hits int
		if err := d.NewRaw("SELECT hits FROM rate_limit_counter").Scan(ctx, &hits); err != nil || hits != 3 {
			t.Errorf("current window: %d hits, %v", hits, err)
		}
	})
}
