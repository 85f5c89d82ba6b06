package evaluation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// Service is the evaluation feature.
type Service struct {
	db      *db.DB
	audit   *audit.Log
	secrets *secret.Box
	// Zone is the deployment's time zone: periods are whole days in it.
	Zone *time.Location
	// Topics are the topics groups may have, for the filter.
	Topics []string
	// ExportDir is where exports started from the web are written.
	ExportDir string
	// PublicURL is where people reach this Rangkul; FHIR exports make their
	// identifiers under PublicURL/fhir.
	PublicURL string
	runs      *runs
	now       func() time.Time
	// CacheFor is how long figures computed on demand are kept (in the
	// database, for every instance) and shown again; 0 computes every time
	// and keeps nothing. A network's dashboard reads every roll call of the
	// period, too slow to redo on every page view (docs/performance.md), so
	// job JobKeep also works out the network's standard views ahead.
	CacheFor time.Duration
}

// keptKey names a scope and period; the scope's fields are ids, a topic
// and flags, so the key holds nothing personal.
func keptKey(sc Scope, f Filter) string {
	return fmt.Sprintf("%s|%v|%v|%v|%s|%v|%d|%d", sc.Level, sc.Network, sc.OrgIDs, sc.GroupIDs, sc.Topic, sc.Exempt,
		f.From.Unix(), f.To.Unix())
}

// NewService returns the evaluation service; exports from the web are
// written under exportDir.
func NewService(d *db.DB, a *audit.Log, box *secret.Box, exportDir string) *Service {
	return &Service{db: d, audit: a, secrets: box, Zone: time.UTC, ExportDir: exportDir, runs: newRuns(), now: time.Now,
		CacheFor: 5 * time.Minute}
}

// WithClock returns a copy of the service with another clock (tests, demo).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// fhirBase is the namespace of an export's FHIR identifiers: the
// deployment's own address, or a reserved name that resolves nowhere when
// none is configured.
func (s *Service) fhirBase() string {
	if strings.HasPrefix(s.PublicURL, "http://") || strings.HasPrefix(s.PublicURL, "https://") {
		return strings.TrimRight(s.PublicURL, "/") + "/fhir"
	}
	return "https://rangkul.invalid/fhir"
}

// Dashboard is every figure of one scope and period.
type Dashboard struct {
	Filter     Filter
	Scope      Scope
	Reach      Reach
	Attendance Attendance
	Retention  []Cohort
	Outcomes   []Outcome
	Wellbeing  []Indicator
	Feedback   Feedback
	Rounds     []RoundScore
	Computed   time.Time // when the figures were computed (they are kept for KeptFor)
	KeptFor    int       // minutes
}

// Dashboard computes the figures of f for the caller: group facilitators see
// their groups, coordinators and administrators their organisations,
// analysts and network administrators the whole network.
func (s *Service) Dashboard(ctx context.Context, f Filter) (*Dashboard, error) {
	a, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	sc, err := s.resolve(ctx, a, f)
	if err != nil {
		return nil, err
	}
	return s.figures(ctx, sc, f)
}

// figures returns a dashboard for a resolved scope: the figures kept in the
// database while they are fresh, else computed now (and kept for CacheFor).
// The caller has checked the scope. Figures for a scope whose small cells
// are shown (a facilitator's own groups) are never kept.
func (s *Service) figures(ctx context.Context, sc Scope, f Filter) (*Dashboard, error) {
	keep := s.CacheFor > 0 && !sc.Exempt
	key := keptKey(sc, f)
	if keep {
		d, err := s.kept(ctx, key)
		if err != nil || d != nil {
			return d, err
		}
	}
	d, err := s.compute(ctx, sc, f)
	if err == nil && keep {
		err = s.keepFigures(ctx, key, d, s.CacheFor)
	}
	return d, err
}

