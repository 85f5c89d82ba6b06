package app_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/referrals"
)

// demoInvitationCode is the code of the demo network's one accepted referral
// whose invitation is unused (to group 4, "Pelangi Setelah Hujan"). It is
// printed nowhere; it is written down here, in the tests, only.
const demoInvitationCode = "SENJ-A7PG"

func referralStatus(t *testing.T, env *apptest.Env, id int64) string {
	t.Helper()
	var s string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT status FROM referrals WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func countReferrals(t *testing.T, env *apptest.Env) int {
	t.Helper()
	var n int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM referrals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// demoReferralTo returns the id of the demo referral to a group in a status.
func demoReferralTo(t *testing.T, env *apptest.Env, group int64, status string) int64 {
	t.Helper()
	var id int64
	if err := env.App.DB.QueryRow(context.Background(), `SELECT id FROM referrals WHERE group_id = $1 AND status = $2 ORDER BY id LIMIT 1`,
		group, status).Scan(&id); err != nil {
		t.Fatalf("no demo referral to group %d in status %s: %v", group, status, err)
	}
	return id
}

func referralForm(group string) url.Values {
	return url.Values{"kind": {"group"}, "group_id": {group}, "name": {"Embun Pagi"}, "contact": {"0812 3456 7890, sore hari"},
		"email": {"embun@example.org"}, "reason": {"Cemas berat sejak kehilangan pekerjaan; rahasia-alasan-42."}, "invite_lang": {"id"},
		"consent": {"1"}, "consent_method": {"verbal"}, "consent_on": {time.Now().Format("2006-01-02")}}
}

func noticesOf(t *testing.T, env *apptest.Env, user string) []string {
	t.Helper()
	rows, err := env.App.DB.Query(context.Background(), `SELECT n.kind FROM notices n JOIN users u ON u.id = n.user_id WHERE u.username = $1 ORDER BY n.id`, user)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

func hasNotice(t *testing.T, env *apptest.Env, user, kind string) bool {
	for _, k := range noticesOf(t, env, user) {
		if k == kind {
			return true
		}
	}
	return false
}

// The whole loop over HTTP: a professional refers with consent, the
// facilitator opens and accepts, the code goes out by e-mail without the
// reason, a new account joins with it, the roll call records the first
// attendance, the referrer sees it (and nothing the person said) and closes
// the referral. Each step tells the other side; details are sealed and
// their reads audited.
func TestReferralLoop(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	sent := &sentMail{}
	env.App.Referrals.Messaging.Mail = sent
	prof := env.AsDemo("demo-professional")
	fac := env.AsDemo("demo-facilitator")

	if r := prof.Get("/referrals/new"); r.StatusCode != 200 || !strings.Contains(r.Body, "Ruang Tenang") || !strings.Contains(r.Body, `name="consent"`) {
		t.Fatalf("referral form: %d", r.StatusCode)
	}
	res := prof.Post("/referrals", referralForm("1"))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/referrals/") {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/referrals/"), 10, 64)
	path := "/referrals/" + strconv.FormatInt(id, 10)
	if s := referralStatus(t, env, id); s != referrals.StatusSent {
		t.Fatalf("new referral is %s", s)
	}
	// Sealed at rest: the name, contact and reason are not in the row.
	var raw string
	if err := env.App.DB.QueryRow(ctx, `SELECT name_sealed || contact_sealed || email_sealed || reason_sealed FROM referrals WHERE id = $1`, id).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"Embun", "0812", "embun@", "rahasia-alasan"} {
		if strings.Contains(raw, clear) {
			t.Fatalf("%q is stored in the clear", clear)
		}
	}
	if !hasNotice(t, env, "demo-facilitator", "referral_new") || !hasNotice(t, env, "demo-coordinator", "referral_new") {
		t.Fatal("the receivers were not told of the new referral")
	}
	if hasNotice(t, env, "demo-facilitator", "referral_received") {
		t.Fatal("a receiver got the referrer's notice")
	}
	// The referrer's view before anyone opened it.
	if page := prof.Get(path); page.StatusCode != 200 || !strings.Contains(page.Body, "Terkirim") || !strings.Contains(page.Body, "Embun Pagi") {
		t.Fatalf("referrer's page: %d", page.StatusCode)
	}
	if s := referralStatus(t, env, id); s != referrals.StatusSent {
		t.Fatalf("the referrer opening it made it %s", s)
	}
	// A member, another professional's colleague or a stranger does not see it.
	if r := env.AsDemo("demo-member").Get(path); r.StatusCode != 404 {
		t.Fatalf("a member opening a referral: %d", r.StatusCode)
	}
	// A status jump: accepting before the referral was opened.
	coord := env.AsDemo("demo-coordinator")
	if r := coord.Post(path+"/accept", url.Values{}); r.StatusCode != 422 || !strings.Contains(r.Body, "Tidak ada yang diubah") {
		t.Fatalf("accepting an unopened referral: %d", r.StatusCode)
	}
	if s := referralStatus(t, env, id); s != referrals.StatusReceived {
		// The coordinator's page, shown again with the error, opened it.
		t.Fatalf("after the refused jump the referral is %s, want received (opened by the page shown)", s)
	}
	if !hasNotice(t, env, "demo-professional", "referral_received") {
		t.Fatal("the referrer was not told the referral was opened")
	}
	// Closing it now skips steps: refused, nothing changed.
	if r := fac.Post(path+"/close", url.Values{}); r.StatusCode != 422 || !strings.Contains(r.Body, "Hanya rujukan yang orangnya sudah hadir") {
		t.Fatalf("closing an unanswered referral: %d", r.StatusCode)
	}
	if s := referralStatus(t, env, id); s != referrals.StatusReceived {
		t.Fatalf("after a refused close: %s", s)
	}
	// Declining needs a reason from the list.
	if r := fac.Post(path+"/decline", url.Values{"decline_reason": {"karena saya mau"}}); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-decline_reason"`) {
		t.Fatalf("decline with a made-up reason: %d", r.StatusCode)
	}
	// The referrer cannot answer their own referral.
	if r := prof.Post(path+"/accept", url.Values{}); r.StatusCode != 403 {
		t.Fatalf("the referrer accepting: %d", r.StatusCode)
	}
	accept := fac.Post(path+"/accept", url.Values{})
	code := regexp.MustCompile(`id="invitation-code">([A-Z0-9-]+)<`).FindStringSubmatch(accept.Body)
	if accept.StatusCode != 200 || code == nil || accept.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("accept: %d %v", accept.StatusCode, code)
	}
	if s := referralStatus(t, env, id); s != referrals.StatusAccepted {
		t.Fatalf("accepted referral is %s", s)
	}
	var hash string
	if err := env.App.DB.QueryRow(ctx, `SELECT code_hash FROM referrals WHERE id = $1`, id).Scan(&hash); err != nil || strings.Contains(hash, strings.ReplaceAll(code[1], "-", "")) {
		t.Fatalf("the code is stored in the clear or not at all: %q %v", hash, err)
	}
	// Accepting twice is refused.
	if r := fac.Post(path+"/accept", url.Values{}); r.StatusCode != 422 {
		t.Fatalf("accepting twice: %d", r.StatusCode)
	}
	// The invitation e-mail: the code, the way in, never the reason.
	if _, err := env.App.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	var mailed string
	for _, m := range sent.msgs {
		if m.To == "embun@example.org" {
			mailed = m.Subject + "\n" + m.Text
		}
	}
	if !strings.Contains(mailed, code[1]) || !strings.Contains(mailed, "/referrals/claim") || strings.Contains(mailed, "rahasia-alasan") || strings.Contains(mailed, "Cemas") {
		t.Fatalf("invitation e-mail: %q", mailed)
	}

	// A new account joins with the code, in lower case without the dash.
	if _, _, err := env.App.Auth.Register(auth.System(ctx), auth.Registration{Username: "embun-pagi", Password: "embun pagi yang sejuk"}); err != nil {
		t.Fatal(err)
	}
	patient := env.As("embun-pagi", "embun pagi yang sejuk")
	typed := strings.ToLower(strings.ReplaceAll(code[1], "-", ""))
	if r := patient.Post("/referrals/claim", url.Values{"code": {"ZZZZ-ZZZZ"}}); r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-code"`) {
		t.Fatalf("a wrong code: %d", r.StatusCode)
	}
	step := patient.Post("/referrals/claim", url.Values{"code": {typed}})
	if step.StatusCode != 200 || !strings.Contains(step.Body, "Ruang Tenang") || !strings.Contains(step.Body, `name="display_name"`) {
		t.Fatalf("the code's second step: %d", step.StatusCode)
	}
	if r := patient.Post("/referrals/claim", url.Values{"code": {typed}, "join": {"1"}, "display_name": {"Bintang Fajar"}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, `id="e-accept_rules"`) {
		t.Fatalf("joining without the house rules: %d", r.StatusCode)
	}
	if r := patient.Post("/referrals/claim", url.Values{"code": {typed}, "join": {"1"}, "display_name": {"Bintang Fajar"}, "accept_rules": {"1"}}); r.StatusCode != http.StatusSeeOther ||
		r.Header.Get("Location") != "/groups/1" {
		t.Fatalf("joining with the code: %d %s %s", r.StatusCode, r.Header.Get("Location"), between(r.Body, "<main", "</main>"))
	}
	pctx := as(t, env, "embun-pagi")
	if v, err := env.App.Groups.Group(pctx, 1); err != nil || !v.IsMember() || v.Me.DisplayName != "Bintang Fajar" {
		t.Fatalf("not a member of group 1 after the code: %+v %v", v.Me, err)
	}
	if r := env.AsDemo("demo-member").Post("/referrals/claim", url.Values{"code": {typed}}); r.StatusCode != 422 || !strings.Contains(r.Body, "sudah dipakai") {
		t.Fatalf("a used code: %d", r.StatusCode)
	}
	if !hasNotice(t, env, "demo-professional", "referral_joined") {
		t.Fatal("the referrer was not told the invitation was used")
	}
	if page := prof.Get(path); !strings.Contains(page.Body, "belum hadir") {
		t.Fatal("the referrer's page does not say the person has not come yet")
	}

	// The person writes on the board and comes to a meeting; the roll call
	// records it.
	if _, err := env.App.Groups.Write(pctx, 1, 0, "Terima kasih, kata-rahasia-papan."); err != nil {
		t.Fatal(err)
	}
	facCtx := as(t, env, "demo-facilitator")
	zone := env.App.Groups.Zone
	soon := time.Now().In(zone).Add(10 * time.Minute).Truncate(time.Minute)
	sid, err := env.App.Groups.CreateSession(facCtx, 1, groups.SessionInput{Date: soon.Format("2006-01-02"), Time: soon.Format("15:04"), Minutes: "60"})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.App.Groups.MarkRoll(facCtx, 1, sid, soon.Unix(), []int64{userIDOf(t, env, "embun-pagi")}); err != nil {
		t.Fatal(err)
	}
	page := prof.Get(path)
	if !strings.Contains(page.Body, "Sudah hadir") || !strings.Contains(page.Body, "hadir pertama kali") {
		t.Fatalf("the referrer does not see the attendance: %s", between(page.Body, "<main", "</main>"))
	}
	if strings.Contains(page.Body, "kata-rahasia-papan") {
		t.Fatal("the referrer sees what the person wrote in the group")
	}
	if s := referralStatus(t, env, id); s != referrals.StatusAttended {
		t.Fatalf("after the roll call: %s", s)
	}
	if !hasNotice(t, env, "demo-professional", "referral_attended") {
		t.Fatal("the referrer was not told the person came")
	}
	if list := prof.Get("/referrals?view=sent"); !strings.Contains(list.Body, "Sudah hadir") || !strings.Contains(list.Body, "Embun Pagi") {
		t.Fatal("the referrer's list does not show the attendance")
	}
	// In English the step reads "attended".
	prof.Lang = "en"
	if en := prof.Get(path); !strings.Contains(en.Body, "First attended") {
		t.Fatal("the English page does not say attended")
	}
	prof.Lang = ""
	if r := prof.Post(path+"/close", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", r.StatusCode)
	}
	if s := referralStatus(t, env, id); s != referrals.StatusClosed || !hasNotice(t, env, "demo-facilitator", "referral_closed") {
		t.Fatalf("closed: %s", s)
	}
	if r := prof.Post(path+"/close", url.Values{}); r.StatusCode != 422 {
		t.Fatalf("closing twice: %d", r.StatusCode)
	}
	// Every time are stamped, in order.
	var times [6]*time.Time
	if err := env.App.DB.QueryRow(ctx, `SELECT received_at, accepted_at, claimed_at, first_attended_at, closed_at, sent_at FROM referrals WHERE id = $1`, id).
		Scan(&times[0], &times[1], &times[2], &times[3], &times[4], &times[5]); err != nil {
		t.Fatal(err)
	}
	for i, tm := range times {
		if tm == nil {
			t.Fatalf("step %d has no time", i)
		}
	}
	// Reads of the details are audited.
	entries, err := env.App.Auth.AuditLog(auth.System(ctx), auditFilterAction("referrals.details.read"))
	if err != nil || len(entries) < 3 {
		t.Fatalf("audited reads: %d %v", len(entries), err)
	}
}

