package groups

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// WithClock returns the service reading time from now: the demo loader uses it
// to build a history of past meetings through the same rules as everyone.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// checkInWindow is when members may check themselves in: from half an hour
// before a meeting until half an hour after it ends.
const checkInWindow = 30 * time.Minute

// RollRow is one member on the roll of a meeting.
type RollRow struct {
	UserID      int64
	DisplayName string
	Role        string
	Marked      bool
	Present     bool
	Method      string
}

// managedOccurrence returns a meeting of a group the caller manages.
func (s *Service) managedOccurrence(ctx context.Context, groupID, sessionID, original int64) (*auth.Principal, Occurrence, error) {
	p, _, err := s.manage(ctx, groupID)
	if err != nil {
		return nil, Occurrence{}, err
	}
	_, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	return p, o, err
}

// Roll lists the group's members with what is recorded for a meeting.
func (s *Service) Roll(ctx context.Context, groupID, sessionID, original int64) ([]RollRow, error) {
	if _, _, err := s.managedOccurrence(ctx, groupID, sessionID, original); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT m.user_id, m.display_name, m.role, a.present, COALESCE(a.method, '')
		FROM group_members m LEFT JOIN session_attendance a ON a.user_id = m.user_id AND a.session_id = $2 AND a.occurrence_start = $3
		WHERE m.group_id = $1 AND m.status = 'active' ORDER BY m.role DESC, m.display_name`,
		groupID, sessionID, time.Unix(original, 0).UTC())
	if err != nil {
		return nil, fmt.Errorf("groups: roll: %w", err)
	}
	defer rows.Close()
	var out []RollRow
	for rows.Next() {
		var r RollRow
		var present *bool
		if err := rows.Scan(&r.UserID, &r.DisplayName, &r.Role, &present, &r.Method); err != nil {
			return nil, err
		}
		if present != nil {
			r.Marked, r.Present = true, *present
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MarkRoll records who was there: the listed members present, the group's
// other active members absent. A meeting that has not begun cannot be marked.
func (s *Service) MarkRoll(ctx context.Context, groupID, sessionID, original int64, present []int64) error {
	p, o, err := s.managedOccurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	if o.Start.After(s.now().Add(checkInWindow)) {
		return valid.Field("roll", "attendance.not_yet")
	}
	if o.Cancelled {
		return valid.Field("roll", "sessions.cancelled")
	}
	roll, err := s.Roll(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	here := map[int64]bool{}
	for _, id := range present {
		here[id] = true
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, r := range roll {
			if err := upsertAttendance(ctx, tx, sessionID, o.Original, r.UserID, here[r.UserID], "roll", now); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, p, "groups.attendance.roll", groupID, fmt.Sprintf("session:%d at:%s", sessionID, o.Original.Format(time.RFC3339)))
	})
}

func upsertAttendance(ctx context.Context, q db.Querier, sessionID int64, at time.Time, userID int64, present bool, method string, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO session_attendance (session_id, occurrence_start, user_id, present, method, marked_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (session_id, occurrence_start, user_id) DO UPDATE SET present = $4, method = $5, marked_at = $6`,
		sessionID, at, userID, present, method, now)
	if err != nil {
		return fmt.Errorf("groups: attendance: %w", err)
	}
	return nil
}

// CheckInCode returns the meeting's six-digit check-in code, making one the
// first time; the facilitator reads it out or shows it in the room.
func (s *Service) CheckInCode(ctx context.Context, groupID, sessionID, original int64) (string, error) {
	_, o, err := s.managedOccurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return "", err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	_, err = s.db.Exec(ctx, `INSERT INTO session_checkins (session_id, occurrence_start, code, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (session_id, occurrence_start) DO NOTHING`, sessionID, o.Original, code, s.now().UTC())
	if err != nil {
		return "", err
	}
	err = s.db.QueryRow(ctx, `SELECT code FROM session_checkins WHERE session_id = $1 AND occurrence_start = $2`, sessionID, o.Original).Scan(&code)
	return code, err
}

