package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyCrisisInLiveRoom: in three separate browsers, a member types a
// crisis message in a live room and sees the help card at once; the
// facilitator, in the same room, sees an alert appear; the safety lead opens
// the alert from their safety page and resolves it with a note. The member
// also reports a message. Every page is checked with axe-core.
func TestJourneyCrisisInLiveRoom(t *testing.T) {
	env := apptest.New(t)
	meeting := nextMeetingPath(t, env)
	base := env.Server.URL
	memberTab := browser.Start(t)
	facilTab, cancelF := chromedp.NewContext(memberTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelF)
	leadTab, cancelL := chromedp.NewContext(memberTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelL)
	do, signIn := tabSteps(t, base)
	signIn(memberTab, "demo-member")
	signIn(facilTab, "demo-facilitator")
	signIn(leadTab, "demo-moderator")

	do(facilTab, "facilitator opens the room", chromedp.Navigate(base+meeting+"/room"), chromedp.WaitVisible(chromedp.CSS("#r-controls")))
	do(memberTab, "member opens the room", chromedp.Navigate(base+meeting+"/room"), chromedp.WaitVisible(chromedp.CSS("#say")))
	waitJS(t, facilTab, "facilitator's stream open", `document.readyState === "complete" && !!document.getElementById("staff-alerts")`)
	time.Sleep(300 * time.Millisecond) // let both event streams connect

	do(memberTab, "member writes a crisis message",
		chromedp.SendKeys(chromedp.CSS("#f-body"), "aku udah gak kuat, pengin udahan aja hidupnya"),
		chromedp.Click(chromedp.CSS(`#say button[type=submit]`)))
	waitJS(t, memberTab, "the help card shows", `!document.getElementById("help-slot").hidden`)
	if txt := browser.Text(t, memberTab, "#help-card"); !strings.Contains(txt, "SEJIWA") || !strings.Contains(txt, "112") {
		t.Fatalf("help card: %q", txt)
	}
	browser.Axe(t, memberTab, "live room with the help card")

	waitJS(t, facilTab, "the alert reaches the facilitator", `!!document.querySelector("#staff-alerts a[href^='/safety/escalations/']")`)
	browser.Axe(t, facilTab, "live room with an alert")
	// The crisis message is held: the facilitator sees it marked, not the group.
	href, err := chromedp.Run(facilTab, chromedp.Evaluate[string](`document.querySelector("#staff-alerts a").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}

	// The safety lead finds it on the safety page and resolves it.
	do(leadTab, "safety page", chromedp.Navigate(base+"/safety"), chromedp.WaitVisible(chromedp.CSS(`a[href="`+href+`"]`)))
	browser.Axe(t, leadTab, "safety dashboard")
	do(leadTab, "open the alert", chromedp.Click(chromedp.CSS(`a[href="`+href+`"]`)), chromedp.WaitVisible(chromedp.CSS("#f-note")))
	if txt := browser.Text(t, leadTab, "main blockquote"); !strings.Contains(txt, "udahan aja hidupnya") {
		t.Fatalf("alert text: %q", txt)
	}
	browser.Axe(t, leadTab, "alert page")
	do(leadTab, "resolve with a note",
		chromedp.SetValue(chromedp.CSS("#f-status"), "resolved"),
		chromedp.SendKeys(chromedp.CSS("#f-note"), "Sudah saya telepon. Dia aman malam ini bersama ibunya."),
		chromedp.Click(chromedp.CSS(`form[action="`+href+`"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, leadTab, "main"); !strings.Contains(txt, "bersama ibunya") || !strings.Contains(txt, "Selesai") {
		t.Fatalf("after resolving: %q", txt)
	}

	// The member reports the facilitator's welcome message (any message will do).
	do(facilTab, "facilitator says hello", chromedp.SendKeys(chromedp.CSS("#f-body"), "Selamat datang semuanya."),
		chromedp.Click(chromedp.CSS(`#say button[type=submit]`)))
	waitJS(t, memberTab, "message arrives", `document.getElementById("messages").textContent.includes("Selamat datang semuanya.")`)
	do(memberTab, "open the report form",
		chromedp.Navigate(base+meeting+"/room"), chromedp.WaitVisible(chromedp.CSS("#messages a[href^='/report']")))
	waitJS(t, memberTab, "follow the report link", `(function(){var l=Array.from(document.querySelectorAll("#messages li")).find(function(li){return li.textContent.includes("Selamat datang semuanya.")}); l.querySelector("a[href^='/report']").click(); return true})()`)
	do(memberTab, "report form", chromedp.WaitVisible(chromedp.CSS("#f-reason-other")))
	browser.Axe(t, memberTab, "report form")
	do(memberTab, "send the report", chromedp.Click(chromedp.CSS("#f-reason-other")),
		chromedp.SendKeys(chromedp.CSS("#f-detail"), "Hanya mencoba fitur laporan."),
		chromedp.Click(chromedp.CSS(`form[action="/report"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	do(memberTab, "my moderation page", chromedp.Navigate(base+"/account/moderation"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	browser.Axe(t, memberTab, "moderation on my account")
	var reports int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM reports WHERE reason = 'other'`).Scan(&reports); err != nil || reports != 1 {
		t.Fatalf("reports: %d %v", reports, err)
	}
}
