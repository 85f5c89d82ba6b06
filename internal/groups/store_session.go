package groups

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

const sessionColumns = `id, group_id, title, starts_at, minutes, timezone, rrule, weekdays, capacity, guest_seats, place, created_at, updated_at`

func scanSession(row interface{ Scan(...any) error }) (Session, error) {
	var s Session
	err := row.Scan(&s.ID, &s.GroupID, &s.Title, &s.Start, &s.Minutes, &s.TZ, &s.RRule, &s.Weekdays, &s.Capacity, &s.GuestSeats,
		&s.Place, &s.Created, &s.Updated)
	return s, err
}

func sessionByID(ctx context.Context, q db.Querier, id int64) (Session, error) {
	s, err := scanSession(q.QueryRow(ctx, `SELECT `+sessionColumns+` FROM group_sessions WHERE id = $1`, id))
	if err != nil {
		return Session{}, fmt.Errorf("groups: session %d: %w", id, err)
	}
	return s, nil
}

// sessionsOf lists a group's sessions that may still have occurrences after
// from (ends_at is the last occurrence's end, NULL for open-ended series).
func sessionsOf(ctx context.Context, q db.Querier, groupIDs []int64, from time.Time) ([]Session, error) {
	rows, err := q.Query(ctx, db.IDList("wanted", groupIDs)+`SELECT `+sessionColumns+` FROM group_sessions
		WHERE group_id IN (SELECT value FROM wanted) AND (ends_at IS NULL OR ends_at > $1) ORDER BY starts_at`, from)
	if err != nil {
		return nil, fmt.Errorf("groups: sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func insertSession(ctx context.Context, q db.Querier, s Session, ends *time.Time) (int64, error) {
	var id int64
	var endsAt any
	if ends != nil {
		endsAt = *ends
	}
	err := q.QueryRow(ctx, `INSERT INTO group_sessions (group_id, title, starts_at, minutes, timezone, rrule, weekdays, capacity,
		place, ends_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		s.GroupID, s.Title, s.Start, s.Minutes, s.TZ, s.RRule, s.Weekdays, s.Capacity, s.Place, endsAt, s.Created).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("groups: insert session: %w", err)
	}
	return id, nil
}

type change struct {
	Cancelled bool
	NewStart  time.Time
	Reason    string
}

// changesOf returns the changed occurrences of sessions, keyed by session id
// and original start (Unix seconds).
func changesOf(ctx context.Context, q db.Querier, ids []int64) (map[int64]map[int64]change, error) {
	out := map[int64]map[int64]change{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, db.IDList("wanted", ids)+`SELECT session_id, original_start, cancelled, new_start, reason
		FROM session_changes WHERE session_id IN (SELECT value FROM wanted)`)
	if err != nil {
		return nil, fmt.Errorf("groups: session changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var orig time.Time
		var c change
		var ns *time.Time
		if err := rows.Scan(&sid, &orig, &c.Cancelled, &ns, &c.Reason); err != nil {
			return nil, err
		}
		if ns != nil {
			c.NewStart = *ns
		}
		if out[sid] == nil {
			out[sid] = map[int64]change{}
		}
		out[sid][orig.Unix()] = c
	}
	return out, rows.Err()
}

// guestCounts returns how many guest passes each occurrence has.
func guestCounts(ctx context.Context, q db.Querier, ids []int64) (map[int64]map[int64]int, error) {
	out := map[int64]map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, db.IDList("wanted", ids)+`SELECT session_id, occurrence_start, count(*) FROM guest_passes
		WHERE session_id IN (SELECT value FROM wanted) GROUP BY session_id, occurrence_start`)
	if err != nil {
		return nil, fmt.Errorf("groups: guest passes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var at time.Time
		var n int
		if err := rows.Scan(&sid, &at, &n); err != nil {
			return nil, err
		}
		if out[sid] == nil {
			out[sid] = map[int64]int{}
		}
		out[sid][at.Unix()] = n
	}
	return out, rows.Err()
}

// rsvpCounts returns how many are coming to each occurrence, and whether
// userID is among them, keyed by session id and original start.
func rsvpCounts(ctx context.Context, q db.Querier, ids []int64, userID int64) (map[int64]map[int64]int, map[int64]map[int64]bool, error) {
	counts, mine := map[int64]map[int64]int{}, map[int64]map[int64]bool{}
	if len(ids) == 0 {
		return counts, mine, nil
	}
	rows, err := q.Query(ctx, db.IDList("wanted", ids)+`SELECT session_id, occurrence_start, user_id FROM session_rsvps
		WHERE session_id IN (SELECT value FROM wanted)`)
	if err != nil {
		return nil, nil, fmt.Errorf("groups: rsvps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid, uid int64
		var at time.Time
		if err := rows.Scan(&sid, &at, &uid); err != nil {
			return nil, nil, err
		}
		if counts[sid] == nil {
			counts[sid], mine[sid] = map[int64]int{}, map[int64]bool{}
		}
		counts[sid][at.Unix()]++
		if uid == userID {
			mine[sid][at.Unix()] = true
		}
	}
	return counts, mine, rows.Err()
}
