// Command rangkul-load sends a bounded load of requests to a Rangkul running on
// this machine and reports throughput and latency, for docs/performance.md.
//
//	rangkul-load -url http://127.0.0.1:8080 -scenario home -c 16 -duration 20s
//
// Scenarios: home (GET /), help (GET /help), login (POST /login with a demo
// account; a 303 is success), and room: -c clients on server-sent events in
// -rooms live rooms of the demo network, -messages sent into each, reporting
// delivery latency and server memory. It only targets loopback addresses.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rangkul-load:", err)
		os.Exit(1)
	}
}

type result struct {
	Scenario    string  `json:"scenario"`
	Concurrency int     `json:"concurrency"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	Seconds     float64 `json:"seconds"`
	RPS         float64 `json:"requests_per_second"`
	P50ms       float64 `json:"p50_ms"`
	P90ms       float64 `json:"p90_ms"`
	P99ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	BytesPerReq float64 `json:"bytes_per_response"`
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("rangkul-load", flag.ContinueOnError)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of a Rangkul on this machine")
	scenario := fs.String("scenario", "home", "home, help or login")
	conc := fs.Int("c", 16, "concurrent clients")
	n := fs.Int64("n", 1_000_000, "stop after this many requests")
	dur := fs.Duration("duration", 20*time.Second, "stop after this long")
	user := fs.String("user", "demo-member", "username for the login scenario")
	pass := fs.String("password", "rangkul-demo", "password for the login scenario")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	rooms := fs.Int("rooms", 100, "room scenario: live rooms to spread the clients over")
	messages := fs.Int("messages", 5, "room scenario: messages sent into each room")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base, err := url.Parse(*target)
	if err != nil {
		return err
	}
	if err := loopbackOnly(base.Hostname()); err != nil {
		return err
	}
	if *scenario == "room" {
		if *conc < 1 || *rooms < 1 || *rooms > 500 || *messages < 1 || *conc > 5000 {
			return errors.New("room: -c 1..5000 clients, -rooms 1..500, -messages at least 1")
		}
		return roomLoad(base, *conc, *rooms, *messages, out, *asJSON)
	}
	if *conc < 1 || *n < 1 || *dur <= 0 || *dur > 10*time.Minute {
		return errors.New("-c and -n must be positive and -duration between 0 and 10m")
	}
	newReq, want, err := scenarioRequest(*scenario, base, *user, *pass)
	if err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conc, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	var sent, failed, bytes atomic.Int64
	lat := make([][]time.Duration, *conc)
	deadline := time.Now().Add(*dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(deadline) && sent.Add(1) <= *n {
				t0 := time.Now()
				res, err := client.Do(newReq())
				if err != nil {
					failed.Add(1)
					continue
				}
				b, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				lat[w] = append(lat[w], time.Since(t0))
				bytes.Add(b)
				if res.StatusCode != want {
					failed.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	done := int64(len(all))
	r := result{Scenario: *scenario, Concurrency: *conc, Requests: done, Errors: failed.Load(), Seconds: elapsed,
		RPS: float64(done) / elapsed, P50ms: ms(percentile(all, 50)), P90ms: ms(percentile(all, 90)),
		P99ms: ms(percentile(all, 99)), MaxMs: ms(percentile(all, 100))}
	if done > 0 {
		r.BytesPerReq = float64(bytes.Load()) / float64(done)
	}
	if *asJSON {
		return json.NewEncoder(out).Encode(r)
	}
	fmt.Fprintf(out, "%s: %d requests in %.1fs with %d clients, %d errors\n", r.Scenario, r.Requests, r.Seconds, r.Concurrency, r.Errors)
	fmt.Fprintf(out, "  %.0f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f bytes/response\n",
		r.RPS, r.P50ms, r.P90ms, r.P99ms, r.MaxMs, r.BytesPerReq)
	return nil
}

// loopbackOnly refuses any target that is not this machine.
func loopbackOnly(host string) error {
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to load %q: only loopback addresses (127.0.0.0/8, ::1, localhost)", host)
	}
	return nil
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
	return nil, 0, fmt.Errorf("unknown scenario %q (want home, help or login)", name)
}

// percentile returns the p-th percentile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
