package db

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// This file holds the named differences between SQLite and PostgreSQL. Stores
// never branch on the dialect themselves; they call a helper from here.

// migrationLockKey is an arbitrary constant for pg_advisory_lock.
const migrationLockKey = 0x52414e47 // "RANG"

// lockMigrations serialises migration runs across instances. SQLite has a single
// writer connection, so its writes are already serialised.
func (d *DB) lockMigrations(ctx context.Context) (func(), error) {
	if d.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := d.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migration lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		conn.Close()
		return nil, fmt.Errorf("db: migration lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
		conn.Close()
	}, nil
}

// LikePattern escapes s for use inside a LIKE pattern with ESCAPE '\' and wraps
// it in % for a contains-match. Both engines accept the same ESCAPE clause; the
// difference is case: use it with lower() on both sides.
func LikePattern(s string) string {
	out := make([]rune, 0, len(s)+2)
	out = append(out, '%')
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(append(out, '%'))
}

// IDList returns a WITH clause defining a one-column table name(value) holding
// ids, for "IN (SELECT value FROM name)" filters. The ids are integers formatted
// by Go, never user text, so building the clause is safe; both engines accept
// the VALUES form.
func IDList(name string, ids []int64) string {
	if len(ids) == 0 {
		ids = []int64{0}
	}
	var b strings.Builder
	b.WriteString("WITH " + name + "(value) AS (VALUES ")
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + strconv.FormatInt(id, 10) + ")")
	}
	b.WriteString(") ")
	return b.String()
}