func jsonOf(v any) (string, error) {
	raw, err := json.Marshal(v)
	return string(raw), err
}

func userIDOf(t *testing.T, env *apptest.Env, name string) int64 {
	t.Helper()
	u, _, err := env.App.Auth.Lookup(auth.System(context.Background()), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// Bad input is answered clearly and changes nothing: no consent, an
// unknown group, an unknown referral, a made-up step.
func TestReferralBadInput(t *testing.T) {
	env := apptest.New(t)
	prof := env.AsDemo("demo-professional")
	before := countReferrals(t, env)

	form := referralForm("1")
	form.Del("consent")
	form.Del("consent_method")
	r := prof.Post("/referrals", form)
	if r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-consent"`) || !strings.Contains(r.Body, "memerlukan persetujuan") ||
		!strings.Contains(r.Body, `id="e-consent_method"`) {
		t.Fatalf("a referral without consent: %d", r.StatusCode)
	}
	if !strings.Contains(r.Body, `value="Embun Pagi"`) {
		t.Fatal("the form lost what was typed")
	}
	for name, f := range map[string]url.Values{
		"unknown group": referralForm("99999"),
		"no group":      referralForm(""),
		"future consent": func() url.Values {
			f := referralForm("1")
			f.Set("consent_on", time.Now().AddDate(0, 0, 5).Format("2006-01-02"))
			return f
		}(),
		"no reason": func() url.Values { f := referralForm("1"); f.Set("reason", ""); return f }(),
		"bad email": func() url.Values { f := referralForm("1"); f.Set("email", "bukan-email"); return f }(),
		"service without id": func() url.Values {
			f := referralForm("")
			f.Set("kind", "service")
			return f
		}(),
	} {
		if r := prof.Post("/referrals", f); r.StatusCode != 422 || !strings.Contains(r.Body, `class="field-error"`) {
			t.Errorf("%s: %d", name, r.StatusCode)
		}
	}
	if r := prof.Post("/referrals", referralForm("99999")); !strings.Contains(r.Body, "Kelompok itu tidak ada di direktori") {
		t.Error("an unknown group is not named as such")
	}
	if n := countReferrals(t, env); n != before {
		t.Fatalf("refused referrals were stored: %d, want %d", n, before)
	}
	// Only professionals refer.
	if r := env.AsDemo("demo-coordinator").Post("/referrals", referralForm("1")); r.StatusCode != 403 {
		t.Fatalf("a coordinator referring: %d", r.StatusCode)
	}
	// Unknown ids.
	fac := env.AsDemo("demo-facilitator")
	for _, p := range []string{"/referrals/99999/accept", "/referrals/99999/close", "/referrals/99999/decline", "/referrals/99999/code"} {
		if r := fac.Post(p, url.Values{}); r.StatusCode != 404 {
			t.Errorf("POST %s: %d", p, r.StatusCode)
		}
	}
	if r := fac.Get("/referrals/99999"); r.StatusCode != 404 {
		t.Errorf("GET an unknown referral: %d", r.StatusCode)
	}
	// A received demo referral cannot jump to closed, nor get a first visit
	// by hand (groups record it by roll call).
	received := demoReferralTo(t, env, 1, referrals.StatusReceived)
	rp := "/referrals/" + strconv.FormatInt(received, 10)
	if r := fac.Post(rp+"/close", url.Values{}); r.StatusCode != 422 {
		t.Fatalf("close a received referral: %d", r.StatusCode)
	}
	if r := fac.Post(rp+"/attended", url.Values{"attended_on": {time.Now().Format("2006-01-02")}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, "daftar hadir") {
		t.Fatalf("attendance by hand for a group: %d", r.StatusCode)
	}
	if r := fac.Post(rp+"/code", url.Values{}); r.StatusCode != 422 {
		t.Fatalf("a code for an unanswered referral: %d", r.StatusCode)
	}
	if s := referralStatus(t, env, received); s != referrals.StatusReceived {
		t.Fatalf("refused steps changed the referral to %s", s)
	}
	// The service itself refuses every jump the table does not list.
	for from, tos := range map[string][]string{
		referrals.StatusSent:     {referrals.StatusAccepted, referrals.StatusAttended, referrals.StatusClosed, referrals.StatusDeclined},
		referrals.StatusReceived: {referrals.StatusAttended, referrals.StatusClosed, referrals.StatusSent},
		referrals.StatusAccepted: {referrals.StatusClosed, referrals.StatusReceived, referrals.StatusDeclined, referrals.StatusNoResponse},
		referrals.StatusDeclined: {referrals.StatusAccepted, referrals.StatusClosed},
		referrals.StatusClosed:   {referrals.StatusAttended, referrals.StatusAccepted},
	} {
		for _, to := range tos {
			if referrals.CanMove(from, to) {
				t.Errorf("%s -> %s is allowed", from, to)
			}
		}
	}
}

// The demo's invitation code lets a new account join group 4; wrong codes
// are limited.
func TestReferralDemoCode(t *testing.T) {
	env := apptest.New(t)
	ctx := auth.System(context.Background())
	for _, status := range referrals.Statuses {
		var n int
		if err := env.App.DB.QueryRow(ctx, `SELECT count(*) FROM referrals WHERE status = $1`, status).Scan(&n); err != nil || n == 0 {
			t.Errorf("the demo has no referral in status %s", status)
		}
	}
	if _, _, err := env.App.Auth.Register(ctx, auth.Registration{Username: "dik-a", Password: "kode undangan dari puskesmas"}); err != nil {
		t.Fatal(err)
	}
	c := env.As("dik-a", "kode undangan dari puskesmas")
	for i := 0; i < 10; i++ {
		c.Post("/referrals/claim", url.Values{"code": {"ABCD-EFGH"}})
	}
	if r := c.Post("/referrals/claim", url.Values{"code": {demoInvitationCode}}); r.StatusCode != 422 || !strings.Contains(r.Body, "Terlalu banyak kode") {
		t.Fatalf("after ten wrong codes: %d", r.StatusCode)
	}
	if _, _, err := env.App.Auth.Register(ctx, auth.Registration{Username: "dik-a-lagi", Password: "kode undangan dari puskesmas"}); err != nil {
		t.Fatal(err)
	}
	c = env.As("dik-a-lagi", "kode undangan dari puskesmas")
	if r := c.Post("/referrals/claim", url.Values{"code": {demoInvitationCode}, "join": {"1"}, "display_name": {"Dik A"}, "accept_rules": {"1"}}); r.StatusCode != http.StatusSeeOther ||
		r.Header.Get("Location") != "/groups/4" {
		t.Fatalf("the demo code: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if mine := c.Get("/referrals?view=mine"); !strings.Contains(mine.Body, "Pelangi Setelah Hujan") {
		t.Fatal("the person's own list does not show the referral")
	}
	// Signed out, the claim page says how to begin.
	if r := env.Stranger().Get("/referrals/claim"); r.StatusCode != 200 || !strings.Contains(r.Body, `href="/login?next=/referrals/claim"`) {
		t.Fatalf("claim page for a stranger: %d", r.StatusCode)
	}
}

// A referral to a service: the directory names it, the organisation's
// coordinator accepts and records the first visit by hand.
func TestReferralToService(t *testing.T) {
	env := apptest.New(t)
	org := strconv.FormatInt(yayasanID(t, env), 10)
	var serviceID, serviceName string
	if err := env.App.DB.QueryRow(context.Background(),
		`SELECT id, name FROM hsds_services ORDER BY name LIMIT 1`).Scan(&serviceID, &serviceName); err != nil {
		t.Fatalf("a demo service: %v", err)
	}
	prof := env.AsDemo("demo-professional")
	form := referralForm("")
	form.Set("kind", "service")
	form.Set("dest_org", org)
	form.Set("service_id", "tidak-ada")
	if r := prof.Post("/referrals", form); r.StatusCode != 422 || !strings.Contains(r.Body, "Tidak ada layanan dengan id ini") {
		t.Fatalf("an unknown service: %d", r.StatusCode)
	}
	form.Set("service_id", serviceID)
	r := prof.Post("/referrals", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("service referral: %d", r.StatusCode)
	}
	path := r.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/referrals/"), 10, 64)
	coord := env.AsDemo("demo-coordinator")
	if page := coord.Get(path); !strings.Contains(page.Body, html.EscapeString(serviceName)) {
		t.Fatal("the service is not named")
	}
	// The facilitator of group 1 does not receive service referrals.
	if page := env.AsDemo("demo-facilitator").Get(path); page.StatusCode != 404 {
		t.Fatalf("a facilitator opening a service referral: %d", page.StatusCode)
	}
	if r := coord.Post(path+"/accept", url.Values{}); r.StatusCode != 200 {
		t.Fatalf("accept: %d", r.StatusCode)
	}
	if r := coord.Post(path+"/attended", url.Values{"attended_on": {time.Now().AddDate(0, 0, 3).Format("2006-01-02")}}); r.StatusCode != 422 {
		t.Fatalf("a first visit in the future: %d", r.StatusCode)
	}
	if r := coord.Post(path+"/attended", url.Values{"attended_on": {time.Now().Format("2006-01-02")}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("record the first visit: %d", r.StatusCode)
	}
	if s := referralStatus(t, env, id); s != referrals.StatusAttended {
		t.Fatalf("after the first visit: %s", s)
	}
	if page := prof.Get(path); !strings.Contains(page.Body, "Sudah hadir") {
		t.Fatal("the referrer does not see the visit")
	}
}

// Referrals with no answer in 14 days are marked by the daily job, and both
// sides are told.
func TestReferralNoResponse(t *testing.T) {
	env := apptest.New(t)
	prof := as(t, env, "demo-professional")
	old := env.App.Referrals.WithClock(func() time.Time { return time.Now().AddDate(0, 0, -15) })
	in := referrals.Input{Kind: referrals.KindGroup, GroupID: 1, Name: "Pak W.", Reason: "Ingin teman sebaya.", InviteLang: "id",
		Consent: true, ConsentMethod: "written", ConsentOn: time.Now().AddDate(0, 0, -15).Format("2006-01-02")}
	oldID, err := old.Create(prof, in)
	if err != nil {
		t.Fatal(err)
	}
	in.ConsentOn = time.Now().Format("2006-01-02")
	newID, err := env.App.Referrals.Create(prof, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.App.Referrals.MarkNoResponse(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if s := referralStatus(t, env, oldID); s != referrals.StatusNoResponse {
		t.Fatalf("a 15-day-old referral is %s", s)
	}
	if s := referralStatus(t, env, newID); s != referrals.StatusSent {
		t.Fatalf("a new referral is %s", s)
	}
	if !hasNotice(t, env, "demo-professional", "referral_no_response") || !hasNotice(t, env, "demo-facilitator", "referral_no_response") {
		t.Fatal("no-response notices missing")
	}
	// A late answer is refused: the referral has moved on.
	if _, err := env.App.Referrals.Accept(as(t, env, "demo-facilitator"), oldID); err == nil {
		t.Fatal("a referral with no response was accepted")
	}
}

// The report: coordinators, administrators and analysts; small counts
// hidden from those outside the organisation.
func TestReferralReport(t *testing.T) {
	env := apptest.New(t)
	for who, want := range map[string]int{"demo-member": 403, "demo-professional": 403, "demo-facilitator": 403,
		"demo-coordinator": 200, "demo-analyst": 200, "demo-admin": 200} {
		if r := env.AsDemo(who).Get("/referrals/report"); r.StatusCode != want {
			t.Errorf("report as %s: %d, want %d", who, r.StatusCode, want)
		}
	}
	admin := env.AsDemo("demo-admin").Get("/referrals/report?period=all")
	if !strings.Contains(admin.Body, "Puskesmas Kecamatan Tebet") || !strings.Contains(admin.Body, "<svg") || strings.Contains(admin.Body, "kurang dari 5") {
		t.Fatalf("the administrator's report: %s", between(admin.Body, "<main", "</main>"))
	}
	// Klinik Jiwa Sehat made one demo referral: hidden from the analyst
	// (Yogyakarta); Puskesmas Tebet made seven, hidden too, or the total (8)
	// would give Klinik's away. The network administrator sees both.
	analyst := env.AsDemo("demo-analyst").Get("/referrals/report?period=all")
	if row := between(analyst.Body, "Klinik Jiwa Sehat Bandung</th>", "</tr>"); !strings.Contains(row, "kurang dari 5") {
		t.Fatalf("a single referral shown to an outsider: %q", row)
	}
	if row := between(analyst.Body, "Puskesmas Kecamatan Tebet</th>", "</tr>"); strings.Contains(row, "<td>7</td>") || !strings.Contains(row, "disembunyikan") {
		t.Fatalf("Puskesmas Tebet's row for the analyst gives Klinik's away: %q", row)
	}
	if !strings.Contains(analyst.Body, "Rujukan dikirim: 8") {
		t.Fatal("the total is hidden although another cell was")
	}
	if row := between(admin.Body, "Klinik Jiwa Sehat Bandung</th>", "</tr>"); !strings.Contains(row, "<td>1</td>") {
		t.Fatalf("the administrator's row: %q", row)
	}
	if row := between(admin.Body, "Puskesmas Kecamatan Tebet</th>", "</tr>"); !strings.Contains(row, "<td>7</td>") {
		t.Fatalf("the administrator's Puskesmas row: %q", row)
	}
	// The coordinator of Yayasan sees its groups' small numbers.
	coord := env.AsDemo("demo-coordinator").Get("/referrals/report?period=all")
	if row := between(coord.Body, "Sahabat Bipolar Jakarta <span", "</tr>"); !strings.Contains(row, "<td>1</td>") {
		t.Fatalf("the coordinator's own group: %q", row)
	}
	if row := between(analyst.Body, "Sahabat Bipolar Jakarta <span", "</tr>"); !strings.Contains(row, "kurang dari 5") {
		t.Fatalf("Yayasan's group for the analyst: %q", row)
	}
	// English too.
	c := env.AsDemo("demo-admin")
	c.Lang = "en"
	if r := c.Get("/referrals/report"); !strings.Contains(r.Body, "Median days to first session") {
		t.Fatal("the English report")
	}
}

// Data rights: the referred person's export holds the referral with what
// was written about them; erasing their account removes it; the
// referrer's export lists their referrals without the patients' details.
func TestReferralPrivacy(t *testing.T) {
	env := apptest.New(t)
	ctx := auth.System(context.Background())
	patientID := userIDOf(t, env, "kopi-pagi")
	sections, err := env.App.Privacy.Export(ctx, patientID)
	if err != nil {
		t.Fatal(err)
	}
	var found string
	for _, s := range sections {
		if s.Name == "referrals" {
			raw, _ := jsonOf(s.Data)
			found = raw
		}
	}
	if !strings.Contains(found, "Ibu N.") || !strings.Contains(found, "Pulih dari episode depresi") {
		t.Fatalf("the patient's export: %s", found)
	}
	sections, err = env.App.Privacy.Export(ctx, userIDOf(t, env, "demo-professional"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sections {
		if s.Name == "referrals" {
			raw, _ := jsonOf(s.Data)
			if !strings.Contains(raw, "referrals_i_made") || strings.Contains(raw, "Ibu N.") || !strings.Contains(raw, "Pelangi Setelah Hujan") {
				t.Fatalf("the referrer's export: %s", raw)
			}
		}
	}
	// Erase the patient: their details go, the dated steps stay.
	var id int64
	if err := env.App.DB.QueryRow(ctx, `SELECT id FROM referrals WHERE patient_id = $1`, patientID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := env.App.DB.InTx(ctx, func(tx *db.Tx) error {
		return referrals.PrivacyPart{S: env.App.Referrals}.Erase(ctx, tx, patientID)
	}); err != nil {
		t.Fatal(err)
	}
	var sealed string
	var patient *int64
	var closed *time.Time
	if err := env.App.DB.QueryRow(ctx, `SELECT name_sealed || reason_sealed, patient_id, closed_at FROM referrals WHERE id = $1`, id).Scan(&sealed, &patient, &closed); err != nil {
		t.Fatal(err)
	}
	if sealed != "" || patient != nil || closed == nil {
		t.Fatalf("after erasure: sealed %q, patient %v, closed %v", sealed, patient, closed)
	}
	if page := env.AsDemo("demo-professional").Get("/referrals/" + strconv.FormatInt(id, 10)); page.StatusCode != 200 || !strings.Contains(page.Body, "sudah dihapus") {
		t.Fatalf("the referral after the person's erasure: %d", page.StatusCode)
	}
}

// referralRoute is what each actor gets on a step of the demo's referral 1
// (demo-professional's, to group 4 of Yayasan, closed): its receivers get
// receiver, its referrer referrer, others 404 (a referral's existence is
// not shown), strangers the sign-in answer.
func referralRoute(get bool, receiver, referrer int) expect {
	return func(a string) int {
		switch a {
		case "stranger":
			return strangerStatus(get)
		case "demo-professional":
			return referrer
		case "demo-facilitator", "demo-coordinator", "org-admin", "demo-admin":
			return receiver
		}
		return http.StatusNotFound
	}
}
