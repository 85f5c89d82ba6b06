package app_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/measure"
)

// demoDue returns the id of a username's open questionnaire of an
// instrument in the demo (demo-member has PHQ-9, GAD-7 and WHO-5
// follow-ups due).
func demoDue(t *testing.T, env *apptest.Env, username, instrument string) string {
	t.Helper()
	var id int64
	err := env.App.DB.QueryRow(context.Background(), `SELECT d.id FROM outcome_due d JOIN users u ON u.id = d.user_id
		JOIN outcome_plan_steps st ON st.id = d.step_id
		WHERE u.username = $1 AND st.instrument = $2 AND d.done_at IS NULL ORDER BY d.id LIMIT 1`, username, instrument).Scan(&id)
	if err != nil {
		t.Fatalf("no open %s for %s in the demo: %v", instrument, username, err)
	}
	return strconv.FormatInt(id, 10)
}

// phq9Form answers the PHQ-9 with values in item order.
func phq9Form(values ...int) url.Values {
	v := url.Values{}
	for i, x := range values {
		v.Set(measure.ItemField(i), strconv.Itoa(x))
	}
	return v
}

// TestMeasureDemo: the demo has 40 or more measured members in several
// groups with baselines and follow-ups over months, most consenting to
// research, most with a research profile, a feedback round with answers,
// and PHQ-9 due now for demo-member.
func TestMeasureDemo(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := env.App.DB.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(DISTINCT user_id) FROM outcome_responses WHERE timepoint = 'baseline'`); n < 40 {
		t.Errorf("%d members with a baseline, want 40 or more", n)
	}
	if n := count(`SELECT count(DISTINCT group_id) FROM outcome_responses`); n < 5 {
		t.Errorf("responses in %d groups", n)
	}
	if n := count(`SELECT count(*) FROM outcome_responses WHERE baseline_id IS NOT NULL AND timepoint = 'followup'`); n < 40 {
		t.Errorf("%d follow-ups paired with a baseline", n)
	}
	if n := count(`SELECT count(*) FROM outcome_responses WHERE timepoint = 'feedback'`); n < 8 {
		t.Errorf("%d answers to the feedback round", n)
	}
	if n := count(`SELECT count(*) FROM outcome_profiles`); n < 30 {
		t.Errorf("%d research profiles", n)
	}
	if n := count(`SELECT count(DISTINCT r.user_id) FROM outcome_responses r JOIN consents c ON c.user_id = r.user_id
		WHERE c.purpose = 'research' AND c.withdrawn_at IS NULL`); n < 25 {
		t.Errorf("%d measured members consent to research", n)
	}
	// Most are a little better at follow-up, some unchanged, a few worse.
	rows, err := env.App.DB.Query(ctx, `SELECT f.total - b.total FROM outcome_responses f JOIN outcome_responses b ON b.id = f.baseline_id
		WHERE f.instrument = 'phq9' AND f.timepoint = 'followup'`)
	if err != nil {
		t.Fatal(err)
	}
	better, same, worse := 0, 0, 0
	for rows.Next() {
		var d float64
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		switch {
		case d <= -2:
			better++
		case d >= 2:
			worse++
		default:
			same++
		}
	}
	rows.Close()
	if better <= same || better <= worse || worse == 0 || same == 0 {
		t.Errorf("PHQ-9 change at follow-up: %d better, %d about the same, %d worse", better, same, worse)
	}
	demoDue(t, env, "demo-member", "phq9")
	if res := env.AsDemo("demo-member").Get("/notices"); !strings.Contains(res.Body, "kuesioner singkat menunggumu") {
		t.Error("demo-member has no notice of the questionnaire due")
	}
}

// TestMeasureMemberAnswersOverHTTP: the questionnaire page in Indonesian and
// English; a partial PHQ-9 is refused with a message per question and
// nothing stored; an answer above zero on item 9 with a low total shows the
// help card at once and alerts the group's safety staff, who read only that
// answer.
func TestMeasureMemberAnswersOverHTTP(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	member := env.AsDemo("demo-member")
	due := demoDue(t, env, "demo-member", "phq9")
	page := member.Get("/outcomes")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "/outcomes/due/"+due) || !strings.Contains(page.Body, "Untuk dijawab sekarang") {
		t.Fatalf("questionnaires page: %d %s", page.StatusCode, page.Body)
	}
	q := member.Get("/outcomes/due/" + due)
	for _, want := range []string{"Kurang berminat atau bergairah dalam melakukan apapun", "Hampir setiap hari", "Mengapa kami bertanya",
		"hanya kamu yang bisa melihatnya", "tim keselamatan", `<fieldset`, `<legend>`, "Pertanyaan 9 dari 10."} {
		if !strings.Contains(q.Body, want) {
			t.Errorf("the PHQ-9 page lacks %q", want)
		}
	}
	if strings.Contains(q.Body, "Belum diverifikasi") || strings.Contains(q.Body, "Not verified") {
		t.Error("members are shown the wording's verification status")
	}
	en := env.AsDemo("demo-member")
	en.Lang = "en"
	if p := en.Get("/outcomes/due/" + due); !strings.Contains(p.Body, "Little interest or pleasure in doing things") || !strings.Contains(p.Body, "Why we ask") {
		t.Errorf("the English page: %s", p.Body)
	}
	partial := phq9Form(0, 1, 0, 0, 0, 0, 0, 0, 0)
	partial.Del("i3")
	partial.Del("i8")
	res := member.Post("/outcomes/due/"+due, partial)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Mohon jawab pertanyaan 3.") ||
		!strings.Contains(res.Body, "Mohon jawab pertanyaan 8.") || !strings.Contains(res.Body, `id="e-i3"`) || !strings.Contains(res.Body, `href="#f-i8"`) {
		t.Errorf("partial answers: %d %s", res.StatusCode, res.Body)
	}
	if !strings.Contains(res.Body, `value="1" checked`) {
		t.Error("the answers given are not kept on the page")
	}
	res = member.Post("/outcomes/due/"+due, phq9Form(0, 9, 0, 0, 0, 0, 0, 0, 0))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "bukan salah satu pilihannya") {
		t.Errorf("an impossible answer: %d", res.StatusCode)
	}
	var n int
	if err := env.App.DB.QueryRow(ctx, `SELECT count(*) FROM outcome_responses r JOIN users u ON u.id = r.user_id
		WHERE u.username = 'demo-member' AND r.timepoint = 'followup'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused answers stored: %d, %v", n, err)
	}
	res = member.Post("/outcomes/due/"+due, phq9Form(1, 0, 0, 1, 0, 0, 0, 0, 1, 0))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/outcomes/history/phq9" {
		t.Fatalf("submit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	history := member.Get("/outcomes/history/phq9")
	for _, want := range []string{`id="help-card"`, "119", "<svg", "<table>", "Minimal", "Sedang", "Lanjutan"} {
		if !strings.Contains(history.Body, want) {
			t.Errorf("after item 9 > 0 the history page lacks %q", want)
		}
	}
	if again := member.Get("/outcomes/history/phq9"); strings.Contains(again.Body, `id="help-card"`) {
		t.Error("the help card stays on every later page")
	}
	var escID int64
	var level, source string
	if err := env.App.DB.QueryRow(ctx, `SELECT e.id, e.level, e.source FROM escalations e JOIN users u ON u.id = e.user_id
		WHERE u.username = 'demo-member' ORDER BY e.id DESC LIMIT 1`).Scan(&escID, &level, &source); err != nil {
		t.Fatalf("no escalation: %v", err)
	}
	if level != "concern" || source != "questionnaire" {
		t.Errorf("escalation %s from %s", level, source)
	}
	staff := env.AsDemo("demo-facilitator").Get("/safety/escalations/" + strconv.FormatInt(escID, 10))
	if staff.StatusCode != 200 || !strings.Contains(staff.Body, "question 9, answered: Several days") || !strings.Contains(staff.Body, "Kuesioner") {
		t.Errorf("the facilitator's escalation page: %d %s", staff.StatusCode, staff.Body)
	}
	if strings.Contains(staff.Body, "Little interest") || strings.Contains(staff.Body, "Feeling tired") {
		t.Error("the escalation shows other answers")
	}
	if res := member.Post("/outcomes/due/"+due, phq9Form(0, 0, 0, 0, 0, 0, 0, 0, 0)); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "sudah menjawab kuesioner ini") {
		t.Errorf("answering twice: %d", res.StatusCode)
	}
	// Nobody else opens demo-member's questionnaire.
	if res := env.AsDemo("demo-coordinator").Get("/outcomes/due/" + due); res.StatusCode != http.StatusNotFound {
		t.Errorf("a coordinator opening a member's questionnaire: %d", res.StatusCode)
	}
}

