package app_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyMeasure: a member completes a due PHQ-9 in Indonesian and sees
// their history. The first try leaves questions out and is refused with a
// message beside each; the answered questionnaire leads to the member's own
// chart and table, now with two results. axe-core checks every page.
func TestJourneyMeasure(t *testing.T) {
	env := apptest.New(t)
	base := env.Server.URL
	tab := browser.Start(t)
	do, signIn := tabSteps(t, base)
	signIn(tab, "demo-member")

	do(tab, "questionnaires", chromedp.Navigate(base+"/outcomes"), chromedp.WaitVisible(chromedp.CSS("#m-open")))
	if txt := browser.Text(t, tab, "main"); !strings.Contains(txt, "PHQ-9") || !strings.Contains(txt, "Lanjutan") {
		t.Fatalf("no PHQ-9 follow-up listed: %q", txt)
	}
	browser.Axe(t, tab, "questionnaires")
	due := demoDue(t, env, "demo-member", "phq9")
	do(tab, "open the PHQ-9", chromedp.Click(chromedp.CSS(`a[href="/outcomes/due/`+due+`"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action="/outcomes/due/`+due+`"]`)))
	if txt := browser.Text(t, tab, "main"); !strings.Contains(txt, "Dalam 2 minggu terakhir") || !strings.Contains(txt, "Mengapa kami bertanya") {
		t.Fatalf("the PHQ-9 page is not in Indonesian: %q", txt)
	}
	if n := browser.Count(t, tab, "form fieldset legend"); n != 10 {
		t.Fatalf("%d questions with a legend, want 10", n)
	}
	browser.Axe(t, tab, "PHQ-9")

	// Only the first two answers, then send: every other question is named.
	do(tab, "answer two and send", chromedp.Click(chromedp.CSS(`input[name="i1"][value="1"]`)), chromedp.Click(chromedp.CSS(`input[name="i2"][value="1"]`)),
		chromedp.Click(chromedp.CSS(`form[action^="/outcomes/due/"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	summary := browser.Text(t, tab, ".error-summary")
	for _, want := range []string{"Mohon jawab pertanyaan 3.", "Mohon jawab pertanyaan 9."} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not say %q: %q", want, summary)
		}
	}
	if strings.Contains(summary, "pertanyaan 1.") || strings.Contains(summary, "pertanyaan 10.") {
		t.Errorf("answered or optional questions are listed as missing: %q", summary)
	}
	if n := browser.Count(t, tab, "p.field-error"); n != 7 {
		t.Errorf("%d messages beside questions, want 7 (questions 3 to 9)", n)
	}
	browser.Axe(t, tab, "PHQ-9 with errors")

	// Answer everything (the first two are still chosen) and send.
	actions := []chromedp.Action[chromedp.Void]{}
	for i, v := range []string{"", "", "1", "1", "0", "1", "0", "0", "0"} {
		if v != "" {
			actions = append(actions, chromedp.Click(chromedp.CSS(`input[name="i`+strconv.Itoa(i+1)+`"][value="`+v+`"]`)))
		}
	}
	actions = append(actions, chromedp.Click(chromedp.CSS(`input[name="i10"][value="1"]`)),
		chromedp.Click(chromedp.CSS(`form[action^="/outcomes/due/"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("main svg")))
	do(tab, "answer all and send", actions...)
	if loc := browser.Location(t, tab); !strings.HasSuffix(loc, "/outcomes/history/phq9") {
		t.Fatalf("after sending, at %s", loc)
	}
	if txt := browser.Text(t, tab, ".flash"); !strings.Contains(txt, "Terima kasih") {
		t.Errorf("no thanks: %q", txt)
	}
	if n := browser.Count(t, tab, "main svg circle"); n != 2 {
		t.Errorf("%d points on the chart, want the baseline and today's", n)
	}
	table := browser.Text(t, tab, "main table")
	if !strings.Contains(table, "Saat bergabung") || !strings.Contains(table, "Lanjutan") || !strings.Contains(table, "Ringan") {
		t.Errorf("the history table: %q", table)
	}
	if browser.Count(t, tab, "#help-card") != 0 {
		t.Error("the help card is shown though item 9 was answered 'not at all'")
	}
	browser.Axe(t, tab, "PHQ-9 history")
	do(tab, "back to the list", chromedp.Navigate(base+"/outcomes"), chromedp.WaitVisible(chromedp.CSS("#m-history")))
	if txt := browser.Text(t, tab, `section[aria-labelledby="m-open"]`); strings.Contains(txt, "PHQ-9") {
		t.Errorf("the PHQ-9 is still listed as open: %q", txt)
	}
	browser.Axe(t, tab, "questionnaires after answering")
}
