package safety

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
)

// ReportReasons are the reasons a member may give for a report.
var ReportReasons = []string{"unsafe", "harassment", "hate", "privacy", "spam", "other"}

// ReportKinds are what may be reported.
var ReportKinds = []string{groups.SourcePost, groups.SourceMessage, groups.SourceMember}

// Moderation actions. Dismiss closes a report with no action.
const (
	ActDismiss = "dismiss"
	ActHide    = "hide"    // the reported post or message is hidden from the group
	ActWarn    = "warn"    // a written warning
	ActMute    = "mute"    // may not write in the group for a time
	ActSuspend = "suspend" // may not write anywhere for a time
	ActBan     = "ban"     // may not write anywhere
)

// Actions lists them in form order; suspend and ban are for safety leads only.
var Actions = []string{ActDismiss, ActHide, ActWarn, ActMute, ActSuspend, ActBan}

// Report is a member's report as the safety staff see it.
type Report struct {
	ID        int64
	GroupID   int64
	GroupName string
	Kind      string
	SubjectID int64
	Reason    string
	Detail    string // opened on the report's own page only
	Status    string
	CreatedAt time.Time
	Content   groups.Content
	Previous  []Action // earlier actions on the same person in the group
	CanLead   bool     // the viewer may suspend and ban
}

// Action is a moderation action as its subject and the staff see it.
type Action struct {
	ID           int64
	GroupID      int64
	GroupName    string
	Kind         string
	Reason       string
	SubjectKind  string
	Until        *time.Time
	CreatedAt    time.Time
	Lifted       bool
	AppealStatus string // "", "pending", "upheld" or "overturned"
	Appeal       string // the member's words, for the staff deciding the appeal
	Member       string // the subject's pseudonym in the group, for staff
}

// Report files a member's report about a post, chat message or member of a
// group they belong to. Reporting one's own words, something already
// reported by the same person and still open, or something that does not
// exist is refused with a message.
func (s *Service) Report(ctx context.Context, kind string, id int64, reason, detail string) (int64, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	if _, fe := valid.OneOf("kind", kind, ReportKinds); fe != nil {
		return 0, valid.Field("reason", "safety.report.not_found")
	}
	c, err := s.groups.Content(ctx, kind, id)
	if errors.Is(err, db.ErrNotFound) || errors.Is(err, auth.ErrForbidden) {
		return 0, valid.Field("reason", "safety.report.not_found")
	}
	if err != nil {
		return 0, err
	}
	if c.AuthorID == p.UserID {
		return 0, valid.Field("reason", "safety.report.own")
	}
	if _, fe := valid.OneOf("reason", reason, ReportReasons); fe != nil {
		return 0, fe
	}
	detail, fe := valid.Text("detail", detail, 0, 2000, true)
	if fe != nil {
		return 0, fe
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM reports WHERE subject_kind = $1 AND subject_id = $2 AND reporter_id = $3 AND status = 'open'`,
		kind, id, p.UserID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, valid.Field("reason", "safety.report.already")
	}
	var author any
	if c.AuthorID != 0 {
		author = c.AuthorID
	}
	now := s.now().UTC()
	var reportID int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO reports (group_id, reporter_id, subject_kind, subject_id, subject_user_id, reason, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id`, c.GroupID, p.UserID, kind, id, author, reason, now).Scan(&reportID); err != nil {
			return err
		}
		if detail != "" {
			if _, err := tx.Exec(ctx, `UPDATE reports SET detail_sealed = $1 WHERE id = $2`, s.secrets.Seal(detail, aad("report", reportID)), reportID); err != nil {
				return err
			}
		}
		if s.Messaging == nil {
			return nil
		}
		orgID, name, facilitators, err := s.groups.Staff(ctx, c.GroupID)
		if err != nil {
			return err
		}
		to, err := s.oncall(ctx, tx, orgID, facilitators, c.AuthorID)
		if err != nil {
			return err
		}
		return s.Messaging.Notices.Notify(ctx, tx, to, "report_new", map[string]string{"group": name},
			"/safety/reports/"+strconv.FormatInt(reportID, 10))
	})
	return reportID, err
}

