// Package config reads the service configuration from environment variables.
// Every variable is declared once in Vars, which also feeds `emplois help` and the README table.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"emplois/internal/platform/localtime"
)

// Var documents one environment variable.
type Var struct {
	Name        string
	Default     string
	Description string
}

// Vars lists every setting the service reads, in the order the help shows them.
var Vars = []Var{
	{"DATABASE_URL", "sqlite://./var/emplois.db", "Database: sqlite://PATH (embedded, default) or postgres://user@host:5432/db?sslmode=disable (PostgreSQL 15+)."},
	{"EMPLOIS_ADDR", ":8080", "Address the web server listens on."},
	{"EMPLOIS_BASE_URL", "http://localhost:8080", "Public URL of the service, used in e-mail links and OpenID redirects. An https:// URL turns on secure cookies and HSTS."},
	{"EMPLOIS_DEV", "false", "Development mode, on only when asked for (`make run` and `emplois serve --demo` set it): the mail outbox is readable by anyone at /dev/mails. Refused with an https:// EMPLOIS_BASE_URL; never on in production."},
	{"EMPLOIS_SMTP_URL", "", "SMTP server for outgoing mail: smtp://user:pass@host:587 (STARTTLS), smtps://host:465 (TLS) or smtp://host:25?tls=none. Empty: mails stay in the outbox, unsent (the log says so at start)."},
	{"EMPLOIS_BLOB_URL", "file://./var/files", "Where uploaded files (CVs) are kept: file://FOLDER (default, created when missing) or mem:// (in memory, lost at exit: tests). Object storage (s3://) needs its driver registered in internal/platform/blob."},
	{"EMPLOIS_MAIL_FROM", "Les emplois de l'inclusion <ne-pas-repondre@inclusion.gouv.fr>", "Sender of outgoing mail."},
	{"EMPLOIS_REFERENCE_DIR", "", "Folder holding the reference CSV files (regions.csv, departments.csv, communes.csv, rome_codes.csv, rome_appellations.csv, naf_codes.csv). With --demo, the full reference data is imported from it."},
	{"EMPLOIS_SESSION_IDLE", "168h", "A session ends after this long without activity (7 days)."},
	{"EMPLOIS_SESSION_LIFETIME", "168h", "A session ends this long after login, whatever the activity."},
	{"EMPLOIS_LOGIN_MAX_ATTEMPTS", "5", "Failed logins allowed per account, and 4 times as many per client address, within the throttle window."},
	{"EMPLOIS_LOGIN_WINDOW", "15m", "Login throttle window."},
	{"EMPLOIS_TRUSTED_PROXIES", "", "Comma-separated CIDRs of load balancers whose X-Forwarded-For header is trusted for the client address (e.g. 10.0.0.0/8)."},
	{"EMPLOIS_STATE_IDENTITY", "true", "Show the French State identity (Marianne block) in the header. Turn off for a deployment by another body."},
	{"EMPLOIS_LOG_FORMAT", "text", "Log format: text or json."},
	{"EMPLOIS_WORKERS", "2", "Background worker goroutines claiming jobs (mail sending, periodic tasks)."},
	{"EMPLOIS_REMINDER_DAYS", "15", "Days a candidature waits for an answer before its company's members are reminded of it (once per candidature)."},
	{"EMPLOIS_PASS_PREFIX", "99999", "The 5 letters or digits that start every PASS IAE number this service issues (approvals.md §2.7): the ASP recognizes the service's PASS by them. Never change it on a running service: numbers already issued keep theirs."},
	{"EMPLOIS_METRICS_TOKEN", "", "Bearer token that /metrics (Prometheus) requires. Empty: /metrics is open to anyone, so restrict it at the load balancer."},
	{"EMPLOIS_PROCONNECT_ISSUER", "", "ProConnect issuer URL (OpenID discovery at ISSUER/.well-known/openid-configuration), e.g. https://auth.agentconnect.gouv.fr/api/v2 in production. Empty: login with ProConnect is off."},
	{"EMPLOIS_PROCONNECT_CLIENT_ID", "", "Client id given by ProConnect for this service. The redirect URI to declare is EMPLOIS_BASE_URL/proconnect/callback, the post-logout URI EMPLOIS_BASE_URL/."},
	{"EMPLOIS_PROCONNECT_CLIENT_SECRET", "", "Client secret given by ProConnect (never logged)."},
	{"EMPLOIS_FRANCECONNECT_ISSUER", "", "FranceConnect issuer URL (OpenID discovery at ISSUER/.well-known/openid-configuration), e.g. https://oidc.franceconnect.gouv.fr/api/v2 in production. Empty: login and signup of job seekers with FranceConnect are off."},
	{"EMPLOIS_FRANCECONNECT_CLIENT_ID", "", "Client id given by FranceConnect for this service. The redirect URI to declare is EMPLOIS_BASE_URL/franceconnect/callback, the post-logout URI EMPLOIS_BASE_URL/."},
	{"EMPLOIS_FRANCECONNECT_CLIENT_SECRET", "", "Client secret given by FranceConnect (never logged)."},
	{"EMPLOIS_PRO_PASSWORD_LOGIN", "true when EMPLOIS_DEV is on", "Lets professionals log in with e-mail and password (demo, development). Off and ProConnect configured: professionals must use ProConnect."},
	{"EMPLOIS_SECRET_KEY", "", "Secret (at least 32 characters) signing the employer signup links. Required outside development mode; empty in development: a random key is generated once and kept in the database (table setting)."},
	{"EMPLOIS_SUPPORT_EMAIL", "", "Support team address: told of every prescriber organization registered with a habilitation to validate, and of every PASS IAE to deliver by hand (approvals.md §2.8-6). Empty: no such mail."},
	{"EMPLOIS_RATE_LIMIT_PAGES", "30", "Search pages (/search/...) an anonymous visitor may load per minute, per client address; beyond, a 429 page. Counted in the database, so shared by all instances. 0: no limit."},
	{"EMPLOIS_RATE_LIMIT_API", "12", "Calls to the public API (/api/v1/) an anonymous client may make per minute, per client address; beyond, a 429 JSON answer. Shared by all instances. 0: no limit."},
	{"EMPLOIS_API_CONTACT_EMAIL", "api.emplois@inclusion.gouv.fr", "Address the /api/ page invites partners to write to for the rights some API resources need (api.md §9)."},
	{"EMPLOIS_API_FRENCH_LIKE_ASP_FROM", "", "Day (YYYY-MM-DD, Paris) from which the employee-records API gives salarieLangueFrancaise the ASP's meaning (true: does not master French) whatever the X-API-salarieLangueFrancaise-like-asp header (api.md §10 Q11). Empty: only calls with the header get it."},
	{"EMPLOIS_RATE_LIMIT_PASS_VERIFY", "10", "Lookups of the public PASS IAE verification page (/pass-iae/verify) a client address may make per minute, logged in or not; beyond, a 429 page. Shared by all instances. 0: no limit."},
	{"EMPLOIS_ASP_SFTP_HOST", "", "The ASP's SFTP server that takes the fiches salarié and returns their answers (asp.md §5.1). Empty: the exchange is off, and the worker says so in its log."},
	{"EMPLOIS_ASP_SFTP_PORT", "22", "Port of the ASP's SFTP server."},
	{"EMPLOIS_ASP_SFTP_USER", "", "Login on the ASP's SFTP server (required with EMPLOIS_ASP_SFTP_HOST)."},
	{"EMPLOIS_ASP_SFTP_PRIVATE_KEY_PATH", "", "File of the private key that logs in to the ASP's SFTP server, in PEM (required with EMPLOIS_ASP_SFTP_HOST). An RSA key signs with ssh-rsa, as the ASP requires."},
	{"EMPLOIS_ASP_SFTP_HOST_KEY", "", "The ASP server's public key, as a line of authorized_keys (ssh-rsa AAAA…): the only server key accepted (required with EMPLOIS_ASP_SFTP_HOST)."},
	{"EMPLOIS_API_PARTICULIER_URL", "https://particulier.api.gouv.fr/api/", "Base URL of API Particulier, which certifies the RSA, AAH and parent isolé criteria of the eligibility diagnoses (approvals.md §2.5)."},
	{"EMPLOIS_API_PARTICULIER_TOKEN", "", "Bearer token of API Particulier (never logged). Empty: the certification is off, the worker says so in its log, and the criteria show « Certification en cours »."},
	{"EMPLOIS_FT_API_BASE_URL", "", "Base URL of France Travail's partner API (asp.md §4, §6), e.g. https://api.francetravail.io/partenaire. Empty: the calls to France Travail are off (the France Travail agencies sync refuses to run, the worker says so in its log)."},
	{"EMPLOIS_FT_AUTH_BASE_URL", "", "Base URL of France Travail's token endpoint for partners (AUTH_BASE/connexion/oauth2/access_token?realm=/partenaire), e.g. https://entreprise.francetravail.fr (required with EMPLOIS_FT_API_BASE_URL)."},
	{"EMPLOIS_FT_CLIENT_ID", "", "Client id (« clé ») of this service at France Travail (required with EMPLOIS_FT_API_BASE_URL)."},
	{"EMPLOIS_FT_CLIENT_SECRET", "", "Client secret given by France Travail (required with EMPLOIS_FT_API_BASE_URL; never logged)."},
	{"EMPLOIS_BENCH_ROUTES", "false", "Registers GET /bench/reference, the reference page of `make bench-search` (one primary-key query rendered in the site layout), to compare the search pages with. Benchmarks only: must stay off in production."},
}

