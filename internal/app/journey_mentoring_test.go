package app_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyMentoring: a member asks for a mentor; the coordinator runs the
// matching and sees why; the mentor and the member accept; the mentor logs a
// check-in. Three browsers, axe-core on every page.
func TestJourneyMentoring(t *testing.T) {
	env := apptest.New(t)
	base := env.Server.URL
	memberTab := browser.Start(t)
	coordTab, cancelC := chromedp.NewContext(memberTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelC)
	mentorTab, cancelM := chromedp.NewContext(memberTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelM)
	do, signIn := tabSteps(t, base)
	signIn(memberTab, "demo-member")
	signIn(coordTab, "demo-coordinator")
	signIn(mentorTab, "demo-mentor")

	do(memberTab, "mentoring page", chromedp.Navigate(base+"/mentoring"), chromedp.WaitVisible(chromedp.CSS(`form[action="/mentoring/requests"]`)))
	browser.Axe(t, memberTab, "mentoring, ask")
	do(memberTab, "ask for a mentor",
		chromedp.SendKeys(chromedp.CSS("#f-display_name"), "Senja"),
		chromedp.SetValue(chromedp.CSS("#f-language-0"), "id"),
		chromedp.Click(chromedp.CSS("#f-topics-0-kecemasan")),
		chromedp.Click(chromedp.CSS(`form[action="/mentoring/requests"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))

	org := strconv.FormatInt(yayasanID(t, env), 10)
	do(coordTab, "dashboard", chromedp.Navigate(base+"/mentoring/coordinate/"+org), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if txt := browser.Text(t, coordTab, "main"); !strings.Contains(txt, "Senja") || !strings.Contains(txt, "Cahaya") {
		t.Fatalf("dashboard before matching: %q", txt)
	}
	browser.Axe(t, coordTab, "mentoring dashboard")
	do(coordTab, "run matching", chromedp.Click(chromedp.CSS(`form[action$="/match"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, coordTab, "main"); !strings.Contains(txt, "tatap muka di wilayah ini") {
		t.Fatalf("after matching, Cahaya should still wait with a reason: %q", txt)
	}
	// The coordinator opens Senja's proposal and sees why.
	waitJS(t, coordTab, "open Senja's proposal", `(function(){var a=Array.from(document.querySelectorAll("a[href^='/mentoring/pairs/']")).find(function(a){return a.textContent.includes("Senja")}); if(!a){return false} a.click(); return true})()`)
	do(coordTab, "proposal", chromedp.WaitVisible(chromedp.CSS("#p-why")))
	if txt := browser.Text(t, coordTab, "main"); !strings.Contains(txt, "Mengapa cocok") || !strings.Contains(txt, "Kecemasan") && !strings.Contains(txt, "kecemasan") {
		t.Fatalf("why this match, for the coordinator: %q", txt)
	}
	browser.Axe(t, coordTab, "proposal, coordinator")

	do(mentorTab, "mentor's page", chromedp.Navigate(base+"/mentoring"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	waitJS(t, mentorTab, "open the proposal", `(function(){var a=Array.from(document.querySelectorAll("a[href^='/mentoring/pairs/']")).find(function(a){return a.textContent.includes("Senja")}); if(!a){return false} a.click(); return true})()`)
	do(mentorTab, "pair page", chromedp.WaitVisible(chromedp.CSS(`form[action$="/accept"]`)))
	if txt := browser.Text(t, mentorTab, "main"); !strings.Contains(txt, "Mengapa cocok") {
		t.Fatalf("no why-this-match: %q", txt)
	}
	browser.Axe(t, mentorTab, "proposed pair")
	loc := browser.Location(t, mentorTab)
	path := loc[strings.Index(loc, "/mentoring/pairs/"):]
	do(mentorTab, "mentor accepts", chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[value="1"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	do(memberTab, "member opens the pair", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`form[action$="/accept"]`)))
	do(memberTab, "member accepts", chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[value="1"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	browser.Axe(t, memberTab, "active pair, member")
	do(mentorTab, "reload", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`form[action$="/checkins"]`)))
	do(mentorTab, "log a check-in", chromedp.SendKeys(chromedp.CSS("#f-body"), "Kami berkenalan lewat video. Senja ingin latihan napas sebelum rapat."),
		chromedp.Click(chromedp.CSS(`form[action$="/checkins"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, mentorTab, "main"); !strings.Contains(txt, "latihan napas") {
		t.Fatalf("the check-in is not shown: %q", txt)
	}
	browser.Axe(t, mentorTab, "active pair with a check-in")
}
