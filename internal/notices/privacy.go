package notices

import (
	"context"
	"encoding/json"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// PrivacyPart is the notices' share of a person's data (see package privacy).
type PrivacyPart struct{}

// Name is the section key.
func (PrivacyPart) Name() string { return "notices" }

type noticeExport struct {
	Kind string            `json:"kind"`
	Args map[string]string `json:"details"`
	Link string            `json:"link"`
	At   time.Time         `json:"sent_at"`
}

// Export returns the notices the person received.
func (PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	rows, err := q.Query(ctx, `SELECT kind, args, link, created_at FROM notices WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []noticeExport{}
	for rows.Next() {
		var n noticeExport
		var raw string
		if err := rows.Scan(&n.Kind, &raw, &n.Link, &n.At); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(raw), &n.Args)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Erase removes the person's notices.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM notices WHERE user_id = $1`, userID)
	return err
}
