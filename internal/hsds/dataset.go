package hsds

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// origin is where a record came from, for messages.
type origin struct {
	row  int    // CSV: spreadsheet row (header = 1); JSON: record number (1-based)
	path string // JSON pointer of the record in a JSON file
}

// dataset is a set of HSDS records read from one file or folder, table by
// table, with every problem found while reading.
type dataset struct {
	rows     map[*table][]row
	origins  map[*table][]origin
	index    map[*table]map[string]int
	merge    bool // JSON: the same id may appear several times (nesting)
	problems []Problem
	warnings []Problem
}

func newDataset(merge bool) *dataset {
	return &dataset{rows: map[*table][]row{}, origins: map[*table][]origin{}, index: map[*table]map[string]int{}, merge: merge}
}

func (d *dataset) problem(t *table, o origin, field, format string, args ...any) {
	d.problems = append(d.problems, Problem{Table: t.name, Row: o.row, Path: o.path, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (d *dataset) warn(t *table, o origin, field, format string, args ...any) {
	d.warnings = append(d.warnings, Problem{Table: t.name, Row: o.row, Path: o.path, Field: field, Message: fmt.Sprintf(format, args...)})
}

// add puts a record in the set. A record whose id is already there is a
// problem in a CSV file; in a JSON file, where one record can appear in
// several places (a phone under its service and its location), the copies
// are merged, and fields that disagree are a problem.
func (d *dataset) add(t *table, r row, o origin) {
	id := r.id()
	idx := d.index[t]
	if idx == nil {
		idx = map[string]int{}
		d.index[t] = idx
	}
	if id != "" {
		if i, ok := idx[id]; ok {
			if !d.merge {
				d.problem(t, o, "id", "%s is also the id of row %d", id, d.origins[t][i].row)
				return
			}
			have := d.rows[t][i]
			for _, c := range t.columns {
				v, ok := r[c.name]
				if !ok || empty(v) {
					continue
				}
				old, had := have[c.name]
				if !had || empty(old) {
					have[c.name] = v
					continue
				}
				if fmt.Sprint(old) != fmt.Sprint(v) {
					d.problem(t, o, c.name, "record %s appears twice with different values (%q at %s, %q here)",
						id, fmt.Sprint(old), d.origins[t][i].path, fmt.Sprint(v))
				}
			}
			return
		}
		idx[id] = len(d.rows[t])
	}
	d.rows[t] = append(d.rows[t], r)
	d.origins[t] = append(d.origins[t], o)
}

func (d *dataset) has(t *table, id string) bool {
	_, ok := d.index[t][id]
	return ok
}

func (d *dataset) count() int {
	n := 0
	for _, rs := range d.rows {
		n += len(rs)
	}
	return n
}

var (
	timeOfDay = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?$`)
)

// checkKinds checks the dates, date-times and times of a record.
func (d *dataset) checkKinds(t *table, r row, o origin) {
	for _, c := range t.columns {
		s := r.str(c.name)
		if s == "" {
			continue
		}
		switch c.kind {
		case kDate:
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				d.problem(t, o, c.name, "%q is not a date (YYYY-MM-DD)", s)
			}
		case kDateTime:
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				d.problem(t, o, c.name, "%q is not a date and time (RFC 3339, like 2024-05-01T09:30:00Z)", s)
			}
		case kTime:
			if !timeOfDay.MatchString(s) {
				d.problem(t, o, c.name, "%q is not a time of day (HH:MM or HH:MM:SS)", s)
			}
		}
	}
}

// checkRequired reports the fields a table requires beyond its schema (HSDS
// tabular_required), on the records as merged.
func (d *dataset) checkRequired() {
	for _, t := range tables {
		for i, r := range d.rows[t] {
			for _, f := range t.required {
				if empty(r[f]) {
					d.problem(t, d.origins[t][i], f, "required")
				}
			}
		}
	}
}

// parseDateTime reads an RFC 3339 date-time, or a date alone (midnight UTC).
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, strings.TrimSpace(s))
}
