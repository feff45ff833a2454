package secretkey

import (
	"bytes"
	"context"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func testConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestLoad_GeneratesOneDevelopmentKeyAndKeepsIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := testConfig(t, map[string]string{"EMPLOIS_DEV": "true"})
		first, err := Load(ctx, d, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) < config.MinSecretKeyLength {
			t.Errorf("generated key of %d bytes", len(first))
		}
		again, err := Load(ctx, d, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Error("a second load generated another key")
		}
	})
}

func TestLoad_PrefersTheConfiguredKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		set := "une-cle-secrete-de-plus-de-32-caracteres"
		got, err := Load(ctx, d, testConfig(t, map[string]string{"EMPLOIS_DEV": "false", "EMPLOIS_SECRET_KEY": set}))
		if err != nil || string(got) != set {
			t.Errorf("Load = %q, %v; want the configured key", got, err)
		}
	})
}

func TestDerive_GivesOneKeyPerPurpose(t *testing.T) {
	key := []byte("k")
	if bytes.Equal(Derive(key, "a"), Derive(key, "b")) || !bytes.Equal(Derive(key, "a"), Derive(key, "a")) {
		t.Error("Derive does not separate purposes deterministically")
	}
}

func TestConfig_ProductionNeedsALongEnoughSecretKey(t *testing.T) {
	if err := testConfig(t, map[string]string{"EMPLOIS_DEV": "false"}).CheckProduction(); err == nil {
		t.Error("production without EMPLOIS_SECRET_KEY accepted")
	}
	if err := testConfig(t, map[string]string{"EMPLOIS_DEV": "true"}).CheckProduction(); err != nil {
		t.Errorf("development: %v", err)
	}
	if _, err := config.Load(func(k string) (string, bool) { return "trop-courte", k == "EMPLOIS_SECRET_KEY" }); err == nil {
		t.Error("a short EMPLOIS_SECRET_KEY was accepted")
	}
}
