package groups

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/web"
)

// Where a screened text was written.
const (
	SourcePost     = "post"    // a board post or reply
	SourceMessage  = "message" // a live-room chat message
	SourceFeedback = "feedback"
	SourceCheckIn  = "checkin" // words added to a mood check-in
	SourceMember   = "member"  // a member's profile in a group (for reports)
	// SourceQuestionnaire is an answer to a questionnaire (the PHQ-9 item-9
	// rule, or crisis words in a written answer), opened by package measure.
	SourceQuestionnaire = "questionnaire"
)

// What a group does with a message the screener flags (support_groups.screen_hold).
const (
	HoldCrisis = "crisis" // hold crisis-level messages for a person to look at; show concern
	HoldAll    = "all"    // hold concern and crisis
	HoldNone   = "none"   // show everything; an escalation still opens
)

// ScreenHolds lists the settings in form order, safest default first.
var ScreenHolds = []string{HoldCrisis, HoldAll, HoldNone}

// Screening is what the screener found in a text, and what happens to it.
type Screening struct {
	Level        string // "none", "concern" or "crisis"
	Reasons      []string
	Hold         bool  // kept from others until a person has looked at it
	EscalationID int64 // the escalation opened for it, if any
}

// Flagged reports whether the author should see the help card at once.
func (s Screening) Flagged() bool { return s.Level == "concern" || s.Level == "crisis" }

// Written is a flagged text once stored, for the screener to escalate.
type Written struct {
	GroupID    int64
	Source     string // SourcePost, SourceMessage, SourceFeedback or SourceCheckIn
	SourceID   int64  // the post, message or feedback id; 0 for a check-in
	SessionID  int64
	Occurrence time.Time
	Text       string
}

// Screener is what groups needs from the safety feature: screening texts for
// crisis language, opening escalations, and the limits moderation puts on
// writing (mutes, suspensions, new accounts).
type Screener interface {
	Screen(ctx context.Context, text string) (Screening, error)
	Escalate(ctx context.Context, w Written, sc Screening) (int64, error)
	Allowed(ctx context.Context, groupID int64, text string) error
}

// screen asks the screener about text and applies the group's hold setting.
func (s *Service) screen(ctx context.Context, g Group, text string) (Screening, error) {
	if s.Screener == nil || text == "" {
		return Screening{Level: "none"}, nil
	}
	sc, err := s.Screener.Screen(ctx, text)
	if err != nil {
		return Screening{}, err
	}
	switch g.ScreenHold {
	case HoldNone:
		sc.Hold = false
	case HoldAll:
		sc.Hold = sc.Flagged()
	default:
		sc.Hold = sc.Level == "crisis"
	}
	return sc, nil
}

// escalate opens an escalation for a flagged text and tells the group's
// facilitators and safety leads who are in a live room at that moment.
func (s *Service) escalate(ctx context.Context, w Written, sc *Screening) error {
	if s.Screener == nil || !sc.Flagged() {
		return nil
	}
	id, err := s.Screener.Escalate(ctx, w, *sc)
	if err != nil {
		return err
	}
	sc.EscalationID = id
	if s.Hub != nil {
		alert := map[string]string{"url": "/safety/escalations/" + strconv.FormatInt(id, 10), "level": sc.Level}
		if err := s.Hub.Publish(ctx, StaffKey(w.GroupID), "alert", alert); err != nil {
			return err
		}
	}
	return nil
}

// allowed asks the screener whether the caller may write text in the group
// now. Those who run the group are not limited.
func (s *Service) allowed(ctx context.Context, v View, text string) error {
	if s.Screener == nil || v.CanManage {
		return nil
	}
	return s.Screener.Allowed(ctx, v.Group.ID, text)
}

// StaffKey is the live channel on which a group's facilitators and safety
// leads receive alerts while they are in one of its rooms.
func StaffKey(groupID int64) string { return "staff:" + strconv.FormatInt(groupID, 10) }

// Content is a post, message or member profile as a safety lead sees it.
type Content struct {
	Kind     string // SourcePost, SourceMessage or SourceMember
	ID       int64
	GroupID  int64
	AuthorID int64
	Author   string // the author's pseudonym in the group
	Text     string
	At       time.Time
	Held     bool
	Link     string
}

