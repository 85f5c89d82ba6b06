package library_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/db/dbtest"
	"github.com/rangkul/rangkul/internal/library"
	"github.com/rangkul/rangkul/internal/valid"
)

var topics = []string{"anxiety", "grief", "carers", "general"}

// notice is one notice the service asked for.
type notice struct {
	to   int64
	kind string
	link string
}

type notices struct {
	mu   sync.Mutex
	sent []notice
}

func (n *notices) Notify(_ context.Context, _ db.Querier, ids []int64, kind string, _ map[string]string, link string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range ids {
		n.sent = append(n.sent, notice{id, kind, link})
	}
	return nil
}

func (n *notices) to(id int64, kind string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, s := range n.sent {
		if s.to == id && s.kind == kind {
			c++
		}
	}
	return c
}

type fixture struct {
	db      *db.DB
	log     *audit.Log
	auth    *auth.Service
	lib     *library.Service
	notices *notices
	sys     context.Context
	org     int64
	other   int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	log := audit.New(d)
	a := auth.NewService(d, log, auth.Options{Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	f := &fixture{db: d, log: log, auth: a, lib: library.NewService(d, log, topics), notices: &notices{}, sys: auth.System(context.Background())}
	f.lib.Notices = f.notices
	for i, slug := range []string{"yayasan", "puskesmas"} {
		o, err := a.CreateOrg(f.sys, auth.OrgInput{Slug: slug, Name: "Org " + slug, Kind: "ngo"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.org = o.ID
		} else {
			f.other = o.ID
		}
	}
	return f
}

// person registers someone with a role in an organisation and returns their
// context and id.
func (f *fixture) person(t *testing.T, name string, role auth.Role, org int64) (context.Context, int64) {
	t.Helper()
	u, _, err := f.auth.Register(f.sys, auth.Registration{Username: name, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	var grants []auth.Grant
	if role != "" {
		if err := f.auth.GrantRole(f.sys, u.ID, org, role); err != nil {
			t.Fatal(err)
		}
		grants = []auth.Grant{{OrgID: org, OrgName: "Org", Role: role}}
	}
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants}), u.ID
}

func article(title string) library.Input {
	return library.Input{Kind: library.KindArticle, Language: "id", Topic: "anxiety", Title: title,
		Summary: "Ringkasan singkat tentang tulisan ini.", Body: "Kecemasan adalah reaksi yang wajar. Tarik napas pelan-pelan.",
		AuthorName: "Kak Laras"}
}

func fields(err error) []string {
	var out []string
	var all library.FieldErrors
	if errors.As(err, &all) {
		for _, e := range all {
			out = append(out, e.Field+":"+e.Key)
		}
	} else if fe, ok := valid.As(err); ok {
		out = append(out, fe.Field+":"+fe.Key)
	}
	sort.Strings(out)
	return out
}

// A coordinator writes a draft that only the organisation's writers see; it
// goes to review, its writer cannot approve it, a colleague can (under a
// pseudonym, not the sign-in name), and then anyone reads it. Every step is
// audited and the right people are told.
func TestWriteReviewPublish(t *testing.T) {
	f := newFixture(t)
	laras, larasID := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, bimaID := f.person(t, "bima", auth.RoleAdmin, f.org)
	member, _ := f.person(t, "anggota", auth.RoleMember, f.org)
	outsider, _ := f.person(t, "koordinator-lain", auth.RoleCoordinator, f.other)
	stranger := context.Background()

	if _, err := f.lib.Create(member, f.org, article("Mengenali kecemasan")); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("a member wrote a resource: %v", err)
	}
	if _, err := f.lib.Create(stranger, f.org, article("Mengenali kecemasan")); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("a stranger wrote a resource: %v", err)
	}
	if _, err := f.lib.Create(outsider, f.org, article("Mengenali kecemasan")); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("another organisation's coordinator wrote here: %v", err)
	}
	id, err := f.lib.Create(laras, f.org, article("Mengenali kecemasan"))
	if err != nil {
		t.Fatal(err)
	}
	for who, ctx := range map[string]context.Context{"stranger": stranger, "member": member, "outsider": outsider} {
		if _, err := f.lib.Resource(ctx, id); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s sees a draft: %v", who, err)
		}
	}
	if v, err := f.lib.Resource(bima, id); err != nil || !v.Writer || v.Contributor || v.CanReview() {
		t.Fatalf("a colleague should see the draft without review controls yet: %+v %v", v, err)
	}
	if err := f.lib.Approve(bima, id, "Kak Bima"); !errors.Is(err, library.ErrState) {
		t.Fatalf("a draft was approved: %v", err)
	}
	if err := f.lib.Submit(member, id); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("a member submitted: %v", err)
	}
	if err := f.lib.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	if f.notices.to(bimaID, "library_review") != 1 || f.notices.to(larasID, "library_review") != 0 {
		t.Fatalf("the colleague, and only the colleague, is asked to review: %+v", f.notices.sent)
	}
	if err := f.lib.Approve(laras, id, "Laras"); !errors.Is(err, library.ErrOwnWork) {
		t.Fatalf("a writer approved their own resource: %v", err)
	}
	if err := f.lib.Return(laras, id, "Saya ubah sendiri."); !errors.Is(err, library.ErrOwnWork) {
		t.Fatalf("a writer reviewed their own resource: %v", err)
	}
	if err := f.lib.Approve(outsider, id, "Tamu"); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("another organisation approved: %v", err)
	}
	if got := fields(f.lib.Approve(bima, id, "BIMA")); len(got) != 1 || got[0] != "reviewer_name:library.name_is_username" {
		t.Fatalf("the sign-in name was accepted as the reviewer's name: %v", got)
	}
	if got := fields(f.lib.Approve(bima, id, "")); len(got) != 1 || got[0] != "reviewer_name:form.required" {
		t.Fatalf("an empty reviewer name: %v", got)
	}
	if _, err := f.lib.Resource(stranger, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("a resource in review is public: %v", err)
	}
	if err := f.lib.Approve(bima, id, "Kak Bima"); err != nil {
		t.Fatal(err)
	}
	v, err := f.lib.Resource(stranger, id)
	if err != nil {
		t.Fatalf("a published resource is not public: %v", err)
	}
	if v.State != library.StatePublished || v.AuthorName != "Kak Laras" || v.ReviewerName != "Kak Bima" || v.ReviewedAt == nil || v.PublishedAt == nil || v.Writer {
		t.Fatalf("published: %+v", v)
	}
	if !strings.Contains(string(v.HTML), "<p>Kecemasan adalah reaksi yang wajar.") {
		t.Fatalf("the body is not rendered: %q", v.HTML)
	}
	if f.notices.to(larasID, "library_published") != 1 {
		t.Fatal("the writer is not told their resource is published")
	}
	if err := f.lib.Approve(bima, id, "Kak Bima"); !errors.Is(err, library.ErrState) {
		t.Fatalf("approved twice: %v", err)
	}
	entries, err := f.log.List(f.sys, audit.Filter{Target: fmt.Sprintf("library_resource:%d", id), Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.ActorName+" "+e.Action)
	}
	sort.Strings(actions)
	want := []string{"bima library.resource.approve", "laras library.resource.create", "laras library.resource.submit"}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Fatalf("audit: %v, want %v", actions, want)
	}
}

