package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under content-hashed names
// (/static/css/app.3f2a1b9c.css), so that they can be cached for a year: a new build changes
// the name of every file it changes.
type staticFiles struct {
	hashed map[string]string // "css/app.css" -> "css/app.3f2a1b9c.css"
	files  map[string]string // "css/app.3f2a1b9c.css" -> "static/css/app.css"
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{hashed: map[string]string{}, files: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel := strings.TrimPrefix(p, "static/")
		ext := path.Ext(rel)
		name := strings.TrimSuffix(rel, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		sf.hashed[rel] = name
		sf.files[name] = p
		return nil
	})
	return sf, err
}

// url returns the public URL of an asset; it panics on a name that does not exist so that a typo
// in a template fails at the first render in tests.
func (sf *staticFiles) url(rel string) string {
	name, ok := sf.hashed[rel]
	if !ok {
		panic(fmt.Sprintf("web: no static file %q", rel))
	}
	return "/static/" + name
}

// serve answers GET /static/{name...}.
func (sf *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	p, ok := sf.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	b, err := staticFS.ReadFile(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}
