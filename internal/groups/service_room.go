package groups

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/live"
	"github.com/rangkul/rangkul/internal/valid"
)

// RoomRetention is how long chat messages are kept after a meeting ends;
// nothing of the chat is kept otherwise.
const RoomRetention = 24 * time.Hour

// Moods are the scores a member gives at check-in and check-out.
var moodPhases = []string{"in", "out"}

// ChatMessage is one message in a live room.
type ChatMessage struct {
	ID     int64     `json:"id"`
	Name   string    `json:"name"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
	Held   bool      `json:"-"`
	UserID int64     `json:"-"`
	// Screening is what the screener found, for the author's help card.
	Screening Screening `json:"-"`
}

// RoomState is what facilitators set for a room.
type RoomState struct {
	Locked      bool
	SlowSeconds int
}

// MoodSummary is the facilitator's view of the room's moods.
type MoodSummary struct {
	In, Out       int
	InAvg, OutAvg float64
}

// CheckInWords is what a member added to a mood check-in or check-out.
type CheckInWords struct {
	Name  string
	Phase string
	Score int
	Text  string
}

// Room is a live room as one person sees it.
type Room struct {
	View         View
	Occ          Occurrence
	State        RoomState
	Messages     []ChatMessage
	Muted        bool
	Members      []Member // for facilitator controls
	Sanctions    map[int64]string
	CheckIns     []CheckInWords // members' words at check-in and check-out, for facilitators and safety leads
	Moods        MoodSummary
	MyMoods      map[string]int
	Present      int      // people in the room now, on any instance (for facilitators)
	PresentNames []string // their pseudonyms; staff without one are counted, not named
	Key          string   // the hub's room name
}

func roomKey(sessionID int64, at time.Time) string {
	return "room:" + strconv.FormatInt(sessionID, 10) + ":" + strconv.FormatInt(at.Unix(), 10)
}

// roomAccess admits the group's active members who were not removed from
// this meeting, and those who manage the group.
func (s *Service) roomAccess(ctx context.Context, groupID, sessionID, original int64) (*auth.Principal, View, Occurrence, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, View{}, Occurrence{}, err
	}
	v, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return nil, View{}, Occurrence{}, err
	}
	if !v.IsMember() && !v.CanManage {
		return nil, View{}, Occurrence{}, auth.ErrForbidden
	}
	if !v.CanManage {
		if kind, _ := s.sanction(ctx, o, p.UserID); kind == "remove" {
			return nil, View{}, Occurrence{}, auth.ErrForbidden
		}
	}
	return p, v, o, nil
}

// sanction returns "remove", "mute" (while it lasts) or "".
func (s *Service) sanction(ctx context.Context, o Occurrence, userID int64) (string, error) {
	rows, err := s.db.Query(ctx, `SELECT kind, until_at FROM room_sanctions WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3`,
		o.Session.ID, o.Original, userID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var kind string
		var until *time.Time
		if err := rows.Scan(&kind, &until); err != nil {
			return "", err
		}
		if kind == "remove" {
			return "remove", nil
		}
		if kind == "mute" && (until == nil || until.After(s.now())) {
			out = "mute"
		}
	}
	return out, rows.Err()
}

func (s *Service) roomState(ctx context.Context, o Occurrence) (RoomState, error) {
	var st RoomState
	err := s.db.QueryRow(ctx, `SELECT locked, slow_seconds FROM room_state WHERE session_id = $1 AND occurrence_start = $2`,
		o.Session.ID, o.Original).Scan(&st.Locked, &st.SlowSeconds)
	if err == db.ErrNotFound {
		return RoomState{}, nil
	}
	return st, err
}

// OpenRoom returns the live room of a meeting with its messages so far.
func (s *Service) OpenRoom(ctx context.Context, groupID, sessionID, original int64) (Room, error) {
	p, v, o, err := s.roomAccess(ctx, groupID, sessionID, original)
	if err != nil {
		return Room{}, err
	}
	r := Room{View: v, Occ: o, Key: roomKey(sessionID, o.Original), MyMoods: map[string]int{}}
	if r.State, err = s.roomState(ctx, o); err != nil {
		return Room{}, err
	}
	kind, err := s.sanction(ctx, o, p.UserID)
	if err != nil {
		return Room{}, err
	}
	r.Muted = kind == "mute"
	rows, err := s.db.Query(ctx, `SELECT id, COALESCE(user_id, 0), display_name, body, held, created_at FROM chat_messages
		WHERE session_id = $1 AND occurrence_start = $2 AND expires_at > $3 ORDER BY id`, sessionID, o.Original, s.now().UTC())
	if err != nil {
		return Room{}, err
	}
	for rows.Next() {
		var m ChatMessage
		if err := rows.Scan(&m.ID, &m.UserID, &m.Name, &m.Body, &m.Held, &m.At); err != nil {
			rows.Close()
			return Room{}, err
		}
		if !m.Held || m.UserID == p.UserID || r.View.CanSafety {
			r.Messages = append(r.Messages, m)
		}
	}
	rows.Close()
	moods, err := s.db.Query(ctx, `SELECT user_id, phase, score FROM room_moods WHERE session_id = $1 AND occurrence_start = $2`, sessionID, o.Original)
	if err != nil {
		return Room{}, err
	}
	var inSum, outSum int
	for moods.Next() {
		var uid int64
		var phase string
		var score int
		if err := moods.Scan(&uid, &phase, &score); err != nil {
			moods.Close()
			return Room{}, err
		}
		if uid == p.UserID {
			r.MyMoods[phase] = score
		}
		if phase == "in" {
			r.Moods.In++
			inSum += score
		} else {
			r.Moods.Out++
			outSum += score
		}
	}
	moods.Close()
	if r.Moods.In > 0 {
		r.Moods.InAvg = float64(inSum) / float64(r.Moods.In)
	}
	if r.Moods.Out > 0 {
		r.Moods.OutAvg = float64(outSum) / float64(r.Moods.Out)
	}
	if v.CanManage {
		if r.Members, err = membersByStatus(ctx, s.db, groupID, StatusActive); err != nil {
			return Room{}, err
		}
		r.Sanctions = map[int64]string{}
		for _, m := range r.Members {
			if k, err := s.sanction(ctx, o, m.UserID); err == nil && k != "" {
				r.Sanctions[m.UserID] = k
			}
		}
		if r.PresentNames, err = s.presentNames(ctx, groupID, sessionID, o.Original); err != nil {
			return Room{}, err
		}
		r.Present = len(r.PresentNames)
	}
	if v.CanSafety {
		if r.CheckIns, err = s.checkInWords(ctx, p, groupID, sessionID, o.Original); err != nil {
			return Room{}, err
		}
	}
	return r, nil
}

// checkInWords opens the words members added to their moods in one room; the
// read is written to the audit log.
func (s *Service) checkInWords(ctx context.Context, p *auth.Principal, groupID, sessionID int64, at time.Time) ([]CheckInWords, error) {
	rows, err := s.db.Query(ctx, `SELECT r.user_id, COALESCE(m.display_name, ''), r.phase, r.score, r.comment_sealed FROM room_moods r
		LEFT JOIN group_members m ON m.group_id = $1 AND m.user_id = r.user_id
		WHERE r.session_id = $2 AND r.occurrence_start = $3 AND r.comment_sealed <> '' ORDER BY r.created_at`, groupID, sessionID, at)
	if err != nil {
		return nil, err
	}
	var out []CheckInWords
	for rows.Next() {
		var w CheckInWords
		var uid int64
		var sealed string
		if err := rows.Scan(&uid, &w.Name, &w.Phase, &w.Score, &sealed); err != nil {
			rows.Close()
			return nil, err
		}
		if w.Text, err = s.Secrets.Open(sealed, moodAAD(sessionID, at, uid, w.Phase)); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "groups.checkin.read",
		Target: fmt.Sprintf("group:%d", groupID), Detail: fmt.Sprintf("session:%d words:%d", sessionID, len(out)), IP: audit.IPFrom(ctx)})
}

// Say posts a chat message: it passes the screening hook first, and keeps to
// the room's lock, slow mode and the author's mute.
func (s *Service) Say(ctx context.Context, groupID, sessionID, original int64, body string) (ChatMessage, error) {
	p, v, o, err := s.roomAccess(ctx, groupID, sessionID, original)
	if err != nil {
		return ChatMessage{}, err
	}
	text, fe := valid.Text("body", body, 1, 1000, true)
	if fe != nil {
		return ChatMessage{}, fe
	}
	st, err := s.roomState(ctx, o)
	if err != nil {
		return ChatMessage{}, err
	}
	if !v.CanManage {
		if st.Locked {
			return ChatMessage{}, valid.Field("body", "room.locked")
		}
		if kind, _ := s.sanction(ctx, o, p.UserID); kind == "mute" {
			return ChatMessage{}, valid.Field("body", "room.muted")
		}
		if st.SlowSeconds > 0 {
			var n int
			if err := s.db.QueryRow(ctx, `SELECT count(*) FROM chat_messages WHERE session_id = $1 AND occurrence_start = $2
				AND user_id = $3 AND created_at > $4`, sessionID, o.Original, p.UserID,
				s.now().UTC().Add(-time.Duration(st.SlowSeconds)*time.Second)).Scan(&n); err != nil {
				return ChatMessage{}, err
			}
			if n > 0 {
				return ChatMessage{}, valid.Field("body", "room.slow", "seconds", st.SlowSeconds)
			}
		}
	}
	if err := s.allowed(ctx, v, text); err != nil {
		return ChatMessage{}, err
	}
	sc, err := s.screen(ctx, v.Group, text)
	if err != nil {
		return ChatMessage{}, err
	}
	name := p.Username
	if v.Me != nil {
		name = v.Me.DisplayName
	} else if v.CanManage {
		name = v.Group.OrgName // a coordinator without a pseudonym in this group speaks for the organisation
	}
	m := ChatMessage{Name: name, Body: text, At: s.now().UTC(), Held: sc.Hold, UserID: p.UserID}
	err = s.db.WriteRow(ctx, `INSERT INTO chat_messages (session_id, occurrence_start, user_id, display_name, body, held, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, sessionID, o.Original, p.UserID, name, text, sc.Hold, m.At,
		o.End.Add(RoomRetention)).Scan(&m.ID)
	if err != nil {
		return ChatMessage{}, err
	}
	if !sc.Hold && s.Hub != nil {
		if err := s.Hub.Publish(ctx, roomKey(sessionID, o.Original), "message", m); err != nil {
			return m, err
		}
	}
	err = s.escalate(ctx, Written{GroupID: groupID, Source: SourceMessage, SourceID: m.ID, SessionID: sessionID,
		Occurrence: o.Original, Text: text}, &sc)
	m.Screening = sc
	return m, err
}

