package groups_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
)

// holdWord flags one word as crisis and records what it was asked to
// escalate; the group's default setting then holds the post.
type holdWord struct{ escalated *[]groups.Written }

func (holdWord) Screen(_ context.Context, text string) (groups.Screening, error) {
	if strings.Contains(text, "udahan") {
		return groups.Screening{Level: "crisis"}, nil
	}
	return groups.Screening{Level: "none"}, nil
}

func (h holdWord) Escalate(_ context.Context, w groups.Written, _ groups.Screening) (int64, error) {
	if h.escalated != nil {
		*h.escalated = append(*h.escalated, w)
	}
	return 7, nil
}

func (holdWord) Allowed(context.Context, int64, string) error { return nil }

func TestBoard(t *testing.T) {
	f := newFixture(t)
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", false, 10))
	a := f.person(t, "anggota-a", "")
	b := f.person(t, "anggota-b", "")
	outsider := f.person(t, "tamu", "")
	for _, c := range []context.Context{a, b} {
		f.groups.Join(c, id, groups.JoinInput{DisplayName: "Nama " + auth.FromContext(c).Username[8:], AcceptRules: true})
	}
	reqs, _ := f.groups.Requests(coord, id)
	for _, r := range reqs {
		f.groups.Decide(coord, id, r.ID, true, "")
	}
	if _, err := f.groups.Board(outsider, id, 0); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("outsider reading a closed group's board: %v", err)
	}
	if _, err := f.groups.Write(outsider, id, 0, "halo"); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("outsider writing: %v", err)
	}
	if _, err := f.groups.Write(a, id, 0, "  "); fieldKey(err) != "body:form.required" {
		t.Fatalf("empty post: %v", err)
	}
	if _, err := f.groups.Write(a, id, 0, "Halo **semua** <script>alert(1)</script>"); err != nil {
		t.Fatal(err)
	}
	posts, _ := f.groups.Board(b, id, 0)
	if len(posts) != 1 || !strings.Contains(string(posts[0].HTML), "<strong>semua</strong>") || strings.Contains(string(posts[0].HTML), "<script") {
		t.Fatalf("post as seen by b: %+v", posts)
	}
	if posts[0].Author != "Nama a" {
		t.Fatalf("author shown as %q, want the pseudonym", posts[0].Author)
	}
	pid := posts[0].ID
	if _, err := f.groups.Write(b, id, pid, "Semangat!"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.groups.Write(b, id, 99999, "ke mana?"); err == nil {
		t.Fatal("reply to a missing post accepted")
	}
	if _, err := f.groups.Edit(b, id, pid, "bukan punyaku"); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("editing another's post: %v", err)
	}
	if err := f.groups.React(b, id, pid, "hug"); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.React(b, id, pid, "like"); fieldKey(err) != "kind:form.choose" {
		t.Fatalf("unknown reaction: %v", err)
	}
	mine, _ := f.groups.Board(a, id, 0)
	theirs, _ := f.groups.Board(b, id, 0)
	if len(mine[0].Received) != 1 || len(theirs[0].Received) != 0 || !theirs[0].MyReacts["hug"] || len(mine[0].Replies) != 1 {
		t.Fatalf("reactions: author sees %v, reactor sees %v", mine[0].Received, theirs[0].Received)
	}
	// A held post is shown to its author only.
	var escalated []groups.Written
	f.groups.Screener = holdWord{&escalated}
	sc, err := f.groups.Write(b, id, 0, "aku pengin udahan aja")
	if err != nil || !sc.Hold || sc.EscalationID != 7 || !sc.Flagged() {
		t.Fatalf("screened post: %+v %v", sc, err)
	}
	if len(escalated) != 1 || escalated[0].Source != groups.SourcePost || escalated[0].SourceID == 0 || escalated[0].GroupID != id {
		t.Fatalf("escalated: %+v", escalated)
	}
	forA, _ := f.groups.Board(a, id, 0)
	forB, _ := f.groups.Board(b, id, 0)
	if len(forA) != 1 || len(forB) != 2 || !forB[0].Held {
		t.Fatalf("held post visible to others: a sees %d threads, b sees %d", len(forA), len(forB))
	}
	if err := f.groups.Delete(a, id, pid); err != nil {
		t.Fatal(err)
	}
	after, _ := f.groups.Board(b, id, 0)
	if !after[1].Deleted || after[1].Body != "" || len(after[1].Replies) != 1 {
		t.Fatalf("deleted post: %+v", after[1])
	}
}
