package groups

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// PrivacyPart is the groups feature's share of a person's data (see package
// privacy). It needs the service's key ring to open sealed comments.
type PrivacyPart struct{ S *Service }

// Name is the section key.
func (PrivacyPart) Name() string { return "groups" }

type membershipExport struct {
	Group          string     `json:"group"`
	Pseudonym      string     `json:"name_in_group"`
	Role           string     `json:"role"`
	Status         string     `json:"status"`
	RequestMessage string     `json:"request_message,omitempty"`
	Decision       string     `json:"decision_message,omitempty"`
	Joined         *time.Time `json:"joined_at,omitempty"`
}

type postExport struct {
	Group   string    `json:"group"`
	Body    string    `json:"text"`
	Reply   bool      `json:"is_reply"`
	Deleted bool      `json:"deleted"`
	Held    bool      `json:"held"`
	Created time.Time `json:"written_at"`
}

type messageExport struct {
	Group string    `json:"group"`
	Body  string    `json:"text"`
	At    time.Time `json:"written_at"`
}

type meetingExport struct {
	Group   string    `json:"group"`
	Meeting time.Time `json:"meeting"`
	What    string    `json:"what"`
	Present *bool     `json:"present,omitempty"`
	Method  string    `json:"method,omitempty"`
	Score   int       `json:"score,omitempty"`
	Score2  int       `json:"score_safe,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

type pollAnswerExport struct {
	Group  string    `json:"group"`
	Poll   string    `json:"poll"`
	Time   time.Time `json:"proposed_time"`
	Answer string    `json:"answer"`
}

type guestPassExport struct {
	Group   string     `json:"group"`
	Meeting time.Time  `json:"meeting"`
	Name    string     `json:"name_as_guest"`
	Claimed *time.Time `json:"claimed_at,omitempty"`
}

type sanctionExport struct {
	Group   string     `json:"group"`
	Meeting time.Time  `json:"meeting"`
	Kind    string     `json:"what"`
	Until   *time.Time `json:"until,omitempty"`
}

type groupsExport struct {
	Memberships []membershipExport `json:"memberships"`
	GuestPasses []guestPassExport  `json:"guest_passes"`
	Posts       []postExport       `json:"board_posts"`
	Reactions   int                `json:"reactions_given"`
	Messages    []messageExport    `json:"chat_messages"`
	Meetings    []meetingExport    `json:"meetings"`
	PollAnswers []pollAnswerExport `json:"poll_answers"`
	Sanctions   []sanctionExport   `json:"room_controls_on_me"`
}

// Export returns the person's memberships and guest passes, posts, messages
// still kept, poll answers, their part in meetings (RSVPs, attendance, moods,
// feedback with comments opened) and mutes or removals in live rooms. Other
// people appear only as group names.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := groupsExport{Memberships: []membershipExport{}, GuestPasses: []guestPassExport{}, Posts: []postExport{},
		Messages: []messageExport{}, Meetings: []meetingExport{}, PollAnswers: []pollAnswerExport{}, Sanctions: []sanctionExport{}}
	rows, err := q.Query(ctx, `SELECT g.name, m.display_name, m.role, m.status, m.request_message, m.decision_message, m.joined_at
		FROM group_members m JOIN support_groups g ON g.id = m.group_id WHERE m.user_id = $1 ORDER BY m.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m membershipExport
		if err := rows.Scan(&m.Group, &m.Pseudonym, &m.Role, &m.Status, &m.RequestMessage, &m.Decision, &m.Joined); err != nil {
			rows.Close()
			return nil, err
		}
		out.Memberships = append(out.Memberships, m)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT g.name, p.body, p.parent_id IS NOT NULL, p.deleted, p.held, p.created_at
		FROM board_posts p JOIN support_groups g ON g.id = p.group_id WHERE p.author_id = $1 ORDER BY p.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p postExport
		if err := rows.Scan(&p.Group, &p.Body, &p.Reply, &p.Deleted, &p.Held, &p.Created); err != nil {
			rows.Close()
			return nil, err
		}
		out.Posts = append(out.Posts, p)
	}
	rows.Close()
	if err := q.QueryRow(ctx, `SELECT count(*) FROM board_reactions WHERE user_id = $1`, userID).Scan(&out.Reactions); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT g.name, p.title, o.starts_at, a.answer FROM poll_answers a JOIN poll_options o ON o.id = a.option_id
		JOIN polls p ON p.id = o.poll_id JOIN support_groups g ON g.id = p.group_id WHERE a.user_id = $1 ORDER BY p.id, o.starts_at`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var a pollAnswerExport
		if err := rows.Scan(&a.Group, &a.Poll, &a.Time, &a.Answer); err != nil {
			rows.Close()
			return nil, err
		}
		out.PollAnswers = append(out.PollAnswers, a)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT g.name, p.occurrence_start, p.display_name, p.claimed_at FROM guest_passes p
		JOIN group_sessions s ON s.id = p.session_id JOIN support_groups g ON g.id = s.group_id WHERE p.claimed_by = $1 ORDER BY p.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var gp guestPassExport
		if err := rows.Scan(&gp.Group, &gp.Meeting, &gp.Name, &gp.Claimed); err != nil {
			rows.Close()
			return nil, err
		}
		out.GuestPasses = append(out.GuestPasses, gp)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT g.name, r.occurrence_start, r.kind, r.until_at FROM room_sanctions r
		JOIN group_sessions s ON s.id = r.session_id JOIN support_groups g ON g.id = s.group_id WHERE r.user_id = $1 ORDER BY r.created_at`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sx sanctionExport
		if err := rows.Scan(&sx.Group, &sx.Meeting, &sx.Kind, &sx.Until); err != nil {
			rows.Close()
			return nil, err
		}
		out.Sanctions = append(out.Sanctions, sx)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT g.name, c.body, c.created_at FROM chat_messages c JOIN group_sessions s ON s.id = c.session_id
		JOIN support_groups g ON g.id = s.group_id WHERE c.user_id = $1 ORDER BY c.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m messageExport
		if err := rows.Scan(&m.Group, &m.Body, &m.At); err != nil {
			rows.Close()
			return nil, err
		}
		out.Messages = append(out.Messages, m)
	}
	rows.Close()
	meetings := []struct {
		what, query string
	}{
		{"rsvp", `SELECT g.name, r.occurrence_start, 0, 0, '', r.session_id, '' FROM session_rsvps r JOIN group_sessions s ON s.id = r.session_id
			JOIN support_groups g ON g.id = s.group_id WHERE r.user_id = $1 ORDER BY r.occurrence_start`},
		{"attendance", `SELECT g.name, a.occurrence_start, CASE WHEN a.present THEN 1 ELSE 0 END, 0, a.method, a.session_id, '' FROM session_attendance a
			JOIN group_sessions s ON s.id = a.session_id JOIN support_groups g ON g.id = s.group_id WHERE a.user_id = $1 ORDER BY a.occurrence_start`},
		{"feedback", `SELECT g.name, f.occurrence_start, f.helpful, f.safe, f.comment_sealed, f.session_id, '' FROM session_feedback f
			JOIN group_sessions s ON s.id = f.session_id JOIN support_groups g ON g.id = s.group_id WHERE f.user_id = $1 ORDER BY f.occurrence_start`},
		{"mood", `SELECT g.name, r.occurrence_start, r.score, 0, r.comment_sealed, r.session_id, r.phase FROM room_moods r
			JOIN group_sessions s ON s.id = r.session_id JOIN support_groups g ON g.id = s.group_id WHERE r.user_id = $1 ORDER BY r.occurrence_start`},
	}
	for _, m := range meetings {
		rows, err := q.Query(ctx, m.query, userID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.what, err)
		}
		for rows.Next() {
			e := meetingExport{What: m.what}
			var text string
			var sessionID int64
			var phase string
			if err := rows.Scan(&e.Group, &e.Meeting, &e.Score, &e.Score2, &text, &sessionID, &phase); err != nil {
				rows.Close()
				return nil, err
			}
			switch {
			case m.what == "attendance":
				present := e.Score == 1
				e.Present, e.Method, e.Score = &present, text, 0 // how it was taken: roll call or check-in code
			case text != "" && m.what == "feedback":
				if e.Comment, err = pp.S.Secrets.Open(text, feedbackAAD(sessionID, e.Meeting, userID)); err != nil {
					rows.Close()
					return nil, err
				}
			case text != "" && m.what == "mood":
				if e.Comment, err = pp.S.Secrets.Open(text, moodAAD(sessionID, e.Meeting, userID, phase)); err != nil {
					rows.Close()
					return nil, err
				}
			}
			if m.what == "mood" {
				e.What = "mood_" + phase
			}
			out.Meetings = append(out.Meetings, e)
		}
		rows.Close()
	}
	return out, nil
}

