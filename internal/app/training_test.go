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
	"github.com/rangkul/rangkul/internal/mentoring"
	"github.com/rangkul/rangkul/internal/training"
)

// passAll answers every required module of the first organisation rightly.
func passAll(t *testing.T, svc *training.Service, ctx context.Context) training.Result {
	t.Helper()
	mods, err := svc.Modules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var last training.Result
	for _, m := range mods {
		full, err := svc.Module(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		answers := map[int64]int{}
		for _, q := range full.Quiz {
			answers[q.ID] = q.Correct
		}
		if last, err = svc.Submit(ctx, m.ID, answers); err != nil || !last.Passed {
			t.Fatalf("pass %s: %+v %v", m.Title, last, err)
		}
	}
	return last
}

// Only certified people facilitate groups and take mentees; passing the
// required modules certifies; certificates expire and are reminded; where
// the organisation asks, a coordinator signs off; quizzes need a right
// answer; the supervision log is sealed.
func TestTrainingAndCertification(t *testing.T) {
	env := apptest.New(t)
	org := yayasanID(t, env)
	orgS := strconv.FormatInt(org, 10)
	sys := auth.System(context.Background())
	coord := env.AsDemo("demo-coordinator")

	// A quiz without a right answer, or with two, is refused.
	for _, quiz := range []string{"Pertanyaan?\nA\nB", "Pertanyaan?\n*A\n*B", "Pertanyaan?\n*A"} {
		r := coord.Post("/training/org/"+orgS+"/modules", url.Values{"title": {"Modul uji"}, "body": {"Isi modul yang cukup panjang."},
			"pass_mark": {"80"}, "required": {"1"}, "quiz": {quiz}})
		if r.StatusCode != 422 || !strings.Contains(r.Body, `id="e-quiz"`) {
			t.Errorf("quiz %q: %d", quiz, r.StatusCode)
		}
	}

	// arif.pulih is in training: not yet a facilitator, whatever the role.
	g, err := env.App.Groups.Group(sys, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.App.Groups.AssignFacilitator(sys, g.Group.ID, "arif.pulih", "Kak Arif"); err == nil || !strings.Contains(err.Error(), "groups.not_certified") {
		t.Fatalf("an uncertified person was made a facilitator: %v", err)
	}
	if page := coord.Get("/training/org/" + orgS); !strings.Contains(page.Body, "Sedang pelatihan") || !strings.Contains(page.Body, "Segera berakhir") {
		t.Fatal("the overview does not show who is in training and who is expiring")
	}
	arif := as(t, env, "arif.pulih")
	if res := passAll(t, env.App.Training, arif); !res.Certified {
		t.Fatalf("passing every required module did not certify: %+v", res)
	}
	if err := env.App.Groups.AssignFacilitator(sys, g.Group.ID, "arif.pulih", "Kak Arif"); err != nil {
		t.Fatalf("a certified person cannot facilitate: %v", err)
	}
	if page := env.Stranger().Get("/groups/1"); !strings.Contains(page.Body, "tersertifikasi sampai") {
		t.Fatal("the group page does not show facilitators' certification")
	}

	// Expiry and the reminder: kak.dewi's certificate ends within 30 days.
	u, _, _ := env.App.Auth.Lookup(sys, "kak.dewi")
	ok, until, err := env.App.Training.Certified(context.Background(), u.ID, org)
	if err != nil || !ok || until == nil || until.Sub(time.Now()) > training.ExpiringWithin {
		t.Fatalf("kak.dewi: %v %v %v", ok, until, err)
	}
	later := env.App.Training.WithClock(func() time.Time { return until.Add(time.Hour) })
	if ok, _, _ := later.Certified(context.Background(), u.ID, org); ok {
		t.Fatal("a certificate still counts after it expired")
	}
	if err := env.App.Training.Remind(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := env.App.Training.Remind(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var reminders int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM notices WHERE user_id = $1 AND kind = 'certification_expiring'`, u.ID).
		Scan(&reminders); err != nil || reminders != 1 {
		t.Fatalf("reminders: %d %v", reminders, err)
	}

	// Sign-off: where the organisation asks for it, passing makes it pending.
	if r := coord.Post("/training/org/"+orgS+"/settings", url.Values{"signoff": {"1"}, "days": {"7"}}); r.StatusCode != 422 {
		t.Fatalf("a certification of 7 days: %d", r.StatusCode)
	}
	if r := coord.Post("/training/org/"+orgS+"/settings", url.Values{"signoff": {"1"}, "days": {"365"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings: %d", r.StatusCode)
	}
	if _, _, err := env.App.Auth.Register(sys, auth.Registration{Username: "calon-pendamping", Password: "kata sandi yang panjang"}); err != nil {
		t.Fatal(err)
	}
	cu, _, _ := env.App.Auth.Lookup(sys, "calon-pendamping")
	if err := env.App.Auth.GrantRole(sys, cu.ID, org, auth.RoleMentor); err != nil {
		t.Fatal(err)
	}
	if res := passAll(t, env.App.Training, as(t, env, "calon-pendamping")); !res.Pending || res.Certified {
		t.Fatalf("with sign-off required: %+v", res)
	}
	if ok, _, _ := env.App.Training.Certified(context.Background(), cu.ID, org); ok {
		t.Fatal("certified before the sign-off")
	}
	// Not yet certified: a mentor profile takes no mentees.
	if err := env.App.Mentoring.SaveProfile(as(t, env, "calon-pendamping"), org, mentoring.ProfileInput{DisplayName: "Kak Calon",
		Languages: []string{"id", "en"}, Online: true, Capacity: "5", Active: true}); err != nil {
		t.Fatal(err)
	}
	d, err := env.App.Mentoring.Coordinate(as(t, env, "demo-coordinator"), org)
	if err != nil || d.Uncertified != 1 {
		t.Fatalf("uncertified mentors on the dashboard: %d %v", d.Uncertified, err)
	}
	if _, err := env.App.Mentoring.RunMatching(as(t, env, "demo-coordinator"), org); err != nil {
		t.Fatal(err)
	}
	var proposed int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM mentor_pairs WHERE mentor_id = $1`, cu.ID).Scan(&proposed); err != nil || proposed != 0 {
		t.Fatalf("an uncertified mentor was given mentees: %d %v", proposed, err)
	}
	var cert int64
	if err := env.App.DB.QueryRow(context.Background(), `SELECT id FROM certifications WHERE user_id = $1`, cu.ID).Scan(&cert); err != nil {
		t.Fatal(err)
	}
	if r := env.AsDemo("demo-facilitator").Post("/training/certifications/"+strconv.FormatInt(cert, 10)+"/signoff", url.Values{}); r.StatusCode != 403 {
		t.Fatalf("a facilitator signed off: %d", r.StatusCode)
	}
	if r := coord.Post("/training/certifications/"+strconv.FormatInt(cert, 10)+"/signoff", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-off: %d", r.StatusCode)
	}
	if ok, _, _ := env.App.Training.Certified(context.Background(), cu.ID, org); !ok {
		t.Fatal("not certified after the sign-off")
	}

	// Supervision log: a helper of this organisation, a real day; notes sealed.
	if r := coord.Post("/training/org/"+orgS+"/supervision", url.Values{"person": {"bunga.senja"}, "held_on": {"2026-11-01"}}); r.StatusCode != 422 {
		t.Fatalf("supervising someone who is not a helper: %d", r.StatusCode)
	}
	if r := coord.Post("/training/org/"+orgS+"/supervision", url.Values{"person": {"kak.dewi"}, "held_on": {"2026-11-01"},
		"notes": {"Membahas rasa lelah setelah sesi duka; disepakati jeda satu minggu."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("supervision: %d %s", r.StatusCode, r.Body)
	}
	var sealed string
	if err := env.App.DB.QueryRow(context.Background(), `SELECT notes_sealed FROM supervision_log`).Scan(&sealed); err != nil || strings.Contains(sealed, "lelah") {
		t.Fatalf("supervision notes in the clear: %v", err)
	}
	if page := coord.Get("/training/org/" + orgS); !strings.Contains(page.Body, "rasa lelah") {
		t.Fatal("the supervision log is not shown")
	}

}

// A facilitator's download holds their quiz attempts and certification;
// erasing an account removes them.
func TestTrainingInDataRights(t *testing.T) {
	env := apptest.New(t)
	res := env.AsDemo("demo-facilitator").Get("/account/data.json")
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"quiz_attempts"`) || !strings.Contains(res.Body, `"module": "Jalur krisis"`) ||
		!strings.Contains(res.Body, `"status": "current"`) {
		t.Fatalf("training in the download: %d", res.StatusCode)
	}
	sys := auth.System(context.Background())
	p, err := env.App.Auth.PersonByName(sys, "arif.pulih")
	if err != nil {
		t.Fatal(err)
	}
	admin := env.AsDemo("demo-admin")
	if r := admin.Post("/admin/people/"+strconv.FormatInt(p.User.ID, 10)+"/erase", url.Values{"confirm": {"arif.pulih"},
		"reason": {"Permintaan tertulis, 22 November 2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d", r.StatusCode)
	}
	var n int
	if err := env.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM training_attempts WHERE user_id = $1`, p.User.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("attempts after erasure: %d %v", n, err)
	}
}
