package auth

import (
	"sync"
	"time"
)

// limiter slows down password guessing. Failures are counted per username
// (whether or not the account exists, so the answer never reveals that) and per
// client address. After freeFailures failures each further one doubles the wait,
// up to maxWait. A success clears the username's count.
type limiter struct {
	mu    sync.Mutex
	now   func() time.Time
	state map[string]*attempts
}

type attempts struct {
	failures int
	until    time.Time
	last     time.Time
}

const (
	freeFailures = 5
	maxWait      = 15 * time.Minute
	forgetAfter  = time.Hour
)

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, state: map[string]*attempts{}}
}

// wait reports how long the keys must still wait before another try.
func (l *limiter) wait(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var longest time.Duration
	for _, k := range keys {
		if a := l.state[k]; a != nil && a.until.After(now) {
			if d := a.until.Sub(now); d > longest {
				longest = d
			}
		}
	}
	return longest
}

// fail counts a failed try against every key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.state) > 100_000 {
		l.sweepLocked(now)
	}
	for _, k := range keys {
		a := l.state[k]
		if a == nil || now.Sub(a.last) > forgetAfter {
			a = &attempts{}
			l.state[k] = a
		}
		a.failures++
		a.last = now
		if over := a.failures - freeFailures; over >= 0 {
			d := time.Second << min(over, 20)
			if d > maxWait {
				d = maxWait
			}
			a.until = now.Add(d)
		}
	}
}

// succeed forgets the failures of key.
func (l *limiter) succeed(key string) {
	l.mu.Lock()
	delete(l.state, key)
	l.mu.Unlock()
}

func (l *limiter) sweepLocked(now time.Time) {
	for k, a := range l.state {
		if now.Sub(a.last) > forgetAfter && !a.until.After(now) {
			delete(l.state, k)
		}
	}
}