// Mood records a member's mood (1 to 5) at check-in or check-out, with a few
// optional words for the facilitators, sealed and screened.
func (s *Service) Mood(ctx context.Context, groupID, sessionID, original int64, phase, score, comment string) (Screening, error) {
	p, v, o, err := s.roomAccess(ctx, groupID, sessionID, original)
	if err != nil {
		return Screening{}, err
	}
	if !v.IsMember() {
		return Screening{}, auth.ErrForbidden
	}
	if _, fe := valid.OneOf("phase", phase, moodPhases); fe != nil {
		return Screening{}, fe
	}
	n, err := strconv.Atoi(score)
	if err != nil || n < 1 || n > 5 {
		return Screening{}, valid.Field("score", "feedback.choose_score")
	}
	comment, fe := valid.Text("comment", comment, 0, 500, true)
	if fe != nil {
		return Screening{}, fe
	}
	sc := Screening{Level: "none"}
	sealed := ""
	if comment != "" {
		sealed = s.Secrets.Seal(comment, moodAAD(sessionID, o.Original, p.UserID, phase))
		if sc, err = s.screen(ctx, v.Group, comment); err != nil {
			return Screening{}, err
		}
		sc.Hold = false // only facilitators read check-in words
	}
	if _, err = s.db.Exec(ctx, `INSERT INTO room_moods (session_id, occurrence_start, user_id, phase, score, comment_sealed, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (session_id, occurrence_start, user_id, phase) DO UPDATE SET score = $5, comment_sealed = $6, created_at = $7`,
		sessionID, o.Original, p.UserID, phase, n, sealed, s.now().UTC()); err != nil {
		return Screening{}, err
	}
	err = s.escalate(ctx, Written{GroupID: groupID, Source: SourceCheckIn, SessionID: sessionID, Occurrence: o.Original,
		Text: comment}, &sc)
	return sc, err
}

