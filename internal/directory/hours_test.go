package directory

import (
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/hsds"
)

var wib = time.FixedZone("WIB", 7*3600)

// at is a time in WIB in the week of Monday 23 November 2026.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, 23+day, hour, minute, 0, 0, wib)
}

func TestHoursOfOfficeHours(t *testing.T) {
	office := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "08:00", ClosesAt: "16:00", Description: "Tutup pada hari libur."}}
	h := HoursOf(office, at(0, 10, 0), wib)
	if !h.Known || !h.Open || h.Always || h.Until.Format("15:04") != "16:00" {
		t.Fatalf("Monday 10:00: %+v", h)
	}
	if h.Zone != "WIB" || len(h.Notes) != 1 {
		t.Errorf("zone %q notes %v", h.Zone, h.Notes)
	}
	h = HoursOf(office, at(0, 16, 0), wib)
	if h.Open || h.Next == nil || !h.NextTomorrow || h.Next.Format("Mon 15:04") != "Tue 08:00" {
		t.Fatalf("Monday 16:00 (closing time): %+v", h)
	}
	h = HoursOf(office, at(1, 7, 30), wib)
	if h.Open || !h.NextToday || h.Next.Format("15:04") != "08:00" {
		t.Fatalf("Tuesday 07:30: %+v", h)
	}
	h = HoursOf(office, at(5, 12, 0), wib)
	if h.Open || h.NextToday || h.NextTomorrow || h.NextWeekday != int(time.Monday) {
		t.Fatalf("Saturday: %+v", h)
	}
	// The week ahead from Saturday: Saturday and Sunday closed, then five
	// working days.
	var days []string
	for _, d := range h.Week {
		days = append(days, d.Date.Format("Mon")+":"+strings.Join(d.Ranges, ","))
	}
	if got := strings.Join(days, " "); got != "Sat: Sun: Mon:08:00–16:00 Tue:08:00–16:00 Wed:08:00–16:00 Thu:08:00–16:00 Fri:08:00–16:00" {
		t.Errorf("week: %s", got)
	}
	if !h.Week[0].Today || h.Week[1].Today {
		t.Error("today is the first day of the week ahead")
	}
}

// The same instant reads differently in another deployment zone.
func TestHoursOfFollowTheZone(t *testing.T) {
	office := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO", OpensAt: "08:00", ClosesAt: "16:00"}}
	instant := at(0, 9, 0) // 09:00 WIB = 02:00 UTC
	if !HoursOf(office, instant, wib).Open {
		t.Error("open at 09:00 WIB")
	}
	if HoursOf(office, instant, time.UTC).Open {
		t.Error("read in UTC it is 02:00, closed")
	}
	// A schedule with its own zone (UTC+3) is read in that zone and shown
	// in the deployment's: 10:00-18:00 at UTC+3 is 14:00-22:00 WIB.
	three := 3.0
	own := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO", OpensAt: "10:00", ClosesAt: "18:00", Timezone: &three}}
	h := HoursOf(own, at(0, 13, 0), wib)
	if h.Open || !h.NextToday || h.Next.Format("15:04") != "14:00" {
		t.Fatalf("own zone: %+v", h)
	}
	if got := h.Week[0].Ranges; len(got) != 1 || got[0] != "14:00–22:00" {
		t.Errorf("own zone, Monday: %v", got)
	}
}

func TestHoursOfNightsAndAllDay(t *testing.T) {
	night := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "FR,SA", OpensAt: "20:00", ClosesAt: "02:00"}}
	h := HoursOf(night, at(5, 1, 0), wib) // Saturday 01:00, in Friday's night
	if !h.Open || h.Until.Format("Mon 15:04") != "Sat 02:00" {
		t.Fatalf("Saturday 01:00: %+v", h)
	}
	if h = HoursOf(night, at(6, 3, 0), wib); h.Open { // Sunday 03:00: Saturday's night ended at 02:00
		t.Fatalf("Sunday 03:00: %+v", h)
	}
	// Friday's row shows the evening up to midnight; Saturday's the small
	// hours and its own evening.
	h = HoursOf(night, at(4, 12, 0), wib)
	if got := strings.Join(h.Week[0].Ranges, ","); got != "20:00–24:00" {
		t.Errorf("Friday: %s", got)
	}
	if got := strings.Join(h.Week[1].Ranges, ","); got != "00:00–02:00,20:00–24:00" {
		t.Errorf("Saturday: %s", got)
	}
	always := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR,SA,SU", OpensAt: "00:00", ClosesAt: "00:00"}}
	h = HoursOf(always, at(2, 3, 33), wib)
	if !h.Open || !h.Always || !h.Week[3].AllDay {
		t.Fatalf("24/7: %+v", h)
	}
}

func TestHoursOfWithoutHours(t *testing.T) {
	h := HoursOf([]hsds.Schedule{{Description: "Hubungi kami untuk janji temu."}}, at(0, 10, 0), wib)
	if h.Known || h.Open || h.Next != nil || h.Closed || len(h.Notes) != 1 {
		t.Fatalf("no hours: %+v", h)
	}
	// A schedule that ended long ago: known hours, closed all week.
	old := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO", OpensAt: "08:00", ClosesAt: "16:00", ValidTo: "2005-01-01"}}
	if h := HoursOf(old, at(0, 10, 0), wib); !h.Known || h.Open || !h.Closed {
		t.Fatalf("ended: %+v", h)
	}
}

// Schedules come from the service, else its services at locations, else
// its locations.
func TestSchedulesOfAService(t *testing.T) {
	loc := &hsds.Location{Schedules: []hsds.Schedule{{ID: "loc", OpensAt: "07:00", ClosesAt: "15:00"}, {ID: "other", ServiceID: "x", OpensAt: "01:00"}}}
	sv := &hsds.Service{ServiceAtLocations: []hsds.ServiceAtLocation{{Location: loc}}}
	if got := Schedules(sv); len(got) != 1 || got[0].ID != "loc" {
		t.Fatalf("from the location: %+v", got)
	}
	sv.ServiceAtLocations[0].Schedules = []hsds.Schedule{{ID: "sal"}}
	sv.Schedules = []hsds.Schedule{{ID: "own"}}
	if got := Schedules(sv); len(got) != 2 || got[0].ID != "own" || got[1].ID != "sal" {
		t.Fatalf("own and at locations: %+v", got)
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter()
	now := at(0, 10, 0)
	limits := map[string]int{"ip:1": 2}
	for i := 0; i < 2; i++ {
		if w := l.wait(now, limits); w != 0 {
			t.Fatalf("report %d waits %v", i+1, w)
		}
		l.add(now.Add(time.Duration(i)*time.Minute), "ip:1")
	}
	if w := l.wait(now.Add(2*time.Minute), limits); w != 58*time.Minute {
		t.Fatalf("third report: wait %v, want 58m (until the first leaves the hour)", w)
	}
	if w := l.wait(now.Add(time.Hour), limits); w != 0 {
		t.Fatalf("an hour later: wait %v", w)
	}
	if w := l.wait(now.Add(2*time.Minute), map[string]int{"ip:2": 2}); w != 0 {
		t.Fatal("another address is not limited")
	}
}
