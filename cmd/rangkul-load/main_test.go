package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1", true},
		{"127.3.4.5", true},
		{"127.255.255.254", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true}, // IPv4-mapped loopback
		{"localhost", true},
		{"LocalHost", true},
		{"", false},
		{"0.0.0.0", false},
		{"::", false},
		{"10.0.0.1", false},
		{"192.168.1.10", false},
		{"128.0.0.1", false},
		{"8.8.8.8", false},
		{"fe80::1", false},
		{"example.org", false},
		{"localhost.example.org", false},
		{"127.0.0.1.nip.io", false},
		{"2130706433", false}, // 127.0.0.1 as one number: not an address we parse, so refused
	} {
		if err := loopbackOnly(tc.host); (err == nil) != tc.ok {
			t.Errorf("loopbackOnly(%q) = %v, want allowed=%v", tc.host, err, tc.ok)
		}
	}
}

func TestTargetURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"https://127.0.0.1:8443/", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://127.0.0.1:8080@203.0.113.5/", false}, // user info before a remote host
		{"http://203.0.113.5:8080", false},
		{"http://[2001:db8::1]:8080", false},
		{"http://example.org", false},
		{"ftp://127.0.0.1/", false},
		{"localhost:8080", false}, // no scheme: parsed as scheme "localhost"
		{"127.0.0.1:8080", false},
		{"", false},
	} {
		if _, err := targetURL(tc.url); (err == nil) != tc.ok {
			t.Errorf("targetURL(%q) = %v, want allowed=%v", tc.url, err, tc.ok)
		}
	}
}

// The dial guard is called with resolved addresses; it is tested directly so
// that no connection to another machine is ever attempted.
func TestDialControl(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"203.0.113.5:80", false},
		{"[2001:db8::1]:80", false},
		{"no-port", false},
	} {
		if err := dialControl("tcp", tc.addr, nil); (err == nil) != tc.ok {
			t.Errorf("dialControl(%q) = %v, want allowed=%v", tc.addr, err, tc.ok)
		}
	}
}

func TestRefusesBeforeSending(t *testing.T) {
	for _, args := range [][]string{
		{"-url", "http://203.0.113.5:8080"},
		{"-url", "http://127.0.0.1:1", "-scenario", "nope"},
		{"-url", "http://127.0.0.1:1", "-c", "0"},
		{"-url", "http://127.0.0.1:1", "-n", "0"},
		{"-url", "http://127.0.0.1:1", "-n", "20000000"},
		{"-url", "http://127.0.0.1:1", "-duration", "11m"},
		{"-url", "http://127.0.0.1:1", "-duration", "0s"},
	} {
		if err := run(args, io.Discard); err == nil {
			t.Errorf("run(%q) accepted", args)
		}
	}
}

func ms10(n int) []time.Duration {
	d := make([]time.Duration, n)
	for i := range d {
		d[i] = time.Duration(i+1) * 10 * time.Millisecond
	}
	return d
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value, median", []time.Duration{7}, 50, 7},
		{"one value, p99", []time.Duration{7}, 99, 7},
		{"two values, median is the lower", []time.Duration{1, 2}, 50, 1},
		{"two values, p51 is the upper", []time.Duration{1, 2}, 51, 2},
		{"hundred, p1", hundred, 1, time.Millisecond},
		{"hundred, p50", hundred, 50, 50 * time.Millisecond},
		{"hundred, p90", hundred, 90, 90 * time.Millisecond},
		{"hundred, p99", hundred, 99, 99 * time.Millisecond},
		{"hundred, max", hundred, 100, 100 * time.Millisecond},
		{"ten, p99 is the largest", ms10(10), 99, 100 * time.Millisecond},
		{"ten, p90", ms10(10), 90, 90 * time.Millisecond},
		{"ten, p91 rounds up", ms10(10), 91, 100 * time.Millisecond},
		{"p0 is the smallest", ms10(10), 0, 10 * time.Millisecond},
		{"above 100 is the largest", ms10(10), 150, 100 * time.Millisecond},
	} {
		if got := percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("%s: percentile(p%v) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

// fakeRangkul answers like the routes the scenarios use.
func fakeRangkul(t *testing.T, failEvery int64) *httptest.Server {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failEvery > 0 && n.Add(1)%failEvery == 0 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/":
			if r.Header.Get("Accept-Encoding") != "gzip" {
				http.Error(w, "want gzip", http.StatusBadRequest)
				return
			}
			io.WriteString(w, "home!")
		case r.Method == http.MethodPost && r.URL.Path == "/login":
			if r.FormValue("username") == "demo-member" && r.FormValue("password") == "rangkul-demo" {
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
			io.WriteString(w, "try again")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func runJSON(t *testing.T, args ...string) (result, error) {
	t.Helper()
	var out bytes.Buffer
	if err := run(append(args, "-json", "-duration", "1m"), &out); err != nil {
		return result{}, err
	}
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	return r, nil
}

func TestRunCounts(t *testing.T) {
	srv := fakeRangkul(t, 0)
	r, err := runJSON(t, "-url", srv.URL, "-scenario", "home", "-c", "4", "-n", "40")
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 40 || r.Errors != 0 || r.Statuses["200"] != 40 || r.BytesPerReq != 5 {
		t.Errorf("home: %+v", r)
	}
	if r.P50ms <= 0 || r.P50ms > r.P99ms || r.P99ms > r.MaxMs {
		t.Errorf("latencies out of order: %+v", r)
	}

	r, err = runJSON(t, "-url", srv.URL, "-scenario", "login", "-c", "2", "-n", "10")
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 10 || r.Errors != 0 || r.Statuses["303"] != 10 {
		t.Errorf("login: %+v", r)
	}

	if _, err := runJSON(t, "-url", srv.URL, "-scenario", "login", "-password", "wrong", "-n", "10"); err == nil ||
		!strings.Contains(err.Error(), "answered 200, want 303") {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := runJSON(t, "-url", srv.URL, "-scenario", "help", "-n", "10"); err == nil {
		t.Error("a 404 on the first request went unnoticed")
	}
}

func TestRunCountsErrors(t *testing.T) {
	srv := fakeRangkul(t, 4) // the preflight is the first request; every fourth fails
	r, err := runJSON(t, "-url", srv.URL, "-scenario", "home", "-c", "1", "-n", "20")
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 20 || r.Errors != 5 || r.Statuses["500"] != 5 || r.Statuses["200"] != 15 {
		t.Errorf("%+v", r)
	}
}
