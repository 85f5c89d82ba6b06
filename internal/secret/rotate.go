package secret

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rangkul/rangkul/internal/db"
)

// Active returns the id of the key that seals.
func (b *Box) Active() string { return b.active }

// KeyOf returns the id of the key a sealed value was sealed with, "" if it is
// not a sealed value.
func KeyOf(sealed string) string {
	id, _, ok := strings.Cut(sealed, ":")
	if !ok {
		return ""
	}
	return id
}

// Column describes one sealed column, so that key rotation can find its
// values and rebuild the additional data each is bound to.
type Column struct {
	Table  string
	Sealed string
	// Key names the columns that identify a row (its primary key, or the
	// columns the additional data is built from); NewKey returns fresh scan
	// destinations for them, and AAD builds the additional data from them.
	Key    []string
	NewKey func() []any
	AAD    func(key []any) string
}

// ByID describes a sealed column of a table with an id, bound as
// "prefix:id" (the convention of the safety feature).
func ByID(table, sealed, prefix string) Column {
	return Column{Table: table, Sealed: sealed, Key: []string{"id"},
		NewKey: func() []any { return []any{new(int64)} },
		AAD:    func(k []any) string { return fmt.Sprintf("%s:%d", prefix, *k[0].(*int64)) }}
}

// Name is "table.column".
func (c Column) Name() string { return c.Table + "." + c.Sealed }

// RotateStats counts what rotation did to one column.
type RotateStats struct {
	Resealed   int // sealed again with the active key
	Current    int // already sealed with the active key
	Unreadable int // could not be opened with any key of the ring: left as they are
}

// Rotate seals every value of cols again with the active key, batch rows per
// transaction. Each update only applies if the value has not changed since it
// was read, so a value written meanwhile is never overwritten. A value that no
// key of the ring opens is counted and left untouched. A second run re-seals
// nothing. progress, if set, is told after each batch.
func Rotate(ctx context.Context, d *db.DB, b *Box, cols []Column, batch int, progress func(c Column, s RotateStats)) (map[string]RotateStats, error) {
	if batch <= 0 {
		batch = 500
	}
	out := map[string]RotateStats{}
	prefix := b.active + ":"
	for _, c := range cols {
		var st RotateStats
		keys := strings.Join(c.Key, ", ")
		if err := d.QueryRow(ctx, `SELECT count(*) FROM `+c.Table+` WHERE `+c.Sealed+` LIKE $1`, prefix+"%").Scan(&st.Current); err != nil {
			return out, fmt.Errorf("secret: rotate %s: %w", c.Name(), err)
		}
		for {
			type row struct {
				key    []any
				sealed string
			}
			var rows []row
			rs, err := d.Query(ctx, `SELECT `+keys+`, `+c.Sealed+` FROM `+c.Table+` WHERE `+c.Sealed+` <> '' AND `+c.Sealed+` NOT LIKE $1
				ORDER BY `+keys+` LIMIT $2 OFFSET $3`, prefix+"%", batch, st.Unreadable)
			if err != nil {
				return out, fmt.Errorf("secret: rotate %s: %w", c.Name(), err)
			}
			for rs.Next() {
				r := row{key: c.NewKey()}
				if err := rs.Scan(append(r.key, &r.sealed)...); err != nil {
					rs.Close()
					return out, fmt.Errorf("secret: rotate %s: %w", c.Name(), err)
				}
				rows = append(rows, r)
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return out, err
			}
			if len(rows) == 0 {
				break
			}
			err = d.InTx(ctx, func(tx *db.Tx) error {
				for _, r := range rows {
					if err := rotateRow(ctx, tx, b, c, r.key, r.sealed, prefix, &st); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return out, fmt.Errorf("secret: rotate %s: %w", c.Name(), err)
			}
			if progress != nil {
				progress(c, st)
			}
			if len(rows) < batch {
				break
			}
		}
		out[c.Name()] = st
	}
	return out, nil
}

// rotateRow seals one value again. When the value changed since it was read
// (another instance wrote it meanwhile), the update does not apply; the row
// is read again and the value it now holds is rotated, so that it is neither
// overwritten with stale text nor left behind under the old key.
func rotateRow(ctx context.Context, tx *db.Tx, b *Box, c Column, key []any, sealed, prefix string, st *RotateStats) error {
	aad := c.AAD(key)
	where := make([]string, len(c.Key))
	for i, k := range c.Key {
		where[i] = fmt.Sprintf("%s = $%d", k, i+1)
	}
	for range 5 {
		if sealed == "" || strings.HasPrefix(sealed, prefix) {
			return nil
		}
		plain, err := b.Open(sealed, aad)
		if err != nil {
			st.Unreadable++
			return nil
		}
		args := append([]any{b.Seal(plain, aad), sealed}, key...)
		shifted := make([]string, len(c.Key))
		for i, k := range c.Key {
			shifted[i] = fmt.Sprintf("%s = $%d", k, i+3)
		}
		res, err := tx.Exec(ctx, `UPDATE `+c.Table+` SET `+c.Sealed+` = $1 WHERE `+c.Sealed+` = $2 AND `+strings.Join(shifted, " AND "), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			st.Resealed++
			return nil
		}
		err = tx.QueryRow(ctx, `SELECT `+c.Sealed+` FROM `+c.Table+` WHERE `+strings.Join(where, " AND "), key...).Scan(&sealed)
		if errors.Is(err, db.ErrNotFound) {
			return nil // deleted meanwhile
		}
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("secret: rotate %s: a value kept changing while it was sealed again", c.Name())
}

// Count tells, for one column, how many values are sealed under each key id.
func Count(ctx context.Context, d *db.DB, c Column) (map[string]int, error) {
	rs, err := d.Query(ctx, `SELECT `+c.Sealed+` FROM `+c.Table+` WHERE `+c.Sealed+` <> ''`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[string]int{}
	for rs.Next() {
		var v string
		if err := rs.Scan(&v); err != nil {
			return nil, err
		}
		out[KeyOf(v)]++
	}
	return out, rs.Err()
}
