package main

import (
	"context"
	"log/slog"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// runWorker runs the background worker until ctx ends. (Being built: mail sending and periodic jobs.)
func runWorker(ctx context.Context, cfg config.Config, d *db.DB, log *slog.Logger) error {
	<-ctx.Done()
	return nil
}
