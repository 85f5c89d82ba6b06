package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/safety"
)

// as returns a context acting as a demo (or other) account, for service calls.
func as(t *testing.T, env *apptest.Env, username string) context.Context {
	t.Helper()
	ctx := auth.System(context.Background())
	u, grants, err := env.App.Auth.Lookup(ctx, username)
	if err != nil {
		t.Fatalf("lookup %s: %v", username, err)
	}
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants, SiteAdmin: u.SiteAdmin})
}

type sentMail struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (s *sentMail) Send(_ context.Context, m mail.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	return nil
}

func lastEscalation(t *testing.T, env *apptest.Env) (id int64, level, sealed string) {
	t.Helper()
	if err := env.App.DB.QueryRow(context.Background(), `SELECT id, level, excerpt_sealed FROM escalations ORDER BY id DESC LIMIT 1`).
		Scan(&id, &level, &sealed); err != nil {
		t.Fatal(err)
	}
	return id, level, sealed
}

// A member writes a crisis message on the board: they see the help card at
// once, the post is held from the group, the facilitator and the safety lead
// are alerted in the app and by e-mail (without the text), and the safety
// lead resolves the alert with a note; every read of the text is audited.
func TestCrisisPostEscalates(t *testing.T) {
	env := apptest.New(t)
	sent := &sentMail{}
	env.App.Safety.Messaging.Mail = sent
	if err := env.App.Auth.SetEmail(as(t, env, "demo-facilitator"), "fasilitator@example.org"); err != nil {
		t.Fatal(err)
	}
	const text = "aku udah nyiapin obat banyak, malam ini mau kuhabiskan semua. pengen mati aja"
	member := env.AsDemo("demo-member")
	res := member.Post("/groups/1/board", url.Values{"body": {text}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d %s", res.StatusCode, res.Body)
	}
	page := member.Get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, `id="help-card"`) || !strings.Contains(page.Body, "SEJIWA") || !strings.Contains(page.Body, "Kamu tidak sendirian") {
		t.Fatalf("no help card with the region's lines after a crisis post")
	}
	id, level, sealed := lastEscalation(t, env)
	if level != "crisis" || strings.Contains(sealed, "obat") {
		t.Fatalf("escalation %d: level %s, sealed %q", id, level, sealed)
	}
	// Held: another member does not see it; the facilitator does, marked.
	other, err := env.App.Groups.Board(as(t, env, "langit_biru"), 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range other {
		if strings.Contains(p.Body, "nyiapin obat") {
			t.Fatal("a held crisis post is shown to other members")
		}
	}
	link := "/safety/escalations/" + strconv.FormatInt(id, 10)
	for _, who := range []string{"demo-facilitator", "demo-moderator"} {
		c := env.AsDemo(who)
		if n := c.Get("/notices"); !strings.Contains(n.Body, link) {
			t.Errorf("%s has no notice linking %s", who, link)
		}
		if d := c.Get("/safety"); d.StatusCode != 200 || !strings.Contains(d.Body, link) {
			t.Errorf("%s: /safety %d lacks the alert", who, d.StatusCode)
		}
	}
	if n := member.Get("/notices"); strings.Contains(n.Body, link) {
		t.Error("the author is told about their own alert")
	}
	for _, who := range []string{"demo-coordinator", "demo-member", "demo-mentor"} {
		if s := env.AsDemo(who).Get(link); s.StatusCode != http.StatusForbidden {
			t.Errorf("%s opens the alert: %d", who, s.StatusCode)
		}
	}
	// The e-mail goes out from the job queue, names the group, not the text.
	if _, err := env.App.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	sent.mu.Lock()
	var ours int
	for _, m := range sent.msgs { // the demo's own alert is e-mailed too
		if m.To != "fasilitator@example.org" || strings.Contains(m.Text, "obat") || strings.Contains(m.Subject, "obat") {
			t.Fatalf("alert e-mail: %+v", m)
		}
		if strings.Contains(m.Text, link) && strings.Contains(m.Subject, "Krisis") {
			ours++
		}
	}
	if ours != 1 {
		t.Fatalf("alert e-mails: %+v", sent.msgs)
	}
	sent.mu.Unlock()
	// The safety lead reads it (audited) and resolves it with a note.
	lead := env.AsDemo("demo-moderator")
	if p := lead.Get(link); p.StatusCode != 200 || !strings.Contains(p.Body, "nyiapin obat") {
		t.Fatalf("alert page: %d", p.StatusCode)
	}
	reads, err := env.App.Audit.List(context.Background(), audit.Filter{Action: "safety.escalation.read", Actor: "demo-moderator"})
	if err != nil || len(reads) != 1 || reads[0].Target != "escalation:"+strconv.FormatInt(id, 10) {
		t.Fatalf("audited reads: %+v %v", reads, err)
	}
	if r := lead.Post(link, url.Values{"status": {"resolved"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("resolve without a note: %d", r.StatusCode)
	}
	if r := lead.Post(link, url.Values{"status": {"resolved"}, "note": {"Sudah ditelepon; malam ini ditemani kakaknya."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve: %d", r.StatusCode)
	}
	var status, note string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT e.status, n.body_sealed FROM escalations e JOIN escalation_notes n ON n.escalation_id = e.id WHERE e.id = $1`, id).
		Scan(&status, &note); err != nil || status != "resolved" || strings.Contains(note, "kakaknya") {
		t.Fatalf("after resolving: %s %q %v", status, note, err)
	}
	if p := lead.Get(link); !strings.Contains(p.Body, "ditemani kakaknya") {
		t.Fatal("the note is not shown")
	}
	// Released after a look, the post reaches the group.
	if r := lead.Post(link+"/release", url.Values{"release": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", r.StatusCode)
	}
	other, _ = env.App.Groups.Board(as(t, env, "langit_biru"), 1, 100)
	found := false
	for _, p := range other {
		found = found || strings.Contains(p.Body, "nyiapin obat")
	}
	if !found {
		t.Fatal("a released post is still held")
	}
}

// A group that shows flagged messages still opens an alert; ordinary words
// open none; a chat message answers the page's script with help.
func TestScreeningFollowsTheGroupSetting(t *testing.T) {
	env := apptest.New(t)
	fac := env.AsDemo("demo-facilitator")
	edit := fac.Get("/groups/1/edit")
	if !strings.Contains(edit.Body, `name="screen_hold"`) {
		t.Fatal("the group form has no screening setting")
	}
	ctx := as(t, env, "demo-facilitator")
	v, err := env.App.Groups.Group(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := groups.InputOf(v.Group)
	in.ScreenHold = groups.HoldNone
	if err := env.App.Groups.Update(ctx, 1, in); err != nil {
		t.Fatal(err)
	}
	in.ScreenHold = "sometimes"
	if err := env.App.Groups.Update(ctx, 1, in); err == nil {
		t.Fatal("an unknown setting was accepted")
	}
	before, _, _ := lastEscalation(t, env)
	sc, err := env.App.Groups.Write(as(t, env, "demo-member"), 1, 0, "Cuaca panas banget hari ini, mati listrik pula.")
	if err != nil || sc.Flagged() {
		t.Fatalf("ordinary post: %+v %v", sc, err)
	}
	if after, _, _ := lastEscalation(t, env); after != before {
		t.Fatal("an ordinary post opened an alert")
	}
	sc, err = env.App.Groups.Write(as(t, env, "demo-member"), 1, 0, "I want to kill myself tonight")
	if err != nil || sc.Hold || sc.Level != "crisis" || sc.EscalationID == 0 {
		t.Fatalf("crisis post in a group that shows everything: %+v %v", sc, err)
	}
	// Chat: the script gets {"help": true}.
	up, err := env.App.Groups.Upcoming(auth.System(context.Background()), 1, 14*24*time.Hour)
	if err != nil || len(up) == 0 {
		t.Fatal("no meeting")
	}
	room := "/groups/1/sessions/" + strconv.FormatInt(up[0].Session.ID, 10) + "/" + up[0].Key() + "/room/messages"
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+room, strings.NewReader(url.Values{"body": {"gak sanggup lagi aku"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res := env.AsDemo("demo-member").Do(req)
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"help":true`) {
		t.Fatalf("chat answer: %d %s", res.StatusCode, res.Body)
	}
}

// Reports: nonexistent things, one's own words, repeats and oversized text
// are refused with a message and store nothing; a facilitator mutes, the
// member cannot write and sees why, appeals, and the safety lead lifts it.
func TestReportsModerationAndAppeal(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	count := func() (n int) {
		_ = env.App.DB.QueryRow(ctx, `SELECT count(*) FROM reports`).Scan(&n)
		return n
	}
	reports := count()
	member := env.AsDemo("demo-member")
	if _, err := env.App.Groups.Write(as(t, env, "langit_biru"), 1, 0, "Kamu itu cuma cari perhatian."); err != nil {
		t.Fatal(err)
	}
	var post, own int64
	if err := env.App.DB.QueryRow(ctx, `SELECT id FROM board_posts WHERE body LIKE 'Kamu itu cuma%'`).Scan(&post); err != nil {
		t.Fatal(err)
	}
	if err := env.App.DB.QueryRow(ctx, `SELECT min(p.id) FROM board_posts p JOIN users u ON u.id = p.author_id WHERE u.username = 'demo-member'`).Scan(&own); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(post, 10)
	for _, c := range []struct {
		name string
		form url.Values
		want int
		msg  string
	}{
		{"nonexistent", url.Values{"kind": {"post"}, "id": {"999999"}, "reason": {"spam"}}, 404, ""},
		{"bad kind", url.Values{"kind": {"poll"}, "id": {id}, "reason": {"spam"}}, 404, ""},
		{"own words", url.Values{"kind": {"post"}, "id": {strconv.FormatInt(own, 10)}, "reason": {"spam"}}, 422, "tulisanmu sendiri"},
		{"no reason", url.Values{"kind": {"post"}, "id": {id}}, 422, "f-reason"},
		{"oversized", url.Values{"kind": {"post"}, "id": {id}, "reason": {"harassment"}, "detail": {strings.Repeat("panjang ", 400)}}, 422, "f-detail"},
	} {
		res := member.Post("/report", c.form)
		if res.StatusCode != c.want || !strings.Contains(res.Body, c.msg) {
			t.Errorf("%s: %d", c.name, res.StatusCode)
		}
	}
	if count() != reports {
		t.Fatal("a refused report was stored")
	}
	if res := member.Post("/report", url.Values{"kind": {"post"}, "id": {id}, "reason": {"harassment"}, "detail": {"Menyakitkan."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d %s", res.StatusCode, res.Body)
	}
	if res := member.Post("/report", url.Values{"kind": {"post"}, "id": {id}, "reason": {"harassment"}}); res.StatusCode != 422 || !strings.Contains(res.Body, "sudah melaporkan") {
		t.Fatalf("repeated report: %d", res.StatusCode)
	}
	var reportID int64
	if err := env.App.DB.QueryRow(ctx, `SELECT max(id) FROM reports`).Scan(&reportID); err != nil {
		t.Fatal(err)
	}
	rpath := "/safety/reports/" + strconv.FormatInt(reportID, 10)
	fac := env.AsDemo("demo-facilitator")
	if r := fac.Get(rpath); r.StatusCode != 200 || !strings.Contains(r.Body, "cari perhatian") || !strings.Contains(r.Body, "Menyakitkan") {
		t.Fatalf("report page: %d", r.StatusCode)
	}
	if r := fac.Post(rpath, url.Values{"kind": {"ban"}, "reason": {"Berulang kali."}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a facilitator bans: %d", r.StatusCode)
	}
	if r := fac.Post(rpath, url.Values{"kind": {"mute"}, "hours": {"0"}, "reason": {"Mohon jeda dulu."}}); r.StatusCode != 422 {
		t.Fatalf("mute for 0 hours: %d", r.StatusCode)
	}
	if r := fac.Post(rpath, url.Values{"kind": {"mute"}, "hours": {"24"}, "reason": {"Mohon jeda dulu, kata-katamu menyakiti."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mute: %d %s", r.StatusCode, r.Body)
	}
	langit := as(t, env, "langit_biru")
	if _, err := env.App.Groups.Write(langit, 1, 0, "Halo semua"); err == nil || !strings.Contains(err.Error(), "safety.restricted_until") {
		t.Fatalf("a muted member wrote: %v", err)
	}
	acts, err := env.App.Safety.MyActions(langit)
	if err != nil || len(acts) != 1 || acts[0].Kind != "mute" || acts[0].Reason != "Mohon jeda dulu, kata-katamu menyakiti." {
		t.Fatalf("my actions: %+v %v", acts, err)
	}
	if err := env.App.Safety.Appeal(langit, acts[0].ID, "pendek"); err == nil {
		t.Fatal("a too short appeal was accepted")
	}
	if err := env.App.Safety.Appeal(as(t, env, "demo-member"), acts[0].ID, "Ini bukan tindakan untukku sama sekali."); err == nil {
		t.Fatal("someone else appealed the action")
	}
	if err := env.App.Safety.Appeal(langit, acts[0].ID, "Aku minta maaf, aku sedang kacau waktu itu."); err != nil {
		t.Fatal(err)
	}
	lead := env.AsDemo("demo-moderator")
	if d := lead.Get("/safety"); !strings.Contains(d.Body, "sedang kacau") {
		t.Fatal("the appeal is not on the safety page")
	}
	if r := lead.Post("/safety/appeals/"+strconv.FormatInt(acts[0].ID, 10), url.Values{"decision": {"overturn"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("overturn: %d", r.StatusCode)
	}
	if _, err := env.App.Groups.Write(langit, 1, 0, "Terima kasih, aku akan lebih hati-hati."); err != nil {
		t.Fatalf("after the mute was lifted: %v", err)
	}
}

// A safety lead of one organisation cannot act on a report in another's group.
func TestModeratorStaysInTheirOrganisation(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	var other int64
	if err := env.App.DB.QueryRow(ctx, `SELECT g.id FROM support_groups g JOIN organisations o ON o.id = g.org_id
		WHERE o.slug <> 'yayasan-rangkul-jiwa' AND g.open = TRUE ORDER BY g.id LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	sys := auth.System(ctx)
	var users []context.Context
	for _, name := range []string{"anggota-satu", "anggota-dua"} {
		if _, _, err := env.App.Auth.Register(sys, auth.Registration{Username: name, Password: "kata sandi panjang"}); err != nil {
			t.Fatal(err)
		}
		c := as(t, env, name)
		if _, err := env.App.Groups.Join(c, other, groups.JoinInput{DisplayName: "Nama " + name[8:], AcceptRules: true}); err != nil {
			t.Fatal(err)
		}
		users = append(users, c)
	}
	if _, err := env.App.Groups.Write(users[0], other, 0, "Tulisan yang akan dilaporkan."); err != nil {
		t.Fatal(err)
	}
	var post int64
	if err := env.App.DB.QueryRow(ctx, `SELECT max(id) FROM board_posts WHERE group_id = $1`, other).Scan(&post); err != nil {
		t.Fatal(err)
	}
	rid, err := env.App.Safety.Report(users[1], groups.SourcePost, post, "spam", "")
	if err != nil {
		t.Fatal(err)
	}
	lead := as(t, env, "demo-moderator")
	if _, err := env.App.Safety.ReportDetail(lead, rid); err != auth.ErrForbidden {
		t.Fatalf("a safety lead of another organisation read the report: %v", err)
	}
	if err := env.App.Safety.Decide(lead, rid, safety.ActionInput{Kind: safety.ActBan, Reason: "Tidak boleh."}); err != auth.ErrForbidden {
		t.Fatalf("a safety lead of another organisation acted: %v", err)
	}
	list, err := env.App.Safety.Reports(lead, true, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.ID == rid {
			t.Fatal("another organisation's report is listed")
		}
	}
}

// New accounts cannot post links and are slowed down.
func TestNewAccountLimits(t *testing.T) {
	env := apptest.New(t)
	sys := auth.System(context.Background())
	if _, _, err := env.App.Auth.Register(sys, auth.Registration{Username: "baru-datang", Password: "kata sandi panjang"}); err != nil {
		t.Fatal(err)
	}
	c := as(t, env, "baru-datang")
	if _, err := env.App.Groups.Join(c, 1, groups.JoinInput{DisplayName: "Pendatang", AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{"lihat https://contoh.com ya", "cek www.promo.id", "buka diskon.com sekarang"} {
		if _, err := env.App.Groups.Write(c, 1, 0, link); err == nil || !strings.Contains(err.Error(), "new_account_links") {
			t.Errorf("a new account posted %q: %v", link, err)
		}
	}
	for i := 0; i < env.App.Safety.NewAccountBurst; i++ {
		if _, err := env.App.Groups.Write(c, 1, 0, "Halo, salam kenal "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.App.Groups.Write(c, 1, 0, "Satu lagi"); err == nil || !strings.Contains(err.Error(), "new_account_slow") {
		t.Fatalf("a new account was not slowed: %v", err)
	}
	// An established account (the demo's, moved back in time) may post a link.
	env.App.Safety.SetClock(func() time.Time { return time.Now().Add(96 * time.Hour) })
	if _, err := env.App.Groups.Write(c, 1, 0, "Materi webinar: https://contoh.org/materi"); err != nil {
		t.Fatalf("an established account cannot post a link: %v", err)
	}
}

// Conflict cases are seen only by the group's facilitators and safety leads;
// their texts are sealed; closing needs an outcome.
func TestConflictCases(t *testing.T) {
	env := apptest.New(t)
	fac := env.AsDemo("demo-facilitator")
	form := fac.Get("/safety/cases/new?group=1")
	if form.StatusCode != 200 {
		t.Fatalf("case form: %d", form.StatusCode)
	}
	if r := fac.Post("/safety/cases", url.Values{"group": {"1"}, "summary": {"Dua anggota berselisih soal giliran bicara."}}); r.StatusCode != 422 {
		t.Fatalf("a case without parties: %d", r.StatusCode)
	}
	var a, b int64
	if err := env.App.DB.QueryRow(context.Background(), `SELECT min(id), max(id) FROM group_members WHERE group_id = 1 AND role = 'member' AND status = 'active'`).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	r := fac.Post("/safety/cases", url.Values{"group": {"1"}, "party": {strconv.FormatInt(a, 10), strconv.FormatInt(b, 10)},
		"summary": {"Perselisihan rahasia soal giliran bicara di sesi Kamis."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("open case: %d %s", r.StatusCode, r.Body)
	}
	path := r.Header.Get("Location")
	for who, want := range map[string]int{"demo-moderator": 200, "demo-member": 403, "demo-coordinator": 403, "demo-mentor": 403} {
		if got := env.AsDemo(who).Get(path).StatusCode; got != want {
			t.Errorf("%s opens the case: %d, want %d", who, got, want)
		}
	}
	if r := fac.Post(path, url.Values{"close": {"1"}}); r.StatusCode != 422 {
		t.Fatalf("close without outcome: %d", r.StatusCode)
	}
	if r := fac.Post(path, url.Values{"note": {"Mediasi pertama: keduanya mau bicara."}, "agreed": {"Bergantian bicara dua menit."},
		"outcome": {"Berdamai."}, "close": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", r.StatusCode)
	}
	page := fac.Get(path)
	for _, want := range []string{"Perselisihan rahasia", "Mediasi pertama", "Bergantian bicara", "Berdamai"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	var sealed string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT summary_sealed || agreed_sealed || outcome_sealed FROM conflict_cases ORDER BY id DESC LIMIT 1`).
		Scan(&sealed); err != nil || strings.Contains(sealed, "rahasia") || strings.Contains(sealed, "Berdamai") {
		t.Fatalf("case text stored in the clear: %v", err)
	}
}

// The screener tester shows each line's level, for safety leads only.
func TestScreenTesterPage(t *testing.T) {
	env := apptest.New(t)
	res := env.AsDemo("demo-moderator").Post("/safety/screen", url.Values{"text": {"pengen mati aja\nmati lampu lagi\ngak sanggup lagi"}})
	if res.StatusCode != 200 {
		t.Fatalf("tester: %d", res.StatusCode)
	}
	for _, want := range []string{"level-crisis", "level-none", "level-concern"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("tester lacks %s", want)
		}
	}
	if r := env.AsDemo("demo-facilitator").Get("/safety/screen"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a facilitator opened the tester: %d", r.StatusCode)
	}
}

// Words added to a check-in are sealed, screened, and shown to the group's
// facilitator in the room (audited), not to other members.
func TestCheckInWords(t *testing.T) {
	env := apptest.New(t)
	meeting := nextMeetingPath(t, env)
	member := env.AsDemo("demo-member")
	res := member.Post(meeting+"/room/mood", url.Values{"phase": {"in"}, "score": {"2"}, "comment": {"Minggu ini berat, tidur kurang."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("check in: %d %s", res.StatusCode, res.Body)
	}
	var sealed string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT comment_sealed FROM room_moods WHERE comment_sealed <> ''`).Scan(&sealed); err != nil ||
		strings.Contains(sealed, "berat") {
		t.Fatalf("check-in words stored in the clear: %v", err)
	}
	if page := env.AsDemo("demo-facilitator").Get(meeting + "/room"); !strings.Contains(page.Body, "Minggu ini berat") {
		t.Fatal("the facilitator does not see the check-in words")
	}
	if page := member.Get(meeting + "/room"); strings.Contains(page.Body, "tidur kurang") || strings.Contains(page.Body, "Kata-kata saat check-in") {
		t.Fatal("a member sees the check-in words")
	}
	reads, err := env.App.Audit.List(context.Background(), audit.Filter{Action: "groups.checkin.read"})
	if err != nil || len(reads) != 1 {
		t.Fatalf("audited reads: %d %v", len(reads), err)
	}
	// Crisis words at check-in open an alert and show the help card.
	res = member.Post(meeting+"/room/mood", url.Values{"phase": {"out"}, "score": {"1"}, "comment": {"pengen mati aja rasanya"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("check out: %d", res.StatusCode)
	}
	if page := member.Get(res.Header.Get("Location")); !strings.Contains(page.Body, `id="help-card"`) {
		t.Fatal("no help card after crisis words at check-out")
	}
	var source string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT source FROM escalations ORDER BY id DESC LIMIT 1`).Scan(&source); err != nil || source != "checkin" {
		t.Fatalf("escalation source %q %v", source, err)
	}
}

// The audit log filters by person (by or about), record and time; bad input
// is answered beside the field.
func TestAuditFilters(t *testing.T) {
	env := apptest.New(t)
	admin := env.AsDemo("demo-admin")
	lead := env.AsDemo("demo-moderator")
	lead.Get("/safety/escalations/1") // an audited read by the safety lead
	res := admin.Get("/admin/audit?record=escalation:1")
	if res.StatusCode != 200 || !strings.Contains(res.Body, "safety.escalation.read") || strings.Contains(res.Body, "auth.login") {
		t.Fatalf("by record: %d", res.StatusCode)
	}
	res = admin.Get("/admin/audit?record=escalation:")
	if !strings.Contains(res.Body, "<code>safety.escalation.read</code>") {
		t.Fatal("by record prefix")
	}
	res = admin.Get("/admin/audit?person=demo-moderator")
	if !strings.Contains(res.Body, "safety.escalation.read") || !strings.Contains(res.Body, "auth.login") || strings.Contains(res.Body, "<td>demo-admin</td>") {
		t.Fatal("by person")
	}
	// About a person: the warning given to bunga.senja in the demo.
	res = admin.Get("/admin/audit?person=bunga.senja&action=safety.action")
	if !strings.Contains(res.Body, "safety.action.warn") {
		t.Fatal("about a person")
	}
	today := time.Now().In(env.App.Groups.Zone).Format("2006-01-02")
	if res = admin.Get("/admin/audit?from=" + today + "&to=" + today + "&action=safety.escalation.read"); !strings.Contains(res.Body, "<code>safety.escalation.read</code>") {
		t.Fatal("by today's date")
	}
	if res = admin.Get("/admin/audit?to=2000-01-01&action=safety."); strings.Contains(res.Body, "<code>safety.") {
		t.Fatal("an entry from today listed before 2000")
	}
	for q, field := range map[string]string{"from=22-11-2026": "e-from", "from=2026-11-22&to=2026-11-01": "e-to",
		"person=nobody-here": "e-person", "record=" + strings.Repeat("x", 300): "e-record"} {
		if res := admin.Get("/admin/audit?" + q); res.StatusCode != 422 || !strings.Contains(res.Body, `id="`+field+`"`) {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
	if res := lead.Get("/admin/audit"); res.StatusCode != 403 {
		t.Fatalf("a safety lead reads the audit log: %d", res.StatusCode)
	}
}

// Members can report a post from the board and a member from the members
// list; facilitators reading feedback comments are audited.
func TestReportLinksAndFeedbackReads(t *testing.T) {
	env := apptest.New(t)
	member := env.AsDemo("demo-member")
	board := member.Get("/groups/1/board")
	if !strings.Contains(board.Body, "/report?kind=post&amp;id=") {
		t.Fatal("no report link on others' posts")
	}
	members := member.Get("/groups/1/members")
	if !strings.Contains(members.Body, "/report?kind=member&amp;id=") {
		t.Fatal("no report link on the members list")
	}
	hist, err := env.App.Groups.History(auth.System(context.Background()), 1)
	if err != nil || len(hist) == 0 {
		t.Fatal("no past meeting")
	}
	if _, err := env.App.Groups.Summary(as(t, env, "demo-facilitator"), 1, hist[len(hist)-1].Occ.Session.ID, hist[len(hist)-1].Occ.Original.Unix()); err != nil {
		t.Fatal(err)
	}
	var n int
	for _, h := range hist {
		fs, err := env.App.Groups.Summary(as(t, env, "demo-facilitator"), 1, h.Occ.Session.ID, h.Occ.Original.Unix())
		if err != nil {
			t.Fatal(err)
		}
		if len(fs.Comments) > 0 {
			n++
		}
	}
	reads, err := env.App.Audit.List(context.Background(), audit.Filter{Action: "groups.feedback.read"})
	if err != nil || n == 0 || len(reads) < n {
		t.Fatalf("feedback reads audited: %d for %d meetings with comments, %v", len(reads), n, err)
	}
}
