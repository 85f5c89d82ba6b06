package evaluation

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// monthIndex returns a CASE expression numbering which of the months
// [bounds[i], bounds[i+1]) col falls in: -1 before the first, len(bounds)-1
// from the last bound on, NULL for NULL. The bounds are bound as arguments.
func (q *scopeSQL) monthIndex(col string, bounds []time.Time) string {
	var b strings.Builder
	b.WriteString("CASE WHEN " + col + " IS NULL THEN NULL")
	for i, t := range bounds {
		b.WriteString(" WHEN " + col + " < " + q.next(t.UTC()) + " THEN " + strconv.Itoa(i-1))
	}
	b.WriteString(" ELSE " + strconv.Itoa(len(bounds)-1) + " END")
	return b.String()
}

// Reach counts people: members during the period, those new to the scope's
// groups in it, and those active in it.
type Reach struct {
	Members, New, Active Cell
}

// reach: a member is someone with a member's place in a covered group that
// began before the period ended and had not ended before it began; new is a
// member whose first place in the covered groups began in the period; active
// is a member of a covered group marked present at a covered meeting, or who
// wrote on a covered board, in the period.
func (s *Service) reach(ctx context.Context, sc Scope, k cells, from, to time.Time) (Reach, error) {
	q := sc.sql(from.UTC(), to.UTC())
	query := q.with() + `SELECT
	(SELECT count(DISTINCT m.user_id) FROM group_members m WHERE m.role = 'member'
		AND m.joined_at IS NOT NULL AND m.joined_at < $2 AND (m.status = 'active' OR (m.status = 'left' AND m.updated_at >= $1))` + q.groups("m.group_id") + `),
	(SELECT count(*) FROM (SELECT m.user_id FROM group_members m WHERE m.role = 'member' AND m.joined_at IS NOT NULL` + q.groups("m.group_id") + `
		GROUP BY m.user_id HAVING min(m.joined_at) >= $1 AND min(m.joined_at) < $2) n),
	(SELECT count(DISTINCT m.user_id) FROM group_members m WHERE m.role = 'member' AND m.joined_at IS NOT NULL` + q.groups("m.group_id") + `
		AND m.user_id IN (
			SELECT a.user_id FROM session_attendance a
				WHERE a.present AND a.occurrence_start >= $1 AND a.occurrence_start < $2` + q.sessions("a.session_id") + `
			UNION
			SELECT p.author_id FROM board_posts p
				WHERE NOT p.deleted AND p.created_at >= $1 AND p.created_at < $2` + q.groups("p.group_id") + `))`
	var members, fresh, active int
	if err := s.db.QueryRow(ctx, query, q.Args...).Scan(&members, &fresh, &active); err != nil {
		return Reach{}, fmt.Errorf("evaluation: reach: %w", err)
	}
	return Reach{Members: k.count(members), New: k.count(fresh), Active: k.count(active)}, nil
}

// Attendance is who came to the covered groups' meetings in the period.
type Attendance struct {
	Meetings int  // meetings with a roll call
	Present  Cell // times someone was marked present
	People   Cell // people marked present at least once
	Rate     Cell // share of roll-call marks that were "present"
	Months   []MonthAttendance
}

// MonthAttendance is one month of Attendance.
type MonthAttendance struct {
	Month   time.Time
	Present Cell // built from People: hidden when fewer than MinCell came
	People  Cell
}

