package directory

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/hsds"
)

// Hours is what a person needs to know about when a service is open, read
// from its HSDS schedules in the deployment's time zone.
type Hours struct {
	Known  bool       // some schedule gives opening hours
	Open   bool       // open at the moment asked about
	Always bool       // open around the clock for the days ahead
	Until  time.Time  // when open: when it closes
	Next   *time.Time // when closed: the next opening within a week
	// NextWeekday, NextToday and NextTomorrow say which day Next falls on.
	NextWeekday             int
	NextToday, NextTomorrow bool
	Week                    []Day    // the seven days from today
	Notes                   []string // schedules' descriptions and notes, without repeats
	Zone                    string   // the zone's abbreviation, e.g. "WIB"
	Closed                  bool     // the week ahead has no opening at all
}

// Day is one day of the week ahead and the hours it is open.
type Day struct {
	Date    time.Time
	Weekday int
	Ranges  []string // "09:00–17:00", in the deployment's zone
	AllDay  bool
	Today   bool
}

// interval is one opening, from a schedule's hours on one day.
type interval struct{ from, to time.Time }

// clockRE is opens_at/closes_at as HSDS writes it: "09:00", "09:00:00",
// optionally with "Z" or an offset.
var clockRE = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$`)

// clock reads a time of day as seconds after midnight and the zone its
// offset names (nil for none).
func clock(s string) (int, bool, *time.Location) {
	m := clockRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false, nil
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	var zone *time.Location
	switch off := strings.ReplaceAll(m[4], ":", ""); {
	case off == "Z":
		zone = time.UTC
	case off != "":
		oh, _ := strconv.Atoi(off[1:3])
		om, _ := strconv.Atoi(off[3:5])
		secs := oh*3600 + om*60
		if off[0] == '-' {
			secs = -secs
		}
		zone = time.FixedZone("", secs)
	}
	return h*3600 + mi*60 + sec, true, zone
}

// openings lists the intervals a schedule is open that begin on the days
// from `from` to `to` (civil dates in the schedule's zone). hsds decides
// whether the schedule occurs on a day (Schedule.OpenAt at its opening
// time), so recurrence rules are read in one place only.
func openings(sc *hsds.Schedule, loc *time.Location, from, to time.Time) []interval {
	opens, okOpen, z1 := clock(sc.OpensAt)
	closes, okClose, z2 := clock(sc.ClosesAt)
	if !okOpen && !okClose {
		return nil
	}
	zone := loc
	if sc.Timezone != nil {
		zone = time.FixedZone("", int(math.Round(*sc.Timezone*3600)))
	}
	if z1 != nil {
		zone = z1
	} else if z2 != nil {
		zone = z2
	}
	if !okOpen {
		opens = 0
	}
	end := 86400
	if okClose {
		end = closes
		if closes <= opens {
			end = closes + 86400
		}
	}
	var out []interval
	for d := from.In(zone); !d.After(to.In(zone)); d = d.AddDate(0, 0, 1) {
		start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone).Add(time.Duration(opens) * time.Second)
		if sc.OpenAt(start, loc) {
			out = append(out, interval{start, start.Add(time.Duration(end-opens) * time.Second)})
		}
	}
	return out
}

// merge joins intervals that overlap or touch.
func merge(in []interval) []interval {
	sort.Slice(in, func(i, j int) bool { return in[i].from.Before(in[j].from) })
	var out []interval
	for _, iv := range in {
		if n := len(out); n > 0 && !iv.from.After(out[n-1].to) {
			if iv.to.After(out[n-1].to) {
				out[n-1].to = iv.to
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// Schedules returns the schedules that say when a service is open: its own
// and those of its services at locations, or, when it has neither, those
// of its locations (the rule hsds search follows for "open now").
func Schedules(sv *hsds.Service) []hsds.Schedule {
	out := append([]hsds.Schedule(nil), sv.Schedules...)
	for _, sal := range sv.ServiceAtLocations {
		out = append(out, sal.Schedules...)
	}
	if len(out) > 0 {
		return out
	}
	for _, sal := range sv.ServiceAtLocations {
		if sal.Location == nil {
			continue
		}
		for _, sc := range sal.Location.Schedules {
			if sc.ServiceID == "" && sc.ServiceAtLocationID == "" {
				out = append(out, sc)
			}
		}
	}
	return out
}

// HoursOf reads schedules at instant now in zone loc: whether the service
// is open, until when or when it opens next, and the week ahead day by day.
func HoursOf(schedules []hsds.Schedule, now time.Time, loc *time.Location) Hours {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	h := Hours{Zone: now.Format("MST")}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	// A day before today (hours past midnight) to eight days ahead.
	from, to := today.AddDate(0, 0, -1), today.AddDate(0, 0, 8)
	var all []interval
	seen := map[string]bool{}
	for i := range schedules {
		sc := &schedules[i]
		ivs := openings(sc, loc, from.Add(-14*time.Hour), to.Add(14*time.Hour))
		_, okOpen, _ := clock(sc.OpensAt)
		_, okClose, _ := clock(sc.ClosesAt)
		h.Known = h.Known || okOpen || okClose
		all = append(all, ivs...)
		for _, n := range []string{sc.Description, sc.Notes, sc.AttendingType} {
			if n = strings.TrimSpace(n); n != "" && !seen[n] {
				seen[n] = true
				h.Notes = append(h.Notes, n)
			}
		}
	}
	merged := merge(all)
	horizon := today.AddDate(0, 0, 7)
	for _, iv := range merged {
		if !iv.from.After(now) && now.Before(iv.to) {
			h.Open, h.Until = true, iv.to.In(loc)
			h.Always = !iv.to.Before(horizon)
		}
		if iv.from.After(now) && h.Next == nil && iv.from.Before(horizon.AddDate(0, 0, 1)) {
			t := iv.from.In(loc)
			h.Next = &t
			h.NextWeekday = int(t.Weekday())
			day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
			h.NextToday, h.NextTomorrow = day.Equal(today), day.Equal(today.AddDate(0, 0, 1))
		}
	}
	h.Closed = h.Known && !h.Open && h.Next == nil
	for i := 0; i < 7; i++ {
		start := today.AddDate(0, 0, i)
		end := today.AddDate(0, 0, i+1)
		d := Day{Date: start, Weekday: int(start.Weekday()), Today: i == 0}
		for _, iv := range merged {
			if !iv.from.Before(end) || !iv.to.After(start) {
				continue
			}
			a, b := iv.from, iv.to
			if a.Before(start) {
				a = start
			}
			if b.After(end) {
				b = end
			}
			if a.Equal(start) && b.Equal(end) {
				d.AllDay = true
				continue
			}
			d.Ranges = append(d.Ranges, clockText(a.In(loc), start)+"–"+clockText(b.In(loc), start))
		}
		h.Week = append(h.Week, d)
	}
	return h
}

// clockText is a time of day as 24-hour "HH:MM", written "24:00" for the
// midnight that ends day.
func clockText(t, day time.Time) string {
	if t.Sub(day) >= 24*time.Hour {
		return "24:00"
	}
	return t.Format("15:04")
}
