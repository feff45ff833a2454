package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under content-hashed URLs, so that they can be cached
// for a year: a new build changes the URL of every file it changes.
//
// Our own files carry the hash in their name: css/app.css is /static/css/app.3f2a1b9c4d.css.
// A vendored package (each folder static/vendor/NAME, written by `make assets`) carries one hash
// of its whole content in its folder name: vendor/dsfr/dsfr.min.css is
// /static/vendor/dsfr.5e6f7a8b9c/dsfr.min.css. dsfr.min.css reaches its fonts and icons by
// relative url(), which per-file names would break; hashing the folder keeps them resolving
// without rewriting the vendored CSS, and any change inside the package changes all its URLs.
type staticFiles struct {
	hashed map[string]string       // "css/app.css" -> "css/app.3f2a1b9c4d.css"
	files  map[string]*staticAsset // "css/app.3f2a1b9c4d.css" -> content
}

type staticAsset struct {
	body        []byte
	gzipped     []byte // nil when the file does not compress (fonts, images)
	contentType string
}

// assetTypes completes the mime package for the types we serve, whatever /etc/mime.types holds.
var assetTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".svg":         "image/svg+xml",
	".woff2":       "font/woff2",
	".png":         "image/png",
	".ico":         "image/vnd.microsoft.icon",
	".webmanifest": "application/manifest+json",
	".md":          "text/markdown; charset=utf-8",
}

// loadStatic reads and hashes the embedded files once per process (tests build many servers).
var loadStatic = sync.OnceValues(readStatic)

func readStatic() (*staticFiles, error) {
	sf := &staticFiles{hashed: map[string]string{}, files: map[string]*staticAsset{}}
	contents := map[string][]byte{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		contents[strings.TrimPrefix(p, "static/")] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	packages := packageHashes(contents)
	for rel, b := range contents {
		name := hashedName(rel, b, packages)
		sf.hashed[rel] = name
		sf.files[name] = newAsset(rel, b)
	}
	return sf, nil
}

// vendorPackage returns "vendor/NAME" for a file inside a vendored package, "" otherwise.
func vendorPackage(rel string) string {
	parts := strings.SplitN(rel, "/", 3)
	if len(parts) == 3 && parts[0] == "vendor" {
		return parts[0] + "/" + parts[1]
	}
	return ""
}

// packageHashes hashes each vendored package over its files' paths and contents, in path order.
func packageHashes(contents map[string][]byte) map[string]string {
	byPackage := map[string][]string{}
	for rel := range contents {
		if pkg := vendorPackage(rel); pkg != "" {
			byPackage[pkg] = append(byPackage[pkg], rel)
		}
	}
	hashes := map[string]string{}
	for pkg, rels := range byPackage {
		sort.Strings(rels)
		h := sha256.New()
		for _, rel := range rels {
			fileSum := sha256.Sum256(contents[rel])
			fmt.Fprintf(h, "%s %x\n", rel, fileSum)
		}
		hashes[pkg] = hex.EncodeToString(h.Sum(nil))[:10]
	}
	return hashes
}

func hashedName(rel string, b []byte, packages map[string]string) string {
	if pkg := vendorPackage(rel); pkg != "" {
		return pkg + "." + packages[pkg] + strings.TrimPrefix(rel, pkg)
	}
	sum := sha256.Sum256(b)
	ext := path.Ext(rel)
	return strings.TrimSuffix(rel, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// newAsset prepares a file for serving; text files are gzipped once here rather than per request
// (dsfr.min.css is 730 kB, 90 kB gzipped).
func newAsset(rel string, b []byte) *staticAsset {
	ext := path.Ext(rel)
	a := &staticAsset{body: b, contentType: assetTypes[ext]}
	if a.contentType == "" {
		a.contentType = mime.TypeByExtension(ext)
	}
	if a.contentType == "" {
		a.contentType = "application/octet-stream"
	}
	if compressible(a.contentType) && len(b) > 1024 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b)*9/10 {
			a.gzipped = buf.Bytes()
		}
	}
	return a
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "javascript") ||
		strings.Contains(contentType, "svg") || strings.Contains(contentType, "json") ||
		contentType == "image/vnd.microsoft.icon"
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

// serve answers GET /static/{name...}. A name with a stale or wrong hash is a 404: serving the
// current content under an old URL would get it cached for a year.
func (sf *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	a, ok := sf.files[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body := a.body
	if a.gzipped != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body = a.gzipped
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}
