package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/privacy"
	"github.com/rangkul/rangkul/internal/web"
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
// a pseudonym, another pseudonym from a guest pass, posts, chat, feedback and
// check-in words, a report and a failed sign-in erases their account.
// Afterwards none of those strings is anywhere in the database (raw file on
// SQLite, every text column on PostgreSQL), while counts that cannot identify
// them still add up and their post shows as removed.
func TestEraseLeavesNothingBehind(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	sys := auth.System(ctx)
	const (
		username  = "kenanga-rahasia"
		email     = "kenanga.rahasia@contoh.id"
		pseudonym = "Kenanga Sembunyi"
		guestName = "Tamu Embun Tersembunyi"
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
	myID := auth.FromContext(me).UserID
	if _, err := env.App.Groups.Join(me, 1, groups.JoinInput{DisplayName: pseudonym, AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	// A guest seat taken before the account existed, later claimed: the
	// pass's pseudonym is theirs too (a request to join the closed group 2).
	up2, err := env.App.Groups.Upcoming(sys, 2, 28*24*time.Hour)
	if err != nil || len(up2) == 0 {
		t.Fatalf("no meeting in group 2: %v", err)
	}
	code, err := env.App.Groups.TakeGuestSeat(ctx, 2, up2[0].Session.ID, up2[0].Original.Unix(), guestName, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.App.Groups.ClaimPass(me, code); err != nil {
		t.Fatal(err)
	}
	env.App.Safety.NewAccountBurst = 100
	if _, err := env.App.Groups.Write(me, 1, 0, post); err != nil {
		t.Fatal(err)
	}
	var myPost int64
	if err := env.App.DB.QueryRow(ctx, `SELECT id FROM board_posts WHERE author_id = $1`, myID).Scan(&myPost); err != nil {
		t.Fatal(err)
	}
	meeting := nextMeetingPath(t, env)
	parts := strings.Split(meeting, "/")
	sid, _ := strconv.ParseInt(parts[4], 10, 64)
	occ, _ := strconv.ParseInt(parts[5], 10, 64)
	if err := env.App.Groups.RSVP(me, 1, sid, occ); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Groups.Say(me, 1, sid, occ, chat); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Groups.Mood(me, 1, sid, occ, "in", "3", checkin); err != nil {
		t.Fatal(err)
	}
	polls, err := env.App.Groups.OpenPolls(me, 1)
	if err != nil || len(polls) == 0 {
		t.Fatalf("no open poll: %v", err)
	}
	poll, err := env.App.Groups.Poll(me, 1, polls[0].ID)
	if err != nil || len(poll.Options) == 0 {
		t.Fatalf("poll: %v", err)
	}
	if err := env.App.Groups.Answer(me, 1, poll.ID, map[int64]string{poll.Options[0].ID: "yes"}); err != nil {
		t.Fatal(err)
	}
	hist, err := env.App.Groups.History(sys, 1)
	if err != nil || len(hist) == 0 {
		t.Fatalf("no past meeting: %v", err)
	}
	past := hist[0].Occ
	facil := as(t, env, "demo-facilitator")
	roll, err := env.App.Groups.Roll(facil, 1, past.Session.ID, past.Original.Unix())
	if err != nil {
		t.Fatal(err)
	}
	var present []int64
	for _, r := range roll {
		present = append(present, r.UserID)
	}
	if err := env.App.Groups.MarkRoll(facil, 1, past.Session.ID, past.Original.Unix(), present); err != nil {
		t.Fatal(err)
	}
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
	env.Stranger().Post("/login", url.Values{"username": {strings.ToUpper(username)}, "password": {"salah sekali ini"}}) // a failed sign-in is audited by name
	// A reminder that could not be delivered keeps the mail kit's error, which names the address.
	if _, err := env.App.DB.Exec(ctx, `INSERT INTO jobs (kind, payload, run_at, attempts, last_error, done_at, failed, created_at)
		VALUES ('groups.reminder', '{}', $1, 5, $2, $1, TRUE, $1)`, time.Now().UTC(), `mail: bad recipient "`+strings.ToUpper(email)+`"`); err != nil {
		t.Fatal(err)
	}
	// Counts that must survive: the past meeting's attendance and feedback,
	// moods, and poll answers.
	counts := func() [5]int {
		t.Helper()
		h, err := env.App.Groups.History(sys, 1)
		if err != nil {
			t.Fatal(err)
		}
		var c [5]int
		for _, row := range h {
			if row.Occ.Session.ID == past.Session.ID && row.Occ.Original.Equal(past.Original) {
				c[0], c[1] = row.Present, row.Feedback
			}
		}
		if err := env.App.DB.QueryRow(ctx, `SELECT (SELECT count(*) FROM room_moods), (SELECT count(*) FROM poll_answers),
			(SELECT count(*) FROM session_rsvps WHERE session_id = $1 AND occurrence_start = $2)`, sid, time.Unix(occ, 0).UTC()).Scan(&c[2], &c[3], &c[4]); err != nil {
			t.Fatal(err)
		}
		return c
	}
	before := counts()
	if before[0] == 0 || before[1] == 0 || before[2] == 0 || before[3] == 0 || before[4] == 0 {
		t.Fatalf("nothing to count before erasure: %v", before)
	}
	for _, s := range []string{username, email, pseudonym, guestName, post, chat} {
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
	if got := counts(); got != before {
		t.Fatalf("a refused erasure changed counts: %v, was %v", got, before)
	}
	if r := c.Get("/account"); r.StatusCode != 200 {
		t.Fatalf("a refused erasure signed the person out: %d", r.StatusCode)
	}
	if r := c.Post("/account/erase", url.Values{"password": {password}, "confirm": {username}}); r.StatusCode != http.StatusSeeOther ||
		!strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), "\n"), web.SessionCookie+"=;") {
		t.Fatalf("erase: %d %v %s", r.StatusCode, r.Header.Values("Set-Cookie"), r.Body)
	}
	if home := c.Get("/"); !strings.Contains(home.Body, "Akunmu sudah dihapus") {
		t.Error("no goodbye after erasure")
	}
	if r := c.Get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("still signed in after erasure: %d", r.StatusCode)
	}
	for _, s := range []string{username, email, pseudonym, guestName, post, chat, feedback, checkin, report} {
		if where := findEverywhere(t, env, s); len(where) > 0 {
			t.Errorf("%q is still in %v after erasure", s, where)
		}
	}
	after := counts()
	before[4]-- // the RSVP to a meeting still to come is withdrawn: the seat is free again
	if after != before {
		t.Errorf("counts after erasure: %v, want %v (attendance, feedback, moods, poll answers, going)", after, before)
	}
	// The post is shown as removed, by a former member.
	board, err := env.App.Groups.Board(as(t, env, "demo-member"), 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	var found *groups.Post
	for i := range board {
		if board[i].ID == myPost {
			found = &board[i]
		}
	}
	if found == nil || !found.Deleted || found.Body != "" || found.Author != "" {
		t.Fatalf("the erased person's post: %+v", found)
	}
	page := env.AsDemo("demo-member").Get("/groups/1/board")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Penulis sudah menghapus tulisan ini.") || !strings.Contains(page.Body, "Mantan anggota") {
		t.Fatalf("the board does not show the post as removed: %d", page.StatusCode)
	}
	entries, err := env.App.Audit.List(ctx, audit.Filter{Action: "privacy.erase", PersonID: myID})
	if err != nil || len(entries) != 1 || entries[0].ActorName != "" || entries[0].IP != "" {
		t.Fatalf("erasure audited without naming the person: %+v %v", entries, err)
	}
	// The tombstone keeps nothing, and cannot sign in.
	var name, hash, locale string
	var mail *string
	var disabled bool
	if err := env.App.DB.QueryRow(ctx, `SELECT username, email, password_hash, locale, disabled FROM users WHERE id = $1`, myID).
		Scan(&name, &mail, &hash, &locale, &disabled); err != nil {
		t.Fatal(err)
	}
	if name != "erased-"+strconv.FormatInt(myID, 10) || mail != nil || locale != "" || !disabled || hash != auth.ErasedHash {
		t.Fatalf("tombstone: %q %v %q %q %v", name, mail, hash, locale, disabled)
	}
	for _, pw := range []string{password, ""} {
		if r := env.Stranger().Post("/login", url.Values{"username": {name}, "password": {pw}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("signing in as the tombstone: %d", r.StatusCode)
		}
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
	if r := c.Post("/account/privacy/research", url.Values{"action": {"agree"}, "version": {"0"}, "lang": {"id"}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, "Teks ini berubah sejak halaman dibuka") {
		t.Fatalf("agreeing to a text that was not shown: %d", r.StatusCode)
	}
	if r := c.Post("/account/privacy/research", url.Values{"action": {"agree"}, "version": {"1"}, "lang": {"jv"}}); r.StatusCode != 422 {
		t.Fatalf("agreeing to a Javanese text that does not exist: %d", r.StatusCode)
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
	if page := c.Get("/account/privacy"); !strings.Contains(page.Body, "Kamu menarik persetujuan pada") {
		t.Fatal("the page does not show the withdrawal")
	}
	// Agreeing again is a new record; the withdrawn one stays as history.
	if r := c.Post("/account/privacy/research", url.Values{"action": {"agree"}, "version": {"1"}, "lang": {"id"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("agree again: %d", r.StatusCode)
	}
	var records, open int
	if err := env.App.DB.QueryRow(ctx, `SELECT count(*), count(*) - count(withdrawn_at) FROM consents WHERE user_id = $1 AND purpose = 'research'`, id).
		Scan(&records, &open); err != nil || records != 2 || open != 1 {
		t.Fatalf("research history: %d records, %d open (%v)", records, open, err)
	}
	if who, _ := env.App.Privacy.Consenting(ctx, nil, privacy.PurposeResearch, []int64{id}); !who[id] {
		t.Fatal("agreeing again does not count")
	}
	if r := c.Post("/account/privacy/research", url.Values{"action": {"withdraw"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw again: %d", r.StatusCode)
	}
	// Others in the list are unaffected: about half the demo members (and four
	// in five of those in the measurement demo) agreed.
	var ids []int64
	if err := func() error {
		rows, err := env.App.DB.Query(ctx, `SELECT id FROM users`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u int64
			if err := rows.Scan(&u); err != nil {
				return err
			}
			ids = append(ids, u)
		}
		return rows.Err()
	}(); err != nil {
		t.Fatal(err)
	}
	research, err := env.App.Privacy.Consenting(ctx, nil, privacy.PurposeResearch, ids)
	if err != nil || research[id] || len(research)*10 < len(ids)*4 || len(research)*4 > len(ids)*3 {
		t.Fatalf("research consents among %d people: %d (%v)", len(ids), len(research), err)
	}
	for _, action := range []string{"privacy.consent.agree", "privacy.consent.withdraw"} {
		entries, err := env.App.Audit.List(ctx, audit.Filter{Action: action, PersonID: id})
		if err != nil {
			t.Fatal(err)
		}
		research := 0
		for _, e := range entries {
			if e.Target != "user:"+strconv.FormatInt(id, 10) || e.ActorID != id || strings.Contains(e.Detail, "demo-member") {
				t.Errorf("%s entry: %+v", action, e)
			}
			if strings.HasPrefix(e.Detail, "research") {
				research++
			}
		}
		if research != 2 {
			t.Errorf("%s for research audited %d times, want 2", action, research)
		}
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
	for who, want := range map[string]int{"demo-facilitator": 403, "demo-moderator": 403, "demo-coordinator": 403, "demo-admin": 200} {
		if got := env.AsDemo(who).Get(path).StatusCode; got != want {
			t.Errorf("%s downloads another's data: %d, want %d", who, got, want)
		}
	}
	langit, err := env.App.Auth.PersonByName(auth.System(ctx), "langit_biru")
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"/data.json", "/data", "/erase"} {
		if got := c.Get("/admin/people/" + strconv.FormatInt(langit.User.ID, 10) + suffix).StatusCode; got != 403 {
			t.Errorf("a member opens another member's %s: %d", suffix, got)
		}
	}
	if doc := env.AsDemo("demo-admin").Get(path); !strings.Contains(doc.Body, "berhasil naik KRL") || strings.Contains(doc.Body, "langit_biru") {
		t.Error("the administrator's download is not exactly the member's data")
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

	if r := admin.Post(path, url.Values{"confirm": {target.User.Username}, "reason": {"Surat kedua dari anggota"}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, "Akun ini sudah dihapus") {
		t.Fatalf("erasing an erased account again: %d", r.StatusCode)
	}

	if r := admin.Post("/account/erase", url.Values{"password": {app.DemoPassword}, "confirm": {"demo-admin"}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, `id="e-confirm"`) || !strings.Contains(r.Body, "administrator jaringan terakhir") {
		t.Fatalf("erasing the last network administrator: %d", r.StatusCode)
	}
	// Not through the administrators' route either, even with a second one.
	second, _, err := env.App.Auth.Register(ctx, auth.Registration{Username: "admin-kedua", Password: "kata sandi admin kedua"})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.App.Auth.SetSiteAdmin(ctx, second.ID, true); err != nil {
		t.Fatal(err)
	}
	me, _, err := env.App.Auth.Lookup(ctx, "demo-admin")
	if err != nil {
		t.Fatal(err)
	}
	self := "/admin/people/" + strconv.FormatInt(me.ID, 10) + "/erase"
	if r := admin.Post(self, url.Values{"confirm": {"demo-admin"}, "reason": {"Saya ingin berhenti"}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, "halaman akunmu") {
		t.Fatalf("an administrator erases themselves through the administrators' route: %d", r.StatusCode)
	}
	if _, _, err := env.App.Auth.Lookup(ctx, "demo-admin"); err != nil {
		t.Fatal("the refused self-erasure changed the account")
	}
	// With a second network administrator, the first may leave from their own page.
	if r := admin.Post("/account/erase", url.Values{"password": {app.DemoPassword}, "confirm": {"demo-admin"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a network administrator erases their own account: %d %s", r.StatusCode, r.Body)
	}
}

// TestErasureNamesNeverCollide: the tombstone's username and neutral group
// names are free text others could have chosen; erasure still succeeds and
// keeps every name unique, and the person named like a tombstone is not
// taken for one. Sign-up refuses such names from now on, and a stale
// consent text creates nothing.
func TestErasureNamesNeverCollide(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	sys := auth.System(ctx)
	a, _, err := env.App.Auth.Register(sys, auth.Registration{Username: "kemuning-a", Password: "kemuning a panjang sekali"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Groups.Join(as(t, env, "kemuning-a"), 1, groups.JoinInput{DisplayName: "Kemuning", AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	var member int64
	if err := env.App.DB.QueryRow(ctx, `SELECT id FROM group_members WHERE user_id = $1`, a.ID).Scan(&member); err != nil {
		t.Fatal(err)
	}
	// Registered before sign-up refused the prefix (or by an operator).
	lookalike := "erased-" + strconv.FormatInt(a.ID, 10)
	if _, _, err := env.App.Auth.Register(sys, auth.Registration{Username: lookalike, Password: "mirip nisan panjang sekali"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Groups.Join(as(t, env, lookalike), 1, groups.JoinInput{DisplayName: "erased-" + strconv.FormatInt(member, 10), AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	r := env.AsDemo("demo-admin").Post("/admin/people/"+strconv.FormatInt(a.ID, 10)+"/erase",
		url.Values{"confirm": {"kemuning-a"}, "reason": {"Permintaan lewat telepon dari Kemuning-A"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d %s", r.StatusCode, r.Body)
	}
	// The request is kept in the log, without the name it quoted.
	entries, err := env.App.Audit.List(ctx, audit.Filter{Action: "privacy.erase", PersonID: a.ID})
	if err != nil || len(entries) != 1 || entries[0].Detail != "on request: Permintaan lewat telepon dari [erased]" {
		t.Fatalf("erasure audited: %+v %v", entries, err)
	}
	var name, pseudonym string
	if err := env.App.DB.QueryRow(ctx, `SELECT u.username, m.display_name FROM users u JOIN group_members m ON m.user_id = u.id WHERE u.id = $1`, a.ID).
		Scan(&name, &pseudonym); err != nil {
		t.Fatal(err)
	}
	if name != lookalike+"-2" || pseudonym != "erased-"+strconv.FormatInt(member, 10)+"-2" {
		t.Fatalf("tombstone names: %q, %q", name, pseudonym)
	}
	// The person whose name looks like a tombstone is a person.
	c := env.As(lookalike, "mirip nisan panjang sekali")
	if r := c.Post("/account/erase", url.Values{"password": {"mirip nisan panjang sekali"}, "confirm": {lookalike}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the look-alike erases their account: %d %s", r.StatusCode, r.Body)
	}
	// Sign-up: the prefix is reserved; a text changed since the form was shown creates nothing.
	form := url.Values{"username": {"erased-77"}, "password": {"cukup panjang sekali"}, "confirm": {"cukup panjang sekali"},
		"consent": {"1"}, "consent_version": {"1"}, "consent_lang": {"id"}}
	if r := env.Stranger().Post("/register", form); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-username"`) {
		t.Fatalf("sign-up as erased-77: %d", r.StatusCode)
	}
	form.Set("username", "kemuning-baru")
	form.Set("consent_version", "0")
	if r := env.Stranger().Post("/register", form); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-consent"`) ||
		!strings.Contains(r.Body, "Teks ini berubah sejak halaman dibuka") || !strings.Contains(r.Body, `name="consent_version" value="1"`) {
		t.Fatalf("sign-up with a stale consent text: %d", r.StatusCode)
	}
	if _, _, err := env.App.Auth.Lookup(sys, "kemuning-baru"); err == nil {
		t.Fatal("an account was created with a stale consent")
	}
}

// TestDataPageSpeaksTheReadersLanguage: every field and section any feature
// exports, for every account of the demo, has a label in both languages, and
// the readable page shows dates and codes in words.
func TestDataPageSpeaksTheReadersLanguage(t *testing.T) {
	env := apptest.New(t)
	ctx := auth.System(context.Background())
	bundle, err := i18n.Load("id")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := env.App.DB.Query(ctx, `SELECT id FROM users ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	missing := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				for _, lang := range []string{"id", "en"} {
					if !bundle.Has(lang, "privacy.field."+k) {
						missing[lang+": privacy.field."+k] = true
					}
				}
				walk(child)
			}
		case []any:
			for _, child := range x {
				walk(child)
			}
		}
	}
	fields := 0
	for _, id := range ids {
		sections, err := env.App.Privacy.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sections {
			for _, lang := range []string{"id", "en"} {
				if !bundle.Has(lang, "privacy.section."+s.Name) {
					missing[lang+": privacy.section."+s.Name] = true
				}
			}
			raw, _ := json.Marshal(s.Data)
			fields += strings.Count(string(raw), `":`)
			var generic any
			if err := json.Unmarshal(raw, &generic); err != nil {
				t.Fatal(err)
			}
			walk(generic)
		}
	}
	if fields < 500 {
		t.Fatalf("only %d fields exported for %d accounts: the walk sees too little", fields, len(ids))
	}
	for k := range missing {
		t.Errorf("no label for %s (add it to a catalogue, e.g. locales/*/privacy.json)", k)
	}
	page := env.AsDemo("demo-member").Get("/account/data")
	if page.StatusCode != 200 {
		t.Fatalf("data page: %d", page.StatusCode)
	}
	if m := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:`).FindString(page.Body); m != "" {
		t.Errorf("a raw timestamp on the readable page: %s", m)
	}
	for _, want := range []string{"Kelompok dan pertemuan", "Nama di kelompok", "aktif", "November"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the readable page does not say %q", want)
		}
	}
}

func auditFilterAction(action string) audit.Filter { return audit.Filter{Action: action} }
