package blob

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestStore_KeepsReadsCopiesAndDeletesFilesInAFolder(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "files")
	s, err := Open(ctx, "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Put(ctx, "resume-private/a.pdf", "application/pdf", []byte("%PDF-1.4")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "resume-private", "a.pdf")); err != nil {
		t.Errorf("the file is not in the folder: %v", err)
	}
	if err := s.Copy(ctx, "resume-private/b.pdf", "resume-private/a.pdf"); err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, "resume-private/b.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "%PDF-1.4" {
		t.Errorf("read %q", b)
	}
	if err := s.Delete(ctx, "resume-private/a.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "resume-private/a.pdf"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a deleted file opens: %v", err)
	}
	if err := s.Delete(ctx, "resume-private/a.pdf"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}
