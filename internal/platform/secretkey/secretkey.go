// Package secretkey gives the server's secret key: the one that signs links whose validity is
// not stored (the employer signup link, actors.md §10.5). It comes from EMPLOIS_SECRET_KEY; in
// development, when that is empty, from a random value generated once and kept in the database
// (table setting), so that every instance and every restart sign alike.
package secretkey

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// settingName is the row of table setting that holds the development key.
const settingName = "secret_key"

// Load returns the secret key: EMPLOIS_SECRET_KEY when set, else the key kept in the database,
// generated at the first call. Production must set EMPLOIS_SECRET_KEY: `emplois serve` refuses to
// start without it (config.CheckProduction), so the database key serves development and tests.
func Load(ctx context.Context, d *db.DB, cfg config.Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return []byte(cfg.SecretKey.Reveal()), nil
	}
	random := make([]byte, 32)
	if _, err := rand.Read(random); err != nil {
		return nil, fmt.Errorf("secretkey: %w", err)
	}
	// Two instances starting together: the first insert wins, both read it back.
	_, err := d.NewRaw("INSERT INTO setting (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		settingName, hex.EncodeToString(random), time.Now().UTC()).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("secretkey: store: %w", err)
	}
	var value string
	if err := d.NewRaw("SELECT value FROM setting WHERE name = ?", settingName).Scan(ctx, &value); err != nil {
		return nil, fmt.Errorf("secretkey: read: %w", err)
	}
	return []byte(value), nil
}

// Derive returns the key of one purpose ("employer-signup"...), so that a signature made for one
// kind of link is never valid for another.
func Derive(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
