package groups

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/mail"
)

// Messaging is what groups needs to tell people about meetings: the job queue,
// in-app notices, e-mail and how to reach each person.
type Messaging struct {
	Jobs interface {
		Enqueue(ctx context.Context, q db.Querier, kind string, payload any, runAt time.Time, key string) error
	}
	Notices interface {
		Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error
	}
	Contacts interface {
		Contacts(ctx context.Context, ids []int64) (map[int64]auth.Contact, error)
	}
	Mail    mail.Sender
	Bundle  *i18n.Bundle
	BaseURL string // the public address of this Rangkul, for links in e-mail
}

// Job kinds of the groups feature.
const (
	JobScanReminders = "groups.reminders.scan"
	JobReminder      = "groups.reminder"
	JobChanged       = "groups.meeting.changed"
)

// ReminderLead is how long before a meeting its reminder goes out.
const ReminderLead = 24 * time.Hour

type meetingJob struct {
	SessionID int64  `json:"session_id"`
	Original  int64  `json:"original"`
	Cancelled bool   `json:"cancelled,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// ScanReminders schedules one reminder for every meeting starting within the
// next ReminderLead; the de-duplication key makes repeated scans harmless.
func (s *Service) ScanReminders(ctx context.Context, _ []byte) error {
	if s.Messaging == nil {
		return nil
	}
	now := s.now().UTC()
	rows, err := s.db.Query(ctx, `SELECT DISTINCT group_id FROM group_sessions WHERE ends_at IS NULL OR ends_at > $1`, now)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	sessions, err := sessionsOf(ctx, s.db, ids, now)
	if err != nil {
		return err
	}
	occ, err := s.expand(ctx, sessions, now, now.Add(ReminderLead), 0)
	if err != nil {
		return err
	}
	for _, o := range occ {
		if o.Cancelled {
			continue
		}
		key := fmt.Sprintf("reminder:%d:%d", o.Session.ID, o.Original.Unix())
		if err := s.Messaging.Jobs.Enqueue(ctx, nil, JobReminder, meetingJob{SessionID: o.Session.ID, Original: o.Original.Unix()}, now, key); err != nil {
			return err
		}
	}
	return nil
}

// SendReminder tells the group's members about a meeting soon: an in-app
// notice for everyone, an e-mail in their language for those who gave one.
func (s *Service) SendReminder(ctx context.Context, payload []byte) error {
	return s.tellMembers(ctx, payload, "session_reminder", "mail.reminder")
}

// SendChange tells the group's members that a meeting was moved or cancelled.
func (s *Service) SendChange(ctx context.Context, payload []byte) error {
	var j meetingJob
	if err := json.Unmarshal(payload, &j); err != nil {
		return err
	}
	if j.Cancelled {
		return s.tellMembers(ctx, payload, "session_cancelled", "mail.cancelled")
	}
	return s.tellMembers(ctx, payload, "session_moved", "mail.moved")
}

func (s *Service) tellMembers(ctx context.Context, payload []byte, kind, mailKey string) error {
	if s.Messaging == nil {
		return nil
	}
	var j meetingJob
	if err := json.Unmarshal(payload, &j); err != nil {
		return err
	}
	sess, err := sessionByID(ctx, s.db, j.SessionID)
	if err != nil {
		return nil // the session is gone: nothing to tell
	}
	orig := time.Unix(j.Original, 0).UTC()
	occ, err := s.expand(ctx, []Session{sess}, orig.Add(-400*24*time.Hour), orig.Add(400*24*time.Hour), 0)
	if err != nil {
		return err
	}
	var o *Occurrence
	for i := range occ {
		if occ[i].Original.Equal(orig) {
			o = &occ[i]
		}
	}
	if o == nil || (kind == "session_reminder" && o.Cancelled) {
		return nil
	}
	g, err := groupByID(ctx, s.db, sess.GroupID)
	if err != nil {
		return err
	}
	members, err := membersByStatus(ctx, s.db, sess.GroupID, StatusActive)
	if err != nil {
		return err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.UserID
	}
	link := fmt.Sprintf("/groups/%d/sessions/%d/%d", g.ID, sess.ID, j.Original)
	when := o.Local(orig)
	args := map[string]string{"group": g.Name, "when": when.Format(time.RFC3339), "reason": o.Reason}
	if o.Moved {
		args["new"] = o.Local(o.Start).Format(time.RFC3339)
	}
	if err := s.Messaging.Notices.Notify(ctx, nil, ids, kind, args, link); err != nil {
		return err
	}
	contacts, err := s.Messaging.Contacts.Contacts(ctx, ids)
	if err != nil {
		return err
	}
	b := s.Messaging.Bundle
	for _, m := range members {
		c := contacts[m.UserID]
		if c.Email == "" || s.Messaging.Mail == nil {
			continue
		}
		lang := c.Locale
		if !b.Supported(lang) {
			lang = b.Fallback()
		}
		whenText, err := b.When(lang, when)
		if err != nil {
			return err
		}
		newText := ""
		if o.Moved {
			newText, _ = b.When(lang, o.Local(o.Start))
		}
		fill := []any{"name", m.DisplayName, "group", g.Name, "when", whenText, "new", newText, "place", sess.Place,
			"reason", o.Reason, "link", s.Messaging.BaseURL + link}
		subject, err := b.T(lang, mailKey+".subject", fill...)
		if err != nil {
			return err
		}
		body, err := b.T(lang, mailKey+".body", fill...)
		if err != nil {
			return err
		}
		if err := s.Messaging.Mail.Send(ctx, mail.Message{To: c.Email, Subject: subject, Text: body}); err != nil {
			return err // the job runs again later; notices above are sent once per job attempt
		}
	}
	return nil
}

// changed queues the notice of a moved or cancelled meeting.
func (s *Service) changed(ctx context.Context, q db.Querier, sessionID int64, original time.Time, cancelled bool, reason string) error {
	if s.Messaging == nil {
		return nil
	}
	key := "changed:" + strconv.FormatInt(sessionID, 10) + ":" + strconv.FormatInt(original.Unix(), 10) + ":" + strconv.FormatInt(s.now().UnixNano(), 10)
	return s.Messaging.Jobs.Enqueue(ctx, q, JobChanged, meetingJob{SessionID: sessionID, Original: original.Unix(), Cancelled: cancelled, Reason: reason},
		s.now(), key)
}