// Whoever edits a draft becomes one of its writers and cannot approve it
// either: a third colleague must.
func TestEditorsCannotApprove(t *testing.T) {
	f := newFixture(t)
	laras, _ := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, _ := f.person(t, "bima", auth.RoleCoordinator, f.org)
	citra, _ := f.person(t, "citra", auth.RoleAdmin, f.org)
	id, err := f.lib.Create(laras, f.org, article("Mengenali kecemasan"))
	if err != nil {
		t.Fatal(err)
	}
	in := article("Mengenali kecemasan dan cara menenangkannya")
	in.AuthorName = "Laras dan Bima"
	if err := f.lib.Update(bima, id, in); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []context.Context{laras, bima} {
		if err := f.lib.Approve(ctx, id, "Pemeriksa"); !errors.Is(err, library.ErrOwnWork) {
			t.Fatalf("a writer approved: %v", err)
		}
	}
	if err := f.lib.Update(laras, id, in); !errors.Is(err, library.ErrState) {
		t.Fatalf("a resource in review was edited: %v", err)
	}
	if err := f.lib.Approve(citra, id, "Kak Citra"); err != nil {
		t.Fatal(err)
	}
	v, _ := f.lib.Resource(context.Background(), id)
	if v.Title != "Mengenali kecemasan dan cara menenangkannya" || v.AuthorName != "Laras dan Bima" {
		t.Fatalf("the edit is not what was published: %+v", v.Resource)
	}
}