// TestMeasureCoordinatorOverHTTP: a coordinator writes a survey, cannot use
// it while it has no questions, adds a question, asks it in a plan, and
// cannot add a follow-up before the baseline.
func TestMeasureCoordinatorOverHTTP(t *testing.T) {
	env := apptest.New(t)
	c := env.AsDemo("demo-coordinator")
	org := strconv.FormatInt(yayasanID(t, env), 10)
	res := c.Post("/outcomes/org/"+org+"/surveys", url.Values{"title": {"Survei kegiatan"}, "intro": {"Singkat saja."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create survey: %d %s", res.StatusCode, res.Body)
	}
	survey := strings.TrimPrefix(res.Header.Get("Location"), "/outcomes/surveys/")
	res = c.Post("/outcomes/org/"+org+"/plans", url.Values{"name": {"Rencana kegiatan"}, "groups": {"1", "4"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create plan: %d %s", res.StatusCode, res.Body)
	}
	plan := res.Header.Get("Location")
	res = c.Post(plan+"/steps", url.Values{"what": {"survey:" + survey}, "timepoint": {"baseline"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "belum punya pertanyaan") {
		t.Errorf("an empty survey as a step: %d %s", res.StatusCode, res.Body)
	}
	res = c.Post("/outcomes/org/"+org+"/rounds", url.Values{"round_title": {"Masukan"}, "survey": {survey}, "target": {"group:1"},
		"opens": {"2026-01-01"}, "closes": {"2099-01-31"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "belum punya pertanyaan") {
		t.Errorf("an empty survey in a round: %d", res.StatusCode)
	}
	res = c.Post("/outcomes/surveys/"+survey+"/questions", url.Values{"kind": {"single"}, "prompt": {"Suka kegiatannya?"}, "choices": {"Ya"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "setidaknya dua jawaban") {
		t.Errorf("one choice: %d", res.StatusCode)
	}
	res = c.Post("/outcomes/surveys/"+survey+"/questions", url.Values{"kind": {"single"}, "prompt": {"Suka kegiatannya?"}, "choices": {"Ya\nTidak"}, "required": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add question: %d %s", res.StatusCode, res.Body)
	}
	res = c.Post(plan+"/steps", url.Values{"what": {"survey:" + survey}, "timepoint": {"followup"}, "after": {"weeks"}, "count": {"4"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "saat bergabung lebih dulu") {
		t.Errorf("a follow-up before a baseline step: %d", res.StatusCode)
	}
	if res = c.Post(plan+"/steps", url.Values{"what": {"survey:" + survey}, "timepoint": {"baseline"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add the survey at baseline: %d %s", res.StatusCode, res.Body)
	}
	// Members of the plan's groups now have it due.
	member := env.AsDemo("demo-member")
	if p := member.Get("/outcomes"); !strings.Contains(p.Body, "Survei kegiatan") {
		t.Error("the member does not see the new survey due")
	}
	if p := c.Get(plan); !strings.Contains(p.Body, "Survei kegiatan") {
		t.Error("the plan page does not list the step")
	}
	if p := c.Get("/outcomes/instruments/phq9"); !strings.Contains(p.Body, "Belum diverifikasi") || !strings.Contains(p.Body, "Kroenke") {
		t.Error("the library does not mark unverified wording for coordinators")
	}
}

// TestMeasureErasedWithTheAccount: erasing an account removes its
// questionnaire answers, what it was asked and its research profile.
func TestMeasureErasedWithTheAccount(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	c := env.AsDemo("demo-member")
	if res := c.Post("/outcomes/profile", url.Values{"birth_year": {"1995"}, "gender": {"other"}, "region": {"Bali"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile: %d %s", res.StatusCode, res.Body)
	}
	data := c.Get("/account/data")
	for _, want := range []string{"Kuesioner yang dijawab", "Tahun lahir", "1995", "Merasa murung, sedih, atau putus asa"} {
		if !strings.Contains(data.Body, want) {
			t.Errorf("the data page lacks %q", want)
		}
	}
	var id int64
	if err := env.App.DB.QueryRow(ctx, `SELECT id FROM users WHERE username = 'demo-member'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if res := c.Post("/account/erase", url.Values{"password": {app.DemoPassword}, "confirm": {"demo-member"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d", res.StatusCode)
	}
	for _, q := range []string{`SELECT count(*) FROM outcome_responses WHERE user_id = $1`, `SELECT count(*) FROM outcome_due WHERE user_id = $1`,
		`SELECT count(*) FROM outcome_profiles WHERE user_id = $1`} {
		var n int
		if err := env.App.DB.QueryRow(ctx, q, id).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d after erasure (%v)", q, n, err)
		}
	}
}

// TestMeasureAnswersRotate: key rotation knows the sealed answers and
// reseals them so they still open.
func TestMeasureAnswersRotate(t *testing.T) {
	found := false
	for _, c := range app.SealedColumns() {
		if c.Name() == "outcome_responses.answers_sealed" {
			found = true
			if aad := c.AAD([]any{func() *int64 { v := int64(42); return &v }()}); aad != measure.SealPrefix+"42" {
				t.Errorf("rotation binds answers to %q, the service to %q", aad, measure.SealPrefix+"42")
			}
		}
	}
	if !found {
		t.Fatal("outcome_responses.answers_sealed is not in SealedColumns")
	}
}

// TestMeasurePageWeight: the questionnaire pages stay within the page budget,
// compressed, with everything they load.
func TestMeasurePageWeight(t *testing.T) {
	env := apptest.New(t)
	member, coord := env.AsDemo("demo-member"), env.AsDemo("demo-coordinator")
	org := strconv.FormatInt(yayasanID(t, env), 10)
	wire := func(c *apptest.Client, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := c.Do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		plain := res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			plain = string(b)
		}
		return len(res.Body), plain
	}
	for _, p := range []struct {
		c    *apptest.Client
		path string
	}{{member, "/outcomes"}, {member, "/outcomes/due/" + demoDue(t, env, "demo-member", "phq9")}, {member, "/outcomes/history/phq9"},
		{member, "/outcomes/profile"}, {coord, "/outcomes/org/" + org}, {coord, "/outcomes/plans/1"}, {coord, "/outcomes/surveys/1"},
		{coord, "/outcomes/instruments"}, {coord, "/outcomes/instruments/phq9"}} {
		total, doc := wire(p.c, p.path)
		seen := map[string]bool{}
		for _, ref := range loadedURLs(doc) {
			if otherOrigin(ref.url, env.Server.URL) {
				t.Errorf("%s loads %s", p.path, ref.url)
			}
			if strings.HasPrefix(ref.url, "/static/") && !seen[ref.url] {
				seen[ref.url] = true
				n, _ := wire(p.c, ref.url)
				total += n
			}
		}
		t.Logf("%-32s %6d bytes", p.path, total)
		if total > pageBudget {
			t.Errorf("%s weighs %d bytes compressed, over %d", p.path, total, pageBudget)
		}
	}
}
