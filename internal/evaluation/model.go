package evaluation

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// MinCell is the fewest people a figure may be built from: a count of fewer
// people, or a mean or share over fewer people, is shown as "fewer than 5".
const MinCell = 5

// Levels of a dashboard.
const (
	LevelGroup   = "group"
	LevelOrg     = "organisation"
	LevelNetwork = "network"
	LevelMine    = "mine" // the groups the viewer facilitates
)

// Filter narrows a dashboard, report or export. Zero fields do not narrow;
// the period is [From, To).
type Filter struct {
	From, To time.Time
	OrgID    int64
	GroupID  int64
	Topic    string
}

// Cell is one figure with how many people it is built from.
type Cell struct {
	Value    float64
	People   int
	Hidden   bool // built from fewer than MinCell people, and the viewer is not exempt
	Decimals int
}

// Empty reports a figure built from nobody (shown as a dash, not a zero).
func (c Cell) Empty() bool { return c.People == 0 }

// Fmt formats the value in the reader's language (a decimal comma in
// Indonesian).
func (c Cell) Fmt(lang string) string { return FormatNumber(c.Value, c.Decimals, lang) }

// Percent formats a share (0..1) as a whole percentage.
func (c Cell) Percent(lang string) string { return FormatNumber(c.Value*100, 0, lang) + "%" }

// cells builds figures under one suppression rule.
type cells struct{ exempt bool }

// count is a number of people.
func (k cells) count(n int) Cell {
	return Cell{Value: float64(n), People: n, Hidden: !k.exempt && n > 0 && n < MinCell}
}

// of is a mean or share built from people.
func (k cells) of(v float64, people, decimals int) Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Cell{Decimals: decimals} // not computable: shown as a dash
	}
	if people == 0 {
		v = 0
	}
	return Cell{Value: v, People: people, Hidden: !k.exempt && people > 0 && people < MinCell, Decimals: decimals}
}

// share is part/whole of people.
func (k cells) share(part, whole int) Cell {
	if whole == 0 {
		return Cell{}
	}
	return k.of(float64(part)/float64(whole), whole, 2)
}

// FormatNumber writes v with decimals places, grouping thousands, in lang's
// convention ("1.234,5" in Indonesian, "1,234.5" in English).
func FormatNumber(v float64, decimals int, lang string) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	if decimals > 0 && math.Abs(v) < math.Pow(10, float64(-decimals))/2 {
		v = 0
	}
	group, point := ",", "."
	if lang == "id" {
		group, point = ".", ","
	}
	var b strings.Builder
	if v < 0 {
		b.WriteString("−")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point + frac)
	}
	return b.String()
}

// monthStart is the first instant of t's month in t's location.
func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// months lists the starts of the months that overlap [from, to), the last
// max of them.
func months(from, to time.Time, max int) []time.Time {
	var out []time.Time
	for m := monthStart(from); m.Before(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}