// A reviewer sends a resource back with a note (a note is required); its
// writer can take one back from review; published resources are unpublished
// into draft, archived and restored; a step that does not fit the state is
// refused.
func TestReturnWithdrawUnpublishArchive(t *testing.T) {
	f := newFixture(t)
	laras, larasID := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, _ := f.person(t, "bima", auth.RoleCoordinator, f.org)
	member, _ := f.person(t, "anggota", auth.RoleMember, f.org)
	id, err := f.lib.Create(laras, f.org, article("Berduka itu wajar"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Withdraw(laras, id); !errors.Is(err, library.ErrState) {
		t.Fatalf("a draft was withdrawn: %v", err)
	}
	if err := f.lib.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Withdraw(laras, id); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	if got := fields(f.lib.Return(bima, id, "  ")); len(got) != 1 || got[0] != "note:form.required" {
		t.Fatalf("sent back without a note: %v", got)
	}
	if err := f.lib.Return(bima, id, "Tolong tambahkan paragraf untuk keluarga."); err != nil {
		t.Fatal(err)
	}
	v, err := f.lib.Resource(laras, id)
	if err != nil || v.State != library.StateDraft || len(v.Reviews) != 1 || v.Reviews[0].Decision != "returned" ||
		v.Reviews[0].Note != "Tolong tambahkan paragraf untuk keluarga." || v.Reviews[0].Reviewer != "bima" {
		t.Fatalf("after sending back: %+v %v", v, err)
	}
	if f.notices.to(larasID, "library_returned") != 1 {
		t.Fatal("the writer is not told it was sent back")
	}
	if err := f.lib.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Approve(bima, id, "Kak Bima"); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Unpublish(member, id); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("a member unpublished: %v", err)
	}
	if err := f.lib.Unpublish(laras, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.lib.Resource(context.Background(), id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an unpublished resource is still public: %v", err)
	}
	if err := f.lib.Unpublish(laras, id); !errors.Is(err, library.ErrState) {
		t.Fatalf("a draft was unpublished: %v", err)
	}
	if err := f.lib.Archive(bima, id); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Submit(laras, id); !errors.Is(err, library.ErrState) {
		t.Fatalf("an archived resource went to review: %v", err)
	}
	if err := f.lib.Archive(bima, id); !errors.Is(err, library.ErrState) {
		t.Fatalf("archived twice: %v", err)
	}
	if err := f.lib.Restore(bima, id); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.lib.Resource(laras, id); v.State != library.StateDraft {
		t.Fatalf("restored into %s", v.State)
	}
}

// Every wrong field is reported at once, with a message that says what to
// do; addresses must be http(s); Markdown cannot carry script.
func TestValidationAndSafeMarkdown(t *testing.T) {
	f := newFixture(t)
	laras, _ := f.person(t, "laras", auth.RoleCoordinator, f.org)
	cases := []struct {
		name string
		org  int64
		in   library.Input
		want []string
	}{
		{"empty article", f.org, library.Input{Kind: "article"}, []string{"author_name:form.required", "body:library.body_required",
			"language:form.required", "summary:form.required", "title:form.required", "topic:form.required"}},
		{"no organisation", 0, article("Judul yang baik"), []string{"org:form.choose"}},
		{"link without address", f.org, library.Input{Kind: "link", Language: "en", Topic: "general", Title: "A site",
			Summary: "A site with help in English.", AuthorName: "Kak Laras"}, []string{"url:library.url_required"}},
		{"script address", f.org, library.Input{Kind: "webinar", Language: "en", Topic: "general", Title: "A webinar",
			Summary: "A webinar in English.", URL: "javascript:alert(1)", AuthorName: "Kak Laras"}, []string{"url:library.url_http"}},
		{"ftp address", f.org, library.Input{Kind: "link", Language: "en", Topic: "general", Title: "A site",
			Summary: "A site with help in English.", URL: "ftp://example.org/file", AuthorName: "Kak Laras"}, []string{"url:library.url_http"}},
		{"address without host", f.org, library.Input{Kind: "link", Language: "en", Topic: "general", Title: "A site",
			Summary: "A site with help in English.", URL: "https://", AuthorName: "Kak Laras"}, []string{"url:library.url_http"}},
		{"unknown kind and topic", f.org, func() library.Input { in := article("Judul"); in.Kind = "podcast"; in.Topic = "cooking"; return in }(),
			[]string{"kind:form.choose", "topic:form.choose"}},
		{"too long", f.org, func() library.Input {
			in := article(strings.Repeat("a", library.MaxTitle+1))
			in.Summary = strings.Repeat("b", library.MaxSummary+1)
			in.Body = strings.Repeat("c ", library.MaxBody/2+1)
			return in
		}(), []string{"body:form.too_long", "summary:form.too_long", "title:form.too_long"}},
		{"sign-in name as author, in another case", f.org, func() library.Input { in := article("Judul yang baik"); in.AuthorName = " LARAS "; return in }(),
			[]string{"author_name:library.name_is_username"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.lib.Create(laras, c.org, c.in)
			if got := fields(err); strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("got %v, want %v (err %v)", got, c.want, err)
			}
			if _, err := f.lib.Preview(laras, c.org, c.in); strings.Join(fields(err), ",") != strings.Join(c.want, ",") {
				t.Fatalf("preview checks differently: %v", err)
			}
		})
	}
	in := article("Tulisan dengan markup")
	in.Body = "Halo <script>alert(1)</script> [klik](javascript:alert(1)) dan [WHO](https://www.who.int/).\n\n<img src=x onerror=alert(1)>"
	p, err := f.lib.Preview(laras, f.org, in)
	if err != nil {
		t.Fatal(err)
	}
	if h := string(p.HTML); strings.Contains(h, "<script") || strings.Contains(h, "javascript:") || strings.Contains(h, "<img") ||
		!strings.Contains(h, `href="https://www.who.int/"`) {
		t.Fatalf("unsafe or broken rendering: %s", h)
	}
	in = article("Ringkasan dua baris")
	in.Summary = "Baris pertama ringkasan.\r\n\r\n  Baris kedua."
	if p, err := f.lib.Preview(laras, f.org, in); err != nil || p.Summary != "Baris pertama ringkasan. Baris kedua." {
		t.Fatalf("a summary typed on several lines: %q %v", p.Summary, err)
	}
	var n int
	if err := f.db.QueryRow(context.Background(), `SELECT count(*) FROM library_resources`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a preview or a refused form saved something: %d %v", n, err)
	}
}

// publish writes and publishes a resource in f.org, written by laras and
// approved by bima, at time at.
func publish(t *testing.T, f *fixture, laras, bima context.Context, in library.Input, at time.Time) int64 {
	t.Helper()
	svc := f.lib.WithClock(func() time.Time { return at })
	id, err := svc.Create(laras, f.org, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	if err := svc.Approve(bima, id, "Kak Bima"); err != nil {
		t.Fatal(err)
	}
	return id
}

func titles(rs []library.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Title)
	}
	return out
}

