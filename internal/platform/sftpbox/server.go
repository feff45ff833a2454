package sftpbox

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Server is a real SFTP server on a local port, serving one folder to one key: the partner's
// side in tests and in the demo (asp.md §5.1). It is not meant to face a network.
type Server struct {
	// Root is the folder served; the partner's side reads and writes it directly.
	Root string
	// Client is how to reach the server: everything a Box needs.
	Client Config

	listener net.Listener
	config   *ssh.ServerConfig
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]bool
}

// NewServer serves root on 127.0.0.1 at a free port, to a new key pair of a client named user;
// the folders listed are created in root.
func NewServer(root, user string, folders ...string) (*Server, error) {
	for _, f := range folders {
		if err := os.MkdirAll(filepath.Join(root, f), 0o750); err != nil {
			return nil, fmt.Errorf("sftpbox: folder %s: %w", f, err)
		}
	}
	_, hostPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	hostSigner, err := ssh.NewSignerFromKey(hostPriv)
	if err != nil {
		return nil, err
	}
	clientPub, clientPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(clientPriv, "")
	if err != nil {
		return nil, err
	}
	authorized, err := ssh.NewPublicKey(clientPub)
	if err != nil {
		return nil, err
	}
	cfg := &ssh.ServerConfig{PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
		if meta.User() == user && string(key.Marshal()) == string(authorized.Marshal()) {
			return &ssh.Permissions{}, nil
		}
		return nil, errors.New("unknown key")
	}}
	cfg.AddHostKey(hostSigner)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	s := &Server{Root: root, listener: ln, config: cfg, conns: map[net.Conn]bool{}, Client: Config{Host: "127.0.0.1", Port: port, User: user,
		PrivateKey: pem.EncodeToMemory(block), HostKey: string(ssh.MarshalAuthorizedKey(hostSigner.PublicKey()))}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Close stops the server, ends its sessions and waits for them.
func (s *Server) Close() error {
	err := s.listener.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.listener.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[conn] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(conn)
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
		}()
	}
}

// serve answers one connection: its session channels with the sftp subsystem only.
func (s *Server) serve(conn net.Conn) {
	defer conn.Close()
	sc, chans, reqs, err := ssh.NewServerConn(conn, s.config)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "session only")
			continue
		}
		ch, requests, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for req := range requests {
				ok := req.Type == "subsystem" && len(req.Payload) > 4 && string(req.Payload[4:]) == "sftp"
				req.Reply(ok, nil)
			}
		}()
		srv, err := sftp.NewServer(ch, sftp.WithServerWorkingDirectory(s.Root))
		if err != nil {
			ch.Close()
			continue
		}
		if err := srv.Serve(); err != nil && !errors.Is(err, net.ErrClosed) && err.Error() != "EOF" {
			slog.Debug("sftpbox: session ended", "error", err)
		}
		srv.Close()
	}
}
