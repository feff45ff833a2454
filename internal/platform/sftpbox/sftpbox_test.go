package sftpbox

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func newServer(t *testing.T) *Server {
	t.Helper()
	s, err := NewServer(t.TempDir(), "emplois", "depot", "retrait")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestBox_PutListGetRemoveOverARealSFTPSession(t *testing.T) {
	s := newServer(t)
	b, err := Dial(context.Background(), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Put("depot", "RIAE_FS_20210927000000.json", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(s.Root, "depot", "RIAE_FS_20210927000000.json"))
	if err != nil || string(got) != `{"a":1}` {
		t.Fatalf("on the server: %q %v", got, err)
	}
	if err := b.Put("depot", "RIAE_FS_20210927000000.json", []byte("again")); err == nil {
		t.Error("a second file of the same name was written")
	}
	for _, name := range []string{"b.json", "a.json"} {
		if err := os.WriteFile(filepath.Join(s.Root, "retrait", name), []byte(name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	names, err := b.List("retrait")
	if err != nil || !slices.Equal(names, []string{"a.json", "b.json"}) {
		t.Fatalf("list %v %v", names, err)
	}
	if data, err := b.Get("retrait", "a.json", 100); err != nil || string(data) != "a.json" {
		t.Errorf("get %q %v", data, err)
	}
	if _, err := b.Get("retrait", "a.json", 3); err == nil {
		t.Error("a file over the bound was read")
	}
	if err := b.Remove("retrait", "a.json"); err != nil {
		t.Fatal(err)
	}
	if names, _ := b.List("retrait"); !slices.Equal(names, []string{"b.json"}) {
		t.Errorf("after remove: %v", names)
	}
	if err := b.Put("missing", "x.json", nil); err == nil {
		t.Error("a write into a missing folder succeeded")
	}
}

func TestDial_RefusesAServerWhoseKeyIsNotThePinnedOne(t *testing.T) {
	s, other := newServer(t), newServer(t)
	c := s.Client
	c.HostKey = other.Client.HostKey
	if _, err := Dial(context.Background(), c); err == nil || !strings.Contains(err.Error(), "ssh") {
		t.Errorf("dial with another host key: %v", err)
	}
	c = s.Client
	c.PrivateKey = other.Client.PrivateKey
	if _, err := Dial(context.Background(), c); err == nil {
		t.Error("dial with an unknown client key succeeded")
	}
	c = s.Client
	c.HostKey = ""
	if _, err := Dial(context.Background(), c); err == nil {
		t.Error("dial without a pinned host key succeeded")
	}
}
