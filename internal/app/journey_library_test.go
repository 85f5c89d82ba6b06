package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyLibrary, in Indonesian: a coordinator writes a resource, previews
// and sends it for review; the administrator approves it from the review
// queue; a signed-out visitor finds it by searching "cemas" for a text about
// "kecemasan" and reads it. Three browsers, axe-core on every page.
func TestJourneyLibrary(t *testing.T) {
	env := apptest.New(t)
	base := env.Server.URL
	coordTab := browser.Start(t)
	adminTab, cancelA := chromedp.NewContext(coordTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelA)
	visitorTab, cancelV := chromedp.NewContext(coordTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelV)
	do, signIn := tabSteps(t, base)
	signIn(coordTab, "demo-coordinator")
	signIn(adminTab, "demo-admin")

	const title = "Mengelola kecemasan di tempat kerja"
	do(coordTab, "the writers' desk", chromedp.Navigate(base+"/library/manage"), chromedp.WaitVisible(chromedp.CSS(`a[href="/library/new"]`)))
	browser.Axe(t, coordTab, "library desk, coordinator")
	do(coordTab, "write a resource", chromedp.Click(chromedp.CSS(`main a[href="/library/new"]`)), chromedp.WaitVisible(chromedp.CSS("#f-title")),
		chromedp.SetValue(chromedp.CSS("#f-topic"), "anxiety"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "Tenggat dan rapat bisa membuat cemas. Beberapa langkah kecil yang membantu."),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Kecemasan di tempat kerja sering datang pelan-pelan.\n\n- beri jeda singkat\n- bicarakan beban kerja dengan **atasan**"),
		chromedp.Click(chromedp.CSS(`button[value="preview"]`)), chromedp.WaitVisible(chromedp.CSS("#l-preview")))
	if txt := browser.Text(t, coordTab, "main"); !strings.Contains(txt, title) || !strings.Contains(txt, "Nama penulis yang ditampilkan: Laras") {
		t.Fatalf("preview: %q", txt)
	}
	browser.Axe(t, coordTab, "library form with a preview")
	do(coordTab, "save the draft", chromedp.Click(chromedp.CSS(`button[value="save"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/submit"]`)))
	browser.Axe(t, coordTab, "library draft")
	do(coordTab, "send for review", chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/withdraw"]`)))
	if txt := browser.Text(t, coordTab, "main"); !strings.Contains(txt, "Terkirim untuk diperiksa") || !strings.Contains(txt, "rekan yang akan memeriksanya") {
		t.Fatalf("after sending for review: %q", txt)
	}

	do(adminTab, "the review queue", chromedp.Navigate(base+"/library/manage"), chromedp.WaitVisible(chromedp.CSS("#m-queue")))
	browser.Axe(t, adminTab, "library desk, reviewer")
	waitJS(t, adminTab, "open the resource to review", `(function(){var a=Array.from(document.querySelectorAll("a[href^='/library/']")).find(function(a){return a.textContent.includes("`+title+`")}); if(!a){return false} a.click(); return true})()`)
	do(adminTab, "the review form", chromedp.WaitVisible(chromedp.CSS(`form[action$="/approve"]`)))
	browser.Axe(t, adminTab, "library resource in review")
	do(adminTab, "approve", chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href$="/unpublish"]`)))
	if txt := browser.Text(t, adminTab, ".flash"); !strings.Contains(txt, "Disetujui") {
		t.Fatalf("after approving: %q", txt)
	}

	do(visitorTab, "the library", chromedp.Navigate(base+"/library"), chromedp.WaitVisible(chromedp.CSS("#f-q")))
	if lang := browser.Title(t, visitorTab); !strings.Contains(lang, "Pustaka sumber") {
		t.Fatalf("the library is not in Indonesian: %q", lang)
	}
	browser.Axe(t, visitorTab, "library list")
	do(visitorTab, "search cemas", chromedp.SendKeys(chromedp.CSS("#f-q"), "cemas"),
		chromedp.Click(chromedp.CSS(`form[role="search"] button[type=submit]`)))
	waitJS(t, visitorTab, "the results of cemas", `location.search.includes("q=cemas") && document.readyState === "complete" && !!document.querySelector("ul.cards")`)
	if txt := browser.Text(t, visitorTab, "main"); !strings.Contains(txt, title) || !strings.Contains(txt, "Mengenali kecemasan") {
		t.Fatalf("searching cemas: %q", txt)
	}
	browser.Axe(t, visitorTab, "library search results")
	waitJS(t, visitorTab, "open the result", `(function(){var a=Array.from(document.querySelectorAll("main h2 a")).find(function(a){return a.textContent.includes("`+title+`")}); if(!a){return false} a.click(); return true})()`)
	do(visitorTab, "the resource", chromedp.WaitVisible(chromedp.CSS("#l-about")))
	if txt := browser.Text(t, visitorTab, "main"); !strings.Contains(txt, "Ditulis oleh Laras") || !strings.Contains(txt, "Diperiksa oleh Bima") ||
		!strings.Contains(txt, "bicarakan beban kerja dengan atasan") {
		t.Fatalf("the published resource: %q", txt)
	}
	browser.Axe(t, visitorTab, "library resource")
}
