package db_test

import (
	"context"
	"testing"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/textkit"
)

// Both engines must find the same rows for the same query.
func TestSearchFindsTheSameRowsOnBothEngines(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	// A throwaway searchable table, made the way a feature's migration does
	// on each engine.
	ddl := []string{`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, search_terms TEXT NOT NULL DEFAULT '')`,
		`CREATE VIRTUAL TABLE notes_fts USING fts5(search_terms, content='notes', content_rowid='id')`,
		`CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN INSERT INTO notes_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END`}
	if d.Dialect() == db.Postgres {
		ddl = []string{`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, search_terms TEXT NOT NULL DEFAULT '',
			search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED)`,
			`CREATE INDEX notes_search ON notes USING GIN (search_vector)`}
	}
	for _, s := range ddl {
		if _, err := d.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	bodies := []string{"Kelompok dukungan kecemasan", "Gangguan bipolar: saling dukung", "Carers' evening circle",
		"Pendampingan keluarga", "Psikosis dan pemulihan"}
	for i, b := range bodies {
		if _, err := d.Exec(ctx, `INSERT INTO notes (id, body, search_terms) VALUES ($1, $2, $3)`, i+1, b, textkit.SearchTerms(b)); err != nil {
			t.Fatal(err)
		}
	}
	cases := map[string][]int{
		"cemas": {1}, "bipolar": {2}, "carers": {3}, "dukung": {1, 2}, "pendamping keluarga": {4},
		"pulih": {5}, "psik": {5}, "kelompok bipolar": {}, "zzz": {},
	}
	for q, want := range cases {
		rows, err := d.Query(ctx, `SELECT n.id FROM notes n WHERE `+d.SearchMatch("notes", "n", "$1")+` ORDER BY n.id`,
			d.SearchQuery(textkit.Query(q)))
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var got []int
		for rows.Next() {
			var id int
			rows.Scan(&id)
			got = append(got, id)
		}
		rows.Close()
		if len(got) != len(want) {
			t.Errorf("search %q found %v, want %v", q, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("search %q found %v, want %v", q, got, want)
			}
		}
	}
}
