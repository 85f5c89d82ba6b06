package groups_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
)

func nextWeekday(loc *time.Location, d time.Weekday) time.Time {
	t := time.Now().In(loc).AddDate(0, 0, 1)
	for t.Weekday() != d {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func TestSessionsRejectBadInput(t *testing.T) {
	f := newFixture(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	f.groups.Zone = jkt
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 10))
	tue := nextWeekday(jkt, time.Tuesday).Format("2006-01-02")
	ok := groups.SessionInput{Date: tue, Time: "19:00", Minutes: "90", Repeat: "weekly", Capacity: "8"}
	cases := []struct {
		change func(*groups.SessionInput)
		want   string
	}{
		{func(in *groups.SessionInput) { in.Date = "2020-01-07" }, "date:sessions.in_past"},
		{func(in *groups.SessionInput) { in.Date = "tomorrow" }, "date:form.date"},
		{func(in *groups.SessionInput) { in.Time = "25:00" }, "time:form.time"},
		{func(in *groups.SessionInput) { in.Minutes = "5" }, "minutes:form.number"},
		{func(in *groups.SessionInput) { in.Capacity = "0" }, "capacity:form.number"},
		{func(in *groups.SessionInput) { in.Repeat = "yearly" }, "repeat:form.choose"},
		{func(in *groups.SessionInput) { in.Repeat = "custom"; in.RRule = "FREQ=SECONDLY" }, "rrule:sessions.bad_rule"},
		{func(in *groups.SessionInput) { in.Repeat = "custom"; in.RRule = "FREQ=MONTHLY;BYMONTHDAY=31" }, "rrule:sessions.bad_rule"},
		{func(in *groups.SessionInput) { in.Count = "3"; in.Until = tue }, "repeat:sessions.bad_rule"},
		{func(in *groups.SessionInput) { in.Until = "2020-01-01" }, "until:sessions.until_before_start"},
		{func(in *groups.SessionInput) { in.Count = "0" }, "count:form.number"},
	}
	for i, c := range cases {
		in := ok
		c.change(&in)
		if _, err := f.groups.CreateSession(coord, id, in); fieldKey(err) != c.want {
			t.Errorf("case %d: %v, want %s", i, err, c.want)
		}
	}
	member := f.person(t, "anggota", auth.RoleMember)
	if _, err := f.groups.CreateSession(member, id, ok); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member planning a session: %v", err)
	}
	sid, err := f.groups.CreateSession(coord, id, ok)
	if err != nil || sid == 0 {
		t.Fatal(err)
	}
	up, err := f.groups.Upcoming(context.Background(), id, 22*24*time.Hour)
	if err != nil || len(up) < 3 {
		t.Fatalf("upcoming: %v %d", err, len(up))
	}
	for _, o := range up {
		local := o.Start.In(jkt)
		if local.Weekday() != time.Tuesday || local.Hour() != 19 || local.Minute() != 0 {
			t.Fatalf("meeting at %v, want Tuesdays 19:00 WIB", local)
		}
	}
	// The directory's weekday filter finds the group on Tuesdays only.
	if _, n, _ := f.groups.Directory(context.Background(), groups.Filter{Day: "2"}); n != 1 {
		t.Fatalf("Tuesday filter: %d groups", n)
	}
	if _, n, _ := f.groups.Directory(context.Background(), groups.Filter{Day: "3"}); n != 0 {
		t.Fatalf("Wednesday filter: %d groups", n)
	}
}

