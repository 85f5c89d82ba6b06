// Package browser is the test kit for journeys in real headless Chromium: it
// starts Debian's chromium with the flags this workplace needs, and checks pages
// with axe-core (WCAG 2.2 AA) injected over the DevTools protocol, which a
// page's Content-Security-Policy does not block.
package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// required reports whether a missing browser or axe-core must fail the test
// (scripts/test sets it) rather than skip it (a developer's plain go test).
func required() bool { return os.Getenv("RANGKUL_TEST_REQUIRE_BROWSER") == "1" }

func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if required() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (set RANGKUL_TEST_REQUIRE_BROWSER=1 to fail instead)", args...)
}

// chromiumPath finds the browser binary.
func chromiumPath() string {
	if p := os.Getenv("RANGKUL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start launches headless Chromium for t and returns a tab's context, closed
// when t ends. It skips (or fails, when required) if no browser is installed.
func Start(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		missing(t, "browser: no chromium found")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "id-ID"),
		chromedp.Flag("accept-lang", "id-ID,id"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout, which
	// would stop the whole browser when it fires.
	if err := chromedp.Do(ctx); err != nil {
		missing(t, "browser: start %s: %v", path, err)
	}
	return ctx
}

// axePath finds axe.min.js: RANGKUL_AXE_JS, else tools/browser/node_modules
// under the module root.
func axePath() string {
	if p := os.Getenv("RANGKUL_AXE_JS"); p != "" {
		return p
	}
	dir, _ := os.Getwd()
	for dir != "/" && dir != "." {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "tools", "browser", "node_modules", "axe-core", "axe.min.js")
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
		dir = filepath.Dir(dir)
	}
	return ""
}

// Violation is one accessibility rule a page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// AxeViolations runs axe-core on the current page for the WCAG 2.0-2.2 A and
// AA rules and returns what it finds.
func AxeViolations(t testing.TB, ctx context.Context) ([]Violation, error) {
	t.Helper()
	p := axePath()
	if p == "" {
		missing(t, "browser: axe-core not found (run scripts/test, or npm ci --prefix tools/browser)")
	}
	src, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	injected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";\ntypeof axe !== 'undefined'"))
	if err != nil || !injected {
		return nil, fmt.Errorf("inject axe-core: %v", err)
	}
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})
		.then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("read axe-core result: %w", err)
	}
	return vs, nil
}

// Axe fails the test for every accessibility violation on the current page.
func Axe(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	vs, err := AxeViolations(t, ctx)
	if err != nil {
		t.Fatalf("axe on %s: %v", label, err)
	}
	for _, v := range vs {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("… and %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprintf("%v %s", n.Target, n.HTML))
		}
		t.Errorf("axe on %s: %s (%s): %s\n    %s", label, v.ID, v.Impact, v.Help, strings.Join(where, "\n    "))
	}
}

// Screenshot saves a full-page PNG, for looking at a failure.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// Text returns the visible text of the first element matching the CSS selector.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// Location returns the current page's URL.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return s
}