// The public list finds word forms in both languages, filters by kind,
// language and topic, pages newest first, and never shows what is not
// published.
func TestListSearchFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	laras, _ := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, _ := f.person(t, "bima", auth.RoleCoordinator, f.org)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	publish(t, f, laras, bima, article("Mengenali kecemasan"), t0)
	grief := article("Catatan untuk yang berduka")
	grief.Topic, grief.Body = "grief", "Kehilangan mengubah banyak hal, dan itu wajar."
	publish(t, f, laras, bima, grief, t0.Add(time.Hour))
	sleep := library.Input{Kind: library.KindGuide, Language: "en", Topic: "general", Title: "Sleep and mood",
		Summary: "Small steps that help you sleep.", Body: "Get up at the same time every day, even after a poor night.", AuthorName: "Kak Laras"}
	publish(t, f, laras, bima, sleep, t0.Add(2*time.Hour))
	link := library.Input{Kind: library.KindLink, Language: "en", Topic: "general", Title: "Stress guide",
		Summary: "An illustrated guide.", URL: "https://www.who.int/publications/i/item/9789240003927", AuthorName: "Kak Laras"}
	publish(t, f, laras, bima, link, t0.Add(3*time.Hour))
	draft := article("Draf tentang cemas berlebihan")
	if _, err := f.lib.Create(laras, f.org, draft); err != nil {
		t.Fatal(err)
	}
	stranger := context.Background()
	for _, c := range []struct {
		f    library.Filter
		want []string
	}{
		{library.Filter{Query: "cemas"}, []string{"Mengenali kecemasan"}},
		{library.Filter{Query: "kecemasan"}, []string{"Mengenali kecemasan"}},
		{library.Filter{Query: "duka"}, []string{"Catatan untuk yang berduka"}},
		{library.Filter{Query: "sleeping"}, []string{"Sleep and mood"}},
		{library.Filter{Query: "who"}, []string{"Stress guide"}},
		{library.Filter{Query: "kehilangan wajar"}, []string{"Catatan untuk yang berduka"}},
		{library.Filter{Query: "kehilangan tidur"}, nil},
		{library.Filter{Kind: "guide"}, []string{"Sleep and mood"}},
		{library.Filter{Language: "en"}, []string{"Stress guide", "Sleep and mood"}},
		{library.Filter{Topic: "grief"}, []string{"Catatan untuk yang berduka"}},
		{library.Filter{Language: "id", Topic: "anxiety", Query: "cemas"}, []string{"Mengenali kecemasan"}},
		{library.Filter{Topic: "not-a-topic"}, []string{"Stress guide", "Sleep and mood", "Catatan untuk yang berduka", "Mengenali kecemasan"}},
		{library.Filter{}, []string{"Stress guide", "Sleep and mood", "Catatan untuk yang berduka", "Mengenali kecemasan"}},
	} {
		got, total, err := f.lib.List(stranger, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(titles(got), "|") != strings.Join(c.want, "|") || total != len(c.want) {
			t.Errorf("%+v: got %v (%d), want %v", c.f, titles(got), total, c.want)
		}
	}
	for i := range 9 {
		publish(t, f, laras, bima, article(fmt.Sprintf("Seri napas %02d", i)), t0.Add(time.Duration(10+i)*time.Hour))
	}
	page1, total, err := f.lib.List(stranger, library.Filter{PerPage: 5})
	if err != nil || total != 13 || len(page1) != 5 || page1[0].Title != "Seri napas 08" {
		t.Fatalf("page 1: %v %d %v", titles(page1), total, err)
	}
	page3, total, err := f.lib.List(stranger, library.Filter{PerPage: 5, Page: 3})
	if err != nil || total != 13 || strings.Join(titles(page3), "|") != "Sleep and mood|Catatan untuk yang berduka|Mengenali kecemasan" {
		t.Fatalf("page 3: %v %d %v", titles(page3), total, err)
	}
	if beyond, total, err := f.lib.List(stranger, library.Filter{PerPage: 5, Page: 9}); err != nil || len(beyond) != 0 || total != 13 {
		t.Fatalf("beyond the last page: %v %d %v", titles(beyond), total, err)
	}
}

