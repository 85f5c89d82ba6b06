package groups

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/calendar"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// SessionInput is the session form.
type SessionInput struct {
	Title, Date, Time, Minutes, Repeat, RRule, Until, Count, Capacity, Place string
}

// horizon is how far ahead a series is expanded to check that it has an
// occurrence and to find its last one.
const horizon = 5 * 365 * 24 * time.Hour

func (s *Service) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.UTC
}

func nthWeekday(t time.Time) string {
	n := (t.Day()-1)/7 + 1
	if n > 4 {
		n = -1
	}
	return strconv.Itoa(n) + strings.ToUpper(t.Weekday().String()[:2])
}

// sessionRule builds and checks the rule a session form describes.
func sessionRule(in SessionInput, start time.Time, loc *time.Location) (string, error) {
	var rule string
	switch in.Repeat {
	case "", "none":
		return "", nil
	case "weekly":
		rule = "FREQ=WEEKLY"
	case "fortnightly":
		rule = "FREQ=WEEKLY;INTERVAL=2"
	case "monthly":
		rule = "FREQ=MONTHLY;BYDAY=" + nthWeekday(start)
	case "custom":
		v, fe := valid.Text("rrule", in.RRule, 1, 200, false)
		if fe != nil {
			return "", fe
		}
		rule = strings.TrimPrefix(strings.ToUpper(v), "RRULE:")
	default:
		return "", valid.Field("repeat", "form.choose")
	}
	if c := strings.TrimSpace(in.Count); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > 200 {
			return "", valid.Field("count", "form.number", "min", 1, "max", 200)
		}
		rule += ";COUNT=" + strconv.Itoa(n)
	}
	if u := strings.TrimSpace(in.Until); u != "" {
		d, err := time.ParseInLocation("2006-01-02", u, loc)
		if err != nil {
			return "", valid.Field("until", "form.date")
		}
		if d.Before(time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)) {
			return "", valid.Field("until", "sessions.until_before_start")
		}
		rule += ";UNTIL=" + d.Add(24*time.Hour-time.Second).UTC().Format("20060102T150405Z")
	}
	r, err := calendar.ParseRule(rule)
	if err != nil {
		field := "rrule"
		if in.Repeat != "custom" {
			field = "repeat"
		}
		return "", valid.Field(field, "sessions.bad_rule")
	}
	return r.String(), nil
}

// occurrencesOf expands a session's rule in its own time zone.
func occurrencesOf(sess Session, limit time.Time) []time.Time {
	loc, err := time.LoadLocation(sess.TZ)
	if err != nil {
		loc = time.UTC
	}
	start := sess.Start.In(loc)
	if sess.RRule == "" {
		if start.Before(limit) {
			return []time.Time{sess.Start}
		}
		return nil
	}
	r, err := calendar.ParseRule(sess.RRule)
	if err != nil {
		return []time.Time{sess.Start}
	}
	out := r.Occurrences(start, limit)
	for i := range out {
		out[i] = out[i].UTC()
	}
	return out
}

// CreateSession schedules a one-off or recurring session for a group the
// caller manages.
func (s *Service) CreateSession(ctx context.Context, groupID int64, in SessionInput) (int64, error) {
	p, g, err := s.manage(ctx, groupID)
	if err != nil {
		return 0, err
	}
	loc := s.zone()
	sess := Session{GroupID: groupID, TZ: loc.String(), Created: s.now().UTC()}
	var fe *valid.Error
	if sess.Title, fe = valid.Name("title", in.Title, 0, 100); fe != nil {
		return 0, fe
	}
	day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.Date), loc)
	if err != nil {
		return 0, valid.Field("date", "form.date")
	}
	clock, err := time.Parse("15:04", strings.TrimSpace(in.Time))
	if err != nil {
		return 0, valid.Field("time", "form.time")
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
	if !start.After(s.now()) {
		return 0, valid.Field("date", "sessions.in_past")
	}
	sess.Start = start.UTC()
	if sess.Minutes, err = strconv.Atoi(strings.TrimSpace(in.Minutes)); err != nil || sess.Minutes < 15 || sess.Minutes > 480 {
		return 0, valid.Field("minutes", "form.number", "min", 15, "max", 480)
	}
	capStr := strings.TrimSpace(in.Capacity)
	if capStr == "" {
		capStr = strconv.Itoa(g.Capacity)
	}
	if sess.Capacity, err = strconv.Atoi(capStr); err != nil || sess.Capacity < 1 || sess.Capacity > 500 {
		return 0, valid.Field("capacity", "form.number", "min", 1, "max", 500)
	}
	if sess.Place, fe = valid.Text("place", in.Place, 0, 300, false); fe != nil {
		return 0, fe
	}
	if sess.Place == "" {
		sess.Place = g.Place
	}
	if sess.RRule, err = sessionRule(in, start, loc); err != nil {
		return 0, err
	}
	occ := occurrencesOf(sess, sess.Start.Add(horizon))
	if len(occ) == 0 {
		return 0, valid.Field("repeat", "sessions.no_occurrences")
	}
	for i, t := range occ {
		if i == 60 {
			break
		}
		sess.Weekdays |= 1 << int(t.In(loc).Weekday())
	}
	var ends *time.Time
	if r, err := calendar.ParseRule(sess.RRule); sess.RRule == "" || (err == nil && (r.Count > 0 || !r.Until.IsZero())) {
		last := occ[len(occ)-1].Add(time.Duration(sess.Minutes) * time.Minute)
		ends = &last
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if sess.ID, err = insertSession(ctx, tx, sess, ends); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "groups.session.create", groupID, fmt.Sprintf("session:%d %s", sess.ID, sess.RRule))
	})
	return sess.ID, err
}

