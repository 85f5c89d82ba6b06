package hsds

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// Store is the HSDS directory: reading, searching, importing, exporting and
// curating services. It checks data, not people: callers (the public pages,
// curation forms, the CLI) decide who may call the writing methods.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns the directory store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, now: time.Now}
}

// WithClock returns a copy of the store with another clock (demo, tests).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// DB returns the database the store uses.
func (s *Store) DB() *db.DB { return s.db }

func quoteCol(c string) string { return `"` + c + `"` }

func (t *table) columnNames() []string {
	out := make([]string, len(t.columns))
	for i, c := range t.columns {
		out[i] = c.name
	}
	return out
}

func (t *table) selectList(alias string) string {
	parts := make([]string, len(t.columns))
	for i, c := range t.columns {
		parts[i] = alias + "." + quoteCol(c.name)
	}
	return strings.Join(parts, ", ")
}

// values turns a row into the column values to bind: "" for an absent text,
// nil for an absent number.
func (t *table) values(r row) []any {
	out := make([]any, len(t.columns))
	for i, c := range t.columns {
		if c.kind == kNumber {
			if f, ok := r.num(c.name); ok {
				out[i] = f
			} else {
				out[i] = nil
			}
			continue
		}
		out[i] = r.str(c.name)
	}
	return out
}

// bulkParams is how many bound parameters a multi-row write statement
// carries on each engine. SQLite (modernc) finds a numbered parameter by a
// linear search, so a statement costs the square of its parameters: small
// batches are fastest. PostgreSQL caches each statement text and pays a
// round trip per statement: large batches are fastest (its limit is 65535).
func bulkParams(d db.Dialect) int {
	if d == db.Postgres {
		return 4000
	}
	return 200
}

// upsertRows writes rows to t, inserting new ids and updating existing ones
// (every HSDS column; Rangkul's own columns are kept), in multi-row batches.
// extra adds columns beyond the HSDS ones (services' Rangkul columns on
// insert), with values from extraVals per row.
func upsertRows(ctx context.Context, q db.Querier, t *table, rows []row, extra []string, extraVals func(row) []any, maxParams int) error {
	names := t.columnNames()
	all := append(append([]string{}, names...), extra...)
	quoted := make([]string, len(all))
	for i, n := range all {
		quoted[i] = quoteCol(n)
	}
	var set []string
	for _, n := range names[1:] {
		set = append(set, quoteCol(n)+" = excluded."+quoteCol(n))
	}
	head := "INSERT INTO " + t.sql + " (" + strings.Join(quoted, ", ") + ") VALUES "
	tail := " ON CONFLICT (id) DO UPDATE SET " + strings.Join(set, ", ")
	per := maxParams / len(all)
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-start)*len(all))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range all {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(len(args)+j+1))
			}
			b.WriteByte(')')
			args = append(args, t.values(r)...)
			if extraVals != nil {
				args = append(args, extraVals(r)...)
			}
		}
		b.WriteString(tail)
		if _, err := q.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("hsds: write %s: %w", t.name, err)
		}
	}
	return nil
}

// scanRows reads the HSDS columns of t (selected with t.selectList) from rs.
func scanRows(rs *sql.Rows, t *table, each func(row) error) error {
	defer rs.Close()
	n := len(t.columns)
	dest := make([]any, n)
	strs := make([]sql.NullString, n)
	nums := make([]sql.NullFloat64, n)
	for i, c := range t.columns {
		if c.kind == kNumber {
			dest[i] = &nums[i]
		} else {
			dest[i] = &strs[i]
		}
	}
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return fmt.Errorf("hsds: read %s: %w", t.name, err)
		}
		r := make(row, n)
		for i, c := range t.columns {
			if c.kind == kNumber {
				if nums[i].Valid {
					r[c.name] = nums[i].Float64
				}
			} else if strs[i].String != "" {
				r[c.name] = strs[i].String
			}
		}
		if err := each(r); err != nil {
			return err
		}
	}
	return rs.Err()
}

// rowsWhere reads the rows of t matching a condition on alias x.
func rowsWhere(ctx context.Context, q db.Querier, t *table, where string, args ...any) ([]row, error) {
	query := "SELECT " + t.selectList("x") + " FROM " + t.sql + " x"
	if where != "" {
		query += " WHERE " + where
	}
	// Sorted here rather than by ORDER BY, which could lead the planner to
	// walk the whole table in id order instead of using the index on col.
	rs, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("hsds: read %s: %w", t.name, err)
	}
	var out []row
	err = scanRows(rs, t, func(r row) error { out = append(out, r); return nil })
	sort.Slice(out, func(i, j int) bool { return out[i].id() < out[j].id() })
	return out, err
}

// inList returns "col IN ($k, $k+1, ...)" for n values starting at
// placeholder k, and the values as args.
func inList(col string, k int, ids []string) (string, []any) {
	if len(ids) == 0 {
		return "1 = 0", nil
	}
	var b strings.Builder
	b.WriteString(col + " IN (")
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(k+i))
		args[i] = id
	}
	b.WriteByte(')')
	return b.String(), args
}

// chunks splits ids into slices of at most n.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
