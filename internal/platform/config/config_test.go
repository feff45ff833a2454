package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoad_DefaultsRunOnEmbeddedSQLiteOutsideDevMode(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite://./var/emplois.db" || c.Addr != ":8080" || c.Dev || c.SecureCookies() {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.SessionIdle != 7*24*time.Hour {
		t.Fatalf("session idle = %v, want 7 days", c.SessionIdle)
	}
}

// Security probe of issue 8: an empty EMPLOIS_SMTP_URL used to turn development mode on, and with
// it /dev/mails, readable by anyone, password reset links included.
func TestLoad_DevModeIsOnOnlyWhenAskedFor(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{nil, false},
		{map[string]string{"EMPLOIS_SMTP_URL": ""}, false},
		{map[string]string{"EMPLOIS_BASE_URL": "https://emplois.example"}, false},
		{map[string]string{"EMPLOIS_SMTP_URL": "smtp://mail:25"}, false},
		{map[string]string{"EMPLOIS_DEV": "0"}, false},
		{map[string]string{"EMPLOIS_DEV": "1"}, true},
		{map[string]string{"EMPLOIS_DEV": "true", "EMPLOIS_SMTP_URL": "smtp://mail:25"}, true},
	} {
		c, err := Load(env(tc.env))
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if c.Dev != tc.want {
			t.Errorf("%v: Dev = %v, want %v", tc.env, c.Dev, tc.want)
		}
	}
}

func TestLoad_RefusesDevModeOnAnHTTPSBaseURL(t *testing.T) {
	_, err := Load(env(map[string]string{"EMPLOIS_DEV": "1", "EMPLOIS_BASE_URL": "https://emplois.inclusion.gouv.fr"}))
	if err == nil || !strings.Contains(err.Error(), "EMPLOIS_DEV") || !strings.Contains(err.Error(), "https://") {
		t.Fatalf("err = %v, want a refusal naming EMPLOIS_DEV and https://", err)
	}
}

func TestMailNotice_SaysMailsStayUnsentWithoutSMTP(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string // a part of the notice; "" for none
	}{
		{map[string]string{"EMPLOIS_SMTP_URL": "smtp://mail:25"}, ""},
		{nil, "NOT sent"},
		{map[string]string{"EMPLOIS_DEV": "1"}, "/dev/mails"},
	} {
		c, err := Load(env(tc.env))
		if err != nil {
			t.Fatal(err)
		}
		got := c.MailNotice()
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%v: MailNotice() = %q, want one containing %q", tc.env, got, tc.want)
		}
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

func TestLoad_PASSPrefixIsFiveLettersOrDigits(t *testing.T) {
	if c, err := Load(env(nil)); err != nil || c.PASSPrefix != "99999" {
		t.Fatalf("default prefix %q, %v", c.PASSPrefix, err)
	}
	if c, err := Load(env(map[string]string{"EMPLOIS_PASS_PREFIX": "XXXXX"})); err != nil || c.PASSPrefix != "XXXXX" {
		t.Fatalf("prefix %q, %v", c.PASSPrefix, err)
	}
	for _, bad := range []string{"9999", "999999", "99 99", "9999é", "9999-"} {
		if _, err := Load(env(map[string]string{"EMPLOIS_PASS_PREFIX": bad})); err == nil || !strings.Contains(err.Error(), "EMPLOIS_PASS_PREFIX") {
			t.Errorf("prefix %q: %v", bad, err)
		}
	}
}

func TestLoad_TheASPExchangeIsOffWithoutAHostAndNeedsItsKeysWithOne(t *testing.T) {
	if c, err := Load(env(nil)); err != nil || c.ASPSFTPHost != "" || c.ASPSFTPPort != 22 {
		t.Fatalf("default: %+v %v", c.ASPSFTPHost, err)
	}
	_, err := Load(env(map[string]string{"EMPLOIS_ASP_SFTP_HOST": "sftp.asp.example"}))
	for _, name := range []string{"EMPLOIS_ASP_SFTP_USER", "EMPLOIS_ASP_SFTP_PRIVATE_KEY_PATH", "EMPLOIS_ASP_SFTP_HOST_KEY"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("a host without %s: %v", name, err)
		}
	}
}
