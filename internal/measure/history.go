package measure

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
)

// Point is one of a member's results on an instrument.
type Point struct {
	ResponseID int64
	At         time.Time
	Total      float64
	Band       string
	Timepoint  string
	Group      string
	X, Y       float64 // position on the chart
}

// FormatTotal formats a total without needless decimals.
func FormatTotal(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// summaries lists a person's results per instrument, in the library's order.
func (s *Service) summaries(ctx context.Context, userID int64) ([]Summary, error) {
	var out []Summary
	for _, in := range outcomes.Instruments() {
		pts, err := s.points(ctx, s.db, userID, in.Code)
		if err != nil {
			return nil, err
		}
		if len(pts) > 0 {
			out = append(out, Summary{Instrument: in.Code, Count: len(pts), Last: pts[len(pts)-1]})
		}
	}
	return out, nil
}

func (s *Service) points(ctx context.Context, q db.Querier, userID int64, code string) ([]Point, error) {
	rows, err := q.Query(ctx, `SELECT r.id, r.completed_at, r.total, r.band, r.timepoint, COALESCE(g.name, '')
		FROM outcome_responses r LEFT JOIN support_groups g ON g.id = r.group_id
		WHERE r.user_id = $1 AND r.instrument = $2 AND r.total IS NOT NULL ORDER BY r.completed_at, r.id LIMIT 500`, userID, code)
	if err != nil {
		return nil, fmt.Errorf("measure: history: %w", err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		if err := rows.Scan(&p.ResponseID, &p.At, &p.Total, &p.Band, &p.Timepoint, &p.Group); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Chart is a member's history on one instrument, laid out for a small SVG
// line chart: totals over time, with the instrument's cut-off as a line.
type Chart struct {
	Instrument *outcomes.Instrument
	Points     []Point
	Width      float64
	Height     float64
	Left, Top  float64 // the plot area's corner
	PlotW      float64
	PlotH      float64
	Line       string // polyline points
	CutoffY    float64
	Ticks      []Tick // the vertical axis
}

// Tick is a labelled value on the vertical axis.
type Tick struct {
	Value string
	Y     float64
}

// History returns the caller's own results on one instrument as a chart.
func (s *Service) History(ctx context.Context, code string) (Chart, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Chart{}, err
	}
	in, ok := outcomes.Lookup(code)
	if !ok {
		return Chart{}, db.ErrNotFound
	}
	pts, err := s.points(ctx, s.db, p.UserID, code)
	if err != nil {
		return Chart{}, err
	}
	return layout(in, pts), nil
}

// layout places the points: time runs left to right (evenly spaced when all
// answers fall on one day), the instrument's range bottom to top.
func layout(in *outcomes.Instrument, pts []Point) Chart {
	c := Chart{Instrument: in, Points: pts, Width: 640, Height: 280, Left: 48, Top: 16}
	c.PlotW, c.PlotH = c.Width-c.Left-24, c.Height-c.Top-40
	span := in.Max - in.Min
	if span <= 0 {
		span = 1
	}
	y := func(v float64) float64 {
		v = math.Max(in.Min, math.Min(in.Max, v))
		return round1(c.Top + c.PlotH - (v-in.Min)/span*c.PlotH)
	}
	c.CutoffY = y(in.Cutoff)
	for _, v := range []float64{in.Min, in.Cutoff, in.Max} {
		c.Ticks = append(c.Ticks, Tick{Value: FormatTotal(v), Y: y(v)})
	}
	if len(pts) == 0 {
		return c
	}
	first, last := pts[0].At, pts[len(pts)-1].At
	for i := range pts {
		p := &pts[i]
		switch {
		case len(pts) == 1:
			p.X = c.Left + c.PlotW/2
		case last.Sub(first) < 24*time.Hour:
			p.X = c.Left + c.PlotW*float64(i)/float64(len(pts)-1)
		default:
			p.X = c.Left + c.PlotW*float64(p.At.Sub(first))/float64(last.Sub(first))
		}
		p.X, p.Y = round1(p.X), y(p.Total)
		if i > 0 {
			c.Line += " "
		}
		c.Line += strconv.FormatFloat(p.X, 'f', 1, 64) + "," + strconv.FormatFloat(p.Y, 'f', 1, 64)
	}
	return c
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// BandLabel names a band of an instrument in lang.
func BandLabel(in *outcomes.Instrument, code, lang string) string {
	for _, b := range in.Bands {
		if b.Code == code {
			return b.Label.In(lang)
		}
	}
	return code
}

// Inst returns the summary's instrument.
func (s Summary) Inst() *outcomes.Instrument {
	in, _ := outcomes.Lookup(s.Instrument)
	return in
}

// BandName names the latest result's band in lang.
func (s Summary) BandName(lang string) string { return BandLabel(s.Inst(), s.Last.Band, lang) }

// TotalText is the total as shown.
func (p Point) TotalText() string { return FormatTotal(p.Total) }

// BandName names a point's band in lang.
func (c Chart) BandName(code, lang string) string { return BandLabel(c.Instrument, code, lang) }

// CutoffText is the cut-off as shown.
func (c Chart) CutoffText() string { return FormatTotal(c.Instrument.Cutoff) }

// Last is the latest point; the zero Point when there is none.
func (c Chart) Last() Point {
	if len(c.Points) == 0 {
		return Point{}
	}
	return c.Points[len(c.Points)-1]
}

// Bottom is the y of the plot area's bottom edge, and Right its x of the
// right edge.
func (c Chart) Bottom() float64 { return c.Top + c.PlotH }

// Right: see Bottom.
func (c Chart) Right() float64 { return c.Left + c.PlotW }
