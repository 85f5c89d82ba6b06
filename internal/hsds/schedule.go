package hsds

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// OpenAt reports whether any of the schedules is open at instant t. Each is
// read in its own time zone when it names one (HSDS timezone, a UTC offset
// in hours, or an offset written on opens_at), else in loc (the
// deployment's zone; UTC when nil). A schedule without opening hours says
// nothing, so it never counts as open.
func OpenAt(schedules []Schedule, t time.Time, loc *time.Location) bool {
	for i := range schedules {
		if schedules[i].OpenAt(t, loc) {
			return true
		}
	}
	return false
}

// OpenAt reports whether the schedule is open at instant t; see OpenAt.
//
// Rules: opens_at..closes_at on every day the schedule occurs; closes_at at
// or before opens_at runs past midnight into the next day (equal times: all
// day); a missing opens_at is midnight and a missing closes_at the end of
// the day. A day occurs when it lies within valid_from..valid_to and
// dtstart..until and matches the recurrence: freq WEEKLY (byday, or
// dtstart's weekday; every interval weeks from dtstart), MONTHLY
// (bymonthday such as "1,15,-1", or byday with an ordinal such as "1MO" or
// "-1FR"; every interval months), or, with no freq, byday if given, else
// every day. byweekno, byyearday (and bymonthday with WEEKLY) narrow
// further, and count limits how many days occur from dtstart.
func (sc *Schedule) OpenAt(t time.Time, loc *time.Location) bool {
	zone := loc
	if zone == nil {
		zone = time.UTC
	}
	if sc.Timezone != nil {
		zone = time.FixedZone("", int(math.Round(*sc.Timezone*3600)))
	}
	opens, okOpen, z1 := parseClock(sc.OpensAt)
	closes, okClose, z2 := parseClock(sc.ClosesAt)
	if !okOpen && !okClose {
		return false
	}
	if z1 != nil {
		zone = z1
	} else if z2 != nil {
		zone = z2
	}
	if !okOpen {
		opens = 0
	}
	end := closes
	if !okClose {
		end = 86400
	} else if closes <= opens {
		end = closes + 86400
	}
	lt := t.In(zone)
	day := civil(lt)
	sec := lt.Hour()*3600 + lt.Minute()*60 + lt.Second()
	if sec >= opens && sec < end && sc.occurs(day) {
		return true
	}
	// Hours that run past midnight belong to the day they began.
	return end > 86400 && sec+86400 < end && sc.occurs(day.AddDate(0, 0, -1))
}

// civil is the calendar date of a local time, at midnight UTC, so that
// date arithmetic ignores zones and daylight saving.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// parseClock reads "HH:MM", "HH:MM:SS", optionally with "Z" or an offset,
// as seconds after midnight and the zone the offset names (nil for none).
func parseClock(s string) (int, bool, *time.Location) {
	s = strings.TrimSpace(s)
	if s == "" || !timeOfDay.MatchString(s) {
		return 0, false, nil
	}
	var zone *time.Location
	body := s
	if strings.HasSuffix(s, "Z") {
		body, zone = s[:len(s)-1], time.UTC
	} else if i := strings.LastIndexAny(s, "+-"); i > 0 {
		body = s[:i]
		off := strings.ReplaceAll(s[i+1:], ":", "")
		h, _ := strconv.Atoi(off[:2])
		m, _ := strconv.Atoi(off[2:])
		secs := h*3600 + m*60
		if s[i] == '-' {
			secs = -secs
		}
		zone = time.FixedZone("", secs)
	}
	parts := strings.Split(body, ":")
	h, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	sec := 0
	if len(parts) == 3 {
		f, _ := strconv.ParseFloat(parts[2], 64)
		sec = int(f)
	}
	return h*3600 + m*60 + sec, true, zone
}

func parseDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if dt, err2 := time.Parse(time.RFC3339, s); err2 == nil {
			return civil(dt), true
		}
		return time.Time{}, false
	}
	return t, true
}

// occurs reports whether the schedule's recurrence includes day (a civil
// date), counting count from dtstart.
func (sc *Schedule) occurs(day time.Time) bool {
	if !sc.matches(day) {
		return false
	}
	start, hasStart := parseDay(sc.DTStart)
	if sc.Count == nil || !hasStart || *sc.Count <= 0 {
		return true
	}
	n := 0
	limit := int(*sc.Count)
	for d := start; !d.After(day); d = d.AddDate(0, 0, 1) {
		if sc.matches(d) {
			n++
			if n > limit {
				return false
			}
		}
	}
	return true
}

