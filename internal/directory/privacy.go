package directory

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/secret"
)

// SealedColumns describes the directory's sealed columns, for key rotation.
func SealedColumns() []secret.Column {
	return []secret.Column{secret.ByID("directory_reports", "note_sealed", "directory_report")}
}

// PrivacyPart is the directory's share of a person's data (see package
// privacy): the problems they reported with listings while signed in.
type PrivacyPart struct{ S *Service }

// Name is the section key.
func (PrivacyPart) Name() string { return "directory" }

type reportExport struct {
	Service  string    `json:"directory_service"`
	Reason   string    `json:"reason"`
	Note     string    `json:"note,omitempty"`
	Status   string    `json:"status"`
	Reported time.Time `json:"reported_at"`
}

type directoryExport struct {
	Reports []reportExport `json:"directory_reports_i_made"`
}

// Export returns the problem reports the person sent, with their notes.
// Curators' answers and the reports they handled are about listings, not
// about them.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := directoryExport{Reports: []reportExport{}}
	rows, err := q.Query(ctx, `SELECT `+reportColumns+reportFrom+` WHERE r.reporter_id = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		if err := openNote(pp.S.secrets, &r); err != nil {
			return nil, err
		}
		out.Reports = append(out.Reports, reportExport{Service: r.ServiceName, Reason: r.Reason, Note: r.Note, Status: r.Status, Reported: r.CreatedAt})
	}
	return out, rows.Err()
}

// Erase removes the person's notes and their name from the reports they
// sent (the reason stays, so the curators' queue still works), and their
// name from the reports they handled.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`UPDATE directory_reports SET note_sealed = '', reporter_id = NULL WHERE reporter_id = $1`,
		`UPDATE directory_reports SET handled_by = NULL WHERE handled_by = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