// Erase leaves the person's groups: pseudonyms (in groups and on guest
// passes) become neutral names, pending requests lapse, messages to and from
// facilitators are emptied, board posts are shown as removed by a former
// member, chat messages and feedback and check-in comments are removed, and
// seats at meetings still to come are given back. Scores, attendance, poll
// answers, reactions and past RSVPs stay, tied only to the tombstone account,
// so groups' figures still add up.
func (pp PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	if err := neutralNames(ctx, tx, userID); err != nil {
		return err
	}
	now := time.Now().UTC()
	if pp.S != nil {
		now = pp.S.now().UTC()
	}
	steps := []string{
		`UPDATE group_members SET request_message = '', decision_message = '',
			status = CASE WHEN status IN ('active', 'pending') THEN 'left' ELSE status END WHERE user_id = $1`,
		`UPDATE board_posts SET body = '', body_html = '', deleted = TRUE, author_id = NULL WHERE author_id = $1`,
		`DELETE FROM chat_messages WHERE user_id = $1`,
		`UPDATE session_feedback SET comment_sealed = '' WHERE user_id = $1`,
		`UPDATE room_moods SET comment_sealed = '' WHERE user_id = $1`,
		`DELETE FROM calendar_tokens WHERE user_id = $1`,
		`DELETE FROM room_presence WHERE user_id = $1`,
		`UPDATE guest_passes SET display_name = 'erased-' || CAST(id AS TEXT), claimed_by = NULL WHERE claimed_by = $1`,
		`UPDATE session_notes SET author_id = NULL WHERE author_id = $1`,
	}
	for _, q := range steps {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("%s: %w", q[:30], err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM session_rsvps WHERE user_id = $1 AND occurrence_start > $2`, userID, now); err != nil {
		return fmt.Errorf("rsvps: %w", err)
	}
	return nil
}

// neutralNames renames the person in each of their groups to "erased-N" (N
// the membership's number), or "erased-N-2" and so on when a member of the
// group already goes by that name: pseudonyms are free text, so someone may
// have chosen it.
func neutralNames(ctx context.Context, tx db.Querier, userID int64) error {
	rows, err := tx.Query(ctx, `SELECT id, group_id FROM group_members WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return err
	}
	var ms [][2]int64
	for rows.Next() {
		var m [2]int64
		if err := rows.Scan(&m[0], &m[1]); err != nil {
			rows.Close()
			return err
		}
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range ms {
		base := "erased-" + strconv.FormatInt(m[0], 10)
		name := base
		for n := 2; ; n++ {
			var taken int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM group_members WHERE group_id = $1 AND lower(display_name) = $2 AND id <> $3`,
				m[1], name, m[0]).Scan(&taken); err != nil {
				return err
			}
			if taken == 0 {
				break
			}
			name = base + "-" + strconv.Itoa(n)
		}
		if _, err := tx.Exec(ctx, `UPDATE group_members SET display_name = $1 WHERE id = $2`, name, m[0]); err != nil {
			return fmt.Errorf("pseudonym: %w", err)
		}
	}
	return nil
}
