// Package blob keeps uploaded files (CVs) in a bucket of gocloud.dev/blob: a folder on disk by
// default (file://./var/files), memory in tests (mem://). Keys are chosen by the caller
// ("resume-private/<random>.pdf"); nothing here knows what a file means.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	gcblob "gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file://
	_ "gocloud.dev/blob/memblob"  // mem://
	"gocloud.dev/gcerrors"
)

// ErrNotFound: no file under this key.
var ErrNotFound = errors.New("blob: not found")

// Store is an open bucket.
type Store struct {
	bucket *gcblob.Bucket
}

// Open opens the bucket of rawURL (EMPLOIS_BLOB_URL). A file:// folder is created when missing;
// a relative path (file://./var/files) is taken from the working directory.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	if rest, ok := strings.CutPrefix(rawURL, "file://"); ok {
		dir, query, _ := strings.Cut(rest, "?")
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("blob: %w", err)
		}
		if err := os.MkdirAll(abs, 0o750); err != nil {
			return nil, fmt.Errorf("blob: create %s: %w", abs, err)
		}
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
		// Written files are replaced atomically; no .attrs side files.
		q := url.Values{"metadata": {"skip"}}
		if query != "" {
			if extra, err := url.ParseQuery(query); err == nil {
				for k, v := range extra {
					q[k] = v
				}
			}
		}
		u.RawQuery = q.Encode()
		rawURL = u.String()
	}
	b, err := gcblob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob: open bucket: %w", err)
	}
	return &Store{bucket: b}, nil
}

// Put writes data under key with its content type.
func (s *Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := s.bucket.WriteAll(ctx, key, data, &gcblob.WriterOptions{ContentType: contentType}); err != nil {
		return fmt.Errorf("blob: put: %w", err)
	}
	return nil
}

// Open reads the file under key; the caller closes it.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	r, err := s.bucket.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	return r, nil
}

// Copy copies the file under src to dst (a kept CV on an external transfer).
func (s *Store) Copy(ctx context.Context, dst, src string) error {
	err := s.bucket.Copy(ctx, dst, src, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("blob: copy: %w", err)
	}
	return nil
}

// Delete removes the file under key; a missing file is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.bucket.Delete(ctx, key)
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("blob: delete: %w", err)
	}
	return nil
}

// Exists reports whether a file is stored under key.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	ok, err := s.bucket.Exists(ctx, key)
	if err != nil {
		return false, fmt.Errorf("blob: exists: %w", err)
	}
	return ok, nil
}

// Close releases the bucket.
func (s *Store) Close() error { return s.bucket.Close() }
