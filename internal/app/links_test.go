package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/hsds"
)

// A professional finds a service in the directory and refers someone to it
// from its page: the referral form comes filled with that service, and the
// form names it. Members see no referral link.
func TestReferralFromTheDirectory(t *testing.T) {
	env := apptest.New(t)
	page, err := env.App.HSDS.Search(context.Background(), hsds.Filter{Text: "Healing119"})
	if err != nil || len(page.Services) == 0 {
		t.Fatalf("demo service: %v %+v", err, page)
	}
	sv := page.Services[0]
	link := "/referrals/new?service=" + sv.ID
	prof := env.AsDemo("demo-professional")
	if res := prof.Get("/services/" + sv.ID); res.StatusCode != 200 || !strings.Contains(res.Body, link) {
		t.Fatalf("service page for a professional: %d, link %q missing", res.StatusCode, link)
	}
	if res := env.AsDemo("demo-member").Get("/services/" + sv.ID); strings.Contains(res.Body, "/referrals/new") {
		t.Fatal("a member is offered a referral")
	}
	res := prof.Get(link)
	if res.StatusCode != 200 || !strings.Contains(res.Body, `value="`+sv.ID+`"`) {
		t.Fatalf("referral form not filled with the service: %d", res.StatusCode)
	}
	if got, err := env.App.Referrals.Services.ServiceName(context.Background(), sv.ID); err != nil || got != sv.Name {
		t.Fatalf("referrals name the service %q, %v; want %q", got, err, sv.Name)
	}
}