// matches is occurs without count.
func (sc *Schedule) matches(day time.Time) bool {
	if from, ok := parseDay(sc.ValidFrom); ok && day.Before(from) {
		return false
	}
	if to, ok := parseDay(sc.ValidTo); ok && day.After(to) {
		return false
	}
	start, hasStart := parseDay(sc.DTStart)
	if hasStart && day.Before(start) {
		return false
	}
	if until, ok := parseDay(sc.Until); ok && day.After(until) {
		return false
	}
	interval := 1
	if sc.Interval != nil && *sc.Interval >= 1 {
		interval = int(*sc.Interval)
	}
	days := parseByDay(sc.ByDay)
	switch strings.ToUpper(sc.Freq) {
	case "MONTHLY":
		if hasStart && interval > 1 {
			months := (day.Year()-start.Year())*12 + int(day.Month()) - int(start.Month())
			if months%interval != 0 {
				return false
			}
		}
		switch {
		case sc.ByMonthDay != "":
			if !inNumbers(day.Day(), sc.ByMonthDay, daysIn(day)) {
				return false
			}
			if len(days) > 0 && !matchesMonthly(day, days) {
				return false
			}
		case len(days) > 0:
			if !matchesMonthly(day, days) {
				return false
			}
		case hasStart:
			if day.Day() != start.Day() {
				return false
			}
		}
	case "WEEKLY":
		if hasStart && interval > 1 {
			if weeksBetween(start, day, weekStart(sc.WKST))%interval != 0 {
				return false
			}
		}
		switch {
		case len(days) > 0:
			if !hasWeekday(days, day.Weekday()) {
				return false
			}
		case hasStart:
			if day.Weekday() != start.Weekday() {
				return false
			}
		}
		if sc.ByMonthDay != "" && !inNumbers(day.Day(), sc.ByMonthDay, daysIn(day)) {
			return false
		}
	default:
		if len(days) > 0 && !hasWeekday(days, day.Weekday()) {
			return false
		}
		if sc.ByMonthDay != "" && !inNumbers(day.Day(), sc.ByMonthDay, daysIn(day)) {
			return false
		}
	}
	if sc.ByWeekNo != "" {
		_, wk := day.ISOWeek()
		if !inNumbers(wk, sc.ByWeekNo, isoWeeksIn(day.Year())) {
			return false
		}
	}
	if sc.ByYearDay != "" {
		yearDays := 365
		if daysIn(time.Date(day.Year(), 2, 1, 0, 0, 0, 0, time.UTC)) == 29 {
			yearDays = 366
		}
		if !inNumbers(day.YearDay(), sc.ByYearDay, yearDays) {
			return false
		}
	}
	return true
}

// byDay is one entry of byday: a weekday and, for MONTHLY, an ordinal
// (1 = first, -1 = last, 0 = every).
type byDay struct {
	ord int
	day time.Weekday
}

var weekdayCodes = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
	"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

func parseByDay(s string) []byDay {
	var out []byDay
	for _, part := range strings.Split(s, ",") {
		part = strings.ToUpper(strings.TrimSpace(part))
		if len(part) < 2 {
			continue
		}
		wd, ok := weekdayCodes[part[len(part)-2:]]
		if !ok {
			continue
		}
		ord := 0
		if p := part[:len(part)-2]; p != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(p, "+"))
			if err != nil {
				continue
			}
			ord = n
		}
		out = append(out, byDay{ord: ord, day: wd})
	}
	return out
}

func hasWeekday(days []byDay, wd time.Weekday) bool {
	for _, d := range days {
		if d.day == wd {
			return true
		}
	}
	return false
}

// matchesMonthly: "MO" is every Monday of the month, "2MO" the second,
// "-1MO" the last.
func matchesMonthly(day time.Time, days []byDay) bool {
	nth := (day.Day()-1)/7 + 1
	nthFromEnd := -((daysIn(day)-day.Day())/7 + 1)
	for _, d := range days {
		if d.day != day.Weekday() {
			continue
		}
		if d.ord == 0 || d.ord == nth || d.ord == nthFromEnd {
			return true
		}
	}
	return false
}

// inNumbers reports whether n is in a comma-separated list of integers, where
// a negative entry counts back from size (-1 is the last).
func inNumbers(n int, list string, size int) bool {
	for _, part := range strings.Split(list, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || v == 0 {
			continue
		}
		if v < 0 {
			v = size + 1 + v
		}
		if v == n {
			return true
		}
	}
	return false
}

func daysIn(day time.Time) int {
	return time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isoWeeksIn(year int) int {
	_, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

func weekStart(wkst string) time.Weekday {
	if wd, ok := weekdayCodes[strings.ToUpper(wkst)]; ok {
		return wd
	}
	return time.Monday
}

// weeksBetween counts whole weeks (weeks beginning on ws) from a to b.
func weeksBetween(a, b time.Time, ws time.Weekday) int {
	back := func(d time.Time) time.Time {
		off := (int(d.Weekday()) - int(ws) + 7) % 7
		return d.AddDate(0, 0, -off)
	}
	return int(back(b).Sub(back(a)).Hours()/24) / 7
}
