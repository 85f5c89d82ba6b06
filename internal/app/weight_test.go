package app_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
)

// pageBudget is the most a main page may weigh compressed, everything included.
const pageBudget = 30 * 1024

var (
	assetRef    = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	foreignLoad = regexp.MustCompile(`<(?:link|script|img|iframe|source|video|audio)\b[^>]*\b(?:href|src)="(?:https?:)?//`)
)

// TestPageWeight fetches each main page and every asset it loads, compressed,
// and fails when one weighs more than the budget or loads from another origin.
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
	}
	get := func(c *apptest.Client, path string) apptest.Response {
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := c.Do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return res
	}
	for _, p := range pages {
		doc := get(p.c, p.path)
		if doc.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s is not compressed", p.path)
		}
		total := len(doc.Body)
		plain := stranger.Get(p.path)
		if p.c == admin {
			plain = admin.Get(p.path)
		}
		if m := foreignLoad.FindString(plain.Body); m != "" {
			t.Errorf("%s loads from another origin: %s", p.path, m)
		}
		for _, m := range assetRef.FindAllStringSubmatch(plain.Body, -1) {
			total += len(get(p.c, m[1]).Body)
		}
		t.Logf("%-14s %5d bytes compressed (document %d)", p.path, total, len(doc.Body))
		if total > pageBudget {
			t.Errorf("%s weighs %d bytes compressed, over the %d budget", p.path, total, pageBudget)
		}
	}
}
