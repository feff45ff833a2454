package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoad_RateLimitsDefaultTo30PagesAnd12APICallsAndZeroTurnsThemOff(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimitPages != 30 || c.RateLimitAPI != 12 {
		t.Errorf("defaults: %d pages, %d API calls per minute; want 30 and 12", c.RateLimitPages, c.RateLimitAPI)
	}
	c, err = Load(env(map[string]string{"EMPLOIS_RATE_LIMIT_PAGES": "0", "EMPLOIS_RATE_LIMIT_API": "120"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimitPages != 0 || c.RateLimitAPI != 120 {
		t.Errorf("set: %d pages, %d API calls", c.RateLimitPages, c.RateLimitAPI)
	}
}

func TestLoad_RefusesANegativeOrNonNumericRateLimit(t *testing.T) {
	_, err := Load(env(map[string]string{"EMPLOIS_RATE_LIMIT_PAGES": "-1", "EMPLOIS_RATE_LIMIT_API": "beaucoup"}))
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, name := range []string{"EMPLOIS_RATE_LIMIT_PAGES", "EMPLOIS_RATE_LIMIT_API"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestLoad_FrenchLikeASPFromIsAParisDay(t *testing.T) {
	c, err := Load(env(map[string]string{"EMPLOIS_API_FRENCH_LIKE_ASP_FROM": "2026-11-15"}))
	if err != nil || !c.APIFrenchLikeASPFrom.Equal(time.Date(2026, 11, 14, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("%v, %v; want 2026-11-15 00:00 in Paris", c.APIFrenchLikeASPFrom, err)
	}
	if _, err := Load(env(map[string]string{"EMPLOIS_API_FRENCH_LIKE_ASP_FROM": "15/11/2026"})); err == nil || !strings.Contains(err.Error(), "EMPLOIS_API_FRENCH_LIKE_ASP_FROM") {
		t.Errorf("a malformed day: %v", err)
	}
}
