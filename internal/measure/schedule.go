package measure

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/privacy"
)

// Job kinds of the measurement feature.
const (
	// JobScan creates the questionnaires that have become due and sends
	// their reminders (every 15 minutes).
	JobScan = "measure.scan"
	// JobMail e-mails one member that a questionnaire is waiting.
	JobMail = "measure.mail"
	// JobEscalate opens the safety path again for a response when opening
	// it at once failed.
	JobEscalate = "measure.escalate"
)

// Reminder timing: a notice when a questionnaire becomes due, and one more
// after RemindAgain if it is still open. Nothing after that.
const (
	RemindAgain  = 3 * 24 * time.Hour
	MaxReminders = 2
	// LeavingWindow is how recently someone must have left a group to be
	// asked the leaving questionnaire, so that a step added to an old plan
	// does not write to people who left long ago.
	LeavingWindow = 30 * 24 * time.Hour
)

// Scan is the JobScan handler: it creates every due questionnaire and sends
// the reminders that are due.
func (s *Service) Scan(ctx context.Context, _ []byte) error {
	if err := s.ensure(ctx, 0); err != nil {
		return err
	}
	return s.remind(ctx)
}

// EnsureMine creates the caller's questionnaires that are due now, so that a
// member who just joined a group sees their baseline at once.
func (s *Service) EnsureMine(ctx context.Context) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	return s.ensure(ctx, p.UserID)
}

// sameWhat joins a plan's baseline step b to its step st asking the same
// questionnaire.
const sameWhat = `b.plan_id = st.plan_id AND b.timepoint = 'baseline' AND b.instrument = st.instrument
	AND COALESCE(b.survey_id, 0) = COALESCE(st.survey_id, 0)`

// ensure creates the due rows of active plans and open rounds, for one
// person (userID) or everyone (0). Rows are unique per person, group and step
// (per person and round), so concurrent scans create each once.
func (s *Service) ensure(ctx context.Context, userID int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error { return s.ensureIn(ctx, tx, userID) })
}

func (s *Service) ensureIn(ctx context.Context, tx *db.Tx, userID int64) error {
	now := s.now().UTC()
	// Baselines: every active member of a plan's groups, due from when they
	// joined or the plan began, whichever is later.
	if _, err := tx.Exec(ctx, `INSERT INTO outcome_due (user_id, group_id, step_id, due_at, created_at)
		SELECT m.user_id, m.group_id, st.id, CASE WHEN m.joined_at > pl.created_at THEN m.joined_at ELSE pl.created_at END, $1
		FROM outcome_plans pl
		JOIN outcome_plan_steps st ON st.plan_id = pl.id AND st.timepoint = 'baseline'
		JOIN outcome_plan_groups pg ON pg.plan_id = pl.id
		JOIN group_members m ON m.group_id = pg.group_id AND m.status = 'active' AND m.role = 'member' AND m.joined_at IS NOT NULL
		WHERE pl.active = TRUE AND (CAST($2 AS BIGINT) = 0 OR m.user_id = $2)
		ON CONFLICT DO NOTHING`, now, userID); err != nil {
		return fmt.Errorf("measure: baselines due: %w", err)
	}
	if err := s.ensureFollowups(ctx, tx, userID, now); err != nil {
		return err
	}
	// Leaving: those who left recently, after answering the baseline.
	if _, err := tx.Exec(ctx, `INSERT INTO outcome_due (user_id, group_id, step_id, due_at, created_at)
		SELECT m.user_id, m.group_id, st.id, m.updated_at, $1
		FROM outcome_plans pl
		JOIN outcome_plan_steps st ON st.plan_id = pl.id AND st.timepoint = 'leaving'
		JOIN outcome_plan_steps b ON `+sameWhat+`
		JOIN outcome_plan_groups pg ON pg.plan_id = pl.id
		JOIN group_members m ON m.group_id = pg.group_id AND m.status = 'left' AND m.role = 'member'
		JOIN outcome_due bd ON bd.step_id = b.id AND bd.user_id = m.user_id AND bd.group_id = m.group_id
			AND bd.done_at IS NOT NULL AND bd.done_at <= m.updated_at
		WHERE pl.active = TRUE AND m.updated_at > $3 AND (CAST($2 AS BIGINT) = 0 OR m.user_id = $2)
		ON CONFLICT DO NOTHING`, now, userID, now.Add(-LeavingWindow)); err != nil {
		return fmt.Errorf("measure: leaving due: %w", err)
	}
	// Feedback rounds: once per member of the round's groups while it is open.
	if _, err := tx.Exec(ctx, `INSERT INTO outcome_due (user_id, group_id, round_id, due_at, created_at)
		SELECT m.user_id, min(m.group_id), r.id, r.opens_at, $1
		FROM outcome_feedback_rounds r
		JOIN group_members m ON m.status = 'active' AND m.role = 'member'
			AND (m.group_id = r.group_id OR m.group_id IN (SELECT pg.group_id FROM outcome_plan_groups pg WHERE pg.plan_id = r.plan_id))
		WHERE r.opens_at <= $1 AND r.closes_at > $1 AND (CAST($2 AS BIGINT) = 0 OR m.user_id = $2)
		GROUP BY m.user_id, r.id, r.opens_at
		ON CONFLICT DO NOTHING`, now, userID); err != nil {
		return fmt.Errorf("measure: rounds due: %w", err)
	}
	return nil
}

