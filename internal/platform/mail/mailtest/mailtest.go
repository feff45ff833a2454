// Package mailtest runs a real SMTP server in the test process (github.com/emersion/go-smtp) and
// reads the messages it receives, so that mail delivery is tested end to end without fakes.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options shape the server.
type Options struct {
	// TLS, when set, makes the server offer STARTTLS with this configuration.
	TLS *tls.Config
	// Users, when set, makes the server offer AUTH PLAIN with these user/password pairs
	// (over a clear connection too, so that tls=none with credentials can be tested).
	Users map[string]string
	// Reject, when set, is asked about each recipient; a non-nil *smtp.SMTPError refuses it.
	Reject func(rcpt string) *smtp.SMTPError
}

// Received is a message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
	User string // authenticated user, if any
	TLS  bool   // the session was encrypted
}

// Server is a running SMTP server on 127.0.0.1.
type Server struct {
	Addr string

	opt      Options
	ln       net.Listener
	srv      *smtp.Server
	mu       sync.Mutex
	received []Received
}

// Start listens on addr ("" picks a free port on 127.0.0.1) and serves until Stop or the end
// of the test.
func Start(t testing.TB, addr string, opt Options) *Server {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("mailtest: listen %s: %v", addr, err)
	}
	s := &Server{Addr: ln.Addr().String(), opt: opt, ln: ln}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = opt.TLS
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	go s.srv.Serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// Stop closes the listener and the open connections: the server is down.
func (s *Server) Stop() {
	s.ln.Close() // closed here too: Serve may not have registered it yet
	s.srv.Close()
}

// Port is the port the server listens on.
func (s *Server) Port() string {
	_, port, _ := net.SplitHostPort(s.Addr)
	return port
}

// Received returns the messages accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

type session struct {
	server *Server
	conn   *smtp.Conn
	user   string
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if s.server.opt.Users == nil {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if want, ok := s.server.opt.Users[username]; !ok || want != password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "invalid credentials"}
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.server.opt.Users != nil && s.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.server.opt.Reject != nil {
		if err := s.server.opt.Reject(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, encrypted := s.conn.TLSConnectionState()
	s.server.mu.Lock()
	s.server.received = append(s.server.received, Received{From: s.from, To: s.to, Data: b, User: s.user, TLS: encrypted})
	s.server.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// SelfSignedTLS returns a server configuration with a fresh certificate for 127.0.0.1 and a
// client configuration that trusts it.
func SelfSignedTLS(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}

// Message is a received message, decoded.
type Message struct {
	Header      mail.Header
	Subject     string // decoded from its MIME encoded-words
	ContentType string // media type of the whole message
	Text        string // decoded text/plain part
	HTML        string // decoded text/html part
	TextCharset string
	HTMLCharset string
}

// Parse decodes a raw message: headers, and the text and HTML parts of a multipart/alternative
// body (or a single text part).
func Parse(raw []byte) (Message, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	var out Message
	out.Header = m.Header
	if out.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		return out, fmt.Errorf("subject: %w", err)
	}
	media, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return out, fmt.Errorf("content type: %w", err)
	}
	out.ContentType = media
	if !strings.HasPrefix(media, "multipart/") {
		body, err := decode(m.Header.Get("Content-Transfer-Encoding"), m.Body)
		out.Text, out.TextCharset = body, params["charset"]
		return out, err
	}
	parts := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := parts.NextRawPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		ptype, pparams, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body, err := decode(p.Header.Get("Content-Transfer-Encoding"), p)
		if err != nil {
			return out, err
		}
		switch ptype {
		case "text/plain":
			out.Text, out.TextCharset = body, pparams["charset"]
		case "text/html":
			out.HTML, out.HTMLCharset = body, pparams["charset"]
		}
	}
}

func decode(encoding string, r io.Reader) (string, error) {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		b, err := io.ReadAll(r)
		if err != nil {
			return "", err
		}
		return decodeBase64(b)
	}
	b, err := io.ReadAll(r)
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}

func decodeBase64(b []byte) (string, error) {
	clean := strings.NewReplacer("\r", "", "\n", "").Replace(string(b))
	out, err := base64.StdEncoding.DecodeString(clean)
	return strings.ReplaceAll(string(out), "\r\n", "\n"), err
}