// CheckIn marks the calling member present with the code given in the room,
// during the check-in window.
func (s *Service) CheckIn(ctx context.Context, groupID, sessionID, original int64, code string) error {
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
	now := s.now()
	if now.Before(o.Start.Add(-checkInWindow)) || now.After(o.End.Add(checkInWindow)) || o.Cancelled {
		return valid.Field("code", "attendance.closed")
	}
	var want string
	err = s.db.QueryRow(ctx, `SELECT code FROM session_checkins WHERE session_id = $1 AND occurrence_start = $2`, sessionID, o.Original).Scan(&want)
	if err != nil || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(code)), []byte(want)) != 1 {
		return valid.Field("code", "attendance.wrong_code")
	}
	return upsertAttendance(ctx, s.db, sessionID, o.Original, p.UserID, true, "code", now.UTC())
}

// Note is a facilitator's private note on a meeting.
type Note struct {
	Author string // the author's pseudonym in the group
	Body   string
	At     time.Time
}

func noteAAD(sessionID int64, at time.Time) string {
	return "session_note:" + strconv.FormatInt(sessionID, 10) + ":" + strconv.FormatInt(at.Unix(), 10)
}

// AddNote seals and stores a private note on a meeting.
func (s *Service) AddNote(ctx context.Context, groupID, sessionID, original int64, body string) error {
	p, o, err := s.managedOccurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	text, fe := valid.Text("note", body, 1, 4000, true)
	if fe != nil {
		return fe
	}
	var author any
	if p.UserID != 0 {
		author = p.UserID
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO session_notes (session_id, occurrence_start, author_id, body_sealed, created_at)
			VALUES ($1, $2, $3, $4, $5)`, sessionID, o.Original, author, s.Secrets.Seal(text, noteAAD(sessionID, o.Original)), s.now().UTC()); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "groups.note.write", groupID, fmt.Sprintf("session:%d", sessionID))
	})
}

// Notes opens a meeting's private notes for those who manage the group; every
// read is written to the audit log.
func (s *Service) Notes(ctx context.Context, groupID, sessionID, original int64) ([]Note, error) {
	p, o, err := s.managedOccurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT COALESCE(m.display_name, ''), n.body_sealed, n.created_at FROM session_notes n
		LEFT JOIN group_members m ON m.user_id = n.author_id AND m.group_id = $3
		WHERE n.session_id = $1 AND n.occurrence_start = $2 ORDER BY n.created_at`, sessionID, o.Original, groupID)
	if err != nil {
		return nil, fmt.Errorf("groups: notes: %w", err)
	}
	var out []Note
	for rows.Next() {
		var n Note
		var sealed string
		if err := rows.Scan(&n.Author, &sealed, &n.At); err != nil {
			rows.Close()
			return nil, err
		}
		if n.Body, err = s.Secrets.Open(sealed, noteAAD(sessionID, o.Original)); err != nil {
			rows.Close()
			return nil, fmt.Errorf("groups: open note: %w", err)
		}
		out = append(out, n)
	}
	rows.Close()
	if err := s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "groups.note.read",
		Target: fmt.Sprintf("group:%d", groupID), Detail: fmt.Sprintf("session:%d notes:%d", sessionID, len(out)), IP: audit.IPFrom(ctx)}); err != nil {
		return nil, err
	}
	return out, nil
}

// FeedbackInput is the short form after a meeting.
type FeedbackInput struct {
	Helpful, Safe, Comment string
}

func feedbackAAD(sessionID int64, at time.Time, userID int64) string {
	return noteAAD(sessionID, at) + ":feedback:" + strconv.FormatInt(userID, 10)
}

