package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/testkit/browser"
)

// TestJourneyRegisterSignInLanguageAndAdmin walks a newcomer and an
// administrator through the foundation in real headless Chromium, checking
// every page it visits with axe-core (WCAG 2.2 AA).
func TestJourneyRegisterSignInLanguageAndAdmin(t *testing.T) {
	env := apptest.New(t)
	ctx := browser.Start(t)
	base := env.Server.URL
	visit := func(label, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s: open %s: %v", label, path, err)
		}
		browser.Axe(t, ctx, label)
	}
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	htmlLang := func() string {
		t.Helper()
		a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
		if err != nil {
			t.Fatalf("read lang: %v", err)
		}
		return a.Value
	}

	// A newcomer arrives (browser default language: the deployment's, Indonesian).
	visit("home", "/")
	if got := htmlLang(); got != "id" {
		t.Fatalf("home lang %q, want id", got)
	}
	visit("register", "/register")

	// A wrong submission first: the message appears beside the field.
	run("register with a short password",
		chromedp.SendKeys(chromedp.CSS("#f-username"), "senja-di-pantai"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "pendek"),
		chromedp.SendKeys(chromedp.CSS("#f-confirm"), "pendek"),
		chromedp.Click(chromedp.CSS(`form[action="/register"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#e-password")))
	browser.Axe(t, ctx, "register with errors")

	// Then right: username and password only, no e-mail, and the consent
	// to taking part, whose text the form shows.
	if txt := browser.Text(t, ctx, ".consent-text"); !strings.Contains(txt, "nama yang saya pilih") {
		t.Fatalf("the sign-up form does not show the participation text: %q", txt)
	}
	run("register",
		chromedp.SendKeys(chromedp.CSS("#f-password"), "ombak tenang sore hari"),
		chromedp.SendKeys(chromedp.CSS("#f-confirm"), "ombak tenang sore hari"),
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS(`form[action="/register"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")))
	codes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.codes code").length`))
	if err != nil {
		t.Fatal(err)
	}
	if codes != 10 {
		t.Fatalf("recovery codes shown: %d, want 10", codes)
	}
	browser.Axe(t, ctx, "recovery codes")
	run("done with codes", chromedp.Click(chromedp.CSS(`main a.btn`)), chromedp.WaitVisible(chromedp.CSS("main .grid")))

	// Sign out, then sign in again.
	run("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	browser.Axe(t, ctx, "signed out")
	visit("login", "/login")
	run("sign in",
		chromedp.SendKeys(chromedp.CSS("#f-username"), "senja-di-pantai"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "ombak tenang sore hari"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if !strings.Contains(browser.Text(t, ctx, ".account"), "senja-di-pantai") {
		t.Fatal("not signed in after sign-in")
	}

	// Switch the language to English with the header's button (a plain form).
	run("switch to English", chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)), chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)))
	if got := htmlLang(); got != "en" {
		t.Fatalf("after switching, lang %q, want en", got)
	}
	if !strings.Contains(browser.Text(t, ctx, "footer"), "Need help now?") {
		t.Fatal("footer help link not in English")
	}
	visit("account", "/account")
	visit("help", "/help")
	if !strings.Contains(browser.Text(t, ctx, "main"), "119") {
		t.Fatal("help page lists no Indonesian crisis line")
	}

	// A member is refused the admin area, politely, in their language.
	visit("admin refused", "/admin")
	if !strings.Contains(browser.Text(t, ctx, "h1"), "not open to you") {
		t.Fatalf("member at /admin saw %q", browser.Text(t, ctx, "h1"))
	}
	run("sign out member", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))

	// The administrator opens the admin area.
	visit("login as admin", "/login?next=/admin")
	run("admin signs in",
		chromedp.SendKeys(chromedp.CSS("#f-username"), "demo-admin"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "rangkul-demo"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if loc := browser.Location(t, ctx); !strings.HasSuffix(loc, "/admin") {
		t.Fatalf("after sign-in with next=/admin, at %s", loc)
	}
	browser.Axe(t, ctx, "admin home")
	for _, p := range []string{"/admin/orgs", "/admin/people", "/admin/people?q=demo&role=member", "/admin/audit", "/admin/help", "/admin/help/new", "/admin/orgs/new"} {
		visit(p, p)
	}
	visit("audit log", "/admin/audit?action=auth.")
	if txt := browser.Text(t, ctx, "main table"); !strings.Contains(txt, "auth.login") || !strings.Contains(txt, "senja-di-pantai") {
		t.Fatalf("audit log lacks the journey's sign-ins: %q", txt)
	}
	visit("not found", "/no/such/page")
}