// Config is the resolved configuration.
type Config struct {
	DatabaseURL      string
	Addr             string
	BaseURL          *url.URL
	Dev              bool
	SMTPURL          string
	BlobURL          string
	MailFrom         string
	ReferenceDir     string
	SessionIdle      time.Duration
	SessionLifetime  time.Duration
	LoginMaxAttempts int
	LoginWindow      time.Duration
	TrustedProxies   []string
	StateIdentity    bool
	LogFormat        string
	Workers          int
	// ReminderDays: a candidature unanswered this many days is recalled to its company's members.
	ReminderDays int
	// PASSPrefix starts the numbers of the PASS IAE issued here (5 ASCII letters or digits).
	PASSPrefix   string
	MetricsToken string

	// ProConnect (OpenID Connect login of professionals, actors.md §11). Off when the issuer is empty.
	ProConnectIssuer       string
	ProConnectClientID     string
	ProConnectClientSecret Secret
	// FranceConnect (OpenID Connect login and signup of job seekers, actors.md §11). Off when
	// the issuer is empty.
	FranceConnectIssuer       string
	FranceConnectClientID     string
	FranceConnectClientSecret Secret
	// ProPasswordLogin lets professionals log in with e-mail and password.
	ProPasswordLogin bool
	// SecretKey signs links that carry no stored token (employer signup, actors.md §10.5).
	SecretKey Secret
	// SupportEmail receives the habilitations to validate; empty: none is sent.
	SupportEmail string
	// RateLimitPages and RateLimitAPI are the requests per minute an anonymous client address
	// may make to the search pages and to the API (issue 4); 0 turns the limit off.
	RateLimitPages int
	RateLimitAPI   int
	// APIContactEmail is the address the /api/ page gives partners (api.md §9).
	APIContactEmail string
	// APIFrenchLikeASPFrom is when salarieLangueFrancaise takes the ASP's meaning for every
	// call of the employee-records API (zero: only with the header).
	APIFrenchLikeASPFrom time.Time
	// RateLimitPASSVerify is the lookups per minute a client address may make on the public PASS
	// IAE verification page, logged in or not.
	RateLimitPASSVerify int
	// BenchRoutes registers the reference page of the search benchmark (/bench/reference).
	BenchRoutes bool
	// API Particulier (asp.md §7.1); off when APIParticulierToken is empty.
	APIParticulierURL, APIParticulierToken string
	// The ASP's SFTP server of the fiches salarié (asp.md §5.1); off when ASPSFTPHost is empty.
	ASPSFTPHost, ASPSFTPUser, ASPSFTPPrivateKeyPath, ASPSFTPHostKey string
	ASPSFTPPort                                                     int
	// France Travail's partner API (asp.md §4, §6); off when FTAPIBaseURL is empty.
	FTAPIBaseURL, FTAuthBaseURL, FTClientID string
	FTClientSecret                          Secret
}