func moodAAD(sessionID int64, at time.Time, userID int64, phase string) string {
	return noteAAD(sessionID, at) + ":mood:" + strconv.FormatInt(userID, 10) + ":" + phase
}

// Room controls a facilitator has.
var roomActions = []string{"lock", "unlock", "slow", "mute", "unmute", "remove"}

// Control applies a facilitator's control to the room and tells everyone in it.
func (s *Service) Control(ctx context.Context, groupID, sessionID, original int64, action string, userID int64, amount int) error {
	p, _, err := s.manage(ctx, groupID)
	if err != nil {
		return err
	}
	_, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	if _, fe := valid.OneOf("action", action, roomActions); fe != nil {
		return fe
	}
	now := s.now().UTC()
	var q string
	var args []any
	switch action {
	case "lock", "unlock":
		q = `INSERT INTO room_state (session_id, occurrence_start, locked) VALUES ($1, $2, $3)
			ON CONFLICT (session_id, occurrence_start) DO UPDATE SET locked = $3`
		args = []any{sessionID, o.Original, action == "lock"}
	case "slow":
		if amount < 0 || amount > 300 {
			return valid.Field("amount", "form.number", "min", 0, "max", 300)
		}
		q = `INSERT INTO room_state (session_id, occurrence_start, slow_seconds) VALUES ($1, $2, $3)
			ON CONFLICT (session_id, occurrence_start) DO UPDATE SET slow_seconds = $3`
		args = []any{sessionID, o.Original, amount}
	case "mute", "remove":
		if userID == 0 {
			return valid.Field("user", "form.choose")
		}
		var until any
		if action == "mute" && amount > 0 {
			until = now.Add(time.Duration(amount) * time.Minute)
		}
		q = `INSERT INTO room_sanctions (session_id, occurrence_start, user_id, kind, until_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (session_id, occurrence_start, user_id, kind) DO UPDATE SET until_at = $5, created_at = $6`
		args = []any{sessionID, o.Original, userID, action, until, now}
	case "unmute":
		q = `DELETE FROM room_sanctions WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3 AND kind = 'mute'`
		args = []any{sessionID, o.Original, userID}
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "groups.room."+action, groupID, fmt.Sprintf("session:%d user:%d", sessionID, userID))
	})
	if err != nil {
		return err
	}
	if s.Hub != nil {
		return s.Hub.Publish(ctx, roomKey(sessionID, o.Original), "state", map[string]any{"action": action, "user": userID})
	}
	return nil
}

