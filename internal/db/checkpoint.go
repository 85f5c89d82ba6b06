package db

import (
	"context"
	"fmt"
)

// Checkpoint copies SQLite's write-ahead log into the database file and
// empties the log, so that content just overwritten (an erased account) is
// gone from the files on disk too. On PostgreSQL it does nothing.
func (d *DB) Checkpoint(ctx context.Context) error {
	if d.dialect != SQLite {
		return nil
	}
	if _, err := d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("db: checkpoint: %w", err)
	}
	return nil
}