// The manage desk shows what waits for the caller's review, what the caller
// has waiting, and pages of the organisation's resources by state; it is for
// writers only, and an organisation's writers see only its resources.
func TestManageDesk(t *testing.T) {
	f := newFixture(t)
	laras, _ := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, _ := f.person(t, "bima", auth.RoleCoordinator, f.org)
	outsider, _ := f.person(t, "koordinator-lain", auth.RoleCoordinator, f.other)
	member, _ := f.person(t, "anggota", auth.RoleMember, f.org)
	mine, _ := f.lib.Create(laras, f.org, article("Tulisan Laras"))
	theirs, _ := f.lib.Create(bima, f.org, article("Tulisan Bima"))
	if _, err := f.lib.Create(laras, f.org, article("Draf Laras")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.lib.Create(outsider, f.other, article("Tulisan organisasi lain")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{mine, theirs} {
		ctx := laras
		if id == theirs {
			ctx = bima
		}
		if err := f.lib.Submit(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	d, err := f.lib.Manage(laras, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(titles(d.Queue), "|") != "Tulisan Bima" || strings.Join(titles(d.Waiting), "|") != "Tulisan Laras" || d.Total != 3 {
		t.Fatalf("desk: queue %v, waiting %v, total %d", titles(d.Queue), titles(d.Waiting), d.Total)
	}
	if d, _ := f.lib.Manage(laras, "draft", 1); strings.Join(titles(d.Items), "|") != "Draf Laras" {
		t.Fatalf("drafts: %v", titles(d.Items))
	}
	if d, _ := f.lib.Manage(outsider, "", 1); d.Total != 1 || len(d.Queue) != 0 {
		t.Fatalf("another organisation's desk: %v %v", titles(d.Items), titles(d.Queue))
	}
	if _, err := f.lib.Manage(member, "", 1); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("a member opened the desk: %v", err)
	}
	admin := auth.System(context.Background())
	if d, _ := f.lib.Manage(admin, "in_review", 1); d.Total != 2 || len(d.Queue) != 2 {
		t.Fatalf("network administrators see every organisation: %v", titles(d.Items))
	}
}

// Two colleagues approving at once: one publishes, the other is told it
// changed meanwhile.
func TestConcurrentApprovals(t *testing.T) {
	f := newFixture(t)
	laras, _ := f.person(t, "laras", auth.RoleCoordinator, f.org)
	bima, _ := f.person(t, "bima", auth.RoleCoordinator, f.org)
	citra, _ := f.person(t, "citra", auth.RoleCoordinator, f.org)
	id, _ := f.lib.Create(laras, f.org, article("Mengenali kecemasan"))
	if err := f.lib.Submit(laras, id); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for _, c := range []context.Context{bima, citra} {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- f.lib.Approve(c, id, "Pemeriksa") }()
	}
	wg.Wait()
	close(errs)
	var ok, state int
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, library.ErrState):
			state++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || state != 1 {
		t.Fatalf("approved %d times, refused %d", ok, state)
	}
	var reviews int
	if err := f.db.QueryRow(context.Background(), `SELECT count(*) FROM library_reviews WHERE resource_id = $1`, id).Scan(&reviews); err != nil || reviews != 1 {
		t.Fatalf("reviews: %d %v", reviews, err)
	}
}
