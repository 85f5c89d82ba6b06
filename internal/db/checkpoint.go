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

// Optimize refreshes the query planner's statistics on SQLite (PRAGMA
// optimize, analysing tables whose statistics are missing or stale), so that
// it picks indexes by how big tables really are. PostgreSQL keeps its own
// statistics (autovacuum); there it does nothing. Run after migrations and
// from time to time (a periodic job).
func (d *DB) Optimize(ctx context.Context) error {
	if d.dialect != SQLite {
		return nil
	}
	if _, err := d.w.ExecContext(ctx, `PRAGMA optimize=0x10002`); err != nil {
		return fmt.Errorf("db: optimize: %w", err)
	}
	return nil
}
