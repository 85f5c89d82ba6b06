package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
)

// resourceForm is a complete article form for Yayasan.
func resourceForm(org int64, title string) url.Values {
	return url.Values{"org": {strconv.FormatInt(org, 10)}, "kind": {"article"}, "language": {"id"}, "topic": {"anxiety"},
		"title": {title}, "summary": {"Tentang kecemasan menjelang ujian dan cara menenangkan diri."},
		"body":        {"Kecemasan menjelang ujian itu wajar.\n\n- tarik napas pelan\n- **istirahat** cukup\n\n<script>alert(1)</script>"},
		"author_name": {"Kak Laras"}, "op": {"save"}}
}

var resourcePath = regexp.MustCompile(`^/library/(\d+)$`)

// The demo library is public: a stranger reads published resources in both
// languages, pages through them, filters them, and never sees a draft or a
// resource in review.
func TestLibraryDemoIsPublic(t *testing.T) {
	env := apptest.New(t)
	stranger := env.Stranger()
	list := stranger.Get("/library")
	if list.StatusCode != 200 || !strings.Contains(list.Body, "10 sumber ditemukan") || !strings.Contains(list.Body, "Halaman 1 dari 2") {
		t.Fatalf("the demo library's first page: %d", list.StatusCode)
	}
	for _, hidden := range []string{"Berduka itu wajar", "Looking after yourself while caring", "Tidur cukup untuk remaja"} {
		if strings.Contains(list.Body, hidden) || strings.Contains(stranger.Get("/library?page=2").Body, hidden) {
			t.Errorf("%q is not published but is listed", hidden)
		}
	}
	if p2 := stranger.Get("/library?page=2"); !strings.Contains(p2.Body, "Mengenali kecemasan dan cara menenangkannya") || !strings.Contains(p2.Body, `rel="prev"`) {
		t.Fatal("the oldest resource is not on page 2")
	}
	links := stranger.Get("/library?kind=link&language=en")
	if !strings.Contains(links.Body, "2 sumber ditemukan") || !strings.Contains(links.Body, "Samaritans (UK)") || strings.Contains(links.Body, "Healing119") {
		t.Fatal("filtering by kind and language")
	}
	if none := stranger.Get("/library?q=zzzyx"); !strings.Contains(none.Body, "Belum ada yang cocok") || !strings.Contains(none.Body, `href="/library"`) {
		t.Fatal("an empty search does not say so")
	}
	page := stranger.Get("/library/1")
	for _, want := range []string{"Mengenali kecemasan", "Ditulis oleh Laras, Yayasan Rangkul Jiwa", "Diperiksa oleh Bima pada", "Terbit pada",
		`<ol>`, `lang="id"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("resource 1 lacks %q", want)
		}
	}
	if strings.Contains(page.Body, `action="/library/1/`) {
		t.Error("a stranger sees the writers' controls")
	}
	stranger.Lang = "en"
	en := stranger.Get("/library?q=sleeping")
	if !strings.Contains(en.Body, "1 resource found") || !strings.Contains(en.Body, "Sleep and mood") {
		t.Fatal("an English search by another word form")
	}
	who := stranger.Get("/library?q=who")
	if !strings.Contains(who.Body, "Doing What Matters") || !strings.Contains(who.Body, "WHO events and webinars") {
		t.Fatal("links are not found by the site they point to")
	}
	id := resourceIDByTitle(t, env, "WHO events and webinars")
	webinar := stranger.Get("/library/" + id)
	if !strings.Contains(webinar.Body, `href="https://www.who.int/news-room/events"`) || !strings.Contains(webinar.Body, "Go to the webinar") ||
		!strings.Contains(webinar.Body, "opens www.who.int, another site") {
		t.Fatal("a webinar's page does not lead to it")
	}
	for _, draft := range []string{"Berduka itu wajar: catatan untuk yang sedang kehilangan", "Tidur cukup untuk remaja dan orang muda"} {
		if r := env.AsDemo("demo-member").Get("/library/" + resourceIDByTitle(t, env, draft)); r.StatusCode != 404 {
			t.Errorf("a member opens %q: %d", draft, r.StatusCode)
		}
	}
}