func (s *Service) attendance(ctx context.Context, sc Scope, k cells, from, to time.Time) (Attendance, error) {
	var out Attendance
	q := sc.sql(from.UTC(), to.UTC())
	where := ` FROM session_attendance a WHERE a.occurrence_start >= $1 AND a.occurrence_start < $2` + q.sessions("a.session_id")
	var present, marks, people, meetings int
	query := q.with() + `SELECT COALESCE(sum(CASE WHEN a.present THEN 1 ELSE 0 END), 0), count(*),
		count(DISTINCT CASE WHEN a.present THEN a.user_id END),
		(SELECT count(*) FROM (SELECT DISTINCT a.session_id, a.occurrence_start` + where + `) m)` + where
	if err := s.db.QueryRow(ctx, query, q.Args...).Scan(&present, &marks, &people, &meetings); err != nil {
		return out, fmt.Errorf("evaluation: attendance: %w", err)
	}
	out.Meetings = meetings
	out.People = k.count(people)
	out.Present = k.of(float64(present), people, 0)
	if marks > 0 {
		// Suppressed by the people who came, never more than those on the
		// roll: the stricter of the two, and one pass fewer.
		out.Rate = k.of(float64(present)/float64(marks), people, 2)
	}

	ms := months(from, to, 24)
	if len(ms) == 0 {
		return out, nil
	}
	bounds := append(append([]time.Time{}, ms...), ms[len(ms)-1].AddDate(0, 1, 0))
	q = sc.sql(from.UTC(), to.UTC())
	where = ` FROM session_attendance a WHERE a.occurrence_start >= $1 AND a.occurrence_start < $2` + q.sessions("a.session_id")
	idx := q.monthIndex("a.occurrence_start", bounds)
	query = q.with() + `SELECT mi, count(*), count(DISTINCT user_id) FROM (SELECT ` + idx + ` AS mi, a.user_id` + where + ` AND a.present) x
		GROUP BY mi ORDER BY mi`
	rows, err := s.db.Query(ctx, query, q.Args...)
	if err != nil {
		return out, fmt.Errorf("evaluation: attendance by month: %w", err)
	}
	defer rows.Close()
	byMonth := map[int][2]int{}
	for rows.Next() {
		var mi, n, p int
		if err := rows.Scan(&mi, &n, &p); err != nil {
			return out, err
		}
		byMonth[mi] = [2]int{n, p}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	var cs []*Cell
	for i, m := range ms {
		v := byMonth[i]
		out.Months = append(out.Months, MonthAttendance{Month: m, Present: k.of(float64(v[0]), v[1], 0), People: k.count(v[1])})
	}
	for i := range out.Months {
		cs = append(cs, &out.Months[i].Present)
	}
	if j := complement(cs); j >= 0 {
		out.Months[j].People.Hidden = true
	}
	return out, nil
}

// complement hides one more of cells, which add up to a total shown
// elsewhere, when exactly one of them is hidden: else that one could be
// worked out by subtracting the others from the total. It hides the
// smallest shown cell that is not empty and returns its index, or -1.
func complement(cells []*Cell) int {
	hidden, pick := 0, -1
	for i, c := range cells {
		switch {
		case c.Hidden:
			hidden++
		case c.People > 0 && (pick < 0 || c.Value < cells[pick].Value):
			pick = i
		}
	}
	if hidden != 1 || pick < 0 {
		return -1
	}
	cells[pick].Hidden = true
	return pick
}

// Cohort is the people who first joined a covered group in one month, and
// the share of them still coming to meetings 1, 3 and 6 months later.
type Cohort struct {
	Month time.Time
	Size  Cell
	After []Retained // one per RetentionMonths
}

// Retained is one cell of a cohort's row; NotYet when the period ends before
// the cohort can have reached it.
type Retained struct {
	Share  Cell
	NotYet bool
}

// RetentionMonths are the months after joining that retention is read at.
var RetentionMonths = []int{1, 3, 6}

// retention: a member of the cohort of month M is "still attending after N
// months" when they were marked present at a meeting of a covered group in
// month M+N or later (up to the period's end). Calendar months keep every
// cohort's threshold the same for all its people and need no date
// arithmetic in SQL.
func (s *Service) retention(ctx context.Context, sc Scope, k cells, from, to time.Time) ([]Cohort, error) {
	ms := months(from, to, 12)
	if len(ms) == 0 {
		return nil, nil
	}
	last := RetentionMonths[len(RetentionMonths)-1]
	var bounds []time.Time
	for i := 0; i <= len(ms)+last; i++ {
		bounds = append(bounds, ms[0].AddDate(0, i, 0))
	}
	q := sc.sql(ms[0].UTC(), to.UTC())
	joined := q.monthIndex("f.joined", bounds)
	seen := q.monthIndex("l.seen", bounds)
	query := q.with(`firsts AS (SELECT m.user_id, min(m.joined_at) AS joined FROM group_members m
			WHERE m.role = 'member' AND m.joined_at IS NOT NULL`+q.groups("m.group_id")+` GROUP BY m.user_id)`,
		`cohort AS (SELECT user_id, joined FROM firsts WHERE joined >= $1 AND joined < $2)`,
		`lasts AS (SELECT a.user_id, max(a.occurrence_start) AS seen FROM session_attendance a
			WHERE a.present AND a.occurrence_start < $2`+q.sessions("a.session_id")+`
			AND a.user_id IN (SELECT user_id FROM cohort) GROUP BY a.user_id)`) + `
		SELECT ji, si, count(*) FROM (SELECT ` + joined + ` AS ji, ` + seen + ` AS si
			FROM cohort f LEFT JOIN lasts l ON l.user_id = f.user_id) x GROUP BY ji, si`
	rows, err := s.db.Query(ctx, query, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("evaluation: retention: %w", err)
	}
	defer rows.Close()
	size := map[int]int{}
	reached := map[int]map[int]int{} // cohort -> months after -> people
	for rows.Next() {
		var ji int
		var si sql.NullInt64
		var n int
		if err := rows.Scan(&ji, &si, &n); err != nil {
			return nil, err
		}
		size[ji] += n
		if !si.Valid {
			continue // never marked present
		}
		if reached[ji] == nil {
			reached[ji] = map[int]int{}
		}
		for _, after := range RetentionMonths {
			if int(si.Int64) >= ji+after {
				reached[ji][after] += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Cohort
	for i, m := range ms {
		c := Cohort{Month: m, Size: k.count(size[i])}
		for _, after := range RetentionMonths {
			r := Retained{NotYet: !m.AddDate(0, after, 0).Before(to)}
			if !r.NotYet {
				r.Share = k.share(reached[i][after], size[i])
			}
			c.After = append(c.After, r)
		}
		out = append(out, c)
	}
	// The cohorts' sizes add up to the members new in the period.
	var cs []*Cell
	for i := range out {
		cs = append(cs, &out[i].Size)
	}
	if j := complement(cs); j >= 0 {
		for a := range out[j].After {
			out[j].After[a].Share.Hidden = true
		}
	}
	return out, nil
}

// Feedback is what members said after meetings (1-5 each).
type Feedback struct {
	People  Cell
	Helpful Cell
	Safe    Cell
}

func (s *Service) feedback(ctx context.Context, sc Scope, k cells, from, to time.Time) (Feedback, error) {
	q := sc.sql(from.UTC(), to.UTC())
	query := q.with() + `SELECT count(DISTINCT f.user_id), avg(CAST(f.helpful AS DOUBLE PRECISION)), avg(CAST(f.safe AS DOUBLE PRECISION))
		FROM session_feedback f
		WHERE f.occurrence_start >= $1 AND f.occurrence_start < $2` + q.sessions("f.session_id")
	var people int
	var helpful, safe sql.NullFloat64
	if err := s.db.QueryRow(ctx, query, q.Args...).Scan(&people, &helpful, &safe); err != nil {
		return Feedback{}, fmt.Errorf("evaluation: feedback: %w", err)
	}
	return Feedback{People: k.count(people), Helpful: k.of(helpful.Float64, people, 1), Safe: k.of(safe.Float64, people, 1)}, nil
}