// Secret is a setting that must never reach a log or an error message: it prints as
// "[redacted]" whatever the verb; Reveal gives the value to the code that needs it.
type Secret string

func (s Secret) Reveal() string               { return string(s) }
func (s Secret) String() string               { return "[redacted]" }
func (s Secret) GoString() string             { return `"[redacted]"` }
func (s Secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// MinSecretKeyLength is the shortest EMPLOIS_SECRET_KEY accepted.
const MinSecretKeyLength = 32

// CheckProduction refuses to serve outside development mode without the settings production
// needs (EMPLOIS_SECRET_KEY). `emplois serve` calls it; tests and development do without.
func (c Config) CheckProduction() error {
	if !c.Dev && c.SecretKey == "" {
		return fmt.Errorf("configuration: EMPLOIS_SECRET_KEY is required outside development mode (EMPLOIS_DEV=false)")
	}
	return nil
}

// ProConnectEnabled reports whether login with ProConnect is configured.
func (c Config) ProConnectEnabled() bool { return c.ProConnectIssuer != "" }

// FranceTravailEnabled reports whether the calls to France Travail's partner API are configured.
func (c Config) FranceTravailEnabled() bool { return c.FTAPIBaseURL != "" }

// FranceConnectEnabled reports whether login and signup with FranceConnect are configured.
func (c Config) FranceConnectEnabled() bool { return c.FranceConnectIssuer != "" }

// SecureCookies reports whether cookies must carry the Secure flag (served over HTTPS).
func (c Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// Load reads the configuration through lookup (os.LookupEnv in production, a map in tests).
func Load(lookup func(string) (string, bool)) (Config, error) {
	get := func(name string) string {
		if v, ok := lookup(name); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		panic("config: undeclared variable " + name)
	}
	var c Config
	var errs []string
	fail := func(name string, err error) { errs = append(errs, fmt.Sprintf("%s: %v", name, err)) }

	c.DatabaseURL = get("DATABASE_URL")
	c.Addr = get("EMPLOIS_ADDR")
	base, err := url.Parse(get("EMPLOIS_BASE_URL"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		fail("EMPLOIS_BASE_URL", fmt.Errorf("must be an absolute http(s) URL"))
		base, _ = url.Parse("http://localhost:8080")
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	c.BaseURL = base
	c.SMTPURL = get("EMPLOIS_SMTP_URL")
	c.BlobURL = get("EMPLOIS_BLOB_URL")
	if c.Dev, err = strconv.ParseBool(get("EMPLOIS_DEV")); err != nil {
		fail("EMPLOIS_DEV", err)
	} else if err := checkDev(c.Dev, c.BaseURL); err != nil {
		fail("EMPLOIS_DEV", err)
	}
	c.MailFrom = get("EMPLOIS_MAIL_FROM")
	c.ReferenceDir = get("EMPLOIS_REFERENCE_DIR")
	duration := func(name string) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err != nil || d <= 0 {
			fail(name, fmt.Errorf("must be a positive duration such as 15m or 168h"))
		}
		return d
	}
	integer := func(name string) int {
		n, err := strconv.Atoi(get(name))
		if err != nil || n <= 0 {
			fail(name, fmt.Errorf("must be a positive whole number"))
		}
		return n
	}
	c.SessionIdle = duration("EMPLOIS_SESSION_IDLE")
	c.SessionLifetime = duration("EMPLOIS_SESSION_LIFETIME")
	c.LoginMaxAttempts = integer("EMPLOIS_LOGIN_MAX_ATTEMPTS")
	c.LoginWindow = duration("EMPLOIS_LOGIN_WINDOW")
	if v := get("EMPLOIS_TRUSTED_PROXIES"); v != "" {
		for _, p := range strings.Split(v, ",") {
			c.TrustedProxies = append(c.TrustedProxies, strings.TrimSpace(p))
		}
	}
	c.StateIdentity, err = strconv.ParseBool(get("EMPLOIS_STATE_IDENTITY"))
	if err != nil {
		fail("EMPLOIS_STATE_IDENTITY", err)
	}
	c.LogFormat = get("EMPLOIS_LOG_FORMAT")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		fail("EMPLOIS_LOG_FORMAT", fmt.Errorf("must be text or json"))
	}
	c.Workers = integer("EMPLOIS_WORKERS")
	c.ReminderDays = integer("EMPLOIS_REMINDER_DAYS")
	c.PASSPrefix = get("EMPLOIS_PASS_PREFIX")
	if !isPASSPrefix(c.PASSPrefix) {
		fail("EMPLOIS_PASS_PREFIX", fmt.Errorf("must be 5 ASCII letters or digits"))
	}
	c.MetricsToken = get("EMPLOIS_METRICS_TOKEN")
	// The OpenID providers: an issuer turns one on, and then needs its client id and secret.
	for _, p := range []struct {
		prefix           string
		issuer, clientID *string
		secret           *Secret
	}{
		{"EMPLOIS_PROCONNECT_", &c.ProConnectIssuer, &c.ProConnectClientID, &c.ProConnectClientSecret},
		{"EMPLOIS_FRANCECONNECT_", &c.FranceConnectIssuer, &c.FranceConnectClientID, &c.FranceConnectClientSecret},
	} {
		*p.issuer = strings.TrimSuffix(get(p.prefix+"ISSUER"), "/")
		*p.clientID = get(p.prefix + "CLIENT_ID")
		*p.secret = Secret(get(p.prefix + "CLIENT_SECRET"))
		if *p.issuer == "" {
			continue
		}
		if err := checkIssuer(*p.issuer); err != nil {
			fail(p.prefix+"ISSUER", err)
		}
		if *p.clientID == "" {
			fail(p.prefix+"CLIENT_ID", fmt.Errorf("is required when %sISSUER is set", p.prefix))
		}
		if *p.secret == "" {
			fail(p.prefix+"CLIENT_SECRET", fmt.Errorf("is required when %sISSUER is set", p.prefix))
		}
	}
	c.ProPasswordLogin = c.Dev
	if v, ok := lookup("EMPLOIS_PRO_PASSWORD_LOGIN"); ok && strings.TrimSpace(v) != "" {
		if c.ProPasswordLogin, err = strconv.ParseBool(strings.TrimSpace(v)); err != nil {
			fail("EMPLOIS_PRO_PASSWORD_LOGIN", err)
		}
	}
	c.SecretKey = Secret(get("EMPLOIS_SECRET_KEY"))
	if c.SecretKey != "" && len(c.SecretKey) < MinSecretKeyLength {
		fail("EMPLOIS_SECRET_KEY", fmt.Errorf("must be at least %d characters long", MinSecretKeyLength))
	}
	c.SupportEmail = strings.ToLower(get("EMPLOIS_SUPPORT_EMAIL"))
	if c.SupportEmail != "" && !strings.Contains(c.SupportEmail, "@") {
		fail("EMPLOIS_SUPPORT_EMAIL", fmt.Errorf("must be an e-mail address"))
	}
	perMinute := func(name string) int {
		n, err := strconv.Atoi(get(name))
		if err != nil || n < 0 {
			fail(name, fmt.Errorf("must be a whole number of requests per minute (0: no limit)"))
		}
		return n
	}
	c.RateLimitPages = perMinute("EMPLOIS_RATE_LIMIT_PAGES")
	c.RateLimitAPI = perMinute("EMPLOIS_RATE_LIMIT_API")
	c.RateLimitPASSVerify = perMinute("EMPLOIS_RATE_LIMIT_PASS_VERIFY")
	c.APIContactEmail = get("EMPLOIS_API_CONTACT_EMAIL")
	if !strings.Contains(c.APIContactEmail, "@") {
		fail("EMPLOIS_API_CONTACT_EMAIL", fmt.Errorf("must be an e-mail address"))
	}
	if raw := get("EMPLOIS_API_FRENCH_LIKE_ASP_FROM"); raw != "" {
		if c.APIFrenchLikeASPFrom, err = time.ParseInLocation(time.DateOnly, raw, localtime.Paris); err != nil {
			fail("EMPLOIS_API_FRENCH_LIKE_ASP_FROM", fmt.Errorf("must be a day as YYYY-MM-DD"))
		}
	}
	if c.BenchRoutes, err = strconv.ParseBool(get("EMPLOIS_BENCH_ROUTES")); err != nil {
		fail("EMPLOIS_BENCH_ROUTES", err)
	}
	c.APIParticulierURL, c.APIParticulierToken = get("EMPLOIS_API_PARTICULIER_URL"), get("EMPLOIS_API_PARTICULIER_TOKEN")
	c.ASPSFTPHost, c.ASPSFTPUser = get("EMPLOIS_ASP_SFTP_HOST"), get("EMPLOIS_ASP_SFTP_USER")
	c.ASPSFTPPrivateKeyPath, c.ASPSFTPHostKey = get("EMPLOIS_ASP_SFTP_PRIVATE_KEY_PATH"), get("EMPLOIS_ASP_SFTP_HOST_KEY")
	c.ASPSFTPPort = integer("EMPLOIS_ASP_SFTP_PORT")
	if c.ASPSFTPHost != "" {
		for _, v := range [][2]string{{"EMPLOIS_ASP_SFTP_USER", c.ASPSFTPUser},
			{"EMPLOIS_ASP_SFTP_PRIVATE_KEY_PATH", c.ASPSFTPPrivateKeyPath}, {"EMPLOIS_ASP_SFTP_HOST_KEY", c.ASPSFTPHostKey}} {
			if v[1] == "" {
				fail(v[0], fmt.Errorf("is required when EMPLOIS_ASP_SFTP_HOST is set"))
			}
		}
	}
	c.FTAPIBaseURL = strings.TrimSuffix(get("EMPLOIS_FT_API_BASE_URL"), "/")
	c.FTAuthBaseURL = strings.TrimSuffix(get("EMPLOIS_FT_AUTH_BASE_URL"), "/")
	c.FTClientID, c.FTClientSecret = get("EMPLOIS_FT_CLIENT_ID"), Secret(get("EMPLOIS_FT_CLIENT_SECRET"))
	if c.FTAPIBaseURL != "" {
		for _, v := range [][2]string{{"EMPLOIS_FT_AUTH_BASE_URL", c.FTAuthBaseURL}, {"EMPLOIS_FT_CLIENT_ID", c.FTClientID},
			{"EMPLOIS_FT_CLIENT_SECRET", c.FTClientSecret.Reveal()}} {
			if v[1] == "" {
				fail(v[0], fmt.Errorf("is required when EMPLOIS_FT_API_BASE_URL is set"))
			}
		}
		for _, v := range [][2]string{{"EMPLOIS_FT_API_BASE_URL", c.FTAPIBaseURL}, {"EMPLOIS_FT_AUTH_BASE_URL", c.FTAuthBaseURL}} {
			if v[1] != "" {
				if err := checkIssuer(v[1]); err != nil {
					fail(v[0], err)
				}
			}
		}
	} else if c.FTAuthBaseURL != "" || c.FTClientID != "" || c.FTClientSecret != "" {
		fail("EMPLOIS_FT_API_BASE_URL", fmt.Errorf("is required when the other EMPLOIS_FT_ settings are set"))
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// isPASSPrefix reports whether p may start a PASS IAE number: 5 ASCII letters or digits.
func isPASSPrefix(p string) bool {
	if len(p) != 5 {
		return false
	}
	for _, r := range p {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// checkDev refuses development mode on a public https:// URL: it opens the mail outbox, password
// reset links included, to anyone (issue 8, the critical finding of the security probe).
func checkDev(dev bool, base *url.URL) error {
	if dev && base.Scheme == "https" {
		return fmt.Errorf("development mode exposes every mail at /dev/mails: it is refused with an https:// EMPLOIS_BASE_URL (unset EMPLOIS_DEV in production)")
	}
	return nil
}

// MailNotice is what the log says at start about mail delivery: nothing with an SMTP server;
// without one, that mails stay in the outbox (readable at /dev/mails in development mode only).
func (c Config) MailNotice() string {
	switch {
	case c.SMTPURL != "":
		return ""
	case c.Dev:
		return "mail delivery off: EMPLOIS_SMTP_URL is empty, mails stay in the outbox, read them at /dev/mails (development mode)"
	default:
		return "mail delivery off: EMPLOIS_SMTP_URL is empty, mails stay in the outbox and are NOT sent"
	}
}

// checkIssuer accepts an https URL, or an http URL on the loopback interface (an identity
// provider run for tests or development on the same machine).
func checkIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must be an absolute https URL without query")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if h := u.Hostname(); h == "localhost" || h == "127.0.0.1" || h == "::1" {
			return nil
		}
	}
	return fmt.Errorf("must be an https URL (http only on localhost)")
}

// FromEnv loads the configuration from the process environment.
func FromEnv() (Config, error) { return Load(os.LookupEnv) }