// ensureFollowups creates the follow-ups whose condition is met: enough
// weeks since the baseline was answered, or enough meetings of the group
// attended since then. A follow-up is never due before its baseline is done.
func (s *Service) ensureFollowups(ctx context.Context, tx *db.Tx, userID int64, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT m.user_id, m.group_id, st.id, COALESCE(st.after_weeks, 0), COALESCE(st.after_sessions, 0), r.completed_at
		FROM outcome_plans pl
		JOIN outcome_plan_steps st ON st.plan_id = pl.id AND st.timepoint = 'followup'
		JOIN outcome_plan_steps b ON `+sameWhat+`
		JOIN outcome_plan_groups pg ON pg.plan_id = pl.id
		JOIN group_members m ON m.group_id = pg.group_id AND m.status = 'active' AND m.role = 'member'
		JOIN outcome_due bd ON bd.step_id = b.id AND bd.user_id = m.user_id AND bd.group_id = m.group_id AND bd.done_at IS NOT NULL
		JOIN outcome_responses r ON r.id = bd.response_id
		WHERE pl.active = TRUE AND (CAST($1 AS BIGINT) = 0 OR m.user_id = $1)
		AND NOT EXISTS (SELECT 1 FROM outcome_due d WHERE d.step_id = st.id AND d.user_id = m.user_id AND d.group_id = m.group_id)`, userID)
	if err != nil {
		return fmt.Errorf("measure: follow-ups: %w", err)
	}
	type candidate struct {
		user, group, step int64
		weeks, sessions   int
		baseline          time.Time
	}
	var list []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.user, &c.group, &c.step, &c.weeks, &c.sessions, &c.baseline); err != nil {
			rows.Close()
			return err
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range list {
		var due time.Time
		switch {
		case c.weeks > 0:
			due = c.baseline.AddDate(0, 0, 7*c.weeks)
			if due.After(now) {
				continue
			}
		case c.sessions > 0:
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM session_attendance a JOIN group_sessions gs ON gs.id = a.session_id
				WHERE gs.group_id = $1 AND a.user_id = $2 AND a.present = TRUE AND a.occurrence_start >= $3`,
				c.group, c.user, c.baseline.UTC()).Scan(&n); err != nil {
				return fmt.Errorf("measure: meetings attended: %w", err)
			}
			if n < c.sessions {
				continue
			}
			due = now
		default:
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outcome_due (user_id, group_id, step_id, due_at, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, c.user, c.group, c.step, due.UTC(), now); err != nil {
			return fmt.Errorf("measure: follow-up due: %w", err)
		}
	}
	return nil
}

// openDue is the condition that a due row d is still asked at the time bound
// to placeholder at: not answered or skipped, its plan active and still over
// its group, and the person still in the group (except on leaving); or its
// round open.
func openDue(at string) string {
	return `d.done_at IS NULL AND d.skipped_at IS NULL AND d.due_at <= ` + at + ` AND (
		(d.step_id IS NOT NULL AND EXISTS (SELECT 1 FROM outcome_plan_steps st JOIN outcome_plans pl ON pl.id = st.plan_id
			JOIN outcome_plan_groups pg ON pg.plan_id = pl.id AND pg.group_id = d.group_id
			WHERE st.id = d.step_id AND pl.active = TRUE AND (st.timepoint = 'leaving' OR EXISTS (SELECT 1 FROM group_members m
				WHERE m.group_id = d.group_id AND m.user_id = d.user_id AND m.status = 'active'))))
		OR (d.round_id IS NOT NULL AND EXISTS (SELECT 1 FROM outcome_feedback_rounds r WHERE r.id = d.round_id
			AND r.opens_at <= ` + at + ` AND r.closes_at > ` + at + `)))`
}

