// Package apptest starts a whole Rangkul over a fresh test database (SQLite, or
// PostgreSQL when RANGKUL_TEST_POSTGRES is set) and gives tests a browser-like
// client per person, for table-driven HTTP scenarios and browser journeys.
package apptest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/config"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/secret"
)

// CheapHash keeps password hashing fast in tests; production uses the default.
var CheapHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

// Env is a running test instance.
type Env struct {
	T      testing.TB
	App    *app.App
	Server *httptest.Server
}

// demoKeys seals the sensitive data of every test instance: the demo network
// is loaded once per test binary and copied, so its sealed values must open
// under the same key in every copy.
var demoKeys = secret.NewKey("test")

func testConfig() *config.Config {
	return &config.Config{Addr: "127.0.0.1:0", DatabaseURL: "test", Region: "ID", Lang: "id", LogLevel: "error",
		Keys: demoKeys}
}

func testLog(t testing.TB) *slog.Logger {
	if t != nil && testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.NewJSONHandler(io.Discard, nil))
}

// loadDemo fills a migrated database with the demo network.
func loadDemo(ctx context.Context, d *db.DB) error {
	a, err := app.Wire(testConfig(), testLog(nil), d, app.Options{Hash: CheapHash})
	if err != nil {
		return err
	}
	loaded, err := a.LoadDemo(ctx)
	if err == nil && !loaded {
		err = errors.New("the demo network was already there")
	}
	return err
}

// New starts Rangkul over a fresh database with the demo network loaded
// (a copy of one loaded once per test binary), served by an httptest server.
// A package that calls it should end its TestMain with dbtest.Cleanup.
func New(t testing.TB) *Env {
	t.Helper()
	d := dbtest.Seeded(t, "demo", loadDemo)
	a, err := app.Wire(testConfig(), testLog(t), d, app.Options{Hash: CheapHash})
	if err != nil {
		t.Fatalf("apptest: wire: %v", err)
	}
	hubCtx, stopHub := context.WithCancel(context.Background())
	a.Start(hubCtx)
	select {
	case <-a.LiveReady():
	case <-time.After(10 * time.Second):
		t.Fatal("apptest: the live broker did not start listening")
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); stopHub() })
	return &Env{T: t, App: a, Server: srv}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Client is one person's browser: it keeps cookies and does not follow redirects.
type Client struct {
	env  *Env
	HTTP *http.Client
	// Lang, if set, is sent as Accept-Language.
	Lang string
}

// Stranger returns a client that is not signed in.
func (e *Env) Stranger() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// As returns a client signed in as username with password.
func (e *Env) As(username, password string) *Client {
	e.T.Helper()
	c := e.Stranger()
	res := c.Post("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		e.T.Fatalf("apptest: sign in as %s: status %d: %s", username, res.StatusCode, res.Body)
	}
	return c
}

// AsDemo returns a client signed in as a demo account, e.g. "demo-admin".
func (e *Env) AsDemo(username string) *Client { return e.As(username, app.DemoPassword) }

// Response is a read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// Get fetches path.
func (c *Client) Get(path string) Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.Server.URL+path, nil)
	return c.Do(req)
}

// Post submits a form to path.
func (c *Client) Post(path string, form url.Values) Response {
	c.env.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Do sends req with the client's cookies and language.
func (c *Client) Do(req *http.Request) Response {
	c.env.T.Helper()
	if c.Lang != "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.env.T.Fatalf("apptest: %s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return Response{StatusCode: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Status sends a GET and returns the status as soon as the headers arrive,
// without reading the body: for streams (server-sent events).
func (c *Client) Status(path string) int {
	c.env.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.env.Server.URL+path, nil)
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.env.T.Fatalf("apptest: GET %s: %v", path, err)
	}
	res.Body.Close()
	return res.StatusCode
}
