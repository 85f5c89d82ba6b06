package safety

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
)

// JobAlert e-mails the people on call about a new escalation.
const JobAlert = "safety.alert"

type alertJob struct {
	EscalationID int64 `json:"escalation_id"`
}

// Escalation is a flagged text and what the people on call did about it.
type Escalation struct {
	ID          int64
	GroupID     int64
	GroupName   string
	Pseudonym   string // the author's name in the group
	Source      string
	SourceID    int64
	Level       string
	Reasons     []string
	Held        bool
	Status      string
	FollowUpDue time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Overdue     bool
	Excerpt     string // opened only on the escalation's own page, and that read is audited
	Notes       []Note
	Link        string // where the text was written
}

// Note is a dated note by a person working on an escalation or a case.
type Note struct {
	Author string
	Status string
	Body   string
	At     time.Time
}

const escalationColumns = `e.id, e.group_id, g.name, COALESCE(m.display_name, ''), e.source, e.source_id, e.level, e.reasons,
	e.held, e.status, e.follow_up_due, e.created_at, e.updated_at`

const escalationFrom = ` FROM escalations e JOIN support_groups g ON g.id = e.group_id
	LEFT JOIN group_members m ON m.group_id = e.group_id AND m.user_id = e.user_id`

func (s *Service) scanEscalation(row interface{ Scan(...any) error }) (Escalation, error) {
	var e Escalation
	var reasons string
	err := row.Scan(&e.ID, &e.GroupID, &e.GroupName, &e.Pseudonym, &e.Source, &e.SourceID, &e.Level, &reasons,
		&e.Held, &e.Status, &e.FollowUpDue, &e.CreatedAt, &e.UpdatedAt)
	e.Reasons = strings.Fields(reasons)
	e.Overdue = e.Status == StatusOpen && s.now().After(e.FollowUpDue)
	return e, err
}

