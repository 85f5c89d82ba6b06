package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Rule is a parsed recurrence rule.
type Rule struct {
	Freq       string         // DAILY, WEEKLY or MONTHLY
	Interval   int            // every Interval days/weeks/months; at least 1
	ByDay      []time.Weekday // WEEKLY: the weekdays; MONTHLY with Nth: see ByDayNth
	ByDayNth   int            // MONTHLY: 1..4 or -1 (last) with one ByDay, e.g. 2TU
	ByMonthDay int            // MONTHLY: day of the month, 1..28
	Count      int            // stop after Count occurrences (0: no limit)
	Until      time.Time      // stop after this instant (zero: no limit)
}

// ErrRule is wrapped by every parse error.
var ErrRule = errors.New("calendar: invalid recurrence rule")

var dayCodes = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

// maxOccurrences bounds any expansion, so a rule can never make a loop run
// for ever or fill memory.
const maxOccurrences = 1000

// ParseRule reads an RRULE value such as "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=10".
// It accepts the subset this product schedules and refuses the rest with a
// reason, rather than silently ignoring a part.
func ParseRule(s string) (Rule, error) {
	r := Rule{Interval: 1}
	s = strings.TrimPrefix(strings.TrimSpace(s), "RRULE:")
	if s == "" {
		return r, fmt.Errorf("%w: empty", ErrRule)
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.ToUpper(strings.TrimSpace(v))
		if !ok || v == "" {
			return r, fmt.Errorf("%w: %q is not NAME=VALUE", ErrRule, part)
		}
		if seen[k] {
			return r, fmt.Errorf("%w: %s given twice", ErrRule, k)
		}
		seen[k] = true
		switch k {
		case "FREQ":
			if v != "DAILY" && v != "WEEKLY" && v != "MONTHLY" {
				return r, fmt.Errorf("%w: FREQ=%s (want DAILY, WEEKLY or MONTHLY)", ErrRule, v)
			}
			r.Freq = v
		case "INTERVAL":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 52 {
				return r, fmt.Errorf("%w: INTERVAL=%s (want 1 to 52)", ErrRule, v)
			}
			r.Interval = n
		case "COUNT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxOccurrences {
				return r, fmt.Errorf("%w: COUNT=%s (want 1 to %d)", ErrRule, v, maxOccurrences)
			}
			r.Count = n
		case "UNTIL":
			t, err := parseUntil(v)
			if err != nil {
				return r, fmt.Errorf("%w: UNTIL=%s", ErrRule, v)
			}
			r.Until = t
		case "BYDAY":
			for _, d := range strings.Split(v, ",") {
				nth, code := 0, d
				if len(d) > 2 {
					n, err := strconv.Atoi(d[:len(d)-2])
					if err != nil || n == 0 || n < -1 || n > 4 {
						return r, fmt.Errorf("%w: BYDAY=%s", ErrRule, v)
					}
					nth, code = n, d[len(d)-2:]
				}
				wd, ok := dayCodes[code]
				if !ok {
					return r, fmt.Errorf("%w: BYDAY=%s", ErrRule, v)
				}
				if nth != 0 {
					if r.ByDayNth != 0 || len(strings.Split(v, ",")) > 1 {
						return r, fmt.Errorf("%w: only one ordinal day such as 2TU", ErrRule)
					}
					r.ByDayNth = nth
				}
				r.ByDay = append(r.ByDay, wd)
			}
		case "BYMONTHDAY":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 28 {
				return r, fmt.Errorf("%w: BYMONTHDAY=%s (want 1 to 28, so every month has it)", ErrRule, v)
			}
			r.ByMonthDay = n
		case "WKST":
			if _, ok := dayCodes[v]; !ok {
				return r, fmt.Errorf("%w: WKST=%s", ErrRule, v)
			}
		default:
			return r, fmt.Errorf("%w: %s is not supported", ErrRule, k)
		}
	}
	if r.Freq == "" {
		return r, fmt.Errorf("%w: FREQ is missing", ErrRule)
	}
	if r.Count > 0 && !r.Until.IsZero() {
		return r, fmt.Errorf("%w: COUNT and UNTIL together", ErrRule)
	}
	switch r.Freq {
	case "DAILY":
		if len(r.ByDay) > 0 || r.ByMonthDay > 0 {
			return r, fmt.Errorf("%w: DAILY takes no BYDAY or BYMONTHDAY", ErrRule)
		}
	case "WEEKLY":
		if r.ByDayNth != 0 || r.ByMonthDay > 0 {
			return r, fmt.Errorf("%w: WEEKLY takes plain weekdays only", ErrRule)
		}
	case "MONTHLY":
		if len(r.ByDay) > 0 && r.ByDayNth == 0 {
			return r, fmt.Errorf("%w: MONTHLY needs an ordinal day such as 1MO", ErrRule)
		}
		if r.ByDayNth != 0 && r.ByMonthDay > 0 {
			return r, fmt.Errorf("%w: BYDAY and BYMONTHDAY together", ErrRule)
		}
	}
	return r, nil
}