func TestCancelMoveAndRSVP(t *testing.T) {
	f := newFixture(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	f.groups.Zone = jkt
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 10))
	sid, err := f.groups.CreateSession(coord, id, groups.SessionInput{Date: nextWeekday(jkt, time.Thursday).Format("2006-01-02"),
		Time: "16:00", Minutes: "60", Repeat: "weekly", Count: "4", Capacity: "1"})
	if err != nil {
		t.Fatal(err)
	}
	up, _ := f.groups.Upcoming(context.Background(), id, 60*24*time.Hour)
	if len(up) != 4 {
		t.Fatalf("COUNT=4 gave %d meetings", len(up))
	}
	first, second := up[0].Original.Unix(), up[1].Original.Unix()
	a := f.person(t, "anggota-a", "")
	b := f.person(t, "anggota-b", "")
	outsider := f.person(t, "tamu", "")
	f.groups.Join(a, id, groups.JoinInput{DisplayName: "Arif", AcceptRules: true})
	f.groups.Join(b, id, groups.JoinInput{DisplayName: "Bunga", AcceptRules: true})
	if err := f.groups.RSVP(outsider, id, sid, first); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("non-member RSVP: %v", err)
	}
	if err := f.groups.RSVP(a, id, sid, first); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.RSVP(a, id, sid, first); fieldKey(err) != "rsvp:sessions.already_coming" {
		t.Fatalf("RSVP twice: %v", err)
	}
	if err := f.groups.RSVP(b, id, sid, first); fieldKey(err) != "rsvp:sessions.full" {
		t.Fatalf("RSVP beyond capacity: %v", err)
	}
	if err := f.groups.RSVP(a, id, sid, first+3600); err == nil {
		t.Fatal("RSVP to a time the rule does not give")
	}
	if err := f.groups.CancelRSVP(a, id, sid, first); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.RSVP(b, id, sid, first); err != nil {
		t.Fatalf("place freed by a cancelled RSVP: %v", err)
	}
	// Cancel the second meeting, move the first.
	if err := f.groups.ChangeOccurrence(a, id, sid, second, "", "", "Ruangan dipakai"); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("member cancelling: %v", err)
	}
	if err := f.groups.ChangeOccurrence(coord, id, sid, second, "", "", ""); fieldKey(err) != "reason:form.required" {
		t.Fatalf("cancel without reason: %v", err)
	}
	if err := f.groups.ChangeOccurrence(coord, id, sid, second, "", "", "Ruangan dipakai"); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.RSVP(a, id, sid, second); fieldKey(err) != "rsvp:sessions.cancelled" {
		t.Fatalf("RSVP to a cancelled meeting: %v", err)
	}
	if err := f.groups.ChangeOccurrence(coord, id, sid, first, "2020-01-01", "10:00", "Geser"); fieldKey(err) != "new_date:sessions.in_past" {
		t.Fatalf("move into the past: %v", err)
	}
	newDay := time.Unix(first, 0).In(jkt).AddDate(0, 0, 1)
	if err := f.groups.ChangeOccurrence(coord, id, sid, first, newDay.Format("2006-01-02"), "18:00", "Hari libur"); err != nil {
		t.Fatal(err)
	}
	_, o, err := f.groups.Occurrence(context.Background(), id, sid, first)
	if err != nil || !o.Moved || o.Start.In(jkt).Hour() != 18 || o.Going != 1 {
		t.Fatalf("moved meeting: %v %+v", err, o)
	}
	// The public feed carries the series with its exception and override.
	_, events, err := f.groups.GroupFeed(context.Background(), id, "https://rangkul.example")
	if err != nil {
		t.Fatal(err)
	}
	var series, override int
	for _, e := range events {
		if e.RRule != "" && len(e.ExDates) == 1 && e.ExDates[0].Unix() == second {
			series++
		}
		if !e.RecurrenceID.IsZero() && e.RecurrenceID.Unix() == first {
			override++
		}
	}
	if series != 1 || override != 1 {
		t.Fatalf("feed: %d series with the exception, %d overrides; events %+v", series, override, events)
	}
}

