package safety

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// PrivacyPart is the safety feature's share of a person's data (see package
// privacy).
type PrivacyPart struct{ S *Service }

// Name is the section key.
func (PrivacyPart) Name() string { return "safety" }

type escalationExport struct {
	Group   string    `json:"group"`
	Source  string    `json:"written_in"`
	Level   string    `json:"level"`
	Status  string    `json:"status"`
	Text    string    `json:"text"`
	Created time.Time `json:"opened_at"`
}

type reportExport struct {
	Group   string    `json:"group"`
	Kind    string    `json:"reported"`
	Reason  string    `json:"reason"`
	Detail  string    `json:"detail,omitempty"`
	Status  string    `json:"status"`
	Created time.Time `json:"reported_at"`
}

type actionExport struct {
	Group   string     `json:"group"`
	Kind    string     `json:"action"`
	Reason  string     `json:"reason"`
	Until   *time.Time `json:"until,omitempty"`
	Lifted  bool       `json:"lifted"`
	Appeal  string     `json:"appeal,omitempty"`
	Outcome string     `json:"appeal_outcome,omitempty"`
	Created time.Time  `json:"taken_at"`
}

type safetyExport struct {
	Escalations []escalationExport `json:"alerts_about_me"`
	Reports     []reportExport     `json:"reports_i_made"`
	Actions     []actionExport     `json:"moderation_actions_on_me"`
}

// Export returns alerts raised by what the person wrote (with their own
// words), reports they made, and moderation actions on them. Facilitators'
// notes about an alert, and who reported them, are other people's records
// and are not included.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := safetyExport{Escalations: []escalationExport{}, Reports: []reportExport{}, Actions: []actionExport{}}
	rows, err := q.Query(ctx, `SELECT e.id, g.name, e.source, e.level, e.status, e.excerpt_sealed, e.created_at FROM escalations e
		JOIN support_groups g ON g.id = e.group_id WHERE e.user_id = $1 ORDER BY e.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var e escalationExport
		var id int64
		var sealed string
		if err := rows.Scan(&id, &e.Group, &e.Source, &e.Level, &e.Status, &sealed, &e.Created); err != nil {
			rows.Close()
			return nil, err
		}
		if sealed != "" {
			if e.Text, err = pp.S.secrets.Open(sealed, aad("escalation", id)); err != nil {
				rows.Close()
				return nil, err
			}
		}
		out.Escalations = append(out.Escalations, e)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT r.id, g.name, r.subject_kind, r.reason, r.detail_sealed, r.status, r.created_at FROM reports r
		JOIN support_groups g ON g.id = r.group_id WHERE r.reporter_id = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r reportExport
		var id int64
		var sealed string
		if err := rows.Scan(&id, &r.Group, &r.Kind, &r.Reason, &sealed, &r.Status, &r.Created); err != nil {
			rows.Close()
			return nil, err
		}
		if sealed != "" {
			if r.Detail, err = pp.S.secrets.Open(sealed, aad("report", id)); err != nil {
				rows.Close()
				return nil, err
			}
		}
		out.Reports = append(out.Reports, r)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT a.id, g.name, a.kind, a.reason, a.until_at, a.lifted_at IS NOT NULL, a.appeal_sealed, a.appeal_status, a.created_at
		FROM moderation_actions a JOIN support_groups g ON g.id = a.group_id WHERE a.user_id = $1 ORDER BY a.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a actionExport
		var id int64
		var sealed string
		if err := rows.Scan(&id, &a.Group, &a.Kind, &a.Reason, &a.Until, &a.Lifted, &sealed, &a.Outcome, &a.Created); err != nil {
			return nil, err
		}
		if sealed != "" {
			if a.Appeal, err = pp.S.secrets.Open(sealed, aad("moderation_appeal", id)); err != nil {
				return nil, err
			}
		}
		out.Actions = append(out.Actions, a)
	}
	return out, rows.Err()
}

// Erase removes the person's words from alerts, reports and appeals and the
// link to them; the records stay, without identity, so the staff's history
// of what was done still holds.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`UPDATE escalations SET excerpt_sealed = '', user_id = NULL WHERE user_id = $1`,
		`UPDATE reports SET detail_sealed = '', reporter_id = NULL WHERE reporter_id = $1`,
		`UPDATE reports SET subject_user_id = NULL WHERE subject_user_id = $1`,
		`UPDATE moderation_actions SET appeal_sealed = '', user_id = NULL WHERE user_id = $1`,
		`UPDATE escalation_notes SET author_id = NULL WHERE author_id = $1`,
		`UPDATE conflict_notes SET author_id = NULL WHERE author_id = $1`,
		`UPDATE conflict_cases SET opened_by = NULL WHERE opened_by = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
