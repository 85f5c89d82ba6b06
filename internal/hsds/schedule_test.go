package hsds

import (
	"testing"
	"time"
)

func f64(v float64) *float64 { return &v }

func TestOpenAt(t *testing.T) {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// 2025-03-03 is a Monday.
	at := func(day, hour, min int, loc *time.Location) time.Time {
		return time.Date(2025, 3, day, hour, min, 0, 0, loc)
	}
	weekdays := Schedule{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "09:00", ClosesAt: "17:00"}
	cases := []struct {
		name string
		sc   Schedule
		t    time.Time
		loc  *time.Location
		want bool
	}{
		{"weekday inside hours", weekdays, at(3, 10, 0, jakarta), jakarta, true},
		{"opening minute", weekdays, at(3, 9, 0, jakarta), jakarta, true},
		{"closing minute is closed", weekdays, at(3, 17, 0, jakarta), jakarta, false},
		{"before opening", weekdays, at(3, 8, 59, jakarta), jakarta, false},
		{"saturday", weekdays, at(8, 10, 0, jakarta), jakarta, false},
		// 02:30 UTC on Monday is 09:30 in Jakarta: open there, not in London.
		{"time zone: Jakarta", weekdays, time.Date(2025, 3, 3, 2, 30, 0, 0, time.UTC), jakarta, true},
		{"time zone: London", weekdays, time.Date(2025, 3, 3, 2, 30, 0, 0, time.UTC), london, false},
		{"nil zone is UTC", weekdays, time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC), nil, true},
		{"schedule's own UTC offset wins", Schedule{Freq: "WEEKLY", ByDay: "MO", OpensAt: "09:00", ClosesAt: "10:00", Timezone: f64(7)},
			time.Date(2025, 3, 3, 2, 30, 0, 0, time.UTC), london, true},
		{"offset written on opens_at", Schedule{ByDay: "MO", OpensAt: "09:00:00+07:00", ClosesAt: "10:00:00+07:00"},
			time.Date(2025, 3, 3, 2, 30, 0, 0, time.UTC), london, true},
		// Overnight: Friday 22:00 to 06:00.
		{"overnight, evening", Schedule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "22:00", ClosesAt: "06:00"}, at(7, 23, 0, jakarta), jakarta, true},
		{"overnight, after midnight", Schedule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "22:00", ClosesAt: "06:00"}, at(8, 5, 59, jakarta), jakarta, true},
		{"overnight, morning after", Schedule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "22:00", ClosesAt: "06:00"}, at(8, 6, 0, jakarta), jakarta, false},
		{"overnight, not the night before", Schedule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "22:00", ClosesAt: "06:00"}, at(7, 5, 0, jakarta), jakarta, false},
		{"all day", Schedule{ByDay: "SU", OpensAt: "00:00", ClosesAt: "00:00"}, at(9, 23, 59, jakarta), jakarta, true},
		{"no hours says nothing", Schedule{ByDay: "MO"}, at(3, 10, 0, jakarta), jakarta, false},
		{"every day without freq", Schedule{OpensAt: "08:00", ClosesAt: "20:00"}, at(8, 12, 0, jakarta), jakarta, true},
		{"valid_to passed", Schedule{OpensAt: "08:00", ClosesAt: "20:00", ValidTo: "2025-03-02"}, at(3, 12, 0, jakarta), jakarta, false},
		{"valid_from ahead", Schedule{OpensAt: "08:00", ClosesAt: "20:00", ValidFrom: "2025-03-04"}, at(3, 12, 0, jakarta), jakarta, false},
		{"until passed", Schedule{Freq: "WEEKLY", ByDay: "MO", OpensAt: "08:00", ClosesAt: "20:00", Until: "2025-02-28"}, at(3, 12, 0, jakarta), jakarta, false},
		{"weekly without byday: dtstart's weekday", Schedule{Freq: "WEEKLY", DTStart: "2025-01-06", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, true},
		{"every second week, on", Schedule{Freq: "WEEKLY", Interval: f64(2), ByDay: "MO", DTStart: "2025-02-17", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, true},
		{"every second week, off", Schedule{Freq: "WEEKLY", Interval: f64(2), ByDay: "MO", DTStart: "2025-02-24", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, false},
		{"monthly first Monday", Schedule{Freq: "MONTHLY", ByDay: "1MO", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, true},
		{"monthly second Monday", Schedule{Freq: "MONTHLY", ByDay: "2MO", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, false},
		{"monthly last Monday", Schedule{Freq: "MONTHLY", ByDay: "-1MO", OpensAt: "08:00", ClosesAt: "20:00"}, at(31, 12, 0, jakarta), jakarta, true},
		{"monthly by day of month", Schedule{Freq: "MONTHLY", ByMonthDay: "1,15", OpensAt: "08:00", ClosesAt: "20:00"}, time.Date(2025, 3, 15, 12, 0, 0, 0, jakarta), jakarta, true},
		{"monthly last day", Schedule{Freq: "MONTHLY", ByMonthDay: "-1", OpensAt: "08:00", ClosesAt: "20:00"}, time.Date(2025, 2, 28, 12, 0, 0, 0, jakarta), jakarta, true},
		{"count reached", Schedule{Freq: "WEEKLY", ByDay: "MO", DTStart: "2025-02-17", Count: f64(2), OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, false},
		{"count not reached", Schedule{Freq: "WEEKLY", ByDay: "MO", DTStart: "2025-02-17", Count: f64(3), OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, true},
		{"byweekno", Schedule{ByWeekNo: "10", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, true},
		{"byyearday", Schedule{ByYearDay: "62", OpensAt: "08:00", ClosesAt: "20:00"}, at(3, 12, 0, jakarta), jakarta, true},
		{"missing closes_at: until midnight", Schedule{ByDay: "MO", OpensAt: "18:00"}, at(3, 23, 0, jakarta), jakarta, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.sc.OpenAt(c.t, c.loc); got != c.want {
				t.Fatalf("OpenAt(%s) = %v, want %v", c.t, got, c.want)
			}
		})
	}
	if !OpenAt([]Schedule{{ByDay: "SA", OpensAt: "09:00", ClosesAt: "10:00"}, weekdays}, at(3, 10, 0, jakarta), jakarta) {
		t.Fatal("OpenAt of a list: open when any schedule is")
	}
	if OpenAt(nil, at(3, 10, 0, jakarta), jakarta) {
		t.Fatal("no schedules: not known to be open")
	}
}
