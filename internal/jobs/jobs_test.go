package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/db/dbtest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestRunRetryAndDedupe(t *testing.T) {
	ctx := context.Background()
	q := New(dbtest.Open(t), quiet())
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	q.SetClock(func() time.Time { return now })
	var got []string
	fails := 2
	q.Handle("greet", func(_ context.Context, p []byte) error {
		got = append(got, string(p))
		return nil
	})
	q.Handle("flaky", func(context.Context, []byte) error {
		if fails > 0 {
			fails--
			return errors.New("not yet")
		}
		return nil
	})
	q.Enqueue(ctx, nil, "greet", "halo", now, "greet-1")
	q.Enqueue(ctx, nil, "greet", "halo lagi", now, "greet-1") // same key: ignored
	q.Enqueue(ctx, nil, "greet", "nanti", now.Add(time.Hour), "")
	q.Enqueue(ctx, nil, "flaky", 1, now, "")
	n, err := q.RunDue(ctx)
	if err != nil || n != 2 || len(got) != 1 || got[0] != `"halo"` {
		t.Fatalf("first run: %d %v %v", n, err, got)
	}
	// The flaky job waits its backoff, then runs again.
	now = now.Add(time.Minute)
	q.RunDue(ctx)
	now = now.Add(4 * time.Minute)
	q.RunDue(ctx)
	var done, failed int
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE kind = 'flaky' AND done_at IS NOT NULL AND failed = FALSE`).Scan(&done); err != nil || done != 1 {
		t.Fatalf("flaky job done: %d %v", done, err)
	}
	now = now.Add(2 * time.Hour)
	q.RunDue(ctx)
	if len(got) != 2 {
		t.Fatalf("later job: %v", got)
	}
	// A job without a handler is given up after MaxAttempts.
	q.MaxAttempts = 2
	q.Enqueue(ctx, nil, "unknown", nil, now, "")
	for i := 0; i < 3; i++ {
		now = now.Add(time.Hour)
		q.RunDue(ctx)
	}
	q.db.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE failed = TRUE`).Scan(&failed)
	if failed != 1 {
		t.Fatalf("given-up jobs: %d", failed)
	}
}

// Two workers sharing a database never run one job twice.
func TestWorkersShareJobs(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	var runs atomic.Int64
	seen := sync.Map{}
	mk := func() *Queue {
		q := New(d, quiet())
		q.Handle("once", func(_ context.Context, p []byte) error {
			if _, dup := seen.LoadOrStore(string(p), true); dup {
				t.Errorf("job %s ran twice", p)
			}
			runs.Add(1)
			return nil
		})
		return q
	}
	a, b := mk(), mk()
	for i := 0; i < 60; i++ {
		a.Enqueue(ctx, nil, "once", i, time.Now().Add(-time.Second), "")
	}
	var wg sync.WaitGroup
	for _, q := range []*Queue{a, b} {
		wg.Add(1)
		go func(q *Queue) {
			defer wg.Done()
			if _, err := q.RunDue(ctx); err != nil {
				t.Error(err)
			}
		}(q)
	}
	wg.Wait()
	if runs.Load() != 60 {
		t.Fatalf("ran %d jobs, want 60", runs.Load())
	}
}

func TestPeriodicOncePerSlot(t *testing.T) {
	ctx := context.Background()
	q := New(dbtest.Open(t), quiet())
	now := time.Date(2026, 11, 22, 8, 7, 0, 0, time.UTC)
	q.SetClock(func() time.Time { return now })
	var n int
	q.Handle("scan", func(context.Context, []byte) error { n++; return nil })
	q.Every("scan", 15*time.Minute)
	q.RunDue(ctx)
	q.RunDue(ctx)
	now = now.Add(15 * time.Minute)
	q.RunDue(ctx)
	if n != 2 {
		t.Fatalf("periodic ran %d times over two slots", n)
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 4 * time.Minute, 3: 16 * time.Minute, 10: 6 * time.Hour} {
		if got := backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}
