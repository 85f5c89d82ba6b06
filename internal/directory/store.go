package directory

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/secret"
)

const reportColumns = `r.id, r.service_id, r.service_name, r.reason, r.note_sealed, r.reporter_id IS NOT NULL, r.status, r.answer,
	COALESCE(u.username, ''), r.handled_at, r.created_at`

const reportFrom = ` FROM directory_reports r LEFT JOIN users u ON u.id = r.handled_by`

func scanReport(row interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var handled sql.NullTime
	if err := row.Scan(&r.ID, &r.ServiceID, &r.ServiceName, &r.Reason, &r.Note, &r.Signed, &r.Status, &r.Answer,
		&r.HandledBy, &handled, &r.CreatedAt); err != nil {
		return Report{}, err
	}
	if handled.Valid {
		t := handled.Time.UTC()
		r.HandledAt = &t
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, nil
}

// noteAAD binds a report's sealed note to its row.
func noteAAD(id int64) string { return "directory_report:" + strconv.FormatInt(id, 10) }

// insertReport stores a report, its note sealed by box.
func insertReport(ctx context.Context, q db.Querier, box *secret.Box, r Report, reporter int64) (int64, error) {
	var who any
	if reporter > 0 {
		who = reporter
	}
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO directory_reports (service_id, service_name, reason, reporter_id, status, created_at)
		VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id`, r.ServiceID, r.ServiceName, r.Reason, who, r.CreatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("directory: add report: %w", err)
	}
	if r.Note != "" {
		if _, err := q.Exec(ctx, `UPDATE directory_reports SET note_sealed = $1 WHERE id = $2`, box.Seal(r.Note, noteAAD(id)), id); err != nil {
			return 0, fmt.Errorf("directory: add report: %w", err)
		}
	}
	return id, nil
}

// openNote unseals a report's note in place.
func openNote(box *secret.Box, r *Report) error {
	if r.Note == "" {
		return nil
	}
	note, err := box.Open(r.Note, noteAAD(r.ID))
	if err != nil {
		return fmt.Errorf("directory: report %d: %w", r.ID, err)
	}
	r.Note = note
	return nil
}

func reportByID(ctx context.Context, q db.Querier, id int64) (Report, error) {
	r, err := scanReport(q.QueryRow(ctx, `SELECT `+reportColumns+reportFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return Report{}, fmt.Errorf("directory: report %d: %w", id, err)
	}
	return r, nil
}

// listReports returns a page of reports in a state (open ones oldest
// first, handled ones newest first) and how many there are.
func listReports(ctx context.Context, q db.Querier, status string, page, perPage int) ([]Report, int, error) {
	var total int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM directory_reports WHERE ($1 = 'open' AND status = 'open') OR ($1 <> 'open' AND status <> 'open')`,
		status).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: count reports: %w", err)
	}
	order := ` ORDER BY r.created_at, r.id`
	where := ` WHERE r.status = 'open'`
	if status != ReportOpen {
		order = ` ORDER BY r.handled_at DESC, r.id DESC`
		where = ` WHERE r.status <> 'open'`
	}
	rows, err := q.Query(ctx, `SELECT `+reportColumns+reportFrom+where+order+` LIMIT $1 OFFSET $2`, perPage, (page-1)*perPage)
	if err != nil {
		return nil, 0, fmt.Errorf("directory: reports: %w", err)
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("directory: reports: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// openReportsFor counts a service's open reports.
func openReportsFor(ctx context.Context, q db.Querier, serviceID string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM directory_reports WHERE service_id = $1 AND status = 'open'`, serviceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("directory: open reports: %w", err)
	}
	return n, nil
}

// openReportCounts counts open reports per service.
func openReportCounts(ctx context.Context, q db.Querier) (map[string]int, error) {
	rows, err := q.Query(ctx, `SELECT service_id, count(*) FROM directory_reports WHERE status = 'open' GROUP BY service_id`)
	if err != nil {
		return nil, fmt.Errorf("directory: open reports: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
