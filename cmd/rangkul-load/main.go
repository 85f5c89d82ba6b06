// Command rangkul-load sends a bounded load of requests to a Rangkul running on
// this machine and reports throughput and latency, for docs/performance.md.
//
//	rangkul-load -url http://127.0.0.1:8080 -scenario home -c 16 -n 20000 -duration 20s
//
// Scenarios: home (GET / with Accept-Encoding: gzip), help (GET /help, gzip),
// login (POST /login with an account; the 303 that signs in is success;
// redirects are not followed), and room: -c clients on server-sent events in
// -rooms live rooms of the demo network, -messages sent into each, reporting
// delivery latency and server memory.
//
// A run stops at -n requests or after -duration, whichever comes first. It
// only targets this machine: the host must be a loopback address (127.0.0.0/8,
// ::1) or localhost, and every connection is checked again when it is dialled.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rangkul-load:", err)
		os.Exit(1)
	}
}

// Limits that keep a run bounded whatever the flags say.
const (
	maxRequests = 10_000_000
	maxDuration = 10 * time.Minute
	maxClients  = 1000
)

type result struct {
	URL         string           `json:"url"`
	Scenario    string           `json:"scenario"`
	Concurrency int              `json:"concurrency"`
	Requests    int64            `json:"requests"`
	Errors      int64            `json:"errors"`
	Seconds     float64          `json:"seconds"`
	RPS         float64          `json:"requests_per_second"`
	P50ms       float64          `json:"p50_ms"`
	P90ms       float64          `json:"p90_ms"`
	P99ms       float64          `json:"p99_ms"`
	MaxMs       float64          `json:"max_ms"`
	BytesPerReq float64          `json:"bytes_per_response"`
	Statuses    map[string]int64 `json:"statuses"`
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("rangkul-load", flag.ContinueOnError)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of a Rangkul on this machine (loopback only)")
	scenario := fs.String("scenario", "home", "home, help, login or room")
	conc := fs.Int("c", 16, "concurrent clients")
	n := fs.Int64("n", 1_000_000, "stop after this many requests (at most 10,000,000)")
	dur := fs.Duration("duration", 20*time.Second, "stop after this long (at most 10m)")
	user := fs.String("user", "demo-member", "username for the login scenario")
	pass := fs.String("password", "rangkul-demo", "password for the login scenario")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	rooms := fs.Int("rooms", 100, "room scenario: live rooms to spread the clients over")
	messages := fs.Int("messages", 5, "room scenario: messages sent into each room")
	sendTo := fs.String("send-url", "", "room scenario: send the messages to this second instance (same PostgreSQL database), loopback only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base, err := targetURL(*target)
	if err != nil {
		return err
	}
	if *scenario == "room" {
		if *conc < 1 || *rooms < 1 || *rooms > 500 || *messages < 1 || *conc > 5000 {
			return errors.New("room: -c 1..5000 clients, -rooms 1..500, -messages at least 1")
		}
		var send *url.URL
		if *sendTo != "" {
			if send, err = targetURL(*sendTo); err != nil {
				return err
			}
		}
		return roomLoad(base, send, *conc, *rooms, *messages, out, *asJSON)
	}
	if *conc < 1 || *conc > maxClients {
		return fmt.Errorf("-c must be between 1 and %d", maxClients)
	}
	if *n < 1 || *n > maxRequests {
		return fmt.Errorf("-n must be between 1 and %d", maxRequests)
	}
	if *dur <= 0 || *dur > maxDuration {
		return fmt.Errorf("-duration must be more than 0 and at most %v", maxDuration)
	}
	newReq, want, err := scenarioRequest(*scenario, base, *user, *pass)
	if err != nil {
		return err
	}
	client := loopbackClient(*conc)
	if err := preflight(client, newReq, want); err != nil {
		return fmt.Errorf("%s: %w", *scenario, err)
	}
	r := load(client, newReq, want, *conc, *n, *dur)
	r.URL, r.Scenario = base.String(), *scenario
	if *asJSON {
		return json.NewEncoder(out).Encode(r)
	}
	fmt.Fprintf(out, "%s: %d requests in %.1fs with %d clients, %d errors\n", r.Scenario, r.Requests, r.Seconds, r.Concurrency, r.Errors)
	fmt.Fprintf(out, "  %.0f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f bytes/response\n",
		r.RPS, r.P50ms, r.P90ms, r.P99ms, r.MaxMs, r.BytesPerReq)
	fmt.Fprintf(out, "  statuses: %s\n", formatStatuses(r.Statuses))
	return nil
}

// targetURL parses the -url flag and refuses anything but http(s) on loopback.
func targetURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-url %q: want http://HOST:PORT on this machine", raw)
	}
	if err := loopbackOnly(u.Hostname()); err != nil {
		return nil, err
	}
	return u, nil
}

