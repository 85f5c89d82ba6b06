package browser

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// goodPage is accessible; its inline script must not run under the CSP, which
// the test checks through the title.
const goodPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Good</title><script>document.title = "inline script ran";</script></head>
<body>
<header><p>Rangkul test kit</p></header>
<main>
<h1>Good page</h1>
<form method="post" action="/good">
<label for="n">Name</label> <input id="n" name="n" autocomplete="nickname">
<button type="submit">Send</button>
</form>
<ul class="items"><li>one</li><li>two</li><li>three</li></ul>
</main>
</body>
</html>`

// badPage breaks known rules: an image without alt text, an input without a
// label.
const badPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad</title></head>
<body>
<main>
<h1>Bad page</h1>
<img src="/x.png">
<input name="nolabel">
</main>
</body>
</html>`

// pageServer serves the two pages with a strict Content-Security-Policy like
// the application's.
func pageServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/good":
			fmt.Fprint(w, goodPage)
		case "/bad":
			fmt.Fprint(w, badPage)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// recorder is a testing.TB that keeps the errors reported to it, so that a
// test can check what Axe reports without failing itself.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// The kit finds violations where they are and none where there are none,
// under a Content-Security-Policy that allows only the page's own scripts.
func TestAxeUnderCSP(t *testing.T) {
	srv := pageServer(t)
	ctx := Start(t)

	t.Run("good page", func(t *testing.T) {
		Visit(t, ctx, srv.URL+"/good", "main")
		if got := Title(t, ctx); got != "Good" {
			t.Fatalf("title %q: the page's CSP did not block its inline script, so this test proves nothing", got)
		}
		vs, err := AxeViolations(t, ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			t.Errorf("unexpected violation: %s", FormatViolation(v))
		}
		Axe(t, ctx, "good page")
	})

	t.Run("bad page", func(t *testing.T) {
		Visit(t, ctx, srv.URL+"/bad", "main")
		vs, err := AxeViolations(t, ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, v := range vs {
			ids[v.ID] = true
		}
		if !ids["image-alt"] || !ids["label"] {
			t.Fatalf("want image-alt and label violations, got %v", ids)
		}

		rec := &recorder{TB: t}
		Axe(rec, ctx, "bad page")
		all := strings.Join(rec.errors, "\n")
		if len(rec.errors) != len(vs) {
			t.Errorf("Axe reported %d errors for %d violations:\n%s", len(rec.errors), len(vs), all)
		}
		for _, want := range []string{"axe on bad page: image-alt (critical)", `<img src="/x.png">`, "label (critical)", `<input name="nolabel">`} {
			if !strings.Contains(all, want) {
				t.Errorf("Axe report lacks %q:\n%s", want, all)
			}
		}
	})
}

// The small helpers read the page and save a PNG.
func TestHelpers(t *testing.T) {
	srv := pageServer(t)
	ctx := Start(t)
	Visit(t, ctx, srv.URL+"/good", "main")
	if got := Location(t, ctx); got != srv.URL+"/good" {
		t.Errorf("Location = %q", got)
	}
	if got := Text(t, ctx, "h1"); got != "Good page" {
		t.Errorf("Text(h1) = %q", got)
	}
	if got := Count(t, ctx, `ul.items > li`); got != 3 {
		t.Errorf("Count = %d, want 3", got)
	}
	if got := Count(t, ctx, `a[href="it's \"quoted\""]`); got != 0 {
		t.Errorf("Count of nothing = %d", got)
	}
	Do(t, ctx, "type a name",
		chromedp.SendKeys(chromedp.CSS("#n"), "Sari"))
	val, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#n")))
	if err != nil || val != "Sari" {
		t.Errorf("value after Do = %q, %v", val, err)
	}

	path := filepath.Join(t.TempDir(), "shots", "good.png")
	Screenshot(t, ctx, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot is not a PNG (starts %q)", b[:min(8, len(b))])
	}
}

func TestFormatViolation(t *testing.T) {
	v := Violation{ID: "image-alt", Impact: "critical", Help: "Images must have alternative text", HelpURL: "https://example.org/image-alt"}
	for i := range 5 {
		v.Nodes = append(v.Nodes, Node{Target: []any{fmt.Sprintf("img:nth-child(%d)", i+1)}, HTML: "<img>"})
	}
	v.Nodes[0].Target = []any{"iframe", []any{"#host", "img"}}
	got := FormatViolation(v)
	for _, want := range []string{
		"image-alt (critical): Images must have alternative text <https://example.org/image-alt>",
		"iframe >> #host >> img  <img>",
		"img:nth-child(3)",
		"… and 2 more",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("FormatViolation lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "nth-child(4)") {
		t.Errorf("FormatViolation lists more than %d nodes:\n%s", maxNodes, got)
	}
}