// Escalations lists the escalations of the groups the caller is safety staff
// of: those still open or contacted first (most urgent first), then, when
// all is set, resolved ones too.
func (s *Service) Escalations(ctx context.Context, all bool, limit int) ([]Escalation, error) {
	p, err := s.requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	with, where, arg := scope(p)
	rows, err := s.db.Query(ctx, with+`SELECT `+escalationColumns+escalationFrom+` WHERE `+where+`
		AND ($2 OR e.status <> 'resolved')
		ORDER BY CASE WHEN e.status = 'resolved' THEN 1 ELSE 0 END, e.follow_up_due, e.id LIMIT $3`, arg, all, limit)
	if err != nil {
		return nil, fmt.Errorf("safety: escalations: %w", err)
	}
	defer rows.Close()
	var out []Escalation
	for rows.Next() {
		e, err := s.scanEscalation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Escalation returns one escalation with its text and notes for the group's
// safety staff; the read is written to the audit log.
func (s *Service) Escalation(ctx context.Context, id int64) (Escalation, error) {
	var groupID int64
	if err := s.db.QueryRow(ctx, `SELECT group_id FROM escalations WHERE id = $1`, id).Scan(&groupID); err != nil {
		return Escalation{}, err
	}
	if _, _, err := s.staff(ctx, groupID); err != nil {
		return Escalation{}, err
	}
	e, err := s.scanEscalation(s.db.QueryRow(ctx, `SELECT `+escalationColumns+escalationFrom+` WHERE e.id = $1`, id))
	if err != nil {
		return Escalation{}, err
	}
	var sealed string
	if err := s.db.QueryRow(ctx, `SELECT excerpt_sealed FROM escalations WHERE id = $1`, id).Scan(&sealed); err != nil {
		return Escalation{}, err
	}
	if sealed != "" { // empty once its author erased their account
		if e.Excerpt, err = s.secrets.Open(sealed, aad("escalation", id)); err != nil {
			return Escalation{}, err
		}
	}
	rows, err := s.db.Query(ctx, `SELECT n.id, COALESCE(u.username, ''), n.status, n.body_sealed, n.created_at FROM escalation_notes n
		LEFT JOIN users u ON u.id = n.author_id WHERE n.escalation_id = $1 ORDER BY n.id`, id)
	if err != nil {
		return Escalation{}, err
	}
	for rows.Next() {
		var n Note
		var noteID int64
		var body string
		if err := rows.Scan(&noteID, &n.Author, &n.Status, &body, &n.At); err != nil {
			rows.Close()
			return Escalation{}, err
		}
		if n.Body, err = s.secrets.Open(body, aad("escalation_note", noteID)); err != nil {
			rows.Close()
			return Escalation{}, err
		}
		e.Notes = append(e.Notes, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Escalation{}, err
	}
	if e.Source == groups.SourcePost || e.Source == groups.SourceMessage {
		if c, err := s.groups.Content(ctx, e.Source, e.SourceID); err == nil {
			e.Link, e.Held = c.Link, c.Held
		}
	}
	return e, s.record(ctx, nil, "safety.escalation.read", "escalation:"+strconv.FormatInt(id, 10),
		fmt.Sprintf("group:%d notes:%d", groupID, len(e.Notes)))
}

// UpdateEscalation moves an escalation to status with a note of what was
// done; a note is required, so the record says who did what and when.
func (s *Service) UpdateEscalation(ctx context.Context, id int64, status, note string) error {
	var groupID int64
	var current string
	if err := s.db.QueryRow(ctx, `SELECT group_id, status FROM escalations WHERE id = $1`, id).Scan(&groupID, &current); err != nil {
		return err
	}
	p, _, err := s.staff(ctx, groupID)
	if err != nil {
		return err
	}
	if _, fe := valid.OneOf("status", status, EscalationStatuses); fe != nil {
		return fe
	}
	note, fe := valid.Text("note", note, 1, 4000, true)
	if fe != nil {
		return fe
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var noteID int64
		if err := tx.QueryRow(ctx, `INSERT INTO escalation_notes (escalation_id, author_id, status, body_sealed, created_at)
			VALUES ($1, $2, $3, '', $4) RETURNING id`, id, p.UserID, status, now).Scan(&noteID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE escalation_notes SET body_sealed = $1 WHERE id = $2`,
			s.secrets.Seal(note, aad("escalation_note", noteID)), noteID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE escalations SET status = $1, updated_at = $2 WHERE id = $3`, status, now, id); err != nil {
			return err
		}
		return s.record(ctx, tx, "safety.escalation."+status, "escalation:"+strconv.FormatInt(id, 10),
			fmt.Sprintf("group:%d from:%s", groupID, current))
	})
}

// ReleaseHeld shows a held text to the group after a person looked at it, or
// keeps it held (release false).
func (s *Service) ReleaseHeld(ctx context.Context, id int64, release bool) error {
	var groupID, sourceID int64
	var source string
	if err := s.db.QueryRow(ctx, `SELECT group_id, source, source_id FROM escalations WHERE id = $1`, id).
		Scan(&groupID, &source, &sourceID); err != nil {
		return err
	}
	if _, _, err := s.staff(ctx, groupID); err != nil {
		return err
	}
	if source != groups.SourcePost && source != groups.SourceMessage {
		return valid.Field("release", "safety.escalation.nothing_held")
	}
	if err := s.groups.SetHeld(ctx, source, sourceID, !release); err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `UPDATE escalations SET held = $1, updated_at = $2 WHERE id = $3`, !release, s.now().UTC(), id); err != nil {
		return err
	}
	action := "safety.escalation.release"
	if !release {
		action = "safety.escalation.hold"
	}
	return s.record(ctx, nil, action, "escalation:"+strconv.FormatInt(id, 10), source+":"+strconv.FormatInt(sourceID, 10))
}

// SendAlert e-mails the people on call about an escalation (the JobAlert
// handler). The e-mail names the group and the level, never the text or the
// person: the link leads to the page where reading it is audited.
func (s *Service) SendAlert(ctx context.Context, payload []byte) error {
	if s.Messaging == nil || s.Messaging.Mail == nil {
		return nil
	}
	var j alertJob
	if err := decodeJob(payload, &j); err != nil {
		return err
	}
	var groupID int64
	var level string
	var author *int64
	if err := s.db.QueryRow(ctx, `SELECT group_id, level, user_id FROM escalations WHERE id = $1`, j.EscalationID).
		Scan(&groupID, &level, &author); err != nil {
		return nil // gone: nothing to send
	}
	var orgID int64
	var groupName string
	if err := s.db.QueryRow(ctx, `SELECT org_id, name FROM support_groups WHERE id = $1`, groupID).Scan(&orgID, &groupName); err != nil {
		return err
	}
	facilitators, err := activeFacilitators(ctx, s.db, groupID)
	if err != nil {
		return err
	}
	var about int64
	if author != nil {
		about = *author
	}
	to, err := s.oncall(ctx, s.db, orgID, facilitators, about)
	if err != nil {
		return err
	}
	contacts, err := s.Messaging.Contacts.Contacts(ctx, to)
	if err != nil {
		return err
	}
	b := s.Messaging.Bundle
	link := s.Messaging.BaseURL + "/safety/escalations/" + strconv.FormatInt(j.EscalationID, 10)
	for _, id := range to {
		c := contacts[id]
		if c.Email == "" {
			continue
		}
		lang := c.Locale
		if !b.Supported(lang) {
			lang = b.Fallback()
		}
		levelText, err := b.T(lang, "screen.level."+level)
		if err != nil {
			return err
		}
		subject, err := b.T(lang, "mail.escalation.subject", "group", groupName, "level", levelText)
		if err != nil {
			return err
		}
		body, err := b.T(lang, "mail.escalation.body", "group", groupName, "level", levelText, "link", link)
		if err != nil {
			return err
		}
		if err := s.Messaging.Mail.Send(ctx, mailMessage(c.Email, subject, body)); err != nil {
			return err
		}
	}
	return nil
}

func activeFacilitators(ctx context.Context, q db.Querier, groupID int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT user_id FROM group_members WHERE group_id = $1 AND role = 'facilitator' AND status = 'active'`, groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