// compute reads every figure of a scope and period from the database. The
// parts are independent queries. On PostgreSQL they run side by side on the
// pool's connections (a network's dashboard over 100,000 members: 1.27 s
// instead of 1.75 s). On SQLite they run one after another: the engine
// works inside this process, and side by side an organisation's dashboard
// took 340 ms instead of 250 ms (docs/performance.md).
func (s *Service) compute(ctx context.Context, sc Scope, f Filter) (*Dashboard, error) {
	k := cells{exempt: sc.Exempt}
	d := &Dashboard{Filter: f, Scope: sc, Computed: s.now().In(s.Zone)}
	if s.CacheFor > 0 && !sc.Exempt {
		d.KeptFor = int(s.CacheFor / time.Minute)
	}
	parts := []func() error{
		func() (err error) { d.Reach, err = s.reach(ctx, sc, k, f.From, f.To); return },
		func() (err error) { d.Attendance, err = s.attendance(ctx, sc, k, f.From, f.To); return },
		func() (err error) { d.Retention, err = s.retention(ctx, sc, k, f.From, f.To); return },
		func() (err error) { d.Outcomes, err = s.outcomes(ctx, sc, k, f.From, f.To); return },
		func() (err error) { d.Wellbeing, err = s.wellbeing(ctx, sc, k, f.From, f.To); return },
		func() (err error) { d.Feedback, err = s.feedback(ctx, sc, k, f.From, f.To); return },
		func() (err error) { d.Rounds, err = s.rounds(ctx, sc, k, f.From, f.To); return },
	}
	if s.db.Dialect() != db.Postgres {
		for _, part := range parts {
			if err := part(); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = part()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// Option is one choice of a filter.
type Option struct {
	ID   int64
	Name string
}

// Options lists the organisations and groups the caller may filter by: the
// groups of the chosen organisation (all groups would be too many to list
// for a network), or those the caller facilitates.
func (s *Service) Options(ctx context.Context, f Filter) (orgs, groups []Option, err error) {
	a, err := s.viewer(ctx)
	if err != nil {
		return nil, nil, err
	}
	if a.network {
		orgs, err = s.options(ctx, `SELECT id, name FROM organisations ORDER BY name`)
	} else if len(a.orgs) > 0 {
		orgs, err = s.options(ctx, db.IDList("o", a.orgs)+`SELECT id, name FROM organisations WHERE id IN (SELECT value FROM o) ORDER BY name`)
	}
	if err != nil {
		return nil, nil, err
	}
	org := f.OrgID
	if org == 0 && !a.network && len(a.orgs) == 1 {
		org = a.orgs[0]
	}
	switch {
	case org != 0 && a.hasOrg(org):
		groups, err = s.options(ctx, `SELECT id, name FROM support_groups WHERE org_id = $1 ORDER BY name`, org)
	case len(a.facilitated) > 0:
		groups, err = s.options(ctx, db.IDList("g", a.facilitated)+`SELECT id, name FROM support_groups WHERE id IN (SELECT value FROM g) ORDER BY name`)
	}
	return orgs, groups, err
}

func (s *Service) options(ctx context.Context, query string, args ...any) ([]Option, error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("evaluation: options: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// MaxPeriod is the longest period a dashboard, report or export covers.
const MaxPeriod = 5 * 366 * 24 * time.Hour

// ParseFilter reads a filter as typed: dates as YYYY-MM-DD in the
// deployment's zone (the period runs to the end of the "to" day), ids and a
// topic. Empty dates default to the twelve months up to today.
func (s *Service) ParseFilter(from, to, org, group, topic string) (Filter, error) {
	var f Filter
	today := s.now().In(s.Zone)
	end := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, s.Zone).AddDate(0, 0, 1)
	if strings.TrimSpace(to) != "" {
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(to), s.Zone)
		if err != nil {
			return f, valid.Field("to", "form.date")
		}
		end = t.AddDate(0, 0, 1)
	}
	start := monthStart(end.AddDate(0, -11, -1))
	if strings.TrimSpace(from) != "" {
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(from), s.Zone)
		if err != nil {
			return f, valid.Field("from", "form.date")
		}
		start = t
	}
	if !start.Before(end) {
		return f, valid.Field("to", "evaluation.period_order")
	}
	if end.Sub(start) > MaxPeriod {
		return f, valid.Field("from", "evaluation.period_long")
	}
	f.From, f.To = start, end
	f.OrgID, _ = strconv.ParseInt(org, 10, 64)
	f.GroupID, _ = strconv.ParseInt(group, 10, 64)
	if f.OrgID < 0 {
		f.OrgID = 0
	}
	if f.GroupID < 0 {
		f.GroupID = 0
	}
	if topic = strings.TrimSpace(topic); topic != "" {
		if _, fe := valid.OneOf("topic", topic, s.Topics); fe != nil {
			return f, fe
		}
		f.Topic = topic
	}
	return f, nil
}

// LastDay is the last day a period covers (To is the start of the day after).
func (f Filter) LastDay() time.Time { return f.To.AddDate(0, 0, -1) }

// requireUser is auth.RequireUser, for methods that check more themselves.
func requireUser(ctx context.Context) (*auth.Principal, error) { return auth.RequireUser(ctx) }
