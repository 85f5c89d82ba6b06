package groups

import (
	"strconv"
	"time"
)

// Session is a meeting of a group: once, or a series repeating by an RFC 5545
// rule in the group's time zone.
type Session struct {
	ID       int64
	GroupID  int64
	Title    string
	Start    time.Time // first occurrence, UTC
	Minutes  int
	TZ       string // IANA zone the rule repeats in, e.g. Asia/Jakarta
	RRule    string // "" for a one-off session
	Weekdays int    // bit (1 << weekday) for each weekday it meets on, for the directory filter
	Capacity int
	// GuestSeats is how many visitors without an account may try each meeting.
	GuestSeats int
	Place      string
	Created    time.Time
	Updated    time.Time
}

// Occurrence is one meeting of a session. Original identifies it (the start
// the rule gives); Start differs when a facilitator moved it.
type Occurrence struct {
	Session   Session
	Original  time.Time // UTC
	Start     time.Time // UTC
	End       time.Time // UTC
	Cancelled bool
	Moved     bool
	Reason    string
	Going     int  // members coming
	Guests    int  // guest passes taken
	MeGoing   bool // the viewer is coming
}

// GuestSeatsLeft is how many more visitors may take a guest pass: guests
// also take places, and each meeting keeps its own number of guest seats.
func (o Occurrence) GuestSeatsLeft() int {
	return max(0, min(o.Session.GuestSeats-o.Guests, o.FreePlaces()))
}

// Key identifies the occurrence in URLs: the original start in Unix seconds.
func (o Occurrence) Key() string { return strconv.FormatInt(o.Original.Unix(), 10) }

// FreePlaces is how many more people can say they are coming.
func (o Occurrence) FreePlaces() int {
	if n := o.Session.Capacity - o.Going - o.Guests; n > 0 {
		return n
	}
	return 0
}

// Local returns t in the session's time zone, for display.
func (o Occurrence) Local(t time.Time) time.Time {
	if loc, err := time.LoadLocation(o.Session.TZ); err == nil {
		return t.In(loc)
	}
	return t
}

// Repeat choices offered on the session form, besides a custom rule.
var Repeats = []string{"none", "weekly", "fortnightly", "monthly"}

// Weekdays lists the weekday filter's values, Monday first.
var Weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
