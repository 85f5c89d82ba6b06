package app_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// tabSteps returns helpers for journeys with several browser tabs: do runs
// steps on a tab's own context (a first run under a derived, timed context
// would tie a new tab's life to that context), and signIn signs a demo
// account in.
func tabSteps(t *testing.T, base string) (do func(ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]), signIn func(ctx context.Context, user string)) {
	do = func(ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	signIn = func(ctx context.Context, user string) {
		t.Helper()
		do(ctx, "sign in as "+user, chromedp.Navigate(base+"/login"),
			chromedp.SendKeys(chromedp.CSS("#f-username"), user),
			chromedp.SendKeys(chromedp.CSS("#f-password"), "rangkul-demo"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")))
	}
	return do, signIn
}