// GiveFeedback records how helpful the meeting was and how safe the member
// felt (1 to 5) with an optional comment, once it has begun; giving it again
// replaces it.
func (s *Service) GiveFeedback(ctx context.Context, groupID, sessionID, original int64, in FeedbackInput) (Screening, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Screening{}, err
	}
	v, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return Screening{}, err
	}
	if !v.IsMember() {
		return Screening{}, auth.ErrForbidden
	}
	if s.now().Before(o.Start) || o.Cancelled {
		return Screening{}, valid.Field("helpful", "feedback.not_yet")
	}
	score := func(field, v string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 5 {
			return 0, valid.Field(field, "feedback.choose_score")
		}
		return n, nil
	}
	helpful, err := score("helpful", in.Helpful)
	if err != nil {
		return Screening{}, err
	}
	safe, err := score("safe", in.Safe)
	if err != nil {
		return Screening{}, err
	}
	comment, fe := valid.Text("comment", in.Comment, 0, 1000, true)
	if fe != nil {
		return Screening{}, fe
	}
	sealed := ""
	sc := Screening{Level: "none"}
	if comment != "" {
		sealed = s.Secrets.Seal(comment, feedbackAAD(sessionID, o.Original, p.UserID))
		if sc, err = s.screen(ctx, v.Group, comment); err != nil {
			return Screening{}, err
		}
	}
	var id int64
	if err := s.db.WriteRow(ctx, `INSERT INTO session_feedback (session_id, occurrence_start, user_id, helpful, safe, comment_sealed, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (session_id, occurrence_start, user_id) DO UPDATE SET helpful = $4, safe = $5, comment_sealed = $6, created_at = $7
		RETURNING id`, sessionID, o.Original, p.UserID, helpful, safe, sealed, s.now().UTC()).Scan(&id); err != nil {
		return Screening{}, err
	}
	// Feedback is read only by facilitators, so nothing is held; a flagged
	// comment still opens an escalation.
	sc.Hold = false
	err = s.escalate(ctx, Written{GroupID: groupID, Source: SourceFeedback, SourceID: id, SessionID: sessionID,
		Occurrence: o.Original, Text: comment}, &sc)
	return sc, err
}

// MeetingState is what the occurrence page shows the viewer about their own
// attendance and feedback.
type MeetingState struct {
	CheckedIn       bool
	GaveFeedback    bool
	CanCheckIn      bool
	CanGiveFeedback bool
	// Ahead is true before the meeting starts: RSVPs and changes are for
	// meetings still to come.
	Ahead bool
}

// MyMeetingState returns the caller's attendance and feedback for a meeting.
func (s *Service) MyMeetingState(ctx context.Context, o Occurrence) (MeetingState, error) {
	st := MeetingState{Ahead: o.Start.After(s.now())}
	p := auth.FromContext(ctx)
	if p == nil {
		return st, nil
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM session_attendance WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3 AND present = TRUE`,
		o.Session.ID, o.Original, p.UserID).Scan(&n); err != nil {
		return st, err
	}
	st.CheckedIn = n > 0
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM session_feedback WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3`,
		o.Session.ID, o.Original, p.UserID).Scan(&n); err != nil {
		return st, err
	}
	st.GaveFeedback = n > 0
	now := s.now()
	st.CanCheckIn = !o.Cancelled && !now.Before(o.Start.Add(-checkInWindow)) && !now.After(o.End.Add(checkInWindow))
	st.CanGiveFeedback = !o.Cancelled && !now.Before(o.Start)
	st.Ahead = o.Start.After(now)
	return st, nil
}

// FeedbackSummary is what those who manage a group see of a meeting's
// feedback: how many answered and the means; comments without names.
type FeedbackSummary struct {
	Count    int
	Helpful  float64
	Safe     float64
	Comments []string
	Present  int
	Absent   int
}

