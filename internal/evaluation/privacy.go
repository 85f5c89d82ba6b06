package evaluation

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// PrivacyPart is evaluation's share of a person's data (see package
// privacy): the sponsor reports they wrote. Their figures are aggregates
// and hold nobody's data; research exports are files that are not kept.
type PrivacyPart struct{}

// Name is the section key.
func (PrivacyPart) Name() string { return "evaluation" }

type reportExport struct {
	Title   string    `json:"evaluation_report_title"`
	Org     string    `json:"evaluation_report_organisation"`
	Created time.Time `json:"evaluation_report_created_at"`
}

type evaluationExport struct {
	Reports []reportExport `json:"evaluation_reports_written"`
}

// Export lists the reports the person wrote.
func (PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := evaluationExport{Reports: []reportExport{}}
	rows, err := q.Query(ctx, `SELECT r.title, o.name, r.created_at FROM outcome_reports r JOIN organisations o ON o.id = r.org_id
		WHERE r.created_by = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r reportExport
		if err := rows.Scan(&r.Title, &r.Org, &r.Created); err != nil {
			return nil, err
		}
		out.Reports = append(out.Reports, r)
	}
	return out, rows.Err()
}

// Erase unlinks the person from the reports they wrote: a report is the
// organisation's record and stays.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	_, err := tx.Exec(ctx, `UPDATE outcome_reports SET created_by = NULL WHERE created_by = $1`, userID)
	return err
}
