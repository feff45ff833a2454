package main

import (
	"context"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// loadDemo loads the demo data set into an empty database and prints the demo logins.
func loadDemo(ctx context.Context, cfg config.Config, d *db.DB) error {
	return nil
}
