package app_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
)

// streamEvents opens the room's event stream as c and returns its lines.
func streamEvents(t *testing.T, c *apptest.Client, base, path string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	res, err := c.HTTP.Do(req)
	if err != nil || res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream: %v %v", err, res)
	}
	lines := make(chan string, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines
}

func waitFor(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended before %q", want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within 10 s", want)
		}
	}
}

func nextMeetingPath(t *testing.T, env *apptest.Env) string {
	t.Helper()
	up, err := env.App.Groups.Upcoming(auth.System(context.Background()), 1, 14*24*time.Hour)
	if err != nil || len(up) == 0 {
		t.Fatalf("no meeting: %v", err)
	}
	return "/groups/1/sessions/" + strconv.FormatInt(up[0].Session.ID, 10) + "/" + up[0].Key()
}

func TestLiveRoomDeliversMessagesAndControls(t *testing.T) {
	env := apptest.New(t)
	meeting := nextMeetingPath(t, env)
	member := env.AsDemo("demo-member")
	facil := env.AsDemo("demo-facilitator")
	lines := streamEvents(t, member, env.Server.URL, meeting+"/room/events")
	res := facil.Post(meeting+"/room/messages", url.Values{"body": {"Selamat datang semuanya 🌱"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("facilitator says: %d", res.StatusCode)
	}
	waitFor(t, lines, `"body":"Selamat datang semuanya 🌱"`)
	// Over-long messages are refused and not stored.
	if res := member.Post(meeting+"/room/messages", url.Values{"body": {strings.Repeat("panjang ", 200)}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="e-body"`) {
		t.Fatalf("over-long message: %d", res.StatusCode)
	}
	// Hostile text is data, never markup.
	facil.Post(meeting+"/room/messages", url.Values{"body": {"<script>alert(1)</script>"}})
	page := member.Get(meeting + "/room")
	if strings.Contains(page.Body, "<script>alert(1)") || !strings.Contains(page.Body, "&lt;script&gt;") {
		t.Fatal("message not escaped in the page")
	}
	// Mute: the member cannot write; unmute: can again.
	memberID := userID(t, env, "demo-member")
	facil.Post(meeting+"/room/control", url.Values{"action": {"mute"}, "user": {memberID}, "amount": {"10"}})
	waitFor(t, lines, "event: state")
	if res := member.Post(meeting+"/room/messages", url.Values{"body": {"halo"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("muted member wrote: %d", res.StatusCode)
	}
	facil.Post(meeting+"/room/control", url.Values{"action": {"unmute"}, "user": {memberID}})
	if res := member.Post(meeting+"/room/messages", url.Values{"body": {"terima kasih"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmuted member: %d", res.StatusCode)
	}
	// Lock: only facilitators write.
	facil.Post(meeting+"/room/control", url.Values{"action": {"lock"}})
	if res := member.Post(meeting+"/room/messages", url.Values{"body": {"halo lagi"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("member wrote in a locked room: %d", res.StatusCode)
	}
	facil.Post(meeting+"/room/control", url.Values{"action": {"unlock"}})
	// Slow mode: one message per 30 seconds.
	facil.Post(meeting+"/room/control", url.Values{"action": {"slow"}, "amount": {"30"}})
	member.Post(meeting+"/room/messages", url.Values{"body": {"satu"}})
	if res := member.Post(meeting+"/room/messages", url.Values{"body": {"dua"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("slow mode let a second message through: %d", res.StatusCode)
	}
	// Mood check-in and check-out, summarised for the facilitator.
	member.Post(meeting+"/room/mood", url.Values{"phase": {"in"}, "score": {"2"}})
	member.Post(meeting+"/room/mood", url.Values{"phase": {"out"}, "score": {"4"}})
	if res := member.Post(meeting+"/room/mood", url.Values{"phase": {"in"}, "score": {"9"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("mood 9: %d", res.StatusCode)
	}
	if fp := facil.Get(meeting + "/room"); !strings.Contains(fp.Body, "1 jawaban, rata-rata 2.0") || !strings.Contains(fp.Body, "1, rata-rata 4.0") {
		t.Fatal("mood summary missing for the facilitator")
	}
	// Remove: the member is out of this meeting's room.
	facil.Post(meeting+"/room/control", url.Values{"action": {"remove"}, "user": {memberID}})
	if res := member.Get(meeting + "/room"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("removed member: %d", res.StatusCode)
	}
	// Retention: a day after the meeting ends the chat is gone.
	later := env.App.Groups.WithClock(func() time.Time { return time.Now().Add(30 * 24 * time.Hour) })
	if err := later.SweepChat(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var left int
	env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM chat_messages`).Scan(&left)
	if left != 0 {
		t.Fatalf("%d chat messages outlived their retention", left)
	}
	// Outsiders never see the room.
	if res := env.AsDemo("demo-analyst").Get(meeting + "/room"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("outsider: %d", res.StatusCode)
	}
}

func userID(t *testing.T, env *apptest.Env, name string) string {
	t.Helper()
	p, err := env.App.Auth.PersonByName(auth.System(context.Background()), name)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(p.User.ID, 10)
}

// With PostgreSQL, two app instances behind one database deliver each other's
// messages through LISTEN/NOTIFY.
func TestLiveRoomAcrossTwoInstances(t *testing.T) {
	env := apptest.New(t)
	if env.App.DB.Dialect() != db.Postgres {
		if os.Getenv("RANGKUL_TEST_REQUIRE_PG") == "1" {
			t.Fatal("expected PostgreSQL")
		}
		t.Skip("two instances share messages through PostgreSQL; scripts/test runs this in its PostgreSQL pass")
	}
	second, err := app.Wire(env.App.Config, slog.New(slog.NewTextHandler(io.Discard, nil)), env.App.DB, app.Options{Hash: apptest.CheapHash})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	second.Start(ctx)
	srv2 := httptest.NewServer(second.Handler)
	t.Cleanup(srv2.Close)
	<-second.LiveReady()
	meeting := nextMeetingPath(t, env)
	member := env.AsDemo("demo-member") // signed in through instance 1; sessions live in the shared database
	lines := streamEvents(t, member, srv2.URL, meeting+"/room/events")
	facil := env.AsDemo("demo-facilitator")
	if res := facil.Post(meeting+"/room/messages", url.Values{"body": {"dari instans satu"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("say: %d", res.StatusCode)
	}
	waitFor(t, lines, "dari instans satu")
	// Presence is shared too: the facilitator on instance 1 sees who is
	// connected to instance 2.
	if page := facil.Get(meeting + "/room"); !strings.Contains(page.Body, "(Senja)") {
		t.Fatal("the member connected to the other instance is not shown as present")
	}
}

// The facilitator sees who is in the room by pseudonym; someone who leaves
// is no longer listed. (A connection whose instance stops without saying
// goodbye drops out after PresenceWindow without heartbeats.)
func TestRoomPresence(t *testing.T) {
	env := apptest.New(t)
	meeting := nextMeetingPath(t, env)
	member := env.AsDemo("demo-member")
	facil := env.AsDemo("demo-facilitator")
	if page := facil.Get(meeting + "/room"); strings.Contains(page.Body, "(Senja)") {
		t.Fatal("present before connecting")
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Server.URL+meeting+"/room/events", nil)
	res, err := member.HTTP.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stream: %v", err)
	}
	if page := facil.Get(meeting + "/room"); !strings.Contains(page.Body, "(Senja)") {
		t.Fatal("a connected member is not shown as present")
	}
	if page := member.Get(meeting + "/room"); strings.Contains(page.Body, "(Senja)") {
		t.Fatal("members see the presence list meant for facilitators")
	}
	cancel()
	res.Body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Contains(facil.Get(meeting+"/room").Body, "(Senja)") {
		if time.Now().After(deadline) {
			t.Fatal("a member who left is still shown as present")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