// loopbackOnly refuses any target that is not this machine.
func loopbackOnly(host string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to load %q: only loopback targets are allowed (127.0.0.0/8, ::1, localhost)", host)
	}
	return nil
}

// loopbackClient is an HTTP client that does not follow redirects, does not
// decompress (so byte counts are what crossed the wire), and checks the
// address of every connection it opens, so that a name resolving elsewhere
// is refused as well.
func loopbackClient(conc int) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: dialControl}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: conc, DisableCompression: true}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// dialControl runs after name resolution and before connecting: it refuses
// any address that is not loopback.
func dialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	return loopbackOnly(host)
}

func scenarioRequest(name string, base *url.URL, user, pass string) (func() *http.Request, int, error) {
	switch name {
	case "home", "help":
		path := map[string]string{"home": "/", "help": "/help"}[name]
		u := base.ResolveReference(&url.URL{Path: path}).String()
		return func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, u, nil)
			r.Header.Set("Accept-Encoding", "gzip")
			return r
		}, http.StatusOK, nil
	case "login":
		u := base.ResolveReference(&url.URL{Path: "/login"}).String()
		body := url.Values{"username": {user}, "password": {pass}}.Encode()
		return func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, http.StatusSeeOther, nil
	}
	return nil, 0, fmt.Errorf("unknown scenario %q (want home, help, login or room)", name)
}

// preflight sends one request before the run, so that a server that is not
// there, or a wrong password, is one clear error rather than a run of failures.
func preflight(client *http.Client, newReq func() *http.Request, want int) error {
	res, err := client.Do(newReq())
	if err != nil {
		return fmt.Errorf("first request failed: %w", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		hint := ""
		if want == http.StatusSeeOther {
			hint = " (wrong -user or -password, or the account is rate-limited?)"
		}
		return fmt.Errorf("first request answered %d, want %d%s", res.StatusCode, want, hint)
	}
	return nil
}

// tally is one client's share of a run.
type tally struct {
	latencies []time.Duration // of requests that got a response
	requests  int64
	errors    int64
	bytes     int64
	statuses  map[string]int64
}

// load runs conc clients until n requests have been started or dur has passed.
func load(client *http.Client, newReq func() *http.Request, want, conc int, n int64, dur time.Duration) result {
	var started atomic.Int64
	tallies := make([]tally, conc)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := range tallies {
		wg.Add(1)
		go func(t *tally) {
			defer wg.Done()
			t.statuses = map[string]int64{}
			for time.Now().Before(deadline) && started.Add(1) <= n {
				t0 := time.Now()
				t.requests++
				res, err := client.Do(newReq())
				if err != nil {
					t.errors++
					t.statuses["transport error"]++
					continue
				}
				b, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil {
					t.errors++
					t.statuses["transport error"]++
					continue
				}
				t.latencies = append(t.latencies, time.Since(t0))
				t.bytes += b
				t.statuses[strconv.Itoa(res.StatusCode)]++
				if res.StatusCode != want {
					t.errors++
				}
			}
		}(&tallies[w])
	}
	wg.Wait()
	return summarise(tallies, conc, time.Since(start))
}

func summarise(tallies []tally, conc int, elapsed time.Duration) result {
	r := result{Concurrency: conc, Seconds: elapsed.Seconds(), Statuses: map[string]int64{}}
	var all []time.Duration
	var bytes int64
	for _, t := range tallies {
		all = append(all, t.latencies...)
		r.Requests += t.requests
		r.Errors += t.errors
		bytes += t.bytes
		for s, c := range t.statuses {
			r.Statuses[s] += c
		}
	}
	slices.Sort(all)
	if r.Seconds > 0 {
		r.RPS = float64(r.Requests) / r.Seconds
	}
	r.P50ms, r.P90ms = ms(percentile(all, 50)), ms(percentile(all, 90))
	r.P99ms, r.MaxMs = ms(percentile(all, 99)), ms(percentile(all, 100))
	if len(all) > 0 {
		r.BytesPerReq = float64(bytes) / float64(len(all))
	}
	return r
}

// percentile returns the p-th percentile of sorted durations by the nearest-rank
// method: the smallest value with at least p% of the values at or below it.
// p <= 0 gives the smallest value, p >= 100 the largest, an empty slice 0.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return sorted[rank]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func formatStatuses(s map[string]int64) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, s[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
