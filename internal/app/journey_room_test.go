package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyLiveRoom: a member and the facilitator, in two separate browser
// contexts, exchange messages both ways in the live room; the facilitator
// mutes and unmutes the member; the member checks out and leaves feedback.
func TestJourneyLiveRoom(t *testing.T) {
	env := apptest.New(t)
	meeting := nextMeetingPath(t, env)
	base := env.Server.URL
	memberTab := browser.Start(t)
	facilTab, cancel := chromedp.NewContext(memberTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	do, signIn := tabSteps(t, base)
	signIn(memberTab, "demo-member")
	signIn(facilTab, "demo-facilitator")
	do(memberTab, "member opens the room from the meeting page", chromedp.Navigate(base+meeting),
		chromedp.Click(chromedp.CSS(`a[href$="/room"]`)), chromedp.WaitVisible(chromedp.CSS("#say")))
	browser.Axe(t, memberTab, "live room, member")
	do(facilTab, "facilitator opens the room", chromedp.Navigate(base+meeting+"/room"), chromedp.WaitVisible(chromedp.CSS("#r-controls")))
	browser.Axe(t, facilTab, "live room, facilitator")
	say := func(ctx context.Context, who, text string) {
		t.Helper()
		do(ctx, who+" says "+text, chromedp.SendKeys(chromedp.CSS("#f-body"), text), chromedp.Click(chromedp.CSS(`#say button[type=submit]`)))
	}
	arrives := func(ctx context.Context, where, text string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("messages").textContent.includes(`+jsString(text)+`)`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("%q never arrived for %s: %v", text, where, err)
		}
	}
	say(facilTab, "facilitator", "Selamat malam, semuanya.")
	arrives(memberTab, "the member", "Selamat malam, semuanya.")
	say(memberTab, "member", "Malam, Kak. Aku baik.")
	arrives(facilTab, "the facilitator", "Malam, Kak. Aku baik.")

	// Mute, then unmute: the member's page follows by itself.
	// (The facilitator's own page reloads on the room's state event too, so
	// the steps wait for the new state rather than for a flash message.)
	senjaRow := `Array.from(document.querySelectorAll("#r-controls ~ .table-wrap tr")).find(function (r) { return r.textContent.includes("Senja") })`
	// A click can land on a page the room's state event is about to reload;
	// muting and unmuting are idempotent, so the step clicks again until the
	// facilitator's page shows the new state.
	clickUntil := func(what, action, after string) {
		t.Helper()
		waitJS(t, facilTab, what, `(function () { var r = `+senjaRow+`; if (!r || document.readyState !== "complete") return false;
			if (r.querySelector("input[value=`+after+`]")) return true;
			var b = r.querySelector("input[value=`+action+`] ~ button"); if (b) b.click(); return false })()`)
	}
	clickUntil("mute Senja", "mute", "unmute")
	waitJS(t, facilTab, "mute shown to the facilitator", `!!`+senjaRow+`.querySelector("input[value=unmute]")`)
	waitJS(t, memberTab, "muted member's form gone", `!document.getElementById("say") && document.readyState === "complete"`)
	clickUntil("unmute Senja", "unmute", "mute")
	waitJS(t, memberTab, "unmuted member's form back", `!!document.getElementById("say") && document.readyState === "complete"`)
	waitJS(t, facilTab, "facilitator page settled", `!!`+senjaRow+`.querySelector("input[value=mute]") && document.readyState === "complete"`)
	// Check in, check out, and the facilitator sees the summary.
	// Mark the page, submit, and wait for a new page: a flash message on the
	// old page must not count.
	submit := func(ctx context.Context, what, score string) {
		t.Helper()
		waitJS(t, ctx, "mark "+what, `(window.__before = true)`)
		do(ctx, what, chromedp.Click(chromedp.CSS("#f-score-"+score)), chromedp.Click(chromedp.CSS(`form[action$="/mood"] button`)))
		waitJS(t, ctx, what+" done", `!window.__before && document.readyState === "complete" && !!document.querySelector(".flash")`)
	}
	submit(memberTab, "check in", "3")
	submit(memberTab, "check out", "4")
	browser.Axe(t, memberTab, "live room after check-out")
	// The member leaves feedback on a meeting that has taken place.
	hist, err := env.App.Groups.History(auth.System(context.Background()), 1)
	if err != nil || len(hist) == 0 {
		t.Fatalf("no past meeting: %v", err)
	}
	past := "/groups/1/sessions/" + strconv.FormatInt(hist[0].Occ.Session.ID, 10) + "/" + hist[0].Occ.Key()
	do(memberTab, "open a past meeting", chromedp.Navigate(base+past), chromedp.WaitVisible(chromedp.CSS("#o-feedback")))
	browser.Axe(t, memberTab, "past meeting, feedback form")
	waitJS(t, memberTab, "mark feedback page", `(window.__before = true)`)
	do(memberTab, "give feedback", chromedp.Click(chromedp.CSS("#f-helpful-5")), chromedp.Click(chromedp.CSS("#f-safe-4")),
		chromedp.SendKeys(chromedp.CSS("#f-comment"), "Terima kasih, aku merasa didengar."),
		chromedp.Click(chromedp.CSS(`form[action$="/feedback"] button`)))
	waitJS(t, memberTab, "feedback saved", `!window.__before && document.readyState === "complete" && !!document.querySelector(".flash")`)
	do(facilTab, "reload controls", chromedp.Navigate(base+meeting+"/room"), chromedp.WaitVisible(chromedp.CSS("#r-controls")))
	if txt := browser.Text(t, facilTab, "#r-controls ~ p, section[aria-labelledby=r-controls] p"); !strings.Contains(txt, "4.0") {
		t.Fatalf("mood summary: %q", txt)
	}
}

func jsString(s string) string { return strconv.Quote(s) }

// waitJS waits until expr is true in the page, riding over reloads.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: never true: %s", what, expr)
}
