package evaluation

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/outcomes"
)

// Outcome is the paired change on one instrument: each person's latest
// follow-up (or leaving) response in the period against the baseline it
// names.
type Outcome struct {
	Instrument *outcomes.Instrument `json:"-"`
	Code       string               // the instrument's, for kept figures
	Change     outcomes.Change      `json:"-"` // may hold NaN, which JSON cannot
	Method     string               // Change.Method, kept with the figures
	N          Cell                 // people with a pair: every other figure hides with it
	MeanPre    Cell
	MeanPost   Cell
	MeanChange Cell
	CILow      Cell
	CIHigh     Cell
	Dz         Cell
	Improved   Cell // shares of N
	Unchanged  Cell
	Worse      Cell
	// Recovered is the share of those in the clinical range at baseline who
	// were out of it at follow-up; it hides when fewer than MinCell started
	// in the clinical range.
	Recovered          Cell
	ClinicalAtBaseline Cell
}

// pairs reads, per instrument, each person's latest follow-up or leaving
// response completed in the period that names its baseline, with both
// totals. Only totals leave the database: no answers are opened.
func (s *Service) pairs(ctx context.Context, sc Scope, from, to time.Time) (map[string][]outcomes.Pair, error) {
	q := sc.sql(from.UTC(), to.UTC())
	query := q.with() + `SELECT instrument, pre, post FROM (
		SELECT r.instrument, b.total AS pre, r.total AS post,
			row_number() OVER (PARTITION BY r.user_id, r.instrument ORDER BY r.completed_at DESC, r.id DESC) AS n
		FROM outcome_responses r JOIN outcome_responses b ON b.id = r.baseline_id
		WHERE ` + q.Responses + ` AND r.instrument <> '' AND r.timepoint IN ('followup', 'leaving')
			AND r.completed_at >= $1 AND r.completed_at < $2 AND r.total IS NOT NULL AND b.total IS NOT NULL
			AND b.instrument = r.instrument AND b.user_id = r.user_id) x
		WHERE n = 1`
	rows, err := s.db.Query(ctx, query, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("evaluation: pairs: %w", err)
	}
	defer rows.Close()
	out := map[string][]outcomes.Pair{}
	for rows.Next() {
		var code string
		var p outcomes.Pair
		if err := rows.Scan(&code, &p.Pre, &p.Post); err != nil {
			return nil, err
		}
		out[code] = append(out[code], p)
	}
	return out, rows.Err()
}

func (s *Service) outcomes(ctx context.Context, sc Scope, k cells, from, to time.Time) ([]Outcome, error) {
	byCode, err := s.pairs(ctx, sc, from, to)
	if err != nil {
		return nil, err
	}
	var out []Outcome
	for _, in := range outcomes.Instruments() {
		pairs := byCode[in.Code]
		if len(pairs) == 0 {
			continue
		}
		c := outcomes.PairedChange(in, pairs)
		n := c.N
		o := Outcome{Instrument: in, Code: in.Code, Change: c, Method: c.Method, N: k.count(n),
			MeanPre: k.of(c.MeanPre, n, 1), MeanPost: k.of(c.MeanPost, n, 1), MeanChange: k.of(c.MeanChange, n, 1),
			CILow: k.of(c.CILow, n, 1), CIHigh: k.of(c.CIHigh, n, 1), Dz: k.of(c.Dz, n, 2),
			Improved: k.share(c.Improved, n), Unchanged: k.share(c.Unchanged, n), Worse: k.share(c.Deteriorated, n),
			ClinicalAtBaseline: k.count(c.ClinicalAtBaseline), Recovered: k.share(c.Recovered, c.ClinicalAtBaseline),
		}
		if c.Method == "" { // no way to tell reliable change from noise
			o.Improved, o.Unchanged, o.Worse = Cell{}, Cell{}, Cell{}
		}
		out = append(out, o)
	}
	return out, nil
}

// Indicator is the mean of one well-being instrument: each person's latest
// response in the period.
type Indicator struct {
	Instrument *outcomes.Instrument `json:"-"`
	Code       string               // the instrument's, for kept figures
	People     Cell
	Mean       Cell
}

// WellbeingCodes are the quality-of-life instruments shown as indicators.
var WellbeingCodes = []string{"who5", "ucla3", "osss3"}

func (s *Service) wellbeing(ctx context.Context, sc Scope, k cells, from, to time.Time) ([]Indicator, error) {
	q := sc.sql(from.UTC(), to.UTC())
	query := q.with() + `SELECT instrument, count(*), avg(total) FROM (
		SELECT r.instrument, r.total,
			row_number() OVER (PARTITION BY r.user_id, r.instrument ORDER BY r.completed_at DESC, r.id DESC) AS n
		FROM outcome_responses r
		WHERE ` + q.Responses + ` AND r.instrument IN ('who5', 'ucla3', 'osss3') AND r.total IS NOT NULL
			AND r.completed_at >= $1 AND r.completed_at < $2) x
		WHERE n = 1 GROUP BY instrument`
	rows, err := s.db.Query(ctx, query, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("evaluation: well-being: %w", err)
	}
	defer rows.Close()
	got := map[string][2]float64{}
	for rows.Next() {
		var code string
		var n int
		var mean sql.NullFloat64
		if err := rows.Scan(&code, &n, &mean); err != nil {
			return nil, err
		}
		got[code] = [2]float64{float64(n), mean.Float64}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Indicator
	for _, code := range WellbeingCodes {
		in, ok := outcomes.Lookup(code)
		if !ok {
			continue
		}
		v := got[code]
		out = append(out, Indicator{Instrument: in, Code: in.Code, People: k.count(int(v[0])), Mean: k.of(v[1], int(v[0]), 1)})
	}
	return out, nil
}

// RoundScore is the mean total of a feedback round's scored survey.
type RoundScore struct {
	ID     int64
	Title  string
	People Cell
	Mean   Cell
}

func (s *Service) rounds(ctx context.Context, sc Scope, k cells, from, to time.Time) ([]RoundScore, error) {
	q := sc.sql(from.UTC(), to.UTC())
	query := q.with() + `SELECT f.id, f.title, count(DISTINCT r.user_id), avg(r.total)
		FROM outcome_responses r JOIN outcome_feedback_rounds f ON f.id = r.round_id
		WHERE ` + q.Responses + ` AND r.total IS NOT NULL AND r.completed_at >= $1 AND r.completed_at < $2
		GROUP BY f.id, f.title ORDER BY f.id`
	rows, err := s.db.Query(ctx, query, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("evaluation: feedback rounds: %w", err)
	}
	defer rows.Close()
	var out []RoundScore
	for rows.Next() {
		var r RoundScore
		var n int
		var mean sql.NullFloat64
		if err := rows.Scan(&r.ID, &r.Title, &n, &mean); err != nil {
			return nil, err
		}
		r.People, r.Mean = k.count(n), k.of(mean.Float64, n, 1)
		out = append(out, r)
	}
	return out, rows.Err()
}
