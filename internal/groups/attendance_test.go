package groups_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/secret"
)

func TestAttendanceNotesAndFeedback(t *testing.T) {
	f := newFixture(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	f.groups.Zone = jkt
	box, _ := secret.Parse(secret.NewKey("t"))
	f.groups.Secrets = box
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 10))
	start := time.Now().In(jkt).AddDate(0, 0, -14).Truncate(time.Hour)
	past := f.groups.WithClock(func() time.Time { return start.Add(-time.Hour) })
	sid, err := past.CreateSession(coord, id, groups.SessionInput{Date: start.Format("2006-01-02"), Time: start.Format("15:04"),
		Minutes: "60", Repeat: "weekly", Count: "2"})
	if err != nil {
		t.Fatal(err)
	}
	occ := start.Unix()
	a := f.person(t, "anggota-a", "")
	b := f.person(t, "anggota-b", "")
	outsider := f.person(t, "tamu", "")
	f.groups.Join(a, id, groups.JoinInput{DisplayName: "Arif", AcceptRules: true})
	f.groups.Join(b, id, groups.JoinInput{DisplayName: "Bunga", AcceptRules: true})
	aID := memberUserID(t, f, a)

	// Roll call by the coordinator: Arif came, Bunga did not.
	if err := f.groups.MarkRoll(a, id, sid, occ, nil); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member marking the roll: %v", err)
	}
	if err := f.groups.MarkRoll(coord, id, sid, occ, []int64{aID}); err != nil {
		t.Fatal(err)
	}
	sum, err := f.groups.Summary(coord, id, sid, occ)
	if err != nil || sum.Present != 1 || sum.Absent != 1 {
		t.Fatalf("summary: %v %+v", err, sum)
	}
	// Check-in codes work only in the window around the meeting.
	code, err := past.CheckInCode(coord, id, sid, occ)
	if err != nil || len(code) != 6 {
		t.Fatalf("code: %q %v", code, err)
	}
	during := f.groups.WithClock(func() time.Time { return start.Add(10 * time.Minute) })
	if err := during.CheckIn(b, id, sid, occ, "000000x"); !strings.HasSuffix(fieldKey(err), "attendance.wrong_code") {
		t.Fatalf("wrong code: %v", err)
	}
	if err := f.groups.CheckIn(b, id, sid, occ, code); !strings.HasSuffix(fieldKey(err), "attendance.closed") {
		t.Fatalf("check-in two weeks later: %v", err)
	}
	if err := during.CheckIn(b, id, sid, occ, code); err != nil {
		t.Fatal(err)
	}
	if err := during.CheckIn(outsider, id, sid, occ, code); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("outsider checking in: %v", err)
	}
	// Notes are sealed at rest and every read is audited.
	if err := f.groups.AddNote(a, id, sid, occ, "x"); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member writing a note: %v", err)
	}
	if err := f.groups.AddNote(coord, id, sid, occ, "Arif bercerita tentang pekerjaannya."); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := f.db.QueryRow(context.Background(), `SELECT body_sealed FROM session_notes`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw, "Arif") {
		t.Fatal("note stored in the clear")
	}
	notes, err := f.groups.Notes(coord, id, sid, occ)
	if err != nil || len(notes) != 1 || notes[0].Body != "Arif bercerita tentang pekerjaannya." {
		t.Fatalf("notes: %v %+v", err, notes)
	}
	if _, err := f.groups.Notes(a, id, sid, occ); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member reading notes: %v", err)
	}
	reads, _ := f.log.List(context.Background(), audit.Filter{Action: "groups.note.read"})
	if len(reads) != 1 || reads[0].ActorName != "koordinator" {
		t.Fatalf("note reads audited: %+v", reads)
	}
	// Feedback: scores 1-5, comment sealed, summary without names.
	if _, err := f.groups.GiveFeedback(a, id, sid, occ, groups.FeedbackInput{Helpful: "6", Safe: "3"}); fieldKey(err) != "helpful:feedback.choose_score" {
		t.Fatalf("score 6: %v", err)
	}
	if _, err := f.groups.GiveFeedback(a, id, sid, occ, groups.FeedbackInput{Helpful: "4", Safe: "5", Comment: "Terima kasih, Kak."}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.groups.GiveFeedback(b, id, sid, occ, groups.FeedbackInput{Helpful: "2", Safe: "4"}); err != nil {
		t.Fatal(err)
	}
	sum, _ = f.groups.Summary(coord, id, sid, occ)
	if sum.Count != 2 || sum.Helpful != 3 || sum.Safe != 4.5 || len(sum.Comments) != 1 {
		t.Fatalf("feedback summary: %+v", sum)
	}
	future := f.groups.WithClock(func() time.Time { return start.Add(-48 * time.Hour) })
	if _, err := future.GiveFeedback(a, id, sid, occ, groups.FeedbackInput{Helpful: "4", Safe: "4"}); fieldKey(err) != "helpful:feedback.not_yet" {
		t.Fatalf("feedback before the meeting: %v", err)
	}
	hist, err := f.groups.History(coord, id)
	if err != nil || len(hist) != 2 || hist[1].Present != 2 || hist[1].Feedback != 2 {
		t.Fatalf("history: %v %+v", err, hist)
	}
}

func memberUserID(t *testing.T, f *fixture, ctx context.Context) int64 {
	t.Helper()
	return auth.FromContext(ctx).UserID
}
