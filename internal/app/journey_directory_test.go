package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyDirectory: someone who is not signed in searches the services
// in Indonesian with a word form ("kecemasan"), keeps free online services,
// opens one and reports a wrong phone number; a coordinator, in another
// browser, finds the report in the queue, resolves it with a note and marks
// the listing verified; the public page then shows today's date, in
// Indonesian and in English. axe-core checks every page visited.
func TestJourneyDirectory(t *testing.T) {
	env := apptest.New(t)
	base := env.Server.URL
	visitor := browser.Start(t)
	coordTab, cancel := chromedp.NewContext(visitor, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	do, signIn := tabSteps(t, base)
	pelita := "/services/" + app.DemoServiceID("pelita")

	do(visitor, "the directory", chromedp.Navigate(base+"/services"), chromedp.WaitVisible(chromedp.CSS("#f-q")))
	waitJS(t, visitor, "use my location is offered with JavaScript", `!document.querySelector("[data-locate]").hidden`)
	browser.Axe(t, visitor, "directory search")
	do(visitor, "search for free online help with anxiety",
		chromedp.SendKeys(chromedp.CSS("#f-q"), "kecemasan"),
		chromedp.SetValue(chromedp.CSS("#f-cost"), "free"),
		chromedp.SetValue(chromedp.CSS("#f-delivery"), "online"),
		chromedp.Click(chromedp.CSS(`form[action="/services"] button[type=submit]`)))
	waitJS(t, visitor, "the results of the search", `location.search.includes("q=kecemasan") && document.readyState === "complete" && !!document.querySelector(".dir-results")`)
	results := browser.Text(t, visitor, "main")
	for _, want := range []string{"Ruang Konseling Pelita (contoh)", "Kelas Daring Kelola Cemas (contoh)", "Gratis", "Daring"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q: %q", want, results)
		}
	}
	if strings.Contains(results, "Klinik Psikiatri Seroja") {
		t.Error("a paid clinic is among free online results")
	}
	browser.Axe(t, visitor, "search results")
	do(visitor, "open the service", chromedp.Click(chromedp.CSS(`.dir-results a[href="`+pelita+`"]`)), chromedp.WaitVisible(chromedp.CSS("#verified")))
	if txt := browser.Text(t, visitor, "main"); !strings.Contains(txt, "Jam buka") || !strings.Contains(txt, "+62 000 0000 0101") {
		t.Fatalf("service page: %q", txt)
	}
	browser.Axe(t, visitor, "service page")
	do(visitor, "report a problem", chromedp.Click(chromedp.CSS(`a[href="`+pelita+`/report"]`)), chromedp.WaitVisible(chromedp.CSS("#f-reason-phone")))
	browser.Axe(t, visitor, "report form")
	do(visitor, "send without a reason", chromedp.Click(chromedp.CSS(`form[action$="/report"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#e-reason")))
	browser.Axe(t, visitor, "report form with an error")
	do(visitor, "send the report",
		chromedp.Click(chromedp.CSS("#f-reason-phone")),
		chromedp.SendKeys(chromedp.CSS("#f-note"), "Nomornya sekarang 0000-1111, kata resepsionis."),
		chromedp.Click(chromedp.CSS(`form[action$="/report"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if loc := browser.Location(t, visitor); !strings.HasSuffix(loc, pelita) {
		t.Fatalf("after reporting, at %s", loc)
	}

	// The coordinator answers the report and verifies the listing.
	signIn(coordTab, "demo-coordinator")
	do(coordTab, "the directory's curation", chromedp.Navigate(base+"/services/manage"), chromedp.WaitVisible(chromedp.CSS("main table")))
	browser.Axe(t, coordTab, "curation list")
	do(coordTab, "the problem reports", chromedp.Click(chromedp.CSS(`a[href="/services/manage/problems"]`)), chromedp.WaitVisible(chromedp.CSS("main .posts")))
	queue := browser.Text(t, coordTab, "main")
	if !strings.Contains(queue, "Nomornya sekarang 0000-1111") || !strings.Contains(queue, "Nomor telepon salah") {
		t.Fatalf("the queue: %q", queue)
	}
	browser.Axe(t, coordTab, "problem queue")
	card := `(function(){return Array.from(document.querySelectorAll("main .posts > li")).find(function(li){return li.textContent.includes("0000-1111")})})()`
	waitJS(t, coordTab, "write the answer", `(function(){var li=`+card+`; li.querySelector("textarea").value="Nomor diperbarui setelah menelepon layanan."; return true})()`)
	waitJS(t, coordTab, "resolve", `(function(){`+card+`.querySelector("button[value=resolve]").click(); return true})()`)
	do(coordTab, "resolved", chromedp.WaitVisible(chromedp.CSS(".flash")))
	if txt := browser.Text(t, coordTab, ".flash"); !strings.Contains(txt, "diselesaikan") {
		t.Fatalf("after resolving: %q", txt)
	}
	do(coordTab, "the handled reports", chromedp.Navigate(base+"/services/manage/problems?status=handled"), chromedp.WaitVisible(chromedp.CSS("main .posts")))
	if txt := browser.Text(t, coordTab, "main"); !strings.Contains(txt, "Nomor diperbarui setelah menelepon layanan.") {
		t.Fatalf("handled: %q", txt)
	}
	browser.Axe(t, coordTab, "handled reports")
	do(coordTab, "the listing's edit form", chromedp.Navigate(base+pelita+"/edit"), chromedp.WaitVisible(chromedp.CSS("#f-opens_mo")))
	browser.Axe(t, coordTab, "edit form")
	do(coordTab, "the listing", chromedp.Navigate(base+pelita), chromedp.WaitVisible(chromedp.CSS(`form[action="`+pelita+`/verify"]`)))
	do(coordTab, "mark verified today", chromedp.Click(chromedp.CSS(`form[action="`+pelita+`/verify"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))

	// The public page shows today's date.
	b, err := i18n.Load("id")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(app.RegionZone("ID"))
	today, _ := b.Date("id", now)
	todayEN, _ := b.Date("en", now)
	do(visitor, "the listing again", chromedp.Navigate(base+pelita), chromedp.WaitVisible(chromedp.CSS("#verified")))
	if txt := browser.Text(t, visitor, "#verified"); txt != "Terakhir diperiksa pada "+today {
		t.Fatalf("verified line: %q, want today %s", txt, today)
	}
	do(visitor, "in English", chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)))
	if txt := browser.Text(t, visitor, "#verified"); txt != "Last verified on "+todayEN {
		t.Fatalf("verified line in English: %q", txt)
	}
	browser.Axe(t, visitor, "service page in English")
	do(visitor, "an impossible place", chromedp.Navigate(base+"/services?place=-95,106.8"), chromedp.WaitVisible(chromedp.CSS("#e-place")))
	if txt := browser.Text(t, visitor, "#e-place"); !strings.Contains(txt, "between -90 and 90") {
		t.Fatalf("impossible latitude: %q", txt)
	}
	browser.Axe(t, visitor, "search with an impossible place")
}
