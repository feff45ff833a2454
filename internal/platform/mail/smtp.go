package mail

import (
	"crypto/tls"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it (smtp:// default).
	// Credentials are then sent only over an encrypted connection.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSStartTLS requires STARTTLS (smtp://...?tls=starttls).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit connects over TLS from the first byte (smtps://, or ?tls=tls).
	TLSImplicit TLSMode = "tls"
	// TLSNone never encrypts (smtp://...?tls=none), for a relay on a trusted network.
	TLSNone TLSMode = "none"
)

// SMTPSettings is a parsed EMPLOIS_SMTP_URL.
type SMTPSettings struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
}

// ParseSMTPURL reads smtp://[user:pass@]host[:port][?tls=none|starttls|tls] (port 25 by
// default) or smtps://[user:pass@]host[:port] (implicit TLS, port 465 by default). User and
// password are URL-encoded (a @ in a password is %40).
func ParseSMTPURL(raw string) (SMTPSettings, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL is not a URL")
	}
	var s SMTPSettings
	switch u.Scheme {
	case "smtp":
		s.TLS, s.Port = TLSOpportunistic, 25
	case "smtps":
		s.TLS, s.Port = TLSImplicit, 465
	default:
		return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL must start with smtp:// or smtps://")
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL has an invalid port %q", p)
		}
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	for key := range q {
		if key != "tls" {
			return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL: unknown parameter %q (only tls)", key)
		}
	}
	if mode := q.Get("tls"); mode != "" {
		switch TLSMode(mode) {
		case TLSNone, TLSStartTLS, TLSImplicit:
			if u.Scheme == "smtps" && TLSMode(mode) != TLSImplicit {
				return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL: smtps:// always uses TLS")
			}
			s.TLS = TLSMode(mode)
		default:
			return SMTPSettings{}, fmt.Errorf("mail: EMPLOIS_SMTP_URL: tls must be none, starttls or tls, not %q", mode)
		}
	}
	return s, nil
}

// String shows the settings without the password, for logs.
func (s SMTPSettings) String() string {
	user := ""
	if s.Username != "" {
		user = s.Username + ":***@"
	}
	return fmt.Sprintf("smtp://%s%s:%d (tls: %s)", user, s.Host, s.Port, s.TLS)
}

// client returns a go-mail client for these settings. tlsConfig may be nil (system roots).
func (s SMTPSettings) client(tlsConfig *tls.Config) (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(30 * time.Second)}
	if tlsConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(tlsConfig))
	}
	switch s.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.Username != "" {
		// PLAIN or LOGIN, whichever the server offers. go-mail refuses to send them over a clear
		// connection unless tls=none says the network is trusted.
		mechs := []gomail.SMTPAuthType{gomail.SMTPAuthPlain, gomail.SMTPAuthLogin}
		if s.TLS == TLSNone {
			mechs = []gomail.SMTPAuthType{gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc}
		}
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(mechs...),
			gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	return gomail.NewClient(s.Host, opts...)
}
