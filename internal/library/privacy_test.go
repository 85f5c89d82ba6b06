package library_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/library"
)

// A person's export lists what they wrote or edited and their reviews;
// erasure deletes their unpublished drafts that nobody else worked on and
// takes their name and link off the rest, which stay the organisation's.
func TestPrivacyExportAndErase(t *testing.T) {
	f := newFixture(t)
	laras, larasID := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, bimaID := f.person(t, "bima", auth.RoleCoordinator, f.org)
	published, err := f.lib.Create(laras, f.org, article("Tulisan terbit"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Submit(laras, published); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Return(bima, published, "Tambahkan satu contoh."); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Submit(laras, published); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Approve(bima, published, "Kak Bima"); err != nil {
		t.Fatal(err)
	}
	alone, _ := f.lib.Create(laras, f.org, article("Draf milik Laras"))
	shared, _ := f.lib.Create(bima, f.org, article("Draf bersama"))
	in := article("Draf bersama, disunting")
	in.AuthorName = "Kak Bima"
	if err := f.lib.Update(laras, shared, in); err != nil {
		t.Fatal(err)
	}

	part := library.PrivacyPart{}
	out, err := part.Export(context.Background(), f.db, larasID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(out)
	js := string(raw)
	for _, want := range []string{`"library_title":"Tulisan terbit"`, `"library_title":"Draf milik Laras"`, `"library_title":"Draf bersama, disunting"`,
		`"library_shown_as":"Kak Laras"`, `"library_reviews_given":[]`} {
		if !strings.Contains(js, want) {
			t.Errorf("laras's export lacks %s: %s", want, js)
		}
	}
	if strings.Count(js, "Kak Bima") != 0 {
		t.Errorf("laras's export names someone else: %s", js)
	}
	out, _ = part.Export(context.Background(), f.db, bimaID)
	raw, _ = json.Marshal(out)
	for _, want := range []string{`"library_decision":"returned"`, `"note":"Tambahkan satu contoh."`, `"library_decision":"approved"`, `"library_shown_as":"Kak Bima"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("bima's export lacks %s: %s", want, raw)
		}
	}

	erase := func(id int64) {
		t.Helper()
		if err := f.db.InTx(context.Background(), func(tx *db.Tx) error { return part.Erase(context.Background(), tx, id) }); err != nil {
			t.Fatal(err)
		}
	}
	erase(larasID)
	if _, err := f.lib.Resource(auth.System(context.Background()), alone); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the erased person's own unpublished draft stays: %v", err)
	}
	if v, err := f.lib.Resource(auth.System(context.Background()), shared); err != nil || v.Title != "Draf bersama, disunting" {
		t.Fatalf("a draft someone else worked on was deleted: %v", err)
	}
	if err := f.lib.Submit(bima, shared); err != nil {
		t.Fatal(err)
	}
	erase(bimaID)
	// laras's part left with laras; bima is now its only writer, and it was
	// never published: it is bima's unfinished work and goes with bima.
	if _, err := f.lib.Resource(auth.System(context.Background()), shared); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an unpublished resource whose writers are all erased stays: %v", err)
	}
	v, err := f.lib.Resource(context.Background(), published)
	if err != nil || v.State != library.StatePublished || v.AuthorName != "" || v.ReviewerName != "" || v.ReviewedAt == nil {
		t.Fatalf("the published resource after erasure: %+v %v", v.Resource, err)
	}
	var left int
	if err := f.db.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM library_contributors WHERE user_id IN ($1, $2))
		+ (SELECT count(*) FROM library_reviews WHERE reviewer_id IN ($1, $2))
		+ (SELECT count(*) FROM library_resources WHERE author_id IN ($1, $2) OR reviewer_id IN ($1, $2))`, larasID, bimaID).Scan(&left); err != nil || left != 0 {
		t.Fatalf("links to erased people remain: %d %v", left, err)
	}
}