func parseUntil(v string) (time.Time, error) {
	for _, layout := range []string{"20060102T150405Z", "20060102"} {
		if t, err := time.Parse(layout, v); err == nil {
			if layout == "20060102" {
				t = t.Add(24*time.Hour - time.Second)
			}
			return t, nil
		}
	}
	return time.Time{}, errors.New("bad UNTIL")
}

// String writes the rule back in RFC 5545 form.
func (r Rule) String() string {
	parts := []string{"FREQ=" + r.Freq}
	if r.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.Interval))
	}
	if len(r.ByDay) > 0 {
		codes := make([]string, len(r.ByDay))
		for i, d := range r.ByDay {
			codes[i] = strings.ToUpper(d.String()[:2])
			if r.ByDayNth != 0 {
				codes[i] = strconv.Itoa(r.ByDayNth) + codes[i]
			}
		}
		parts = append(parts, "BYDAY="+strings.Join(codes, ","))
	}
	if r.ByMonthDay > 0 {
		parts = append(parts, "BYMONTHDAY="+strconv.Itoa(r.ByMonthDay))
	}
	if r.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	}
	if !r.Until.IsZero() {
		parts = append(parts, "UNTIL="+r.Until.UTC().Format("20060102T150405Z"))
	}
	return strings.Join(parts, ";")
}

// Occurrences returns the starts of the series beginning at start, in order,
// that fall before limit, at most maxOccurrences. Wall-clock times are kept in
// start's location, so a 19:00 session stays at 19:00 across daylight-saving
// changes. The first occurrence is start itself, as RFC 5545 counts DTSTART.
func (r Rule) Occurrences(start, limit time.Time) []time.Time {
	var out []time.Time
	emit := func(t time.Time) bool {
		if t.Before(start) {
			return true
		}
		if !r.Until.IsZero() && t.After(r.Until) {
			return false
		}
		if !t.Before(limit) || len(out) >= maxOccurrences || (r.Count > 0 && len(out) >= r.Count) {
			return false
		}
		out = append(out, t)
		return true
	}
	at := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, start.Hour(), start.Minute(), start.Second(), 0, start.Location())
	}
	switch r.Freq {
	case "DAILY":
		for i := 0; ; i++ {
			if !emit(at(start.Year(), start.Month(), start.Day()+i*r.Interval)) {
				return out
			}
		}
	case "WEEKLY":
		days := r.ByDay
		if len(days) == 0 {
			days = []time.Weekday{start.Weekday()}
		}
		sorted := append([]time.Weekday(nil), days...)
		// Weeks start on Monday (WKST=MO, the default).
		key := func(d time.Weekday) int { return (int(d) + 6) % 7 }
		sort.Slice(sorted, func(i, j int) bool { return key(sorted[i]) < key(sorted[j]) })
		monday := start.Day() - key(start.Weekday())
		for w := 0; ; w++ {
			for _, d := range sorted {
				if !emit(at(start.Year(), start.Month(), monday+w*7*r.Interval+key(d))) {
					return out
				}
			}
		}
	case "MONTHLY":
		for m := 0; ; m++ {
			first := time.Date(start.Year(), start.Month()+time.Month(m*r.Interval), 1, 0, 0, 0, 0, start.Location())
			var day int
			switch {
			case r.ByDayNth > 0:
				day = 1 + (int(r.ByDay[0])-int(first.Weekday())+7)%7 + (r.ByDayNth-1)*7
			case r.ByDayNth == -1:
				last := first.AddDate(0, 1, -1)
				day = last.Day() - (int(last.Weekday())-int(r.ByDay[0])+7)%7
			case r.ByMonthDay > 0:
				day = r.ByMonthDay
			default:
				day = start.Day()
				if day > 28 {
					day = 28 // a month without the 29th-31st keeps its meeting
				}
			}
			if !emit(at(first.Year(), first.Month(), day)) {
				return out
			}
		}
	}
	return out
}
