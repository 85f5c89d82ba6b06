package groups

import (
	"context"
	"fmt"
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
	Score   int       `json:"score,omitempty"`
	Score2  int       `json:"score_safe,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

type groupsExport struct {
	Memberships []membershipExport `json:"memberships"`
	Posts       []postExport       `json:"board_posts"`
	Reactions   int                `json:"reactions_given"`
	Messages    []messageExport    `json:"chat_messages"`
	Meetings    []meetingExport    `json:"meetings"`
	PollAnswers int                `json:"poll_answers"`
}

// Export returns the person's memberships, posts, messages still kept, and
// their part in meetings (RSVPs, attendance, moods, feedback with comments
// opened). Other people appear only as group names.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := groupsExport{Memberships: []membershipExport{}, Posts: []postExport{}, Messages: []messageExport{}, Meetings: []meetingExport{}}
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
	if err := q.QueryRow(ctx, `SELECT count(*) FROM poll_answers WHERE user_id = $1`, userID).Scan(&out.PollAnswers); err != nil {
		return nil, err
	}
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
				e.Comment = text // how it was taken: roll call or check-in code
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

// Erase leaves the person's groups: pseudonyms become neutral names,
// messages to facilitators are emptied, board posts are shown as removed,
// chat messages and feedback and check-in comments are removed. Scores,
// attendance and reactions stay, tied only to the tombstone account, so
// groups' figures still add up.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	steps := []string{
		`UPDATE group_members SET display_name = 'erased-' || CAST(id AS TEXT), request_message = '', decision_message = '',
			status = CASE WHEN status = 'active' THEN 'left' ELSE status END WHERE user_id = $1`,
		`UPDATE board_posts SET body = '', body_html = '', deleted = TRUE WHERE author_id = $1`,
		`DELETE FROM chat_messages WHERE user_id = $1`,
		`UPDATE session_feedback SET comment_sealed = '' WHERE user_id = $1`,
		`UPDATE room_moods SET comment_sealed = '' WHERE user_id = $1`,
		`DELETE FROM calendar_tokens WHERE user_id = $1`,
		`DELETE FROM room_presence WHERE user_id = $1`,
		`UPDATE guest_passes SET claimed_by = NULL WHERE claimed_by = $1`,
		`UPDATE session_notes SET author_id = NULL WHERE author_id = $1`,
	}
	for _, q := range steps {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("%s: %w", q[:30], err)
		}
	}
	return nil
}