type mailJob struct {
	DueID int64 `json:"due_id"`
}

// remind gives each open questionnaire its first notice, and a second one
// RemindAgain later if it is still open; each notice also goes by e-mail to
// those who gave an address.
func (s *Service) remind(ctx context.Context) error {
	if s.Messaging == nil || s.Messaging.Notices == nil {
		return nil
	}
	now := s.now().UTC()
	rows, err := s.db.Query(ctx, `SELECT d.id, d.user_id, d.reminders, g.name FROM outcome_due d JOIN support_groups g ON g.id = d.group_id
		WHERE `+openDue("$1")+` AND (d.reminders = 0 OR (d.reminders < $3 AND d.reminded_at <= $2))
		ORDER BY d.id LIMIT 2000`, now, now.Add(-RemindAgain), MaxReminders)
	if err != nil {
		return fmt.Errorf("measure: reminders: %w", err)
	}
	type reminder struct {
		id, user int64
		n        int
		group    string
	}
	var list []reminder
	for rows.Next() {
		var r reminder
		if err := rows.Scan(&r.id, &r.user, &r.n, &r.group); err != nil {
			rows.Close()
			return err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range list {
		kind := "questionnaire_due"
		if r.n > 0 {
			kind = "questionnaire_reminder"
		}
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, `UPDATE outcome_due SET reminders = reminders + 1, reminded_at = $1 WHERE id = $2 AND reminders = $3`, now, r.id, r.n)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another instance reminded it meanwhile
			}
			if err := s.Messaging.Notices.Notify(ctx, tx, []int64{r.user}, kind, map[string]string{"group": r.group},
				"/outcomes/due/"+strconv.FormatInt(r.id, 10)); err != nil {
				return err
			}
			if s.Messaging.Jobs == nil {
				return nil
			}
			return s.Messaging.Jobs.Enqueue(ctx, tx, JobMail, mailJob{DueID: r.id}, now,
				fmt.Sprintf("measure.mail:%d:%d", r.id, r.n+1))
		})
		if err != nil {
			return fmt.Errorf("measure: remind %d: %w", r.id, err)
		}
	}
	return nil
}

// SendMail is the JobMail handler: it e-mails a member with an address who
// agreed to be contacted (privacy purpose "contact") that a questionnaire is
// waiting, in their language. The text is generic: it names neither the
// group nor the questionnaire, and never a score. Everyone still sees the
// questionnaire in the app.
func (s *Service) SendMail(ctx context.Context, payload []byte) error {
	m := s.Messaging
	if m == nil || m.Mail == nil || m.Contacts == nil || m.Bundle == nil {
		return nil
	}
	var j mailJob
	if err := json.Unmarshal(payload, &j); err != nil {
		return err
	}
	var user int64
	var open bool
	err := s.db.QueryRow(ctx, `SELECT d.user_id, CASE WHEN `+openDue("$2")+` THEN 1 ELSE 0 END = 1 FROM outcome_due d WHERE d.id = $1`,
		j.DueID, s.now().UTC()).Scan(&user, &open)
	if err != nil || !open {
		return nil // answered, skipped or gone: nothing to say
	}
	agreed, err := privacy.Consenting(ctx, s.db, privacy.PurposeContact, []int64{user})
	if err != nil {
		return err
	}
	if !agreed[user] {
		return nil
	}
	contacts, err := m.Contacts.Contacts(ctx, []int64{user})
	if err != nil {
		return err
	}
	c := contacts[user]
	if c.Email == "" {
		return nil
	}
	lang := c.Locale
	if !m.Bundle.Supported(lang) {
		lang = m.Bundle.Fallback()
	}
	fill := []any{"link", m.BaseURL + "/outcomes"}
	subject, err := m.Bundle.T(lang, "mail.questionnaire.subject", fill...)
	if err != nil {
		return err
	}
	body, err := m.Bundle.T(lang, "mail.questionnaire.body", fill...)
	if err != nil {
		return err
	}
	return m.Mail.Send(ctx, mail.Message{To: c.Email, Subject: subject, Text: body})
}
