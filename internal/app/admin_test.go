package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
)

func TestAdminManagesOrganisationsAndRoles(t *testing.T) {
	env := apptest.New(t)
	admin := env.AsDemo("demo-admin")
	admin.Lang = "en"
	res := admin.Post("/admin/orgs", url.Values{"name": {"Puskesmas Sleman"}, "slug": {"puskesmas-sleman"}, "kind": {"puskesmas"}, "region": {"DI Yogyakarta"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create org: %d", res.StatusCode)
	}
	orgPath := res.Header.Get("Location")
	res = admin.Post("/admin/orgs", url.Values{"name": {"Again"}, "slug": {"puskesmas-sleman"}, "kind": {"puskesmas"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "already uses that web name") {
		t.Fatalf("duplicate slug: %d", res.StatusCode)
	}
	res = admin.Post("/admin/orgs", url.Values{"name": {"<b>x</b>"}, "slug": {"x y"}, "kind": {"castle"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-name"`) {
		t.Fatalf("bad org: %d", res.StatusCode)
	}
	// Give demo-member a facilitator role there, by username.
	res = admin.Post(orgPath+"/grants", url.Values{"username": {"demo-member"}, "role": {"facilitator"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d %s", res.StatusCode, res.Body)
	}
	res = admin.Post(orgPath+"/grants", url.Values{"username": {"no-such-person"}, "role": {"facilitator"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "no account with that username") {
		t.Fatalf("grant to nobody: %d", res.StatusCode)
	}
	page := admin.Get(orgPath)
	if !strings.Contains(page.Body, "demo-member") || !strings.Contains(page.Body, "Facilitator") {
		t.Fatal("organisation page does not list the new facilitator")
	}
	// The member now sees the role on their account page.
	m := env.AsDemo("demo-member")
	m.Lang = "en"
	if acc := m.Get("/account"); !strings.Contains(acc.Body, "Facilitator · Puskesmas Sleman") {
		t.Fatal("role not visible to the member")
	}
	// Revoke it again from the person page.
	member, _ := env.App.Auth.PersonByName(auth.System(context.Background()), "demo-member")
	orgID := strings.TrimPrefix(orgPath, "/admin/orgs/")
	res = admin.Post("/admin/people/"+strconv.FormatInt(member.User.ID, 10)+"/revoke", url.Values{"org": {orgID}, "role": {"facilitator"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	// Every step is in the audit log, with who did it.
	audit := admin.Get("/admin/audit?action=admin.")
	for _, want := range []string{"admin.org.create", "admin.role.grant", "admin.role.revoke", "demo-admin"} {
		if !strings.Contains(audit.Body, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	// People search and paging.
	list := admin.Get("/admin/people?q=demo-&page=1")
	if !strings.Contains(list.Body, "8 accounts found") {
		t.Fatalf("people search: %s", between(list.Body, `role="status">`, "<"))
	}
	all := admin.Get("/admin/people")
	if !strings.Contains(all.Body, `rel="next"`) {
		t.Fatal("the people list of the demo network should have a second page")
	}
}

func TestOrganisationAdminIsConfinedToTheirOrganisation(t *testing.T) {
	env := apptest.New(t)
	ctx := auth.System(context.Background())
	yayasan, _ := env.App.Auth.OrgBySlug(ctx, "yayasan-rangkul-jiwa")
	klinik, _ := env.App.Auth.OrgBySlug(ctx, "klinik-jiwa-sehat-bandung")
	u, _, _ := env.App.Auth.Register(ctx, auth.Registration{Username: "ketua-yayasan", Password: "ketua yayasan rahasia"})
	env.App.Auth.GrantRole(ctx, u.ID, yayasan.ID, auth.RoleAdmin)
	c := env.As("ketua-yayasan", "ketua yayasan rahasia")
	if res := c.Get("/admin/orgs/" + strconv.FormatInt(klinik.ID, 10)); res.StatusCode != http.StatusForbidden {
		t.Fatalf("other organisation's page: %d", res.StatusCode)
	}
	res := c.Post("/admin/orgs/"+strconv.FormatInt(klinik.ID, 10)+"/grants", url.Values{"username": {"ketua-yayasan"}, "role": {"admin"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("granting in another organisation: %d", res.StatusCode)
	}
	outsider, _ := env.App.Auth.PersonByName(ctx, "dr.handayani")
	if res := c.Get("/admin/people/" + strconv.FormatInt(outsider.User.ID, 10)); res.StatusCode != http.StatusForbidden {
		t.Fatalf("opening another organisation's person: %d", res.StatusCode)
	}
	list := c.Get("/admin/people?q=handayani")
	if strings.Contains(list.Body, "dr.handayani") {
		t.Fatal("people search leaks another organisation's people")
	}
}

func TestCrisisLinesAreEditableData(t *testing.T) {
	env := apptest.New(t)
	admin := env.AsDemo("demo-admin")
	admin.Lang = "en"
	lines, _ := env.App.Help.Lines(context.Background(), "ID")
	first := lines[0]
	form := url.Values{"region": {"ID"}, "name": {first.Name}, "contact": {"119 ext. 8"}, "note_en": {first.NoteEN},
		"note_id": {first.NoteID}, "sort_order": {"10"}, "last_verified": {time.Now().UTC().AddDate(0, 0, 3).Format("2006-01-02")}}
	path := "/admin/help/" + strconv.FormatInt(first.ID, 10)
	if res := admin.Post(path, form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "cannot be in the future") {
		t.Fatalf("future date: %d", res.StatusCode)
	}
	form.Set("last_verified", "2026-01-15")
	form.Set("url", "javascript:alert(1)")
	if res := admin.Post(path, form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-url"`) {
		t.Fatalf("javascript URL: %d", res.StatusCode)
	}
	form.Set("url", "")
	form.Set("hours", "24 jam")
	if res := admin.Post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	public := env.Stranger()
	public.Lang = "en"
	page := public.Get("/help")
	if !strings.Contains(page.Body, "24 jam") || !strings.Contains(page.Body, "Last checked: 15 January 2026") {
		t.Fatal("help page does not show the edited line and its date")
	}
	// Deleting asks first (GET shows a confirmation), then removes.
	if res := admin.Get(path + "/delete"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "cannot be undone") {
		t.Fatalf("confirm page: %d", res.StatusCode)
	}
	if res := admin.Post(path+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	after, _ := env.App.Help.Lines(context.Background(), "ID")
	if len(after) != len(lines)-1 {
		t.Fatalf("lines after delete: %d, want %d", len(after), len(lines)-1)
	}
	// The UK lines are there for a visitor from elsewhere.
	if !strings.Contains(page.Body, "116 123") {
		t.Fatal("other regions' lines missing")
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return s
}
