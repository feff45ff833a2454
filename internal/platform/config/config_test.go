package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoad_DefaultsRunOnEmbeddedSQLiteInDevMode(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite://./var/emplois.db" || c.Addr != ":8080" || !c.Dev || c.SecureCookies() {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.SessionIdle != 7*24*time.Hour {
		t.Fatalf("session idle = %v, want 7 days", c.SessionIdle)
	}
}

func TestLoad_SMTPConfiguredTurnsDevModeOff(t *testing.T) {
	c, err := Load(env(map[string]string{"EMPLOIS_SMTP_URL": "smtp://mail:25"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Dev {
		t.Fatal("dev mode should be off when SMTP is configured")
	}
}

func TestLoad_HTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	c, err := Load(env(map[string]string{"EMPLOIS_BASE_URL": "https://emplois.inclusion.gouv.fr/"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SecureCookies() || c.BaseURL.String() != "https://emplois.inclusion.gouv.fr" {
		t.Fatalf("secure=%v base=%s", c.SecureCookies(), c.BaseURL)
	}
}

func TestLoad_ReportsEveryBadVariable(t *testing.T) {
	_, err := Load(env(map[string]string{
		"EMPLOIS_BASE_URL":           "localhost",
		"EMPLOIS_SESSION_IDLE":       "-1h",
		"EMPLOIS_LOGIN_MAX_ATTEMPTS": "many",
		"EMPLOIS_LOG_FORMAT":         "xml",
	}))
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, name := range []string{"EMPLOIS_BASE_URL", "EMPLOIS_SESSION_IDLE", "EMPLOIS_LOGIN_MAX_ATTEMPTS", "EMPLOIS_LOG_FORMAT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}