// Summary returns a meeting's attendance and feedback for its managers.
func (s *Service) Summary(ctx context.Context, groupID, sessionID, original int64) (FeedbackSummary, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return FeedbackSummary{}, err
	}
	_, o, err := s.managedOccurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return FeedbackSummary{}, err
	}
	var fs FeedbackSummary
	rows, err := s.db.Query(ctx, `SELECT user_id, helpful, safe, comment_sealed FROM session_feedback
		WHERE session_id = $1 AND occurrence_start = $2 ORDER BY created_at`, sessionID, o.Original)
	if err != nil {
		return fs, err
	}
	var sumH, sumS int
	for rows.Next() {
		var uid int64
		var h, sf int
		var sealed string
		if err := rows.Scan(&uid, &h, &sf, &sealed); err != nil {
			rows.Close()
			return fs, err
		}
		fs.Count++
		sumH += h
		sumS += sf
		if sealed != "" {
			if c, err := s.Secrets.Open(sealed, feedbackAAD(sessionID, o.Original, uid)); err == nil {
				fs.Comments = append(fs.Comments, c)
			}
		}
	}
	rows.Close()
	if len(fs.Comments) > 0 {
		if err := s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "groups.feedback.read",
			Target: fmt.Sprintf("group:%d", groupID), Detail: fmt.Sprintf("session:%d comments:%d", sessionID, len(fs.Comments)), IP: audit.IPFrom(ctx)}); err != nil {
			return fs, err
		}
	}
	if fs.Count > 0 {
		fs.Helpful = float64(sumH) / float64(fs.Count)
		fs.Safe = float64(sumS) / float64(fs.Count)
	}
	err = s.db.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN present THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN present THEN 0 ELSE 1 END), 0)
		FROM session_attendance WHERE session_id = $1 AND occurrence_start = $2`, sessionID, o.Original).Scan(&fs.Present, &fs.Absent)
	return fs, err
}

// HistoryRow is one past meeting in a group's attendance history.
type HistoryRow struct {
	Occ      Occurrence
	Present  int
	Feedback int
}

// History lists a group's meetings of the last twelve weeks with attendance
// and how many gave feedback, for those who manage it.
func (s *Service) History(ctx context.Context, groupID int64) ([]HistoryRow, error) {
	if _, _, err := s.manage(ctx, groupID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	sessions, err := sessionsOf(ctx, s.db, []int64{groupID}, now.Add(-84*24*time.Hour))
	if err != nil {
		return nil, err
	}
	occ, err := s.expand(ctx, sessions, now.Add(-84*24*time.Hour), now, 0)
	if err != nil {
		return nil, err
	}
	var out []HistoryRow
	for i := len(occ) - 1; i >= 0; i-- {
		o := occ[i]
		h := HistoryRow{Occ: o}
		if err := s.db.QueryRow(ctx, `SELECT (SELECT count(*) FROM session_attendance WHERE session_id = $1 AND occurrence_start = $2 AND present = TRUE),
			(SELECT count(*) FROM session_feedback WHERE session_id = $1 AND occurrence_start = $2)`, o.Session.ID, o.Original).
			Scan(&h.Present, &h.Feedback); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// MyAttendance counts the meetings the caller attended in each of their groups.
func (s *Service) MyAttendance(ctx context.Context) (map[int64]int, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT gs.group_id, count(*) FROM session_attendance a JOIN group_sessions gs ON gs.id = a.session_id
		WHERE a.user_id = $1 AND a.present = TRUE GROUP BY gs.group_id`, p.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var gid int64
		var n int
		if err := rows.Scan(&gid, &n); err != nil {
			return nil, err
		}
		out[gid] = n
	}
	return out, rows.Err()
}

// CurrentCheckInCode returns the meeting's check-in code if one was made.
func (s *Service) CurrentCheckInCode(ctx context.Context, groupID, sessionID, original int64) (string, error) {
	_, o, err := s.managedOccurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return "", err
	}
	var code string
	err = s.db.QueryRow(ctx, `SELECT code FROM session_checkins WHERE session_id = $1 AND occurrence_start = $2`, sessionID, o.Original).Scan(&code)
	if err != nil && err != db.ErrNotFound {
		return "", err
	}
	return code, nil
}
