package groups_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
)

func TestAvailabilityPoll(t *testing.T) {
	f := newFixture(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	f.groups.Zone = jkt
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 10))
	a := f.person(t, "anggota-a", "")
	b := f.person(t, "anggota-b", "")
	outsider := f.person(t, "tamu", "")
	f.groups.Join(a, id, groups.JoinInput{DisplayName: "Arif", AcceptRules: true})
	f.groups.Join(b, id, groups.JoinInput{DisplayName: "Bunga", AcceptRules: true})
	day := time.Now().In(jkt).AddDate(0, 0, 5).Format("2006-01-02")
	bad := []struct {
		times []string
		want  string
	}{
		{[]string{day + " 10:00"}, "times:polls.count"},
		{[]string{day + " 10:00", day + " 10:00"}, "times:polls.count"},
		{[]string{day + " 10:00", "besok sore"}, "times:polls.bad_time"},
		{[]string{day + " 10:00", "2020-01-01 10:00"}, "times:sessions.in_past"},
	}
	for _, c := range bad {
		if _, err := f.groups.CreatePoll(coord, id, groups.PollInput{Title: "Tambahan", Minutes: "90", Times: c.times}); fieldKey(err) != c.want {
			t.Errorf("times %v: %v, want %s", c.times, err, c.want)
		}
	}
	if _, err := f.groups.CreatePoll(a, id, groups.PollInput{Title: "Tambahan", Minutes: "90", Times: []string{day + " 10:00", day + " 19:00"}}); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member creating a poll: %v", err)
	}
	pid, err := f.groups.CreatePoll(coord, id, groups.PollInput{Title: "Tambahan", Minutes: "90",
		Times: []string{day + " 19:00", "", day + " 10:00", day + " 16:00"}})
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := f.groups.Poll(a, id, pid)
	if len(pl.Options) != 3 || pl.Options[0].Start.In(jkt).Hour() != 10 {
		t.Fatalf("options: %+v", pl.Options)
	}
	o := pl.Options
	if err := f.groups.Answer(outsider, id, pid, map[int64]string{o[0].ID: "yes"}); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("outsider answering: %v", err)
	}
	if err := f.groups.Answer(a, id, pid, map[int64]string{o[0].ID: "perhaps"}); fieldKey(err) != "answers:form.choose" {
		t.Fatalf("unknown answer: %v", err)
	}
	f.groups.Answer(a, id, pid, map[int64]string{o[0].ID: "no", o[1].ID: "maybe", o[2].ID: "yes"})
	f.groups.Answer(b, id, pid, map[int64]string{o[0].ID: "no", o[1].ID: "yes", o[2].ID: "yes"})
	f.groups.Answer(a, id, pid, map[int64]string{o[1].ID: "no"}) // changing an answer replaces it
	pl, _ = f.groups.Poll(b, id, pid)
	if pl.Answered != 2 || pl.Options[2].Yes != 2 || !pl.Options[2].Best || pl.Options[1].No != 1 || pl.Options[1].Mine != "yes" {
		t.Fatalf("tallies: %+v", pl)
	}
	sid, err := f.groups.Choose(coord, id, pid, o[2].ID)
	if err != nil || sid == 0 {
		t.Fatalf("choose: %v", err)
	}
	up, _ := f.groups.Upcoming(context.Background(), id, 10*24*time.Hour)
	if len(up) != 1 || !up[0].Start.Equal(o[2].Start) || up[0].Session.Title != "Tambahan" {
		t.Fatalf("the chosen time is not a meeting: %+v", up)
	}
	if err := f.groups.Answer(a, id, pid, map[int64]string{o[0].ID: "yes"}); fieldKey(err) != "answers:polls.closed" {
		t.Fatalf("answering a closed poll: %v", err)
	}
}
