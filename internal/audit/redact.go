package audit

import (
	"context"
	"fmt"

	"github.com/rangkul/rangkul/internal/db"
)

// Erased is what an erased person's name becomes in the log.
const Erased = "[erased]"

// Redact removes an erased person's name and address from the log: entries
// they made (actor_id) and entries naming them without an account link (a
// failed sign-in typed with their username). Nothing else of an entry
// changes; the database refuses any other update (migration 0017).
func (l *Log) Redact(ctx context.Context, q db.Querier, userID int64, username string) error {
	if q == nil {
		q = l.db
	}
	if _, err := q.Exec(ctx, `UPDATE audit_log SET actor_name = $1, ip = '' WHERE actor_id = $2 OR lower(actor_name) = lower($3)`,
		Erased, userID, username); err != nil {
		return fmt.Errorf("audit: redact: %w", err)
	}
	return nil
}