// expand lists the occurrences of sessions that start in [from, to), with
// changes applied and places counted, sorted by start.
func (s *Service) expand(ctx context.Context, sessions []Session, from, to time.Time, userID int64) ([]Occurrence, error) {
	ids := make([]int64, len(sessions))
	for i, ss := range sessions {
		ids[i] = ss.ID
	}
	changes, err := changesOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	counts, mine, err := rsvpCounts(ctx, s.db, ids, userID)
	if err != nil {
		return nil, err
	}
	guests, err := guestCounts(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	var out []Occurrence
	for _, ss := range sessions {
		// Look a day past the window: an occurrence moved earlier may land in it.
		for _, orig := range occurrencesOf(ss, to.Add(48*time.Hour)) {
			o := Occurrence{Session: ss, Original: orig, Start: orig}
			if c, ok := changes[ss.ID][orig.Unix()]; ok {
				o.Cancelled, o.Reason = c.Cancelled, c.Reason
				if !c.NewStart.IsZero() {
					o.Start, o.Moved = c.NewStart.UTC(), true
				}
			}
			if o.Start.Before(from) || !o.Start.Before(to) {
				continue
			}
			o.End = o.Start.Add(time.Duration(ss.Minutes) * time.Minute)
			o.Going = counts[ss.ID][orig.Unix()]
			o.Guests = guests[ss.ID][orig.Unix()]
			o.MeGoing = mine[ss.ID][orig.Unix()]
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

func viewerID(ctx context.Context) int64 {
	if p := auth.FromContext(ctx); p != nil {
		return p.UserID
	}
	return 0
}

// Upcoming lists a group's meetings from now for the given span, to whoever
// may see the group.
func (s *Service) Upcoming(ctx context.Context, groupID int64, span time.Duration) ([]Occurrence, error) {
	if _, err := s.Group(ctx, groupID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	sessions, err := sessionsOf(ctx, s.db, []int64{groupID}, now)
	if err != nil {
		return nil, err
	}
	return s.expand(ctx, sessions, now.Add(-2*time.Hour), now.Add(span), viewerID(ctx))
}

// NextMeetings returns each listed group's next meeting within two months,
// for the directory's cards.
func (s *Service) NextMeetings(ctx context.Context, groupIDs []int64) (map[int64]Occurrence, error) {
	now := s.now().UTC()
	sessions, err := sessionsOf(ctx, s.db, groupIDs, now)
	if err != nil {
		return nil, err
	}
	occ, err := s.expand(ctx, sessions, now, now.Add(62*24*time.Hour), 0)
	if err != nil {
		return nil, err
	}
	out := map[int64]Occurrence{}
	for _, o := range occ {
		if _, seen := out[o.Session.GroupID]; !seen && !o.Cancelled {
			out[o.Session.GroupID] = o
		}
	}
	return out, nil
}

// ErrNoOccurrence means a session has no meeting at that time.
var ErrNoOccurrence = fmt.Errorf("groups: no such meeting: %w", db.ErrNotFound)

// Occurrence returns one meeting of a session of a group the viewer may see.
func (s *Service) Occurrence(ctx context.Context, groupID, sessionID, original int64) (View, Occurrence, error) {
	v, err := s.Group(ctx, groupID)
	if err != nil {
		return View{}, Occurrence{}, err
	}
	sess, err := sessionByID(ctx, s.db, sessionID)
	if err != nil || sess.GroupID != groupID {
		return View{}, Occurrence{}, ErrNoOccurrence
	}
	orig := time.Unix(original, 0).UTC()
	occ, err := s.expand(ctx, []Session{sess}, orig.Add(-400*24*time.Hour), orig.Add(400*24*time.Hour), viewerID(ctx))
	if err != nil {
		return View{}, Occurrence{}, err
	}
	for _, o := range occ {
		if o.Original.Equal(orig) {
			return v, o, nil
		}
	}
	return View{}, Occurrence{}, ErrNoOccurrence
}

// RSVP says the caller, a member of the group, is coming to a meeting. Places
// are counted under a lock so that they are never overbooked.
func (s *Service) RSVP(ctx context.Context, groupID, sessionID, original int64) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	v, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	if !v.IsMember() {
		return auth.ErrForbidden
	}
	if o.Cancelled {
		return valid.Field("rsvp", "sessions.cancelled")
	}
	if !o.Start.After(s.now()) {
		return valid.Field("rsvp", "sessions.already_started")
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var capacity, going, guests, mine int
		if err := tx.QueryRow(ctx, `SELECT capacity FROM group_sessions WHERE id = $1`+s.db.ForUpdate(), sessionID).Scan(&capacity); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM guest_passes WHERE session_id = $1 AND occurrence_start = $2`,
			sessionID, o.Original).Scan(&guests); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM session_rsvps WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3`,
			sessionID, o.Original, p.UserID).Scan(&mine); err != nil {
			return err
		}
		if mine > 0 {
			return db.ErrConflict
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM session_rsvps WHERE session_id = $1 AND occurrence_start = $2`,
			sessionID, o.Original).Scan(&going); err != nil {
			return err
		}
		if going+guests >= capacity {
			return valid.Field("rsvp", "sessions.full")
		}
		_, err := tx.Exec(ctx, `INSERT INTO session_rsvps (session_id, occurrence_start, user_id, created_at) VALUES ($1, $2, $3, $4)`,
			sessionID, o.Original, p.UserID, s.now().UTC())
		return err
	})
	if errors.Is(err, db.ErrConflict) {
		return valid.Field("rsvp", "sessions.already_coming")
	}
	return err
}

// CancelRSVP withdraws the caller's place at a meeting.
func (s *Service) CancelRSVP(ctx context.Context, groupID, sessionID, original int64) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	if _, _, err := s.Occurrence(ctx, groupID, sessionID, original); err != nil {
		return err
	}
	res, err := s.db.Exec(ctx, `DELETE FROM session_rsvps WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3`,
		sessionID, time.Unix(original, 0).UTC(), p.UserID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// ChangeOccurrence cancels one meeting (newDate empty) or moves it to a new
// date and time, with a reason shown to members; the group's managers only.
func (s *Service) ChangeOccurrence(ctx context.Context, groupID, sessionID, original int64, newDate, newTime, reason string) error {
	p, _, err := s.manage(ctx, groupID)
	if err != nil {
		return err
	}
	_, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	why, fe := valid.Text("reason", reason, 2, 300, false)
	if fe != nil {
		return fe
	}
	var newStart any
	cancel := strings.TrimSpace(newDate) == ""
	if !cancel {
		loc, _ := time.LoadLocation(o.Session.TZ)
		if loc == nil {
			loc = time.UTC
		}
		day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(newDate), loc)
		if err != nil {
			return valid.Field("new_date", "form.date")
		}
		clock, err := time.Parse("15:04", strings.TrimSpace(newTime))
		if err != nil {
			return valid.Field("new_time", "form.time")
		}
		t := time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
		if !t.After(s.now()) {
			return valid.Field("new_date", "sessions.in_past")
		}
		newStart = t.UTC()
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO session_changes (session_id, original_start, cancelled, new_start, reason, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (session_id, original_start) DO UPDATE SET cancelled = $3, new_start = $4, reason = $5, created_at = $6`,
			sessionID, o.Original, cancel, newStart, why, s.now().UTC())
		if err != nil {
			return err
		}
		action := "groups.session.move"
		if cancel {
			action = "groups.session.cancel"
		}
		if err := s.changed(ctx, tx, sessionID, o.Original, cancel, why); err != nil {
			return err
		}
		return s.record(ctx, tx, p, action, groupID, fmt.Sprintf("session:%d at:%s", sessionID, o.Original.Format(time.RFC3339)))
	})
}
