package app_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyReferral: a professional refers a patient to a group (after
// being told a referral needs consent); the facilitator opens and accepts
// it and gets the code; a new account joins the group with the code; after
// the facilitator records the meeting's attendance, the referrer sees
// "attended", in Indonesian and in English. Three browsers, axe-core on
// every page.
func TestJourneyReferral(t *testing.T) {
	env := apptest.New(t)
	base := env.Server.URL
	profTab := browser.Start(t)
	facTab, cancelF := chromedp.NewContext(profTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelF)
	patientTab, cancelP := chromedp.NewContext(profTab, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelP)
	do, signIn := tabSteps(t, base)
	signIn(profTab, "demo-professional")
	signIn(facTab, "demo-facilitator")

	// The professional refers someone to Ruang Tenang, forgetting consent first.
	do(profTab, "referral form", chromedp.Navigate(base+"/referrals/new"), chromedp.WaitVisible(chromedp.CSS(`form[action="/referrals"]`)))
	browser.Axe(t, profTab, "referral form")
	do(profTab, "refer without consent",
		chromedp.SetValue(chromedp.CSS("#f-group_id"), "1"),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Embun"),
		chromedp.SendKeys(chromedp.CSS("#f-contact"), "0812 3456 7890, sore hari"),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "Sering panik di kendaraan umum; ingin berbagi dengan teman sebaya."),
		chromedp.Click(chromedp.CSS(`form[action="/referrals"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#e-consent")))
	if txt := browser.Text(t, profTab, "#e-consent"); !strings.Contains(txt, "persetujuan") {
		t.Fatalf("the consent message: %q", txt)
	}
	browser.Axe(t, profTab, "referral form with errors")
	do(profTab, "refer with consent",
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS("#f-consent_method")),
		chromedp.Click(chromedp.CSS(`form[action="/referrals"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	loc := browser.Location(t, profTab)
	path := loc[strings.Index(loc, "/referrals/"):]
	if txt := browser.Text(t, profTab, "main"); !strings.Contains(txt, "Terkirim") || !strings.Contains(txt, "Embun") {
		t.Fatalf("the new referral: %q", txt)
	}
	browser.Axe(t, profTab, "referral, referrer")

	// The facilitator finds it among the referrals to their groups and accepts.
	do(facTab, "referrals list", chromedp.Navigate(base+"/referrals"), chromedp.WaitVisible(chromedp.CSS(`main table`)))
	browser.Axe(t, facTab, "referrals received")
	do(facTab, "open the referral", chromedp.Click(chromedp.CSS(`main table a[href="`+path+`"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/accept"]`)))
	if txt := browser.Text(t, facTab, "main"); !strings.Contains(txt, "Sudah dibuka") || !strings.Contains(txt, "Sering panik") {
		t.Fatalf("the referral for the facilitator: %q", txt)
	}
	browser.Axe(t, facTab, "referral, receiver")
	do(facTab, "accept", chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)), chromedp.WaitVisible(chromedp.CSS("#invitation-code")))
	code := browser.Text(t, facTab, "#invitation-code")
	if len(code) != 9 {
		t.Fatalf("invitation code %q", code)
	}
	browser.Axe(t, facTab, "invitation to print")

	// The patient, without an account, opens the claim page, signs up and
	// joins with the code.
	do(patientTab, "claim page", chromedp.Navigate(base+"/referrals/claim"), chromedp.WaitVisible(chromedp.CSS(`a[href="/register"]`)))
	browser.Axe(t, patientTab, "claim page, signed out")
	do(patientTab, "register", chromedp.Click(chromedp.CSS(`main a[href="/register"]`)), chromedp.WaitVisible(chromedp.CSS("#f-username")),
		chromedp.SendKeys(chromedp.CSS("#f-username"), "embun-pagi"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "embun pagi yang sejuk"),
		chromedp.SendKeys(chromedp.CSS("#f-confirm"), "embun pagi yang sejuk"),
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS(`form[action="/register"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")))
	do(patientTab, "back to the claim page", chromedp.Navigate(base+"/referrals/claim"), chromedp.WaitVisible(chromedp.CSS("#f-code")))
	browser.Axe(t, patientTab, "claim page")
	do(patientTab, "a wrong code", chromedp.SendKeys(chromedp.CSS("#f-code"), "ABCD-EFGH"),
		chromedp.Click(chromedp.CSS(`form[action="/referrals/claim"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#e-code")))
	browser.Axe(t, patientTab, "claim page with a wrong code")
	do(patientTab, "the code", chromedp.SetValue(chromedp.CSS("#f-code"), strings.ToLower(code)),
		chromedp.Click(chromedp.CSS(`form[action="/referrals/claim"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#f-display_name")))
	if txt := browser.Text(t, patientTab, "h1"); !strings.Contains(txt, "Ruang Tenang") {
		t.Fatalf("the code opens %q", txt)
	}
	browser.Axe(t, patientTab, "join with the code")
	do(patientTab, "join", chromedp.SendKeys(chromedp.CSS("#f-display_name"), "Bintang Fajar"),
		chromedp.Click(chromedp.CSS("#f-accept_rules")),
		chromedp.Click(chromedp.CSS(`form[action="/referrals/claim"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if loc := browser.Location(t, patientTab); !strings.HasSuffix(loc, "/groups/1") {
		t.Fatalf("after joining, at %s", loc)
	}
	if txt := browser.Text(t, patientTab, "section[aria-labelledby=g-you]"); !strings.Contains(txt, "Bintang Fajar") {
		t.Fatalf("after joining: %q", txt)
	}
	do(profTab, "the referral, joined", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("#r-came")))
	if txt := browser.Text(t, profTab, "#r-came ~ p"); !strings.Contains(txt, "belum hadir") {
		t.Fatalf("before any meeting: %q", txt)
	}

	// A meeting begins; the facilitator records who came.
	facCtx := as(t, env, "demo-facilitator")
	soon := time.Now().In(env.App.Groups.Zone).Add(10 * time.Minute).Truncate(time.Minute)
	sid, err := env.App.Groups.CreateSession(facCtx, 1, groups.SessionInput{Date: soon.Format("2006-01-02"), Time: soon.Format("15:04"),
		Minutes: "60", Title: "Pertemuan malam ini"})
	if err != nil {
		t.Fatal(err)
	}
	meeting := "/groups/1/sessions/" + strconv.FormatInt(sid, 10) + "/" + strconv.FormatInt(soon.Unix(), 10)
	patientBox := "#p-" + strconv.FormatInt(userIDOf(t, env, "embun-pagi"), 10)
	do(facTab, "the meeting", chromedp.Navigate(base+meeting), chromedp.WaitVisible(chromedp.CSS(patientBox)))
	do(facTab, "roll call", chromedp.Click(chromedp.CSS(patientBox)),
		chromedp.Click(chromedp.CSS(`form[action$="/roll"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))

	// The referrer sees that the person came, and nothing they said.
	do(profTab, "the referral again", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("#r-came")))
	if txt := browser.Text(t, profTab, "main"); !strings.Contains(txt, "Sudah hadir") || !strings.Contains(txt, "hadir pertama kali") {
		t.Fatalf("the referrer after the roll call: %q", txt)
	}
	browser.Axe(t, profTab, "referral attended, Indonesian")
	do(profTab, "in English", chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)))
	if txt := browser.Text(t, profTab, "main"); !strings.Contains(txt, "attended") {
		t.Fatalf("the referrer, in English: %q", txt)
	}
	browser.Axe(t, profTab, "referral attended, English")
	do(profTab, "the list", chromedp.Navigate(base+"/referrals"), chromedp.WaitVisible(chromedp.CSS("main table")))
	if txt := browser.Text(t, profTab, "main table"); !strings.Contains(txt, "First attended") {
		t.Fatalf("the referrer's list: %q", txt)
	}
	browser.Axe(t, profTab, "referrals made")
}
