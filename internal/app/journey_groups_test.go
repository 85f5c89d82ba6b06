package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyFindAndJoinAGroup: a stranger finds a group with an Indonesian
// word form, signs in and joins under a pseudonym; the facilitator and a
// coordinator open their pages. Every page passes axe-core.
func TestJourneyFindAndJoinAGroup(t *testing.T) {
	env := apptest.New(t)
	ctx := browser.Start(t)
	base := env.Server.URL
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	visit := func(path string) {
		t.Helper()
		do("open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
		browser.Axe(t, ctx, path)
	}
	signIn := func(user string) {
		t.Helper()
		do("sign in as "+user,
			chromedp.SendKeys(chromedp.CSS("#f-username"), user),
			chromedp.SendKeys(chromedp.CSS("#f-password"), "rangkul-demo"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")))
	}

	// "cemas" finds the group about kecemasan.
	visit("/groups")
	do("search", chromedp.SendKeys(chromedp.CSS("#f-q"), "cemas"),
		chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`.cards`)))
	browser.Axe(t, ctx, "search results")
	if txt := browser.Text(t, ctx, ".cards"); !strings.Contains(txt, "Ruang Tenang") {
		t.Fatalf("search for cemas found: %q", txt)
	}
	do("open the group", chromedp.Click(chromedp.CSS(`.cards a`)), chromedp.WaitVisible(chromedp.CSS(`#g-you`)))
	browser.Axe(t, ctx, "group page as stranger")

	// Joining asks a stranger to sign in first, then comes back.
	do("join as stranger", chromedp.Click(chromedp.CSS(`#g-you ~ .actions a, section[aria-labelledby=g-you] a.btn`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"]`)))
	signIn("demo-analyst")
	if loc := browser.Location(t, ctx); !strings.HasSuffix(loc, "/join") {
		t.Fatalf("after sign-in, at %s, want the join form", loc)
	}
	browser.Axe(t, ctx, "join form")
	do("join without accepting the rules",
		chromedp.SendKeys(chromedp.CSS("#f-display_name"), "Fajar Sore"),
		chromedp.Click(chromedp.CSS(`form[action$="/join"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#e-accept_rules")))
	browser.Axe(t, ctx, "join form with an error")
	do("join", chromedp.Click(chromedp.CSS("#f-accept_rules")),
		chromedp.Click(chromedp.CSS(`form[action$="/join"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, ctx, "section[aria-labelledby=g-you]"); !strings.Contains(txt, "Fajar Sore") {
		t.Fatalf("after joining: %q", txt)
	}
	// Say we are coming to the next meeting.
	do("open the next meeting", chromedp.Click(chromedp.CSS(`ul.meetings a`)), chromedp.WaitVisible(chromedp.CSS(`#o-you`)))
	browser.Axe(t, ctx, "meeting page")
	do("RSVP", chromedp.Click(chromedp.CSS(`form[action$="/rsvp"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, ctx, "section[aria-labelledby=o-you]"); !strings.Contains(txt, "You are coming") && !strings.Contains(txt, "Anda akan datang") {
		t.Fatalf("after RSVP: %q", txt)
	}
	// Answer the group's availability poll.
	visit("/groups/1/polls/1")
	do("answer the poll", chromedp.Click(chromedp.CSS(`input[type=radio][value=yes]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/answer"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	browser.Axe(t, ctx, "poll after answering")
	// The board: write, and send support to a post.
	visit("/groups/1/board")
	do("post on the board", chromedp.SendKeys(chromedp.CSS("#f-body"), "Terima kasih sudah menerima aku di sini."),
		chromedp.Click(chromedp.CSS(`form.card button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	browser.Axe(t, ctx, "board after posting")
	// The board page already shows a flash from posting: wait for the new page.
	waitJS(t, ctx, "mark the board page", `(window.__before = true)`)
	do("send a hug", chromedp.Click(chromedp.CSS(`button.react`)))
	waitJS(t, ctx, "hug sent", `!window.__before && document.readyState === "complete" && !!document.querySelector(".flash")`)
	if txt := browser.Text(t, ctx, "ol.posts"); !strings.Contains(txt, "Terima kasih sudah menerima aku") {
		t.Fatalf("board: %q", txt)
	}
	visit("/groups/1/members")
	if txt := browser.Text(t, ctx, "main"); !strings.Contains(txt, "Fajar Sore") || strings.Contains(txt, "demo-analyst") {
		t.Fatalf("members page must show the pseudonym, never the username: %q", txt)
	}
	visit("/groups/mine")
	visit("/groups/1/leave")

	// The facilitator's and the coordinator's pages.
	do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	visit("/login")
	signIn("demo-facilitator")
	for _, p := range []string{"/groups/1", "/groups/1/edit", "/groups/1/requests", "/groups/1/sessions/new"} {
		visit(p)
	}
	visit("/groups/1/polls/1")
	do("choose a time", chromedp.Click(chromedp.CSS(`form[action$="/choose"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	visit("/groups/1/polls/new")
	visit("/groups/1")
	do("open a meeting as facilitator", chromedp.Click(chromedp.CSS(`ul.meetings a`)), chromedp.WaitVisible(chromedp.CSS(`#o-change`)))
	browser.Axe(t, ctx, "meeting page for the facilitator")
	// A past meeting: roll call, feedback summary and the sealed notes.
	visit("/groups/1/attendance")
	do("open a past meeting", chromedp.Click(chromedp.CSS(`main table a`)), chromedp.WaitVisible(chromedp.CSS(`#o-roll`)))
	browser.Axe(t, ctx, "past meeting with roll call and feedback")
	do("save the roll", chromedp.Click(chromedp.CSS(`form[action$="/roll"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	do("open notes", chromedp.Click(chromedp.CSS(`a[href$="/notes"]`)), chromedp.WaitVisible(chromedp.CSS(`#f-note`)))
	browser.Axe(t, ctx, "private notes")
	if txt := browser.Text(t, ctx, "main"); !strings.Contains(txt, "Pertemuan pertama") && !strings.Contains(txt, "No notes") && !strings.Contains(txt, "Belum ada catatan") {
		t.Fatalf("notes page: %q", txt)
	}
	do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	visit("/login")
	signIn("demo-coordinator")
	visit("/groups/new")
}

// TestJourneyTrialSession: a visitor without an account takes a guest seat at
// a closed group's meeting, later creates an account with a username only and
// turns the pass into a request to join.
func TestJourneyTrialSession(t *testing.T) {
	env := apptest.New(t)
	ctx := browser.Start(t)
	base := env.Server.URL
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	do("open the closed group", chromedp.Navigate(base+"/groups/2"), chromedp.WaitVisible(chromedp.CSS("ul.meetings")))
	do("open a meeting", chromedp.Click(chromedp.CSS(`ul.meetings a`)), chromedp.WaitVisible(chromedp.CSS(`#f-guest_name`)))
	browser.Axe(t, ctx, "meeting page with a guest seat")
	do("take a guest seat",
		chromedp.SendKeys(chromedp.CSS("#f-guest_name"), "Fajar Sore"),
		chromedp.Click(chromedp.CSS("#f-guest_rules")),
		chromedp.Click(chromedp.CSS(`form[action$="/guest"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice code")))
	browser.Axe(t, ctx, "new guest pass")
	code := browser.Text(t, ctx, ".notice code")
	// Later: an account with a username only, then back to the pass.
	do("register", chromedp.Navigate(base+"/register"), chromedp.WaitVisible(chromedp.CSS("#f-username")),
		chromedp.SendKeys(chromedp.CSS("#f-username"), "embun-pagi"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "embun pagi yang sejuk"),
		chromedp.SendKeys(chromedp.CSS("#f-confirm"), "embun pagi yang sejuk"),
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS(`form[action="/register"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")))
	do("open the pass", chromedp.Navigate(base+"/guest/"+code), chromedp.WaitVisible(chromedp.CSS(`form[action$="/claim"]`)))
	browser.Axe(t, ctx, "guest pass, signed in")
	do("claim", chromedp.Click(chromedp.CSS(`form[action$="/claim"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, ctx, "section[aria-labelledby=g-you]"); !strings.Contains(txt, "menunggu") && !strings.Contains(txt, "waiting") {
		t.Fatalf("after claiming the pass: %q", txt)
	}
}
