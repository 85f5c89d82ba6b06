package app_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
)

// parseScript reads an iCalendar feed on standard input with ical.js (a real
// parser, from npm) and prints its events and the first occurrences of each
// series, EXDATEs applied by ical.js's own recurrence expansion.
const parseScript = `
const ICAL = require(process.argv[1]);
let text = "";
process.stdin.on("data", d => text += d);
process.stdin.on("end", () => {
  const cal = new ICAL.Component(ICAL.parse(text));
  const out = { name: cal.getFirstPropertyValue("x-wr-calname"), events: [], series: {} };
  for (const v of cal.getAllSubcomponents("vevent")) {
    const e = new ICAL.Event(v);
    const rid = v.getFirstPropertyValue("recurrence-id");
    out.events.push({ uid: e.uid, summary: e.summary, location: e.location || "", status: v.getFirstPropertyValue("status"),
      start: e.startDate.toJSDate().toISOString(), recurrenceId: rid ? rid.toJSDate().toISOString() : "" });
    if (e.isRecurring() && !rid) {
      const it = e.iterator();
      const list = [];
      for (let t = it.next(); t && list.length < 6; t = it.next()) list.push(t.toJSDate().toISOString());
      out.series[e.uid] = list;
    }
  }
  console.log(JSON.stringify(out));
});`

func icalJS(t *testing.T) string {
	t.Helper()
	fail := t.Skipf
	if os.Getenv("RANGKUL_TEST_REQUIRE_BROWSER") == "1" {
		fail = t.Fatalf
	}
	if _, err := exec.LookPath("node"); err != nil {
		fail("node not found")
	}
	dir, _ := os.Getwd()
	for dir != "/" {
		p := filepath.Join(dir, "tools", "browser", "node_modules", "ical.js", "dist", "ical.es5.cjs")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		dir = filepath.Dir(dir)
	}
	fail("ical.js not installed (npm ci --prefix tools/browser)")
	return ""
}

type parsedFeed struct {
	Name   string `json:"name"`
	Events []struct {
		UID, Summary, Location, Status, Start, RecurrenceID string
	} `json:"events"`
	Series map[string][]string `json:"series"`
}

// The public feed of a group parses with a real iCalendar parser, and its
// recurrences, exceptions and overrides mean what the group's page shows.
func TestGroupFeedParsesWithICalJS(t *testing.T) {
	lib := icalJS(t)
	env := apptest.New(t)
	ctx := auth.System(context.Background())
	up, err := env.App.Groups.Upcoming(ctx, 1, 60*24*time.Hour)
	if err != nil || len(up) < 5 {
		t.Fatalf("meetings: %v %d", err, len(up))
	}
	sid := up[0].Session.ID
	// Cancel the second meeting; move the third a day later.
	if err := env.App.Groups.ChangeOccurrence(ctx, 1, sid, up[1].Original.Unix(), "", "", "Libur; sampai jumpa minggu depan"); err != nil {
		t.Fatal(err)
	}
	moved := up[2].Original.In(env.App.Groups.Zone).AddDate(0, 0, 1)
	if err := env.App.Groups.ChangeOccurrence(ctx, 1, sid, up[2].Original.Unix(), moved.Format("2006-01-02"), moved.Format("15:04"), "Ruangan dipakai"); err != nil {
		t.Fatal(err)
	}
	feed := env.Stranger().Get("/groups/1/calendar.ics")
	cmd := exec.Command("node", "-e", parseScript, lib)
	cmd.Stdin = strings.NewReader(feed.Body)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ical.js: %v\n%s", err, out)
	}
	var got parsedFeed
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("ical.js output: %v\n%s", err, out)
	}
	if !strings.Contains(got.Name, "Ruang Tenang") {
		t.Fatalf("calendar name %q", got.Name)
	}
	uid := "session-" + strconv.FormatInt(sid, 10) + "@rangkul"
	var override bool
	for _, e := range got.Events {
		if !strings.HasPrefix(e.Summary, "Ruang Tenang: kelompok dukungan kecemasan") || e.Location != "Aula Yayasan Rangkul Jiwa, Tebet, dan ruang daring" {
			t.Errorf("text did not round-trip: %+v", e)
		}
		if e.UID == uid && e.RecurrenceID == iso(up[2].Original) && e.Start == iso(moved) {
			override = true
		}
	}
	if !override {
		t.Errorf("the moved meeting has no override event: %+v", got.Events)
	}
	// ical.js's expansion of the series, EXDATE applied, against Rangkul's own.
	var want []string
	for i, o := range up {
		if i != 1 { // the cancelled one
			want = append(want, iso(o.Original))
		}
	}
	series := got.Series[uid]
	sort.Strings(series)
	if len(series) < 4 {
		t.Fatalf("series expanded to %v", series)
	}
	for i := range series[:4] {
		if series[i] != want[i] {
			t.Fatalf("occurrence %d: ical.js %s, Rangkul %s\nical.js: %v\nRangkul: %v", i, series[i], want[i], series, want)
		}
	}
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