// Many members taking the last places at once never overbook a meeting.
func TestConcurrentRSVPsNeverExceedPlaces(t *testing.T) {
	f := newFixture(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	f.groups.Zone = jkt
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Ruang Tenang", true, 30))
	sid, err := f.groups.CreateSession(coord, id, groups.SessionInput{Date: nextWeekday(jkt, time.Monday).Format("2006-01-02"),
		Time: "10:00", Minutes: "60", Repeat: "none", Capacity: "4"})
	if err != nil {
		t.Fatal(err)
	}
	up, _ := f.groups.Upcoming(context.Background(), id, 10*24*time.Hour)
	occ := up[0].Original.Unix()
	var ctxs []context.Context
	for i := 0; i < 15; i++ {
		c := f.person(t, "orang-"+strconv.Itoa(i), "")
		if _, err := f.groups.Join(c, id, groups.JoinInput{DisplayName: "Nama " + strconv.Itoa(i), AcceptRules: true}); err != nil {
			t.Fatal(err)
		}
		ctxs = append(ctxs, c)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	for _, c := range ctxs {
		wg.Add(1)
		go func(c context.Context) {
			defer wg.Done()
			err := f.groups.RSVP(c, id, sid, occ)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case fieldKey(err) == "rsvp:sessions.full":
				full++
			default:
				t.Errorf("RSVP: %v", err)
			}
		}(c)
	}
	wg.Wait()
	if ok != 4 || full != 11 {
		t.Fatalf("%d places given, %d refused; want 4 and 11", ok, full)
	}
}

func TestGuestPassToMembership(t *testing.T) {
	f := newFixture(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	f.groups.Zone = jkt
	coord := f.person(t, "koordinator", auth.RoleCoordinator)
	id, _ := f.groups.Create(coord, f.org, input("Sahabat Bipolar", false, 10))
	sid, err := f.groups.CreateSession(coord, id, groups.SessionInput{Date: nextWeekday(jkt, time.Friday).Format("2006-01-02"),
		Time: "15:00", Minutes: "60", Repeat: "weekly", Capacity: "10"})
	if err != nil {
		t.Fatal(err)
	}
	up, _ := f.groups.Upcoming(context.Background(), id, 10*24*time.Hour)
	occ := up[0].Original.Unix()
	stranger := context.Background()
	if _, err := f.groups.TakeGuestSeat(stranger, id, sid, occ, "Tamu", false); fieldKey(err) != "guest_rules:groups.accept_rules_required" {
		t.Fatalf("without rules: %v", err)
	}
	if _, err := f.groups.TakeGuestSeat(stranger, id, sid, occ, "<b>", true); fieldKey(err) != "guest_name:form.no_markup" {
		t.Fatalf("hostile name: %v", err)
	}
	code, err := f.groups.TakeGuestSeat(stranger, id, sid, occ, "Embun", true)
	if err != nil || len(code) != 11 {
		t.Fatalf("guest seat: %q %v", code, err)
	}
	if _, err := f.groups.TakeGuestSeat(stranger, id, sid, occ, "Tamu Dua", true); err != nil {
		t.Fatalf("second guest seat: %v", err)
	}
	// Two guest seats per meeting by default.
	if _, err := f.groups.TakeGuestSeat(stranger, id, sid, occ, "Tamu Tiga", true); fieldKey(err) != "guest_name:guests.full" {
		t.Fatalf("third guest: %v", err)
	}
	_, o, _ := f.groups.Occurrence(context.Background(), id, sid, occ)
	if o.Guests != 2 || o.FreePlaces() != 8 {
		t.Fatalf("guests %d, free places %d", o.Guests, o.FreePlaces())
	}
	pass, err := f.groups.Pass(context.Background(), " "+strings.ToUpper(code)+" ")
	if err != nil || pass.DisplayName != "Embun" || pass.Group.ID != id {
		t.Fatalf("pass: %v %+v", err, pass)
	}
	if _, err := f.groups.Pass(context.Background(), "zzzzz-zzzzz"); err == nil {
		t.Fatal("a made-up code found a pass")
	}
	// After the meeting the guest signs up and claims the pass: a closed
	// group turns it into a request under the same pseudonym.
	newcomer := f.person(t, "pendatang", "")
	gid, status, err := f.groups.ClaimPass(newcomer, code)
	if err != nil || gid != id || status != groups.StatusPending {
		t.Fatalf("claim: %v %d %s", err, gid, status)
	}
	if _, _, err := f.groups.ClaimPass(f.person(t, "lain", ""), code); fieldKey(err) != "claim:guests.already_claimed" {
		t.Fatalf("claiming twice: %v", err)
	}
	reqs, _ := f.groups.Requests(coord, id)
	if len(reqs) != 1 || reqs[0].DisplayName != "Embun" {
		t.Fatalf("request from the pass: %+v", reqs)
	}
}
