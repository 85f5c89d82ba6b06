package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
)

func TestCalendarFeeds(t *testing.T) {
	env := apptest.New(t)
	public := env.Stranger()
	page := public.Get("/groups/1")
	if !strings.Contains(page.Body, `<link rel="alternate" type="text/calendar" title="Ruang Tenang: kelompok dukungan kecemasan" href="/groups/1/calendar.ics">`) {
		t.Fatal("group page does not announce its calendar feed")
	}
	feed := public.Get("/groups/1/calendar.ics")
	if feed.StatusCode != http.StatusOK || !strings.HasPrefix(feed.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("public feed: %d %s", feed.StatusCode, feed.Header.Get("Content-Type"))
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "BEGIN:VEVENT\r\n", "RRULE:FREQ=WEEKLY\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(feed.Body, want) {
			t.Errorf("public feed lacks %q", want)
		}
	}
	// A member's private feed: made on request, shown once, works without a
	// sign-in, and stops when revoked.
	m := env.AsDemo("demo-member")
	res := m.Post("/groups/calendar-link", nil)
	link := regexp.MustCompile(`/calendar/[A-Za-z0-9_-]+\.ics`).FindString(res.Body)
	if res.StatusCode != http.StatusOK || link == "" {
		t.Fatalf("make link: %d", res.StatusCode)
	}
	private := env.Stranger().Get(link)
	if private.StatusCode != http.StatusOK || !strings.Contains(private.Body, "SUMMARY:Ruang Tenang") {
		t.Fatalf("private feed: %d", private.StatusCode)
	}
	if strings.Contains(private.Body, "Sahabat Bipolar") || strings.Contains(private.Body, "Pelangi") {
		t.Fatal("private feed lists a group the member is not in")
	}
	if mine := m.Get("/groups/mine"); strings.Contains(mine.Body, link) {
		t.Fatal("the secret link is shown again")
	}
	m.Post("/groups/calendar-link/revoke", nil)
	if gone := env.Stranger().Get(link); gone.StatusCode != http.StatusNotFound {
		t.Fatalf("revoked link: %d", gone.StatusCode)
	}
}
