// Package browser is the test kit for journeys in real headless Chromium: it
// starts Debian's chromium with the flags this workplace needs, and checks pages
// with axe-core (WCAG 2.2 AA) injected over the DevTools protocol, which a
// page's Content-Security-Policy does not block.
//
// A missing browser or axe-core skips the test, unless
// RANGKUL_TEST_REQUIRE_BROWSER=1 (scripts/test sets it), which fails it.
// RANGKUL_CHROMIUM names the browser and RANGKUL_AXE_JS the axe.min.js file;
// without them the kit looks in the usual places.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout is how long one browser may live: a journey that hangs (waiting for
// an element that never comes) fails after this instead of at go test's
// -timeout. RANGKUL_BROWSER_TIMEOUT (a Go duration) overrides it.
const Timeout = 3 * time.Minute

// StepTimeout bounds each call of the helpers in this package, such as Text
// or Visit, so that a missing element fails that step quickly and says which.
const StepTimeout = 30 * time.Second

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
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// lifetime is how long a browser may live for t: Timeout (or
// RANGKUL_BROWSER_TIMEOUT), cut short to end before go test's own deadline.
func lifetime(t testing.TB) time.Duration {
	d := Timeout
	if s := os.Getenv("RANGKUL_BROWSER_TIMEOUT"); s != "" {
		v, err := time.ParseDuration(s)
		if err != nil || v <= 0 {
			t.Fatalf("browser: RANGKUL_BROWSER_TIMEOUT=%q is not a positive duration", s)
		}
		d = v
	}
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if end, ok := dt.Deadline(); ok {
			if left := time.Until(end) - 5*time.Second; left > 0 && left < d {
				d = left
			}
		}
	}
	return d
}

