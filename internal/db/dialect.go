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

// SearchMatch returns the condition that a row of table (aliased alias) matches
// the full-text query bound to placeholder param (e.g. "$3"), whose value comes
// from SearchQuery. The table has a search_terms column built by
// textkit.SearchTerms. On SQLite it is indexed by an FTS5 table named
// <table>_fts kept in step by triggers; on PostgreSQL the table has a stored
// generated column search_vector = to_tsvector('simple', search_terms) with a
// GIN index. Both see the same terms, so both engines find the same rows.
func (d *DB) SearchMatch(table, alias, param string) string {
	if d.dialect == Postgres {
		return alias + ".search_vector @@ to_tsquery('simple', " + param + ")"
	}
	return alias + ".id IN (SELECT rowid FROM " + table + "_fts WHERE " + table + "_fts MATCH " + param + ")"
}

// SearchQuery writes textkit.Query groups as the engine's query language: every
// group must match, any term of a group may, and the last group also matches
// as a prefix, so a half-typed last word still finds. Terms hold only letters
// and digits (textkit.Words), so quoting cannot be broken out of.
func (d *DB) SearchQuery(groups [][]string) string {
	var and []string
	for i, g := range groups {
		var or []string
		for _, term := range g {
			last := i == len(groups)-1
			if d.dialect == Postgres {
				t := term
				if last {
					t += ":*"
				}
				or = append(or, t)
			} else {
				t := `"` + strings.ReplaceAll(term, `"`, "") + `"`
				if last {
					t += "*"
				}
				or = append(or, t)
			}
		}
		sep := " OR "
		if d.dialect == Postgres {
			sep = " | "
		}
		and = append(and, "("+strings.Join(or, sep)+")")
	}
	if d.dialect == Postgres {
		return strings.Join(and, " & ")
	}
	return strings.Join(and, " AND ")
}

// ForUpdate is appended to a SELECT inside a transaction to lock the rows it
// reads until the transaction ends: FOR UPDATE on PostgreSQL; nothing on
// SQLite, whose single writer already runs one transaction at a time.
func (d *DB) ForUpdate() string {
	if d.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// SkipLocked is appended to the SELECT that picks rows for a worker to claim:
// FOR UPDATE SKIP LOCKED on PostgreSQL, so workers on several instances take
// different rows; nothing on SQLite, whose single writer claims one batch at a time.
func (d *DB) SkipLocked() string {
	if d.dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
