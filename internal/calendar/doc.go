// Package calendar is the kit for dates that repeat and for calendar feeds:
// a parser and expander for the RFC 5545 recurrence rules groups use (daily,
// weekly and monthly rules with INTERVAL, BYDAY, BYMONTHDAY, COUNT and UNTIL),
// and an iCalendar (RFC 5545) writer for feeds that calendar apps subscribe to.
package calendar
