package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/privacy"
)

// findEverywhere reports where needle still is: on SQLite in the raw bytes of
// the database file and its write-ahead log; on PostgreSQL in every text
// column of every table of the test's schema.
func findEverywhere(t *testing.T, env *apptest.Env, needle string) []string {
	t.Helper()
	ctx := context.Background()
	var found []string
	if env.App.DB.Dialect() == db.SQLite {
		path := strings.TrimPrefix(env.App.DB.URL(), "sqlite:")
		for _, f := range []string{path, path + "-wal"} {
			raw, err := os.ReadFile(f)
			if err != nil {
				if os.IsNotExist(err) {
					continue
				}
				t.Fatal(err)
			}
			if bytes.Contains(bytes.ToLower(raw), []byte(strings.ToLower(needle))) {
				found = append(found, f)
			}
		}
		return found
	}
	rows, err := env.App.DB.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')`)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var tname, cname string
		if err := rows.Scan(&tname, &cname); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, [2]string{tname, cname})
	}
	rows.Close()
	if len(cols) < 40 {
		t.Fatalf("only %d text columns found: the search looks in the wrong schema", len(cols))
	}
	for _, c := range cols {
		var n int
		if err := env.App.DB.QueryRow(ctx, `SELECT count(*) FROM `+c[0]+` WHERE lower(`+c[1]+`) LIKE $1`, "%"+strings.ToLower(needle)+"%").Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", c[0], c[1], err)
		}
		if n > 0 {
			found = append(found, c[0]+"."+c[1])
		}
	}
	return found
}