// Content returns a post, chat message or member of a group for someone who
// may see it: a member of the group (to report it) or those who run it.
func (s *Service) Content(ctx context.Context, kind string, id int64) (Content, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Content{}, err
	}
	c := Content{Kind: kind, ID: id}
	var author *int64
	switch kind {
	case SourcePost:
		var deleted bool
		err = s.db.QueryRow(ctx, `SELECT group_id, author_id, body, created_at, held, deleted FROM board_posts WHERE id = $1`, id).
			Scan(&c.GroupID, &author, &c.Text, &c.At, &c.Held, &deleted)
		if err == nil && deleted {
			err = db.ErrNotFound
		}
		c.Link = fmt.Sprintf("/groups/%d/board#post-%d", c.GroupID, id)
	case SourceMessage:
		var sessionID int64
		var occ time.Time
		err = s.db.QueryRow(ctx, `SELECT s.group_id, m.user_id, m.body, m.created_at, m.held, m.session_id, m.occurrence_start
			FROM chat_messages m JOIN group_sessions s ON s.id = m.session_id WHERE m.id = $1`, id).
			Scan(&c.GroupID, &author, &c.Text, &c.At, &c.Held, &sessionID, &occ)
		c.Link = fmt.Sprintf("/groups/%d/sessions/%d/%d/room", c.GroupID, sessionID, occ.Unix())
	case SourceMember:
		var status string
		err = s.db.QueryRow(ctx, `SELECT group_id, user_id, display_name, created_at, status FROM group_members WHERE id = $1`, id).
			Scan(&c.GroupID, &author, &c.Text, &c.At, &status)
		if err == nil && status != StatusActive {
			err = db.ErrNotFound
		}
		c.Link = fmt.Sprintf("/groups/%d", c.GroupID)
	default:
		return Content{}, db.ErrNotFound
	}
	if err != nil {
		return Content{}, err
	}
	v, err := s.Group(ctx, c.GroupID)
	if err != nil {
		return Content{}, err
	}
	if !v.IsMember() && !v.CanManage && !v.CanSafety {
		return Content{}, auth.ErrForbidden
	}
	if c.Held && !v.CanSafety && (author == nil || *author != p.UserID) {
		return Content{}, db.ErrNotFound // held content does not exist for other members
	}
	if author != nil {
		c.AuthorID = *author
		if kind == SourceMember {
			c.Author = c.Text
		} else if err := s.db.QueryRow(ctx, `SELECT display_name FROM group_members WHERE group_id = $1 AND user_id = $2`,
			c.GroupID, *author).Scan(&c.Author); err != nil && !errors.Is(err, db.ErrNotFound) {
			return Content{}, err
		}
	}
	return c, nil
}

// SetHeld holds a post or chat message back from the group, or releases it,
// for the group's facilitators and safety leads.
func (s *Service) SetHeld(ctx context.Context, kind string, id int64, held bool) error {
	c, err := s.Content(ctx, kind, id)
	if err != nil {
		return err
	}
	v, err := s.Group(ctx, c.GroupID)
	if err != nil {
		return err
	}
	if !v.CanSafety {
		return auth.ErrForbidden
	}
	switch kind {
	case SourcePost:
		_, err = s.db.Exec(ctx, `UPDATE board_posts SET held = $1 WHERE id = $2`, held, id)
	case SourceMessage:
		_, err = s.db.Exec(ctx, `UPDATE chat_messages SET held = $1 WHERE id = $2`, held, id)
	default:
		return db.ErrNotFound
	}
	return err
}

// Staff returns who is told when someone in the group may need help: the
// group's organisation, its name, and its active facilitators. Any signed-in
// person may ask (a member's own message raises the alert); it reveals no one
// outside the group's staff.
func (s *Service) Staff(ctx context.Context, groupID int64) (orgID int64, name string, facilitators []int64, err error) {
	if _, err = auth.RequireUser(ctx); err != nil {
		return 0, "", nil, err
	}
	if err = s.db.QueryRow(ctx, `SELECT org_id, name FROM support_groups WHERE id = $1`, groupID).Scan(&orgID, &name); err != nil {
		return 0, "", nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT user_id FROM group_members WHERE group_id = $1 AND role = $2 AND status = $3 ORDER BY user_id`,
		groupID, RoleFacilitator, StatusActive)
	if err != nil {
		return 0, "", nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, "", nil, err
		}
		facilitators = append(facilitators, id)
	}
	return orgID, name, facilitators, rows.Err()
}

// helpCard shows the author the help card, in place of the usual message,
// when what they wrote was flagged.
func helpCard(out web.Outcome, sc Screening) web.Outcome {
	if sc.Flagged() {
		out.Flash = web.HelpFlash
	}
	return out
}
