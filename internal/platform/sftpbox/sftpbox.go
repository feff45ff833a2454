// Package sftpbox reaches the folders of a partner's SFTP server (the ASP's, asp.md §5.1): a
// key-authenticated session whose server key is pinned from configuration, and the four file
// operations an exchange of batch files needs.
package sftpbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"sort"
	"strconv"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Config says where the server is and who we are. Every field but Port and Timeout is required:
// without the server's key there is no connection (no « accept any host »).
type Config struct {
	Host string
	Port int // 22 when 0
	User string
	// PrivateKey is our key, in PEM (OpenSSH or PKCS#8).
	PrivateKey []byte
	// HostKey is the server's public key in authorized_keys form ("ssh-ed25519 AAAA…").
	HostKey string
	// Timeout bounds the connection (10 s when 0, asp.md §5.1).
	Timeout time.Duration
}

// Box is an open session on the server.
type Box struct {
	conn   *ssh.Client
	client *sftp.Client
}

// Dial opens a session. An RSA key signs with the legacy ssh-rsa algorithm only, as the ASP's
// server requires (asp.md §5.1); other keys sign as they do.
func Dial(ctx context.Context, c Config) (*Box, error) {
	if c.Host == "" || c.User == "" || len(c.PrivateKey) == 0 || c.HostKey == "" {
		return nil, errors.New("sftpbox: host, user, private key and host key are all required")
	}
	signer, err := ssh.ParsePrivateKey(c.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("sftpbox: private key: %w", err)
	}
	if signer.PublicKey().Type() == ssh.KeyAlgoRSA {
		if as, ok := signer.(ssh.AlgorithmSigner); ok {
			if signer, err = ssh.NewSignerWithAlgorithms(as, []string{ssh.KeyAlgoRSA}); err != nil {
				return nil, fmt.Errorf("sftpbox: ssh-rsa signer: %w", err)
			}
		}
	}
	hostKey, _, _, _, err := ssh.ParseAuthorizedKey([]byte(c.HostKey))
	if err != nil {
		return nil, fmt.Errorf("sftpbox: host key: %w", err)
	}
	port, timeout := c.Port, c.Timeout
	if port == 0 {
		port = 22
	}
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	addr := net.JoinHostPort(c.Host, strconv.Itoa(port))
	d := net.Dialer{Timeout: timeout}
	tcp, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sftpbox: connect to %s: %w", addr, err)
	}
	cfg := &ssh.ClientConfig{User: c.User, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(hostKey), Timeout: timeout}
	sc, chans, reqs, err := ssh.NewClientConn(tcp, addr, cfg)
	if err != nil {
		tcp.Close()
		return nil, fmt.Errorf("sftpbox: ssh to %s: %w", addr, err)
	}
	conn := ssh.NewClient(sc, chans, reqs)
	client, err := sftp.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("sftpbox: sftp on %s: %w", addr, err)
	}
	return &Box{conn: conn, client: client}, nil
}

// Close ends the session.
func (b *Box) Close() error {
	err := b.client.Close()
	return errors.Join(err, b.conn.Close())
}

// Put writes a new file dir/name; it fails if the file exists. It does not read the file back:
// the ASP's server does not list uploads reliably (asp.md §5.1).
func (b *Box) Put(dir, name string, data []byte) error {
	p := path.Join(dir, name)
	f, err := b.client.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return fmt.Errorf("sftpbox: create %s: %w", p, err)
	}
	if _, err := io.Copy(f, bytes.NewReader(data)); err != nil {
		f.Close()
		return fmt.Errorf("sftpbox: write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sftpbox: close %s: %w", p, err)
	}
	return nil
}

// List names the files of dir, in name order.
func (b *Box) List(dir string) ([]string, error) {
	infos, err := b.client.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("sftpbox: list %s: %w", dir, err)
	}
	var names []string
	for _, fi := range infos {
		if fi.Mode().IsRegular() {
			names = append(names, fi.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Get reads dir/name, at most max bytes.
func (b *Box) Get(dir, name string, max int64) ([]byte, error) {
	p := path.Join(dir, name)
	f, err := b.client.Open(p)
	if err != nil {
		return nil, fmt.Errorf("sftpbox: open %s: %w", p, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("sftpbox: read %s: %w", p, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("sftpbox: %s is larger than %d bytes", p, max)
	}
	return data, nil
}

// Remove deletes dir/name.
func (b *Box) Remove(dir, name string) error {
	p := path.Join(dir, name)
	if err := b.client.Remove(p); err != nil {
		return fmt.Errorf("sftpbox: remove %s: %w", p, err)
	}
	return nil
}