// Reports lists the open reports of the groups the caller is safety staff of
// (all of them when all is set), oldest first.
func (s *Service) Reports(ctx context.Context, all bool, limit int) ([]Report, error) {
	p, err := s.requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	with, where, arg := scope(p)
	rows, err := s.db.Query(ctx, with+`SELECT e.id, e.group_id, g.name, e.subject_kind, e.subject_id, e.reason, e.status, e.created_at
		FROM reports e JOIN support_groups g ON g.id = e.group_id WHERE `+where+` AND ($2 OR e.status = 'open')
		ORDER BY CASE WHEN e.status = 'open' THEN 0 ELSE 1 END, e.id LIMIT $3`, arg, all, limit)
	if err != nil {
		return nil, fmt.Errorf("safety: reports: %w", err)
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var r Report
		if err := rows.Scan(&r.ID, &r.GroupID, &r.GroupName, &r.Kind, &r.SubjectID, &r.Reason, &r.Status, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportDetail returns a report with the reported content and the person's
// earlier actions in the group, for its group's safety staff; the read is
// audited.
func (s *Service) ReportDetail(ctx context.Context, id int64) (Report, error) {
	var r Report
	var sealed string
	var subjectUser *int64
	if err := s.db.QueryRow(ctx, `SELECT e.id, e.group_id, g.name, e.subject_kind, e.subject_id, e.reason, e.detail_sealed, e.status,
		e.created_at, e.subject_user_id FROM reports e JOIN support_groups g ON g.id = e.group_id WHERE e.id = $1`, id).
		Scan(&r.ID, &r.GroupID, &r.GroupName, &r.Kind, &r.SubjectID, &r.Reason, &sealed, &r.Status, &r.CreatedAt, &subjectUser); err != nil {
		return Report{}, err
	}
	p, v, err := s.staff(ctx, r.GroupID)
	if err != nil {
		return Report{}, err
	}
	r.CanLead = p.Can(auth.PermModerate, v.Group.OrgID)
	if sealed != "" {
		if r.Detail, err = s.secrets.Open(sealed, aad("report", id)); err != nil {
			return Report{}, err
		}
	}
	if c, err := s.groups.Content(ctx, r.Kind, r.SubjectID); err == nil {
		r.Content = c
	} else if !errors.Is(err, db.ErrNotFound) {
		return Report{}, err
	}
	if subjectUser != nil {
		if r.Previous, err = s.actions(ctx, `a.user_id = $1 AND a.group_id = $2`, *subjectUser, r.GroupID); err != nil {
			return Report{}, err
		}
	}
	return r, s.record(ctx, nil, "safety.report.read", "report:"+strconv.FormatInt(id, 10), fmt.Sprintf("group:%d", r.GroupID))
}

// ActionInput is the moderation form.
type ActionInput struct {
	Kind, Reason string
	Hours, Days  string // how long a mute (hours) or suspension (days) lasts
}

// Decide acts on a report: dismiss it, or take an action on the person whose
// words were reported. Facilitators may hide, warn and mute in their group;
// suspending and banning are for safety leads. The person sees the action and
// its reason on their account and may appeal.
func (s *Service) Decide(ctx context.Context, reportID int64, in ActionInput) error {
	var groupID, subjectID int64
	var kind, status string
	var subjectUser *int64
	if err := s.db.QueryRow(ctx, `SELECT group_id, subject_kind, subject_id, subject_user_id, status FROM reports WHERE id = $1`, reportID).
		Scan(&groupID, &kind, &subjectID, &subjectUser, &status); err != nil {
		return err
	}
	p, v, err := s.staff(ctx, groupID)
	if err != nil {
		return err
	}
	if status != "open" {
		return valid.Field("kind", "safety.report.decided")
	}
	if _, fe := valid.OneOf("kind", in.Kind, Actions); fe != nil {
		return fe
	}
	if (in.Kind == ActSuspend || in.Kind == ActBan) && !p.Can(auth.PermModerate, v.Group.OrgID) {
		return auth.ErrForbidden
	}
	if in.Kind == ActHide && kind == groups.SourceMember {
		return valid.Field("kind", "safety.action.hide_member")
	}
	if in.Kind != ActDismiss && subjectUser == nil {
		return valid.Field("kind", "safety.action.no_person")
	}
	reason, fe := valid.Text("reason", in.Reason, 3, 1000, true)
	if fe != nil {
		return fe
	}
	now := s.now().UTC()
	var until any
	switch in.Kind {
	case ActMute:
		h, err := strconv.Atoi(strings.TrimSpace(in.Hours))
		if err != nil || h < 1 || h > 720 {
			return valid.Field("hours", "form.number", "min", 1, "max", 720)
		}
		until = now.Add(time.Duration(h) * time.Hour)
	case ActSuspend:
		d, err := strconv.Atoi(strings.TrimSpace(in.Days))
		if err != nil || d < 1 || d > 365 {
			return valid.Field("days", "form.number", "min", 1, "max", 365)
		}
		until = now.Add(time.Duration(d) * 24 * time.Hour)
	}
	if in.Kind == ActHide {
		if err := s.groups.SetHeld(ctx, kind, subjectID, true); err != nil {
			return err
		}
	}
	newStatus := "actioned"
	if in.Kind == ActDismiss {
		newStatus = "dismissed"
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE reports SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4`,
			newStatus, now, p.UserID, reportID); err != nil {
			return err
		}
		target := "report:" + strconv.FormatInt(reportID, 10)
		if in.Kind == ActDismiss {
			return s.record(ctx, tx, "safety.report.dismiss", target, fmt.Sprintf("group:%d", groupID))
		}
		// Other open reports about the same words are settled by this decision.
		if _, err := tx.Exec(ctx, `UPDATE reports SET status = $1, decided_at = $2, decided_by = $3
			WHERE subject_kind = $4 AND subject_id = $5 AND status = 'open'`, newStatus, now, p.UserID, kind, subjectID); err != nil {
			return err
		}
		var actionID int64
		if err := tx.QueryRow(ctx, `INSERT INTO moderation_actions (user_id, group_id, kind, reason, subject_kind, subject_id, report_id,
			until_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			*subjectUser, groupID, in.Kind, reason, kind, subjectID, reportID, until, p.UserID, now).Scan(&actionID); err != nil {
			return err
		}
		if s.Messaging != nil {
			if err := s.Messaging.Notices.Notify(ctx, tx, []int64{*subjectUser}, "moderation_"+in.Kind,
				map[string]string{"group": v.Group.Name}, "/account/moderation"); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, "safety.action."+in.Kind, "user:"+strconv.FormatInt(*subjectUser, 10),
			fmt.Sprintf("group:%d %s action:%d", groupID, target, actionID))
	})
}

const actionColumns = `a.id, a.group_id, g.name, a.kind, a.reason, a.subject_kind, a.until_at, a.created_at, a.lifted_at IS NOT NULL,
	a.appeal_status, a.appeal_sealed, COALESCE(m.display_name, '')`

func (s *Service) actions(ctx context.Context, where string, args ...any) ([]Action, error) {
	rows, err := s.db.Query(ctx, `SELECT `+actionColumns+` FROM moderation_actions a JOIN support_groups g ON g.id = a.group_id
		LEFT JOIN group_members m ON m.group_id = a.group_id AND m.user_id = a.user_id WHERE `+where+` ORDER BY a.id DESC LIMIT 100`, args...)
	if err != nil {
		return nil, fmt.Errorf("safety: actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var appeal string
		if err := rows.Scan(&a.ID, &a.GroupID, &a.GroupName, &a.Kind, &a.Reason, &a.SubjectKind, &a.Until, &a.CreatedAt, &a.Lifted,
			&a.AppealStatus, &appeal, &a.Member); err != nil {
			return nil, err
		}
		if appeal != "" {
			if a.Appeal, err = s.secrets.Open(appeal, aad("moderation_appeal", a.ID)); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// activeRestriction returns the action that stops userID writing in groupID
// now: a mute there, or a suspension or ban anywhere; nil if none.
func (s *Service) activeRestriction(ctx context.Context, userID, groupID int64, now time.Time) (*Action, error) {
	var a Action
	err := s.db.QueryRow(ctx, `SELECT id, kind, until_at FROM moderation_actions
		WHERE user_id = $1 AND lifted_at IS NULL AND (until_at IS NULL OR until_at > $2)
		AND ((kind = 'mute' AND group_id = $3) OR kind IN ('suspend', 'ban'))
		ORDER BY CASE kind WHEN 'ban' THEN 0 WHEN 'suspend' THEN 1 ELSE 2 END, until_at DESC LIMIT 1`, userID, now, groupID).
		Scan(&a.ID, &a.Kind, &a.Until)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// MyActions lists the moderation actions taken on the caller, with reasons.
func (s *Service) MyActions(ctx context.Context) ([]Action, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	return s.actions(ctx, `a.user_id = $1`, p.UserID)
}

// Appeal asks the group's staff to look again at an action on the caller.
func (s *Service) Appeal(ctx context.Context, actionID int64, text string) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	var owner *int64
	var groupID int64
	var status string
	var lifted bool
	if err := s.db.QueryRow(ctx, `SELECT user_id, group_id, appeal_status, lifted_at IS NOT NULL FROM moderation_actions WHERE id = $1`, actionID).
		Scan(&owner, &groupID, &status, &lifted); err != nil {
		return err
	}
	if owner == nil || *owner != p.UserID {
		return db.ErrNotFound
	}
	if status != "" || lifted {
		return valid.Field("appeal", "safety.appeal.already")
	}
	text, fe := valid.Text("appeal", text, 10, 2000, true)
	if fe != nil {
		return fe
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE moderation_actions SET appeal_status = 'pending', appeal_at = $1, appeal_sealed = $2 WHERE id = $3`,
			now, s.secrets.Seal(text, aad("moderation_appeal", actionID)), actionID); err != nil {
			return err
		}
		if s.Messaging != nil {
			orgID, name, facilitators, err := s.groups.Staff(ctx, groupID)
			if err != nil {
				return err
			}
			to, err := s.oncall(ctx, tx, orgID, facilitators, p.UserID)
			if err != nil {
				return err
			}
			if err := s.Messaging.Notices.Notify(ctx, tx, to, "appeal_new", map[string]string{"group": name}, "/safety#appeals"); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, "safety.appeal", "action:"+strconv.FormatInt(actionID, 10), fmt.Sprintf("group:%d", groupID))
	})
}

// Appeals lists pending appeals in the caller's groups, with the members'
// words; the read is audited.
func (s *Service) Appeals(ctx context.Context) ([]Action, error) {
	p, err := s.requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	with, where, arg := scope(p)
	where = strings.ReplaceAll(where, "e.group_id", "a.group_id")
	rows, err := s.db.Query(ctx, with+`SELECT a.id FROM moderation_actions a WHERE a.appeal_status = 'pending' AND `+where+` ORDER BY a.appeal_at`, arg)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil, rows.Err()
	}
	return s.actionsIn(ctx, ids)
}

func (s *Service) actionsIn(ctx context.Context, ids []int64) ([]Action, error) {
	var out []Action
	for _, id := range ids {
		a, err := s.actions(ctx, `a.id = $1`, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a...)
	}
	if len(out) > 0 {
		if err := s.record(ctx, nil, "safety.appeal.read", "appeals", fmt.Sprintf("count:%d", len(out))); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DecideAppeal upholds an action or overturns it (lifting it, and showing a
// hidden text again); the member is told either way.
func (s *Service) DecideAppeal(ctx context.Context, actionID int64, decision string) error {
	var groupID int64
	var owner *int64
	var status, kind, subjectKind string
	var subjectID int64
	if err := s.db.QueryRow(ctx, `SELECT group_id, user_id, appeal_status, kind, subject_kind, subject_id FROM moderation_actions WHERE id = $1`, actionID).
		Scan(&groupID, &owner, &status, &kind, &subjectKind, &subjectID); err != nil {
		return err
	}
	p, v, err := s.staff(ctx, groupID)
	if err != nil {
		return err
	}
	if (kind == ActSuspend || kind == ActBan) && !p.Can(auth.PermModerate, v.Group.OrgID) {
		return auth.ErrForbidden
	}
	if status != "pending" {
		return valid.Field("decision", "safety.appeal.not_pending")
	}
	if decision != "uphold" && decision != "overturn" {
		return valid.Field("decision", "form.choose")
	}
	overturn := decision == "overturn"
	if overturn && kind == ActHide {
		if err := s.groups.SetHeld(ctx, subjectKind, subjectID, false); err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	now := s.now().UTC()
	decision = "upheld"
	if overturn {
		decision = "overturned"
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE moderation_actions SET appeal_status = $1, appeal_decided_by = $2, appeal_decided_at = $3,
			lifted_at = CASE WHEN $4 THEN $3 ELSE lifted_at END WHERE id = $5`, decision, p.UserID, now, overturn, actionID); err != nil {
			return err
		}
		if owner != nil && s.Messaging != nil {
			if err := s.Messaging.Notices.Notify(ctx, tx, []int64{*owner}, "appeal_"+decision,
				map[string]string{"group": v.Group.Name}, "/account/moderation"); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, "safety.appeal."+decision, "action:"+strconv.FormatInt(actionID, 10), fmt.Sprintf("group:%d", groupID))
	})
}