// TestEraseLeavesNothingBehind: a member with a username, an e-mail address,
// a pseudonym, posts, chat, feedback and check-in words, a report and a
// failed sign-in erases their account. Afterwards none of those strings is
// anywhere in the database (raw file on SQLite, every text column on
// PostgreSQL), while counts that cannot identify them still add up.
func TestEraseLeavesNothingBehind(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	sys := auth.System(ctx)
	const (
		username  = "kenanga-rahasia"
		email     = "kenanga.rahasia@contoh.id"
		pseudonym = "Kenanga Sembunyi"
		post      = "tulisan ladang kopi ungu"
		chat      = "pesan kabut jingga"
		feedback  = "komentar awan perak"
		checkin   = "cekin bintang hijau"
		report    = "laporan hujan tembaga"
		password  = "kata sandi kenanga panjang"
	)
	if _, _, err := env.App.Auth.Register(sys, auth.Registration{Username: username, Password: password, Email: email}); err != nil {
		t.Fatal(err)
	}
	me := as(t, env, username)
	if _, err := env.App.Groups.Join(me, 1, groups.JoinInput{DisplayName: pseudonym, AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	env.App.Safety.NewAccountBurst = 100
	if _, err := env.App.Groups.Write(me, 1, 0, post); err != nil {
		t.Fatal(err)
	}
	meeting := nextMeetingPath(t, env)
	parts := strings.Split(meeting, "/")
	sid, _ := strconv.ParseInt(parts[4], 10, 64)
	occ, _ := strconv.ParseInt(parts[5], 10, 64)
	if _, err := env.App.Groups.Say(me, 1, sid, occ, chat); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Groups.Mood(me, 1, sid, occ, "in", "3", checkin); err != nil {
		t.Fatal(err)
	}
	hist, err := env.App.Groups.History(sys, 1)
	if err != nil || len(hist) == 0 {
		t.Fatalf("no past meeting: %v", err)
	}
	past := hist[0].Occ
	if _, err := env.App.Groups.GiveFeedback(me, 1, past.Session.ID, past.Original.Unix(), groups.FeedbackInput{Helpful: "4", Safe: "5", Comment: feedback}); err != nil {
		t.Fatal(err)
	}
	var other int64
	if err := env.App.DB.QueryRow(ctx, `SELECT min(id) FROM board_posts WHERE group_id = 1 AND deleted = FALSE AND held = FALSE`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Safety.Report(me, groups.SourcePost, other, "other", report); err != nil {
		t.Fatal(err)
	}
	env.Stranger().Post("/login", url.Values{"username": {username}, "password": {"salah sekali ini"}}) // a failed sign-in is audited by name
	var feedbackCount, attendance int
	countFeedback := func() {
		if err := env.App.DB.QueryRow(ctx, `SELECT count(*) FROM session_feedback`).Scan(&feedbackCount); err != nil {
			t.Fatal(err)
		}
		if err := env.App.DB.QueryRow(ctx, `SELECT count(*) FROM room_moods`).Scan(&attendance); err != nil {
			t.Fatal(err)
		}
	}
	countFeedback()
	before := [2]int{feedbackCount, attendance}
	for _, s := range []string{username, email, pseudonym, post, chat} {
		if len(findEverywhere(t, env, s)) == 0 {
			t.Fatalf("%q is not in the database before erasure: the search cannot find anything", s)
		}
	}
	// Sensitive text is sealed at rest: never in the file or a column in the clear.
	for _, s := range []string{feedback, checkin, report} {
		if where := findEverywhere(t, env, s); len(where) > 0 {
			t.Fatalf("sensitive text %q stored in the clear in %v", s, where)
		}
	}

	c := env.As(username, password)
	// Wrong password or confirmation: nothing changes.
	if r := c.Post("/account/erase", url.Values{"password": {"bukan ini"}, "confirm": {username}}); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-password"`) {
		t.Fatalf("erase with a wrong password: %d", r.StatusCode)
	}
	if r := c.Post("/account/erase", url.Values{"password": {password}, "confirm": {"orang-lain"}}); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-confirm"`) {
		t.Fatalf("erase with a wrong confirmation: %d", r.StatusCode)
	}
	if _, _, err := env.App.Auth.Lookup(sys, username); err != nil {
		t.Fatal("a refused erasure changed the account")
	}
	if r := c.Post("/account/erase", url.Values{"password": {password}, "confirm": {username}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d %s", r.StatusCode, r.Body)
	}
	if r := c.Get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("still signed in after erasure: %d", r.StatusCode)
	}
	for _, s := range []string{username, email, pseudonym, post, chat, feedback, checkin, report} {
		if where := findEverywhere(t, env, s); len(where) > 0 {
			t.Errorf("%q is still in %v after erasure", s, where)
		}
	}
	countFeedback()
	if [2]int{feedbackCount, attendance} != before {
		t.Errorf("scores were lost: %v, was %v", [2]int{feedbackCount, attendance}, before)
	}
	board, err := env.App.Groups.Board(as(t, env, "demo-member"), 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	removed := false
	for _, p := range board {
		removed = removed || (p.Deleted && p.Body == "")
	}
	if !removed {
		t.Error("the erased person's post is not shown as removed")
	}
	if _, err := env.App.Audit.List(ctx, auditFilterAction("privacy.erase")); err != nil {
		t.Fatal(err)
	}
}

// TestConsentAgreeWithdrawAndExports: a member agrees to research use,
// withdraws, and drops out of who an export may include; a stale text is
// refused; the history is kept and exported.
func TestConsentAgreeWithdrawAndExports(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	c := env.AsDemo("demo-member")
	page := c.Get("/account/privacy")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "penelitian") {
		t.Fatalf("privacy page: %d", page.StatusCode)
	}
	if r := c.Post("/account/privacy/research", url.Values{"action": {"agree"}, "version": {"0"}, "lang": {"id"}}); r.StatusCode != 422 {
		t.Fatalf("agreeing to a text that was not shown: %d", r.StatusCode)
	}
	if r := c.Post("/account/privacy/nothing", url.Values{"action": {"agree"}, "version": {"1"}, "lang": {"id"}}); r.StatusCode != 404 {
		t.Fatalf("unknown purpose: %d", r.StatusCode)
	}
	if r := c.Post("/account/privacy/research", url.Values{"action": {"withdraw"}}); r.StatusCode != 422 {
		t.Fatalf("withdrawing what was never agreed: %d", r.StatusCode)
	}
	if r := c.Post("/account/privacy/research", url.Values{"action": {"agree"}, "version": {"1"}, "lang": {"id"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("agree: %d %s", r.StatusCode, r.Body)
	}
	member := as(t, env, "demo-member")
	id := auth.FromContext(member).UserID
	who, err := privacy.Consenting(ctx, env.App.DB, privacy.PurposeResearch, []int64{id})
	if err != nil || !who[id] {
		t.Fatalf("after agreeing: %v %v", who, err)
	}
	if r := c.Post("/account/privacy/research", url.Values{"action": {"withdraw"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.StatusCode)
	}
	if who, _ := privacy.Consenting(ctx, env.App.DB, privacy.PurposeResearch, []int64{id}); who[id] {
		t.Fatal("a withdrawn consent still counts for exports")
	}
	// The download holds the history, the person's posts and pseudonyms, and nobody else's.
	res := c.Get("/account/data.json")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "rangkul-my-data.json") {
		t.Fatalf("download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"account", "groups", "safety", "notices", "consents"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("the download has no %s section", k)
		}
	}
	if !strings.Contains(res.Body, "berhasil naik KRL") || !strings.Contains(res.Body, `"purpose": "research"`) ||
		strings.Contains(res.Body, "Ikut senang") || strings.Contains(res.Body, "bunga.senja") || strings.Contains(res.Body, "password") {
		t.Fatal("the download is not exactly the member's own data")
	}
	if html := c.Get("/account/data"); html.StatusCode != 200 || !strings.Contains(html.Body, "berhasil naik KRL") {
		t.Fatalf("readable page: %d", html.StatusCode)
	}
	// Another member's data only for network administrators, and audited.
	path := "/admin/people/" + strconv.FormatInt(id, 10) + "/data.json"
	for who, want := range map[string]int{"demo-facilitator": 403, "demo-moderator": 403, "demo-admin": 200} {
		if got := env.AsDemo(who).Get(path).StatusCode; got != want {
			t.Errorf("%s downloads another's data: %d, want %d", who, got, want)
		}
	}
	entries, err := env.App.Audit.List(ctx, auditFilterAction("privacy.export"))
	if err != nil || len(entries) < 3 {
		t.Fatalf("exports audited: %d %v", len(entries), err)
	}
}

// An administrator erases an account on request, with a reason; the last
// network administrator cannot be erased.
func TestAdminEraseOnRequest(t *testing.T) {
	env := apptest.New(t)
	admin := env.AsDemo("demo-admin")
	ctx := auth.System(context.Background())
	target, err := env.App.Auth.PersonByName(ctx, "langit_biru")
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/people/" + strconv.FormatInt(target.User.ID, 10) + "/erase"
	if r := admin.Post(path, url.Values{"confirm": {"langit_biru"}}); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-reason"`) {
		t.Fatalf("erase without a reason: %d", r.StatusCode)
	}
	if r := admin.Post(path, url.Values{"confirm": {"langit_biru"}, "reason": {"Surat dari anggota, 20 November 2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase on request: %d %s", r.StatusCode, r.Body)
	}
	if _, _, err := env.App.Auth.Lookup(ctx, "langit_biru"); err == nil {
		t.Fatal("the username is still there")
	}
	entries, err := env.App.Audit.List(context.Background(), auditFilterAction("privacy.erase"))
	if err != nil || len(entries) != 1 || entries[0].ActorName != "demo-admin" || !strings.Contains(entries[0].Detail, "Surat dari anggota") {
		t.Fatalf("audited: %+v %v", entries, err)
	}

	if r := admin.Post("/account/erase", url.Values{"password": {"rangkul-demo"}, "confirm": {"demo-admin"}}); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-confirm"`) {
		t.Fatalf("erasing the last network administrator: %d", r.StatusCode)
	}

}

func auditFilterAction(action string) audit.Filter { return audit.Filter{Action: action} }
