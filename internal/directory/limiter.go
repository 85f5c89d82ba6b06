package directory

import (
	"sync"
	"time"
)

// Limits on problem reports, which anyone may send without signing in: a
// few per address and per account each hour, and a ceiling for everyone
// not signed in together, so that a flood cannot bury the curators' queue.
const (
	reportsPerAddress = 5
	reportsPerAccount = 10
	reportsStrangers  = 100
	reportWindow      = time.Hour
)

// limiter counts recent reports per key in a sliding window, in memory (as
// the sign-in limits do; see docs/decisions.md).
type limiter struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

func newLimiter() *limiter { return &limiter{seen: map[string][]time.Time{}} }

// recent drops the times older than the window and returns what is left.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.seen[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= reportWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.seen, key)
	} else {
		l.seen[key] = ts
	}
	return ts
}

// wait reports how long until every key is under its limit again (0: now).
func (l *limiter) wait(now time.Time, limits map[string]int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var longest time.Duration
	for key, max := range limits {
		ts := l.recent(key, now)
		if len(ts) >= max {
			if d := ts[len(ts)-max].Add(reportWindow).Sub(now); d > longest {
				longest = d
			}
		}
	}
	return longest
}

// add counts one report against every key.
func (l *limiter) add(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 50_000 {
		for k := range l.seen {
			l.recent(k, now)
		}
	}
	for _, k := range keys {
		l.seen[k] = append(l.recent(k, now), now)
	}
}
