// Package jobs is Rangkul's durable background work: jobs are rows in the
// database, claimed by workers (FOR UPDATE SKIP LOCKED on PostgreSQL, the
// single writer on SQLite), retried with backoff when they fail, and made
// idempotent by a de-duplication key, so a reminder is sent once even when
// two instances schedule it.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// Handler does one job; an error makes it run again later.
type Handler func(ctx context.Context, payload []byte) error

// Periodic is work a worker schedules for itself every Every.
type Periodic struct {
	Kind  string
	Every time.Duration
}

// Queue holds the jobs and runs their handlers.
type Queue struct {
	db       *db.DB
	log      *slog.Logger
	now      func() time.Time
	mu       sync.RWMutex
	handlers map[string]Handler
	periodic []Periodic
	// MaxAttempts is how often a failing job is tried before it is given up.
	MaxAttempts int
	// Lease is how long a claimed job is held before another worker may retry it.
	Lease time.Duration
}

// New returns a queue over d.
func New(d *db.DB, log *slog.Logger) *Queue {
	return &Queue{db: d, log: log, now: time.Now, handlers: map[string]Handler{}, MaxAttempts: 8, Lease: 5 * time.Minute}
}

// Handle registers the handler of a kind of job.
func (q *Queue) Handle(kind string, h Handler) {
	q.mu.Lock()
	q.handlers[kind] = h
	q.mu.Unlock()
}

// Every schedules a kind to run every d (at most once per period across all
// instances, by its de-duplication key).
func (q *Queue) Every(kind string, d time.Duration) {
	q.periodic = append(q.periodic, Periodic{Kind: kind, Every: d})
}

// Enqueue adds a job to run at runAt. With a non-empty key, a job with the same
// key is added only once. q may be a transaction, so the job commits with the
// change that caused it.
func (q *Queue) Enqueue(ctx context.Context, tx db.Querier, kind string, payload any, runAt time.Time, key string) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("jobs: payload of %s: %w", kind, err)
	}
	if tx == nil {
		tx = q.db
	}
	var dedupe any
	if key != "" {
		dedupe = key
	}
	_, err = tx.Exec(ctx, `INSERT INTO jobs (kind, payload, dedupe_key, run_at, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (dedupe_key) DO NOTHING`, kind, string(raw), dedupe, runAt.UTC(), q.now().UTC())
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", kind, err)
	}
	return nil
}

type claimed struct {
	id       int64
	kind     string
	payload  string
	attempts int
}

// claim takes up to n due jobs for this worker.
func (q *Queue) claim(ctx context.Context, n int) ([]claimed, error) {
	now := q.now().UTC()
	var out []claimed
	err := q.db.InTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $1
			AND (locked_until IS NULL OR locked_until < $1) ORDER BY run_at, id LIMIT $2`+q.db.SkipLocked(), now, n)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			var c claimed
			if err := tx.QueryRow(ctx, `UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id = $2
				RETURNING id, kind, payload, attempts`, now.Add(q.Lease), id).Scan(&c.id, &c.kind, &c.payload, &c.attempts); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// backoff is the wait before the attempt after attempt n: 1, 4, 16 minutes ...
// up to six hours.
func backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 4
	}
	return min(d, 6*time.Hour)
}

// RunDue runs every job that is due now, returning how many ran. Workers call
// it in a loop; tests call it directly.
func (q *Queue) RunDue(ctx context.Context) (int, error) {
	if err := q.schedulePeriodic(ctx); err != nil {
		return 0, err
	}
	ran := 0
	for {
		batch, err := q.claim(ctx, 20)
		if err != nil || len(batch) == 0 {
			return ran, err
		}
		for _, c := range batch {
			q.mu.RLock()
			h := q.handlers[c.kind]
			q.mu.RUnlock()
			var herr error
			if h == nil {
				herr = fmt.Errorf("no handler for %s", c.kind)
			} else {
				herr = h(ctx, []byte(c.payload))
			}
			now := q.now().UTC()
			switch {
			case herr == nil:
				_, err = q.db.Exec(ctx, `UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = '' WHERE id = $2`, now, c.id)
			case c.attempts >= q.MaxAttempts:
				q.log.Error("job given up", "kind", c.kind, "id", c.id, "attempts", c.attempts, "err", herr.Error())
				_, err = q.db.Exec(ctx, `UPDATE jobs SET done_at = $1, failed = TRUE, locked_until = NULL, last_error = $2 WHERE id = $3`,
					now, herr.Error(), c.id)
			default:
				q.log.Warn("job failed, will retry", "kind", c.kind, "id", c.id, "attempts", c.attempts, "err", herr.Error())
				_, err = q.db.Exec(ctx, `UPDATE jobs SET run_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3`,
					now.Add(backoff(c.attempts)), herr.Error(), c.id)
			}
			if err != nil {
				return ran, err
			}
			ran++
		}
	}
}

// schedulePeriodic enqueues each periodic kind once per period.
func (q *Queue) schedulePeriodic(ctx context.Context) error {
	now := q.now().UTC()
	for _, p := range q.periodic {
		slot := now.Truncate(p.Every)
		key := fmt.Sprintf("%s@%d", p.Kind, slot.Unix())
		if err := q.Enqueue(ctx, nil, p.Kind, map[string]int64{"slot": slot.Unix()}, slot, key); err != nil {
			return err
		}
	}
	return nil
}

// Work runs due jobs every interval until ctx ends.
func (q *Queue) Work(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := q.RunDue(ctx); err != nil && ctx.Err() == nil {
			q.log.Error("jobs: run", "err", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SetClock replaces the queue's clock, for tests.
func (q *Queue) SetClock(now func() time.Time) { q.now = now }
