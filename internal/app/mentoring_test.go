package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/mentoring"
)

func yayasanID(t *testing.T, env *apptest.Env) int64 {
	t.Helper()
	o, err := env.App.Auth.OrgBySlug(auth.System(context.Background()), "yayasan-rangkul-jiwa")
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// A member asks for a mentor; bad requests get messages; the coordinator
// runs matching, sees why the Bali request waits; both accept; the mentor
// logs check-ins (sealed, screened); either ends the pairing with feedback.
func TestMentoringLifecycle(t *testing.T) {
	env := apptest.New(t)
	org := yayasanID(t, env)
	orgS := strconv.FormatInt(org, 10)
	member := env.AsDemo("demo-member")
	bad := map[string]url.Values{
		"e-org":          {"org": {"999999"}, "display_name": {"Senja"}, "language": {"id"}},
		"e-display_name": {"org": {orgS}, "display_name": {"demo-member"}, "language": {"id"}},
		"e-region":       {"org": {orgS}, "display_name": {"Senja"}, "language": {"id"}, "mode": {"in_person"}},
		"e-topics":       {"org": {orgS}, "display_name": {"Senja"}, "language": {"id"}, "topics": {"duka", "carer", "bipolar", "trauma"}},
		"e-language":     {"org": {orgS}, "display_name": {"Senja"}, "language": {"fr"}},
	}
	for field, form := range bad {
		if r := member.Post("/mentoring/requests", form); r.StatusCode != 422 || !strings.Contains(r.Body, field) {
			t.Errorf("%s: %d", field, r.StatusCode)
		}
	}
	if r := member.Post("/mentoring/requests", url.Values{"org": {orgS}, "display_name": {"Senja"}, "language": {"id"},
		"topics": {"kecemasan"}, "note": {"Saya ingin teman bicara soal cemas di kantor."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d %s", r.StatusCode, r.Body)
	}
	if r := member.Post("/mentoring/requests", url.Values{"org": {orgS}, "display_name": {"Senja"}, "language": {"id"}}); r.StatusCode != 422 {
		t.Fatalf("a second open request: %d", r.StatusCode)
	}
	coord := env.AsDemo("demo-coordinator")
	dash := coord.Get("/mentoring/coordinate/" + orgS)
	if dash.StatusCode != 200 || !strings.Contains(dash.Body, "Cahaya") || !strings.Contains(dash.Body, "tatap muka di wilayah ini") {
		t.Fatalf("dashboard: %d", dash.StatusCode)
	}
	if r := coord.Post("/mentoring/coordinate/"+orgS+"/match", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("match: %d", r.StatusCode)
	}
	var pairID, mentorID int64
	if err := env.App.DB.QueryRow(context.Background(), `SELECT x.id, x.mentor_id FROM mentor_pairs x JOIN mentor_requests r ON r.id = x.request_id
		JOIN users u ON u.id = r.user_id WHERE u.username = 'demo-member'`).Scan(&pairID, &mentorID); err != nil {
		t.Fatalf("no pair proposed for the member: %v", err)
	}
	var mentorName string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT username FROM users WHERE id = $1`, mentorID).Scan(&mentorName); err != nil {
		t.Fatal(err)
	}
	path := "/mentoring/pairs/" + strconv.FormatInt(pairID, 10)
	page := member.Get(path)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Mengapa cocok") || !strings.Contains(page.Body, "kecemasan") && !strings.Contains(page.Body, "Kecemasan") {
		t.Fatalf("pair page for the member: %d", page.StatusCode)
	}
	if r := env.AsDemo("demo-facilitator").Get(path); r.StatusCode != 403 {
		t.Fatalf("an outsider opens the pair: %d", r.StatusCode)
	}
	mctx := as(t, env, mentorName)
	if err := env.App.Mentoring.Accept(mctx, pairID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Mentoring.LogCheckIn(mctx, pairID, "Belum aktif, jadi ini ditolak."); err == nil {
		t.Fatal("a check-in before both accepted")
	}
	if r := member.Post(path+"/accept", url.Values{"accept": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("member accepts: %d", r.StatusCode)
	}
	flagged, err := env.App.Mentoring.LogCheckIn(mctx, pairID, "Senja bilang dia pengen mati aja minggu ini. Saya sudah hubungi koordinator.")
	if err != nil || !flagged {
		t.Fatalf("crisis words in a check-in: flagged %v %v", flagged, err)
	}
	if n := coord.Get("/notices"); !strings.Contains(n.Body, path) {
		t.Fatal("the coordinator was not told about the flagged check-in")
	}
	var sealed string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT body_sealed FROM mentor_checkins ORDER BY id DESC LIMIT 1`).Scan(&sealed); err != nil ||
		strings.Contains(sealed, "pengen mati") {
		t.Fatalf("check-in stored in the clear: %v", err)
	}
	if p := member.Get(path); strings.Contains(p.Body, "pengen mati") {
		t.Fatal("the member sees the mentor's notes")
	}
	// Capacity cannot drop below current mentees.
	if err := env.App.Mentoring.SaveProfile(mctx, org, mentoring.ProfileInput{DisplayName: "Kak", Languages: []string{"id"}, Online: true,
		Capacity: "0", Active: true}); err == nil {
		t.Fatal("a capacity of zero was accepted")
	}
	if r := member.Post(path+"/end", url.Values{"reason": {"nope"}}); r.StatusCode != 422 {
		t.Fatalf("end with an unknown reason: %d", r.StatusCode)
	}
	if r := member.Post(path+"/end", url.Values{"reason": {"goals_met"}, "feedback": {"Sangat membantu, terima kasih."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d", r.StatusCode)
	}
	if err := env.App.Mentoring.End(mctx, pairID, "", "Senang bisa menemani."); err != nil {
		t.Fatalf("the mentor's feedback after the end: %v", err)
	}
	d, err := env.App.Mentoring.Coordinate(as(t, env, "demo-coordinator"), org)
	if err != nil || d.Endings["goals_met"] != 1 {
		t.Fatalf("dashboard endings: %+v %v", d.Endings, err)
	}
}

// A mentor's capacity cannot drop below the mentees they have.
func TestMentorCapacityBelowMentees(t *testing.T) {
	env := apptest.New(t)
	org := yayasanID(t, env)
	if _, err := env.App.Mentoring.Ask(as(t, env, "demo-member"), mentoring.RequestInput{Org: org, DisplayName: "Senja", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Mentoring.RunMatching(as(t, env, "demo-coordinator"), org); err != nil {
		t.Fatal(err)
	}
	mentor := as(t, env, "demo-mentor")
	var n int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM mentor_pairs WHERE mentor_id = $1 AND status IN ('proposed', 'active')`,
		auth.FromContext(mentor).UserID).Scan(&n); err != nil || n < 2 {
		t.Fatalf("demo-mentor (the only mentor speaking English) has %d mentees: %v", n, err)
	}
	in := mentoring.ProfileInput{DisplayName: "Kak Sekar", Languages: []string{"id", "en"}, Online: true, Active: true, Capacity: strconv.Itoa(n - 1)}
	if err := env.App.Mentoring.SaveProfile(mentor, org, in); err == nil || !strings.Contains(err.Error(), "capacity_below_mentees") {
		t.Fatalf("capacity below the current mentees: %v", err)
	}
	in.Capacity = strconv.Itoa(n)
	if err := env.App.Mentoring.SaveProfile(mentor, org, in); err != nil {
		t.Fatalf("capacity equal to the current mentees: %v", err)
	}
}
