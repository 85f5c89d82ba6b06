package app_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyEvaluation: a coordinator opens the evaluation dashboard,
// narrows it to one group, opens the printable sponsor report, and
// downloads both research exports from the dashboard; the CSV holds no
// account name. axe-core checks every page.
func TestJourneyEvaluation(t *testing.T) {
	env := apptest.New(t)
	t.Cleanup(func() { os.RemoveAll(env.App.Evaluation.ExportDir) })
	base := env.Server.URL
	tab := browser.Start(t)
	do, signIn := tabSteps(t, base)
	signIn(tab, "demo-coordinator")

	do(tab, "dashboard", chromedp.Navigate(base+"/evaluation"), chromedp.WaitVisible(chromedp.CSS(`svg[role="img"]`)))
	if txt := browser.Text(t, tab, "main"); !strings.Contains(txt, "Yayasan Rangkul Jiwa") || !strings.Contains(txt, "PHQ-9") {
		t.Fatalf("dashboard: %q", txt)
	}
	browser.Axe(t, tab, "evaluation dashboard")

	do(tab, "filter to one group", chromedp.SetValue(chromedp.CSS("#f-group"), "1"),
		chromedp.Click(chromedp.CSS(`form[action="/evaluation"] button[type=submit]`)))
	waitJS(t, tab, "the group's dashboard", `location.search.includes("group=1") && document.readyState === "complete" && !!document.querySelector("main .lead")`)
	if lead := browser.Text(t, tab, "main .lead"); !strings.Contains(lead, "Ruang Tenang") {
		t.Fatalf("after filtering: %q", lead)
	}
	browser.Axe(t, tab, "dashboard of one group")

	do(tab, "reports", chromedp.Click(chromedp.CSS(`a[href="/evaluation/reports"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/evaluation/reports/1"]`)))
	browser.Axe(t, tab, "reports")
	do(tab, "printable report", chromedp.Click(chromedp.CSS(`a[href="/evaluation/reports/1"]`)), chromedp.WaitVisible(chromedp.CSS("article.report h1")),
		chromedp.WaitVisible(chromedp.CSS("button[data-print]")))
	if txt := browser.Text(t, tab, "article.report"); !strings.Contains(txt, "Laporan dukungan sebaya") || !strings.Contains(txt, "Cerita Anda") {
		t.Fatalf("report: %q", txt)
	}
	browser.Axe(t, tab, "printable report")
	// The button prints (window.print is stubbed so the test does not wait on a dialog).
	do(tab, "print", chromedp.Evaluate[chromedp.Void](`window.print = function () { window.printed = true }`),
		chromedp.Click(chromedp.CSS("button[data-print]")))
	waitJS(t, tab, "print was asked for", `window.printed === true`)

	names := accountNames(t, env)
	download := func(format string) string {
		t.Helper()
		do(tab, "dashboard for "+format, chromedp.Navigate(base+"/evaluation"), chromedp.WaitVisible(chromedp.CSS("#f-format-"+format)))
		do(tab, "export "+format, chromedp.Click(chromedp.CSS("#f-format-"+format)),
			chromedp.Click(chromedp.CSS(`form[action="/evaluation/exports"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#export-status")))
		// The page brings itself up to date until the file is offered.
		waitJS(t, tab, format+" export ready", `!!document.querySelector("#export-status a[href$='/file']")`)
		browser.Axe(t, tab, format+" export ready")
		body, err := chromedp.Run(tab, chromedp.Evaluate[string](
			`fetch(document.querySelector("#export-status a[href$='/file']").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	csvText := download("csv")
	if !strings.HasPrefix(csvText, "pseudonym,instrument,item,value,total,band,timepoint,days_since_baseline,group_topic,age_band,region,gender\n") ||
		strings.Count(csvText, "\n") < 100 {
		t.Fatalf("CSV: %.300q", csvText)
	}
	for _, n := range names {
		if strings.Contains(csvText, n) {
			t.Fatalf("the downloaded CSV names %s", n)
		}
	}
	var bundle struct{ ResourceType string }
	if err := json.Unmarshal([]byte(download("fhir")), &bundle); err != nil || bundle.ResourceType != "Bundle" {
		t.Fatalf("FHIR: %v %q", err, bundle.ResourceType)
	}
}
