package help

import (
	"context"
	"fmt"

	"github.com/rangkul/rangkul/internal/db"
)

const lineColumns = `id, region, name, contact, url, hours, note_en, note_id, sort_order, last_verified, updated_at`

func scanLine(row interface{ Scan(...any) error }) (Line, error) {
	var l Line
	err := row.Scan(&l.ID, &l.Region, &l.Name, &l.Contact, &l.URL, &l.Hours, &l.NoteEN, &l.NoteID, &l.SortOrder, &l.LastVerified, &l.UpdatedAt)
	return l, err
}

func listLines(ctx context.Context, q db.Querier, region string) ([]Line, error) {
	rows, err := q.Query(ctx, `SELECT `+lineColumns+` FROM crisis_lines WHERE ($1 = '' OR region = $1) ORDER BY region, sort_order, id`, region)
	if err != nil {
		return nil, fmt.Errorf("help: list lines: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return nil, fmt.Errorf("help: list lines: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func lineByID(ctx context.Context, q db.Querier, id int64) (Line, error) {
	l, err := scanLine(q.QueryRow(ctx, `SELECT `+lineColumns+` FROM crisis_lines WHERE id = $1`, id))
	if err != nil {
		return Line{}, fmt.Errorf("help: line %d: %w", id, err)
	}
	return l, nil
}

func insertLine(ctx context.Context, q db.Querier, l Line) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO crisis_lines (region, name, contact, url, hours, note_en, note_id, sort_order, last_verified, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		l.Region, l.Name, l.Contact, l.URL, l.Hours, l.NoteEN, l.NoteID, l.SortOrder, l.LastVerified, l.UpdatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("help: insert line: %w", err)
	}
	return id, nil
}

func updateLine(ctx context.Context, q db.Querier, l Line) error {
	res, err := q.Exec(ctx, `UPDATE crisis_lines SET region = $1, name = $2, contact = $3, url = $4, hours = $5,
		note_en = $6, note_id = $7, sort_order = $8, last_verified = $9, updated_at = $10 WHERE id = $11`,
		l.Region, l.Name, l.Contact, l.URL, l.Hours, l.NoteEN, l.NoteID, l.SortOrder, l.LastVerified, l.UpdatedAt, l.ID)
	if err != nil {
		return fmt.Errorf("help: update line: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

func deleteLine(ctx context.Context, q db.Querier, id int64) error {
	res, err := q.Exec(ctx, `DELETE FROM crisis_lines WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("help: delete line: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}