func resourceIDByTitle(t *testing.T, env *apptest.Env, title string) string {
	t.Helper()
	var id int64
	if err := env.App.DB.QueryRow(context.Background(), `SELECT id FROM library_resources WHERE title = $1`, title).Scan(&id); err != nil {
		t.Fatalf("resource %q: %v", title, err)
	}
	return strconv.FormatInt(id, 10)
}

// Through the pages: a coordinator's form reports every wrong field at once,
// previews without saving, saves a draft; the coordinator cannot approve it;
// the administrator can, under a pseudonym; strangers then find it by another
// word form; unpublishing asks first.
func TestLibraryWriteAndReviewPages(t *testing.T) {
	env := apptest.New(t)
	org := yayasanID(t, env)
	coord := env.AsDemo("demo-coordinator")
	admin := env.AsDemo("demo-admin")
	stranger := env.Stranger()

	if r := coord.Get("/library/new"); r.StatusCode != 200 || !strings.Contains(r.Body, `value="Laras"`) || !strings.Contains(r.Body, `name="org" value="`+strconv.FormatInt(org, 10)+`"`) {
		t.Fatalf("the new form does not remember the pen name or the only organisation: %d", r.StatusCode)
	}
	bad := coord.Post("/library/new", url.Values{"org": {strconv.FormatInt(org, 10)}, "kind": {"link"}, "language": {"id"}, "topic": {"general"},
		"url": {"javascript:alert(1)"}, "author_name": {"demo-coordinator"}, "op": {"save"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad form: %d", bad.StatusCode)
	}
	for _, field := range []string{"title", "summary", "url", "author_name"} {
		if !strings.Contains(bad.Body, `id="e-`+field+`"`) || !strings.Contains(bad.Body, `href="#f-`+field+`"`) {
			t.Errorf("the %s error is not beside the field and in the summary", field)
		}
	}
	if !strings.Contains(bad.Body, "Mohon pilih nama selain nama masuk Anda") || !strings.Contains(bad.Body, "diawali https:// atau http://") {
		t.Error("the messages do not say what to do")
	}

	form := resourceForm(org, "Cemas menjelang ujian")
	form.Set("op", "preview")
	preview := coord.Post("/library/new", form)
	if preview.StatusCode != 200 || !strings.Contains(preview.Body, `id="l-preview"`) || !strings.Contains(preview.Body, "<strong>istirahat</strong>") ||
		strings.Contains(preview.Body, "<script>alert") {
		t.Fatalf("preview: %d", preview.StatusCode)
	}
	var n int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM library_resources WHERE title = 'Cemas menjelang ujian'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a preview saved the resource: %d %v", n, err)
	}
	form.Set("op", "save")
	saved := coord.Post("/library/new", form)
	m := resourcePath.FindStringSubmatch(saved.Header.Get("Location"))
	if saved.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("save: %d %q", saved.StatusCode, saved.Header.Get("Location"))
	}
	path := m[0]
	if r := stranger.Get(path); r.StatusCode != 404 {
		t.Fatalf("a stranger opens a draft: %d", r.StatusCode)
	}
	draft := coord.Get(path)
	if !strings.Contains(draft.Body, "Draf tersimpan.") || !strings.Contains(draft.Body, `action="`+path+`/submit"`) {
		t.Fatal("the draft page does not offer to send it for review")
	}
	if r := coord.Post(path+"/submit", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	if r := coord.Get(path); strings.Contains(r.Body, `action="`+path+`/approve"`) || !strings.Contains(r.Body, `action="`+path+`/withdraw"`) {
		t.Fatal("the writer is offered to approve their own resource")
	}
	if r := coord.Post(path+"/approve", url.Values{"reviewer_name": {"Laras"}}); r.StatusCode != http.StatusSeeOther ||
		!strings.Contains(coord.Get(path).Body, "perlu diperiksa oleh rekan") {
		t.Fatalf("self-approval: %d", r.StatusCode)
	}
	if r := coord.Get("/library/manage"); !strings.Contains(r.Body, "Tulisan Anda, menunggu rekan") || !strings.Contains(r.Body, "Cemas menjelang ujian") {
		t.Fatal("the writer's desk does not show what waits for a colleague")
	}
	desk := admin.Get("/library/manage")
	if !strings.Contains(desk.Body, "Menunggu pemeriksaan Anda") || !strings.Contains(desk.Body, `href="`+path+`"`) {
		t.Fatal("the colleague's review queue does not list it")
	}
	review := admin.Get(path)
	if !strings.Contains(review.Body, `action="`+path+`/approve"`) || !strings.Contains(review.Body, `value="Bima"`) {
		t.Fatal("the reviewer is not offered to approve, with their last pen name")
	}
	if r := admin.Post(path+"/approve", url.Values{"reviewer_name": {"demo-admin"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="e-reviewer_name"`) {
		t.Fatalf("the sign-in name as reviewer: %d", r.StatusCode)
	}
	if r := admin.Post(path+"/approve", url.Values{"reviewer_name": {"Bima"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.StatusCode)
	}
	found := stranger.Get("/library?q=kecemasan&topic=anxiety")
	if !strings.Contains(found.Body, `href="`+path+`"`) {
		t.Fatal("the published resource is not found by another word form")
	}
	pub := stranger.Get(path)
	if pub.StatusCode != 200 || !strings.Contains(pub.Body, "Ditulis oleh Kak Laras") || !strings.Contains(pub.Body, "Diperiksa oleh Bima") || strings.Contains(pub.Body, "<script>alert") {
		t.Fatalf("the published page: %d", pub.StatusCode)
	}
	entries, err := env.App.Audit.List(auth.System(context.Background()), audit.Filter{Target: "library_resource:" + m[1], Limit: 10})
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit entries: %d %v", len(entries), err)
	}

	// Changing a published resource: the edit page says to unpublish first,
	// and unpublishing asks before it happens.
	if r := coord.Get(path + "/edit"); !strings.Contains(r.Body, "batalkan terbitnya dulu") || strings.Contains(r.Body, `action="`+path+`/edit"`) {
		t.Fatal("editing a published resource")
	}
	confirm := coord.Get(path + "/unpublish")
	if confirm.StatusCode != 200 || !strings.Contains(confirm.Body, `action="`+path+`/unpublish"`) || !strings.Contains(confirm.Body, "Batalkan terbit sumber ini?") {
		t.Fatalf("the unpublish confirmation: %d", confirm.StatusCode)
	}
	if r := coord.Post(path+"/unpublish", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", r.StatusCode)
	}
	if r := stranger.Get(path); r.StatusCode != 404 {
		t.Fatalf("an unpublished resource is public: %d", r.StatusCode)
	}
	if r := stranger.Get("/library?q=cemas"); strings.Contains(r.Body, `href="`+path+`"`) {
		t.Fatal("an unpublished resource is still found")
	}
	if r := coord.Get(path + "/unpublish"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming to unpublish a draft: %d", r.StatusCode)
	}
	if r := env.AsDemo("demo-member").Post(path+"/archive", nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a member archives: %d", r.StatusCode)
	}
}

// Sending back needs a note, which the writer then reads; the notices reach
// the reviewer and the writer.
func TestLibraryReturnWithNote(t *testing.T) {
	env := apptest.New(t)
	coord := env.AsDemo("demo-coordinator")
	admin := env.AsDemo("demo-admin")
	path := "/library/" + resourceIDByTitle(t, env, "Berduka itu wajar: catatan untuk yang sedang kehilangan")
	if r := admin.Post(path+"/return", url.Values{"note": {""}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-note"`) {
		t.Fatalf("sent back without a note: %d", r.StatusCode)
	}
	if r := admin.Post(path+"/return", url.Values{"note": {"Tolong sebutkan kelompok duka yang ada di Rangkul."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send back: %d", r.StatusCode)
	}
	page := coord.Get(path)
	if !strings.Contains(page.Body, "Tolong sebutkan kelompok duka") || !strings.Contains(page.Body, "Dikembalikan") || !strings.Contains(page.Body, `href="`+path+`/edit"`) {
		t.Fatal("the writer does not see the note and the way to edit")
	}
	notices := coord.Get("/notices")
	if !strings.Contains(notices.Body, "dikembalikan dengan catatan") || !strings.Contains(notices.Body, "Berduka itu wajar") {
		t.Fatal("the writer is not told")
	}
	if !strings.Contains(admin.Get("/notices").Body, "menunggu diperiksa di pustaka") {
		t.Fatal("the reviewer was not asked to review")
	}
}
