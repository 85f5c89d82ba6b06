package app_test

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
)

// pageBudget is the most a main page may weigh compressed, everything it loads
// included (ARCHITECTURE.md, Web).
const pageBudget = 30 * 1024

var (
	// loadingTag matches the tags that make a browser fetch something while
	// the page loads; plain <a href> links are not among them.
	loadingTag = regexp.MustCompile(`(?is)<(link|script|img|iframe|source|video|audio|embed|object|track)\b[^>]*>`)
	urlAttr    = regexp.MustCompile(`(?is)\s(href|src|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)`)
	cssURL     = regexp.MustCompile(`(?i)(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)`)
)

// pageRef is one URL a page loads, with the tag that loads it.
type pageRef struct{ tag, url string }

// loadedURLs returns every URL the document's loading tags name, unescaped.
func loadedURLs(doc string) []pageRef {
	var refs []pageRef
	for _, tag := range loadingTag.FindAllStringSubmatch(doc, -1) {
		for _, a := range urlAttr.FindAllStringSubmatch(tag[0], -1) {
			v := html.UnescapeString(strings.Trim(a[2], `"'`))
			if strings.EqualFold(a[1], "srcset") {
				for _, cand := range strings.Split(v, ",") {
					if f := strings.Fields(cand); len(f) > 0 {
						refs = append(refs, pageRef{strings.ToLower(tag[1]), f[0]})
					}
				}
				continue
			}
			refs = append(refs, pageRef{strings.ToLower(tag[1]), v})
		}
	}
	return refs
}

// otherOrigin reports whether ref points away from the server at origin
// (scheme://host), counting protocol-relative "//host" and the "/\host" that
// browsers read the same way.
func otherOrigin(ref, origin string) bool {
	ref = strings.ReplaceAll(strings.TrimSpace(ref), `\`, "/")
	u, err := url.Parse(ref)
	if err != nil {
		return true
	}
	if u.Host == "" {
		return false
	}
	o, _ := url.Parse(origin)
	return u.Host != o.Host || (u.Scheme != "" && u.Scheme != o.Scheme)
}

func TestOtherOrigin(t *testing.T) {
	origin := "http://127.0.0.1:4000"
	for _, tc := range []struct {
		ref  string
		want bool
	}{
		{"/static/abc/app.css", false},
		{"app.css", false},
		{"#main", false},
		{"data:image/svg+xml,<svg/>", false},
		{"http://127.0.0.1:4000/static/x.css", false},
		{"https://cdn.example.org/x.js", true},
		{"http://fonts.example.com/f.css", true},
		{"//cdn.example.org/x.js", true},
		{`/\cdn.example.org/x.js`, true},
		{" HTTPS://cdn.example.org/x.js", true},
		{"https://127.0.0.1:4000/x.css", true}, // another scheme is another origin
	} {
		if got := otherOrigin(tc.ref, origin); got != tc.want {
			t.Errorf("otherOrigin(%q) = %v, want %v", tc.ref, got, tc.want)
		}
	}
	refs := loadedURLs(`<a href="https://example.org">out</a><LINK rel=stylesheet HREF=/static/a/app.css>` +
		`<img src='/static/a/i.svg' srcset="/static/a/i2.svg 2x, https://cdn.example.org/i3.png 3x">` +
		`<script defer src="/static/a/app.js?v=1&amp;x=2"></script>`)
	want := []pageRef{{"link", "/static/a/app.css"}, {"img", "/static/a/i.svg"}, {"img", "/static/a/i2.svg"},
		{"img", "https://cdn.example.org/i3.png"}, {"script", "/static/a/app.js?v=1&x=2"}}
	if len(refs) != len(want) {
		t.Fatalf("loadedURLs = %q, want %q", refs, want)
	}
	for i := range want {
		if refs[i] != want[i] {
			t.Errorf("loadedURLs[%d] = %q, want %q", i, refs[i], want[i])
		}
	}
}

// TestPageWeight fetches each main page and every same-origin asset it loads,
// gzip-compressed as a browser would, and fails when a page weighs more than
// the budget in all or loads anything from another origin.
func TestPageWeight(t *testing.T) {
	env := apptest.New(t)
	stranger := env.Stranger()
	admin := env.AsDemo("demo-admin")
	pages := []struct {
		c    *apptest.Client
		path string
	}{
		{stranger, "/"}, {stranger, "/help"}, {stranger, "/login"}, {stranger, "/register"}, {stranger, "/recover"},
		{admin, "/account"}, {admin, "/admin"}, {admin, "/admin/people"}, {admin, "/admin/audit"},
		{admin, "/admin/orgs"}, {admin, "/admin/help"},
		{stranger, "/library"}, {stranger, "/library/1"}, {admin, "/library/manage"}, {admin, "/library/new"},
		{stranger, "/services"}, {stranger, "/services/" + app.DemoServiceID("pelita")}, {admin, "/services/manage"},
		{admin, "/services/manage/new"}, {admin, "/services/manage/problems"},
	}
	// get fetches path asking for gzip. Go's transport leaves the body
	// compressed when the request sets Accept-Encoding itself, so the length
	// of the body is what crossed the wire (headers aside).
	get := func(c *apptest.Client, path string) (wire int, plain []byte, contentType string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := c.Do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		body := []byte(res.Body)
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("GET %s: bad gzip: %v", path, err)
			}
			if plain, err = io.ReadAll(zr); err != nil {
				t.Fatalf("GET %s: bad gzip: %v", path, err)
			}
		} else {
			plain = body
		}
		return len(body), plain, res.Header.Get("Content-Type")
	}

	t.Logf("%-14s %8s %8s %8s %s", "page", "total", "document", "(plain)", "assets")
	for _, p := range pages {
		docWire, doc, ctype := get(p.c, p.path)
		if !strings.HasPrefix(ctype, "text/html") {
			t.Fatalf("%s: content type %q", p.path, ctype)
		}
		if docWire == len(doc) {
			t.Errorf("%s was not compressed", p.path)
		}
		total := docWire
		seen := map[string]bool{}
		var queue []string
		stylesheets := 0
		for _, ref := range loadedURLs(string(doc)) {
			if otherOrigin(ref.url, env.Server.URL) {
				t.Errorf("%s loads from another origin: <%s> %s", p.path, ref.tag, ref.url)
				continue
			}
			if strings.HasPrefix(ref.url, "/static/") && !seen[ref.url] {
				seen[ref.url] = true
				queue = append(queue, ref.url)
			}
		}
		var assets []string
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			wire, body, ctype := get(p.c, path)
			total += wire
			assets = append(assets, path[strings.LastIndex(path, "/")+1:])
			if strings.HasPrefix(ctype, "text/css") {
				stylesheets++
				for _, m := range cssURL.FindAllStringSubmatch(string(body), -1) {
					if otherOrigin(m[1], env.Server.URL) {
						t.Errorf("%s: stylesheet %s loads from another origin: %s", p.path, path, m[1])
					} else if strings.HasPrefix(m[1], "/static/") && !seen[m[1]] {
						seen[m[1]] = true
						queue = append(queue, m[1])
					}
				}
			}
		}
		if stylesheets == 0 { // the layout always links its stylesheet: finding none means the parsing broke
			t.Errorf("%s: no stylesheet found among %q", p.path, assets)
		}
		t.Logf("%-14s %8d %8d %8d %s", p.path, total, docWire, len(doc), strings.Join(assets, " "))
		if total > pageBudget {
			t.Errorf("%s weighs %d bytes compressed with what it loads, over the %d-byte budget", p.path, total, pageBudget)
		}
	}
}
