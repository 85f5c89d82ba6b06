package calendar

import (
	"bufio"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT of a feed: a one-off session, a recurring series (with
// RRule and ExDates), or one changed occurrence of a series (RecurrenceID set).
type Event struct {
	UID          string
	Start, End   time.Time
	Summary      string
	Description  string
	Location     string
	URL          string
	RRule        string      // RFC 5545 RRULE value, for a series
	ExDates      []time.Time // occurrences removed from the series
	RecurrenceID time.Time   // the original start of the occurrence this event replaces
	Cancelled    bool
	Sequence     int
	Updated      time.Time
}

// WriteICS writes an iCalendar (RFC 5545) feed: CRLF line ends, lines folded
// at 75 octets without splitting a character, text escaped, times in UTC.
func WriteICS(w io.Writer, name string, events []Event) error {
	bw := bufio.NewWriter(w)
	line := func(s string) { writeFolded(bw, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Rangkul//Rangkul//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(name))
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + escapeText(e.UID))
		stamp := e.Updated
		if stamp.IsZero() {
			stamp = time.Now()
		}
		line("DTSTAMP:" + utc(stamp))
		if !e.RecurrenceID.IsZero() {
			line("RECURRENCE-ID:" + utc(e.RecurrenceID))
		}
		line("DTSTART:" + utc(e.Start))
		line("DTEND:" + utc(e.End))
		if e.RRule != "" {
			line("RRULE:" + e.RRule)
		}
		for _, x := range e.ExDates {
			line("EXDATE:" + utc(x))
		}
		line("SUMMARY:" + escapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.Location != "" {
			line("LOCATION:" + escapeText(e.Location))
		}
		if e.URL != "" {
			line("URL:" + e.URL)
		}
		if e.Cancelled {
			line("STATUS:CANCELLED")
		} else {
			line("STATUS:CONFIRMED")
		}
		if e.Sequence > 0 {
			line("SEQUENCE:" + itoa(e.Sequence))
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return bw.Flush()
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and newlines.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "")
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeFolded writes one content line, folded so that no line is longer than
// 75 octets, breaking only between characters.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation line counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