// Start launches headless Chromium for t and returns a tab's context, closed when t ends.
//
// It skips the test (or fails it, under RANGKUL_TEST_REQUIRE_BROWSER=1) when
// there is no browser. The browser lives at most Timeout; every chromedp call
// on the context fails after that.
func Start(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		missing(t, "browser: no chromium found (set RANGKUL_CHROMIUM, or apt-get install chromium)")
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
	limit := lifetime(t)
	// The browser lives as long as the context of its first run, so the
	// overall limit goes on the allocator: when it fires, the browser stops
	// and every later call fails with context.DeadlineExceeded.
	lctx, cancelLimit := context.WithTimeout(context.Background(), limit)
	actx, cancelAlloc := chromedp.NewExecAllocator(lctx, opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// Registered after t.TempDir, so it runs before the user data dir is
	// removed; cancelAlloc waits for the browser process to exit.
	t.Cleanup(func() {
		if t.Failed() && ctx.Err() == nil {
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if loc, err := chromedp.Run(sctx, chromedp.Location()); err == nil {
				t.Logf("browser: the page at the end was %s", loc)
			}
			cancel()
		}
		if errors.Is(lctx.Err(), context.DeadlineExceeded) {
			t.Errorf("browser: the browser was stopped after its time limit of %v (RANGKUL_BROWSER_TIMEOUT)", limit)
		}
		cancelTab()
		cancelAlloc()
		cancelLimit()
	})
	if err := chromedp.Do(ctx); err != nil {
		if lctx.Err() != nil {
			t.Fatalf("browser: start %s: %v (time limit %v)", path, err, limit)
		}
		missing(t, "browser: start %s: %v", path, err)
	}
	return ctx
}

// step runs one helper's action with StepTimeout.
func step[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	return chromedp.Run(sctx, a)
}

// axePath finds axe.min.js: RANGKUL_AXE_JS, else tools/browser/node_modules
// under the module root (the nearest directory upward with a go.mod).
func axePath() string {
	if p := os.Getenv("RANGKUL_AXE_JS"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "tools", "browser", "node_modules", "axe-core", "axe.min.js")
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

var axeSource struct {
	sync.Mutex
	path string
	src  string
}

// axeScript reads axe.min.js once per path.
func axeScript(path string) (string, error) {
	axeSource.Lock()
	defer axeSource.Unlock()
	if axeSource.path == path {
		return axeSource.src, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	axeSource.path, axeSource.src = path, string(b)
	return axeSource.src, nil
}

// Violation is one accessibility rule that a page breaks, as axe-core reports it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule: its selector path and its HTML.
type Node struct {
	// Target is the CSS selector, or a list of them through iframes and
	// shadow roots.
	Target []any  `json:"target"`
	HTML   string `json:"html"`
}

// axeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const axeTags = `['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']`

// AxeViolations runs axe-core on the current page for WCAG 2.0–2.2 A and AA and returns what it finds.
//
// It skips (or fails, under RANGKUL_TEST_REQUIRE_BROWSER=1) when axe-core is
// not installed, and returns an error when it cannot run it.
func AxeViolations(t testing.TB, ctx context.Context) ([]Violation, error) {
	t.Helper()
	p := axePath()
	if p == "" {
		missing(t, "browser: axe-core not found (run scripts/test, or npm ci --prefix tools/browser, or set RANGKUL_AXE_JS)")
	}
	src, err := axeScript(p)
	if err != nil {
		return nil, fmt.Errorf("read axe-core: %w", err)
	}
	// Runtime.evaluate is not subject to the page's Content-Security-Policy,
	// so this works on pages that allow only their own scripts.
	injected, err := step(ctx, chromedp.Evaluate[bool](src+";\ntypeof axe === 'object' && typeof axe.run === 'function'"))
	if err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	if !injected {
		return nil, errors.New("inject axe-core: axe is not defined on the page after injection")
	}
	run := `axe.run(document, {runOnly: {type: 'tag', values: ` + axeTags + `}}).then(r => JSON.stringify(r.violations))`
	out, err := step(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("read axe-core result: %w", err)
	}
	return vs, nil
}

// maxNodes is how many offending elements Axe lists for each violation.
const maxNodes = 3

// Axe fails the test (without stopping it) for every accessibility violation on the current page.
func Axe(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	vs, err := AxeViolations(t, ctx)
	if err != nil {
		t.Fatalf("axe on %s: %v", label, err)
	}
	for _, v := range vs {
		t.Errorf("axe on %s: %s", label, FormatViolation(v))
	}
}

// FormatViolation renders a violation for a test log: rule, impact, help and the first offending elements.
func FormatViolation(v Violation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	if v.HelpURL != "" {
		fmt.Fprintf(&b, " <%s>", v.HelpURL)
	}
	for i, n := range v.Nodes {
		if i == maxNodes {
			fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-maxNodes)
			break
		}
		html := n.HTML
		if len(html) > 300 {
			html = html[:300] + "…"
		}
		fmt.Fprintf(&b, "\n    %s  %s", formatTarget(n.Target), html)
	}
	return b.String()
}

// formatTarget joins an axe target (selectors, nested for frames and shadow roots).
func formatTarget(target []any) string {
	parts := make([]string, 0, len(target))
	for _, x := range target {
		switch x := x.(type) {
		case string:
			parts = append(parts, x)
		case []any:
			parts = append(parts, formatTarget(x))
		default:
			parts = append(parts, fmt.Sprint(x))
		}
	}
	return strings.Join(parts, " >> ")
}

// Screenshot saves a full-page PNG of the current page at path, for looking at a failure.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	buf, err := step(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Errorf("screenshot: %v", err)
			return
		}
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// Visit opens url and waits until an element matching the CSS selector ready (such as "main") is visible.
func Visit(t testing.TB, ctx context.Context, url, ready string) {
	t.Helper()
	if _, err := step(ctx, chromedp.Steps(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(ready)))); err != nil {
		t.Fatalf("visit %s (waiting for %s): %v", url, ready, err)
	}
}

// Do runs chromedp actions as one named step of a journey, failing the test with the step's name if one fails.
func Do(t testing.TB, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := step(ctx, chromedp.Steps(actions...)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// Text returns the visible text of the first element matching the CSS selector.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	s, err := step(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// Count returns how many elements match the CSS selector now (without waiting).
func Count(t testing.TB, ctx context.Context, sel string) int {
	t.Helper()
	q, err := json.Marshal(sel)
	if err != nil {
		t.Fatal(err)
	}
	n, err := step(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+string(q)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// Title returns the current page's title.
func Title(t testing.TB, ctx context.Context) string {
	t.Helper()
	s, err := step(ctx, chromedp.Title())
	if err != nil {
		t.Fatalf("title: %v", err)
	}
	return s
}

// Location returns the current page's URL.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	s, err := step(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return s
}