// SweepChat deletes chat messages whose retention has ended; a periodic job.
func (s *Service) SweepChat(ctx context.Context, _ []byte) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM chat_messages WHERE expires_at <= $1`, s.now().UTC()); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `DELETE FROM room_presence WHERE seen_at < $1`, s.now().UTC().Add(-24*time.Hour))
	return err
}

// JobSweepChat is the kind of the chat retention job.
const JobSweepChat = "groups.chat.sweep"

// Subscribe joins the live room of a meeting for server-sent events. The
// group's facilitators and safety leads also get staff, the channel of its
// alerts (nil for everyone else).
func (s *Service) Subscribe(ctx context.Context, groupID, sessionID, original int64) (sub, staff *live.Sub, leave func(), err error) {
	p, v, o, err := s.roomAccess(ctx, groupID, sessionID, original)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := s.presence(ctx, sessionID, o.Original, p.UserID, 1); err != nil {
		return nil, nil, nil, err
	}
	// Leaving is recorded even though the request that joined has ended.
	gone := func() { _ = s.presence(context.WithoutCancel(ctx), sessionID, o.Original, p.UserID, -1) }
	if s.Hub == nil {
		return nil, nil, nil, fmt.Errorf("groups: no live hub")
	}
	sub, leaveRoom := s.Hub.Subscribe(roomKey(sessionID, o.Original))
	if !v.CanSafety {
		return sub, nil, func() { leaveRoom(); gone() }, nil
	}
	staff, leaveStaff := s.Hub.Subscribe(StaffKey(groupID))
	return sub, staff, func() { leaveRoom(); leaveStaff(); gone() }, nil
}

// PresenceWindow is how long a connection counts as present after its last
// heartbeat; the room's stream beats more often than that.
const PresenceWindow = 90 * time.Second

// presence adds delta to the caller's open connections to a room and notes
// that they are here now (delta 0 is a heartbeat).
func (s *Service) presence(ctx context.Context, sessionID int64, at time.Time, userID int64, delta int) error {
	_, err := s.db.Exec(ctx, `INSERT INTO room_presence (session_id, occurrence_start, user_id, connections, seen_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (session_id, occurrence_start, user_id) DO UPDATE SET
			connections = CASE WHEN room_presence.connections + $4 < 0 THEN 0 ELSE room_presence.connections + $4 END, seen_at = $5`,
		sessionID, at, userID, max(delta, 0), s.now().UTC())
	if err != nil || delta >= 0 {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE room_presence SET connections = CASE WHEN connections > 0 THEN connections - 1 ELSE 0 END
		WHERE session_id = $1 AND occurrence_start = $2 AND user_id = $3`, sessionID, at, userID)
	return err
}

// StillHere is the room stream's heartbeat for the caller.
func (s *Service) StillHere(ctx context.Context, groupID, sessionID, original int64) error {
	p, _, o, err := s.roomAccess(ctx, groupID, sessionID, original)
	if err != nil {
		return err
	}
	return s.presence(ctx, sessionID, o.Original, p.UserID, 0)
}

// presentNames lists the pseudonyms of those in a room now, on any instance.
func (s *Service) presentNames(ctx context.Context, groupID, sessionID int64, at time.Time) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT COALESCE(m.display_name, '') FROM room_presence r
		LEFT JOIN group_members m ON m.group_id = $1 AND m.user_id = r.user_id AND m.status = 'active'
		WHERE r.session_id = $2 AND r.occurrence_start = $3 AND r.connections > 0 AND r.seen_at > $4
		ORDER BY m.display_name`, groupID, sessionID, at, s.now().UTC().Add(-PresenceWindow))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if n != "" {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}
