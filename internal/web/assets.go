package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFiles embed.FS

// Assets serves the embedded static files under /static/<hash>/<name>, so a
// changed file gets a new URL and an unchanged one can be cached for a year.
type Assets struct {
	files map[string]*asset
}

type asset struct {
	hash  string
	body  []byte
	gz    []byte
	ctype string
}

// LoadAssets reads and fingerprints the embedded static files.
func LoadAssets() (*Assets, error) {
	a := &Assets{files: map[string]*asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		name := strings.TrimPrefix(p, "static/")
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[name] = &asset{hash: hex.EncodeToString(sum[:5]), body: body, gz: gz.Bytes(), ctype: ctype}
		return nil
	})
	return a, err
}

// Path returns the cache-busted URL of a static file; it panics on an unknown
// name so that a template naming a missing asset fails at start-up tests.
func (a *Assets) Path(name string) string {
	f := a.files[name]
	if f == nil {
		panic("web: unknown asset " + name)
	}
	return "/static/" + f.hash + "/" + name
}

// ServeHTTP serves GET /static/{hash}/{name}.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := a.files[r.PathValue("name")]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	if r.PathValue("hash") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body := f.body
	if acceptsGzip(r) && len(f.gz) < len(f.body) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("ETag", `"`+f.hash+h.Get("Content-Encoding")+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
