package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
)

// Kept figures. Computing a whole network's dashboard reads every roll call,
// response and post of the period: seconds for 100,000 members
// (docs/performance.md). So figures are kept in table evaluation_kept, shared
// by every instance: those computed on demand for CacheFor, and the network's
// standard views (the default period, for the whole network and for each
// topic) worked out ahead by job JobKeep every KeepEvery, so that nobody
// opening the network's dashboard waits for them. A kept row holds the
// dashboard's aggregate figures only, never a person's data.

// JobKeep is the job that works out the network's standard views ahead.
const JobKeep = "evaluation.keep"

// KeepEvery is how often JobKeep runs; its figures stay fresh for twice
// that, so one late run does not leave the next viewer waiting.
const KeepEvery = 15 * time.Minute

// keptDrop is how long after going stale a kept row is removed.
const keptDrop = 24 * time.Hour

// kept returns the fresh figures kept under key, or nil.
func (s *Service) kept(ctx context.Context, key string) (*Dashboard, error) {
	var body string
	err := s.db.QueryRow(ctx, `SELECT body FROM evaluation_kept WHERE scope_key = $1 AND fresh_until > $2`,
		key, s.now().UTC()).Scan(&body)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation: read kept figures: %w", err)
	}
	var d Dashboard
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return nil, nil // written by another version: compute afresh
	}
	for i := range d.Outcomes {
		o := &d.Outcomes[i]
		if o.Instrument, _ = outcomes.Lookup(o.Code); o.Instrument == nil {
			return nil, nil
		}
	}
	for i := range d.Wellbeing {
		w := &d.Wellbeing[i]
		if w.Instrument, _ = outcomes.Lookup(w.Code); w.Instrument == nil {
			return nil, nil
		}
	}
	d.Computed = d.Computed.In(s.Zone)
	return &d, nil
}

// keepFigures stores d under key, fresh for the next fresh.
func (s *Service) keepFigures(ctx context.Context, key string, d *Dashboard, fresh time.Duration) error {
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("evaluation: keep figures: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO evaluation_kept (scope_key, computed_at, fresh_until, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (scope_key) DO UPDATE SET computed_at = excluded.computed_at, fresh_until = excluded.fresh_until, body = excluded.body`,
		key, d.Computed.UTC(), d.Computed.Add(fresh).UTC(), string(body))
	if err != nil {
		return fmt.Errorf("evaluation: keep figures: %w", err)
	}
	return nil
}

// Keep is job JobKeep: it works out the network's dashboard for the default
// period, for the whole network and for each topic, and keeps the figures
// for 2 x KeepEvery; then it removes figures stale for a day.
func (s *Service) Keep(ctx context.Context, _ []byte) error {
	ctx = auth.System(ctx)
	f, err := s.ParseFilter("", "", "", "", "")
	if err != nil {
		return err
	}
	for _, topic := range append([]string{""}, s.Topics...) {
		f.Topic = topic
		sc := Scope{Level: LevelNetwork, Network: true, Topic: topic}
		d, err := s.compute(ctx, sc, f)
		if err != nil {
			return err
		}
		d.KeptFor = int(KeepEvery / time.Minute)
		if err := s.keepFigures(ctx, keptKey(sc, f), d, 2*KeepEvery); err != nil {
			return err
		}
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM evaluation_kept WHERE fresh_until < $1`, s.now().Add(-keptDrop).UTC()); err != nil {
		return fmt.Errorf("evaluation: remove stale figures: %w", err)
	}
	return nil
}
