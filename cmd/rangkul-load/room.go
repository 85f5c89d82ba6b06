package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// roomLoad connects clients to the live rooms of the demo network's first
// group (its weekly meetings, one room each), has the facilitator send
// messages into every room, and measures how long each takes to reach each
// client, and the server's memory.
//
// send, when not nil, is a second instance of the same network (the same
// PostgreSQL database): messages are sent there and must cross instances to
// reach the clients connected to base.
func roomLoad(base, send *url.URL, clients, rooms, messages int, out io.Writer, asJSON bool) error {
	member, err := signedIn(base, "demo-member")
	if err != nil {
		return err
	}
	if send == nil {
		send = base
	}
	facil, err := signedIn(send, "demo-facilitator")
	if err != nil {
		return err
	}
	page, err := get(member, base.String()+"/groups/1")
	if err != nil {
		return err
	}
	m := regexp.MustCompile(`/groups/1/sessions/(\d+)/(\d+)`).FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("no meeting on the first group's page: run against `rangkul demo`")
	}
	first, _ := strconv.ParseInt(m[2], 10, 64)
	paths := make([]string, rooms)
	for i := range paths { // a weekly meeting in a zone without daylight saving
		paths[i] = fmt.Sprintf("%s/groups/1/sessions/%s/%d", base, m[1], first+int64(i)*7*24*3600)
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		connected sync.WaitGroup
		done      sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	want := messages * clients
	got := make(chan struct{}, want)
	connected.Add(clients)
	for c := 0; c < clients; c++ {
		done.Add(1)
		go func(room string) {
			defer done.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, room+"/room/events", nil)
			res, err := member.Do(req)
			if err != nil || res.StatusCode != http.StatusOK {
				connected.Done()
				return
			}
			defer res.Body.Close()
			connected.Done()
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				line, ok := strings.CutPrefix(sc.Text(), "data: ")
				if !ok {
					continue
				}
				var msg struct{ Body string }
				if json.Unmarshal([]byte(line), &msg) != nil {
					continue
				}
				sent, err := strconv.ParseInt(strings.TrimPrefix(msg.Body, "t="), 10, 64)
				if err != nil {
					continue
				}
				mu.Lock()
				latencies = append(latencies, time.Since(time.Unix(0, sent)))
				mu.Unlock()
				got <- struct{}{}
			}
		}(paths[c%rooms])
	}
	connected.Wait()
	time.Sleep(500 * time.Millisecond)
	memBefore := residentMemory(base)
	start := time.Now()
	for i := 0; i < messages; i++ {
		for _, room := range paths {
			body := url.Values{"body": {"t=" + strconv.FormatInt(time.Now().UnixNano(), 10)}}
			target := send.String() + strings.TrimPrefix(room, base.String())
			req, _ := http.NewRequest(http.MethodPost, target+"/room/messages", strings.NewReader(body.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			res, err := facil.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNoContent {
				return fmt.Errorf("sending into %s: status %d", room, res.StatusCode)
			}
		}
	}
	timeout := time.After(30 * time.Second)
	received := 0
wait:
	for received < want {
		select {
		case <-got:
			received++
		case <-timeout:
			break wait
		}
	}
	elapsed := time.Since(start)
	memAfter := residentMemory(base)
	cancel()
	mu.Lock()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	r := map[string]any{"scenario": "room", "sent_to": send.String(), "clients": clients, "rooms": rooms, "messages_per_room": messages,
		"deliveries_expected": want, "deliveries": received, "seconds": elapsed.Seconds(),
		"p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99)), "max_ms": ms(percentile(latencies, 100)),
		"server_rss_mb_idle_connected": memBefore, "server_rss_mb_after": memAfter}
	mu.Unlock()
	if asJSON {
		return json.NewEncoder(out).Encode(r)
	}
	fmt.Fprintf(out, "room: %d clients in %d rooms on %s, %d messages per room sent to %s: %d of %d deliveries in %.1fs\n",
		clients, rooms, base, messages, send, received, want, elapsed.Seconds())
	fmt.Fprintf(out, "  delivery latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; server memory %.0f MB with everyone connected, %.0f MB after\n",
		r["p50_ms"], r["p99_ms"], r["max_ms"], memBefore, memAfter)
	return nil
}

func signedIn(base *url.URL, user string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 2000, MaxConnsPerHost: 0},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base.String()+"/login", url.Values{"username": {user}, "password": {"rangkul-demo"}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: status %d", user, res.StatusCode)
	}
	return c, nil
}

func get(c *http.Client, u string) (string, error) {
	res, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

// residentMemory reads the server's resident memory in MB from /metrics.
func residentMemory(base *url.URL) float64 {
	body, err := get(http.DefaultClient, base.String()+"/metrics")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "process_resident_memory_bytes "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f / (1 << 20)
		}
	}
	return 0
}
