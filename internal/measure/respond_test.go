package measure_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/privacy"
)

// TestPartialAndImpossibleAnswersAreRefused: a PHQ-9 with unanswered items
// is refused with a message for each of them, an impossible answer too, and
// nothing is stored; the optional tenth item may be left out.
func TestPartialAndImpossibleAnswersAreRefused(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:k10", measure.Baseline})
	m := f.member(t, "senja", f.group)
	due := f.find(t, m, "phq9", measure.Baseline)
	form := answers(1, 1, 0, 2, 0, 1, 0, 0, 0)
	delete(form, "i3")
	delete(form, "i7")
	_, err := f.svc.Submit(m, due.ID, "id", form)
	if got := problems(t, err); len(got) != 2 || got["i3"] != "measure.answer.missing" || got["i7"] != "measure.answer.missing" {
		t.Errorf("partial PHQ-9: %v", got)
	}
	form = answers(1, 7, 0, 2, 0, 1, 0, 0, 0)
	form["i5"] = []string{"sering"}
	_, err = f.svc.Submit(m, due.ID, "id", form)
	if got := problems(t, err); len(got) != 2 || got["i2"] != "measure.answer.out_of_range" || got["i5"] != "measure.answer.out_of_range" {
		t.Errorf("impossible answers: %v", got)
	}
	form = answers(0, 0, 0, 0, 0, 0, 0, 0, 0, 9)
	_, err = f.svc.Submit(m, due.ID, "id", form)
	if got := problems(t, err); len(got) != 1 || got["i10"] != "measure.answer.out_of_range" {
		t.Errorf("an impossible answer to the optional item: %v", got)
	}
	form = answers(0, 0, 0, 0, 0, 0, 0, 0, 0)
	form["i4"] = []string{"1", "2"}
	_, err = f.svc.Submit(m, due.ID, "id", form)
	if got := problems(t, err); got["i4"] != "measure.answer.out_of_range" {
		t.Errorf("two answers to one item: %v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_responses`); n != 0 {
		t.Fatalf("%d responses stored from refused answers", n)
	}
	if !f.has(t, m, "phq9", measure.Baseline) {
		t.Fatal("the questionnaire was marked answered")
	}
	out, err := f.svc.Submit(m, due.ID, "id", answers(1, 1, 0, 2, 0, 1, 0, 0, 0)) // item 10 left out
	if err != nil {
		t.Fatal(err)
	}
	if out.Result.Total != 5 || out.Result.Band != "mild" || out.Help {
		t.Errorf("scored %+v help %v", out.Result, out.Help)
	}
	if _, err := f.svc.Submit(m, due.ID, "id", answers(phq9Zero...)); fieldKey(err) != "measure.due.done" {
		t.Errorf("answering twice: %v", err)
	}
	// The K10's skip rule: item 3 may be left out when item 2 is "none of the time".
	k10 := f.find(t, m, "k10", measure.Baseline)
	form = answers(2, 1, 1, 2, 1, 1, 2, 2, 1, 1)
	delete(form, "i3")
	delete(form, "i6")
	if res, err := f.svc.Submit(m, k10.ID, "id", form); err != nil || res.Result.Total != 14 {
		t.Errorf("K10 with skipped items: %+v, %v", res.Result, err)
	}
	// Someone else's questionnaire does not exist for another member.
	other := f.member(t, "awan", f.group)
	if _, err := f.svc.Submit(other, k10.ID, "id", form); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("answering someone else's questionnaire: %v", err)
	}
	if _, err := f.svc.Questionnaire(other, due.ID, "id"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("opening someone else's questionnaire: %v", err)
	}
}

// TestFollowupBeforeBaselineIsRefused: a follow-up whose baseline was never
// answered (here asked directly, as an old plan or a copied link might) is
// refused with a clear message and nothing is stored.
func TestFollowupBeforeBaselineIsRefused(t *testing.T) {
	f := newFixture(t)
	plan := f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:phq9", measure.Followup, "weeks", "6"})
	m := f.member(t, "senja", f.group)
	pl, err := f.svc.Plan(f.coord, plan)
	if err != nil {
		t.Fatal(err)
	}
	var due int64
	if err := f.db.WriteRow(context.Background(), `INSERT INTO outcome_due (user_id, group_id, step_id, due_at, created_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, uid(m), f.group, pl.Steps[1].ID, f.now).Scan(&due); err != nil {
		t.Fatal(err)
	}
	q, err := f.svc.Questionnaire(m, due, "id")
	if err != nil || q.Blocked != "measure.due.before_baseline" {
		t.Fatalf("the follow-up page: %v, blocked %q", err, q.Blocked)
	}
	_, err = f.svc.Submit(m, due, "id", answers(phq9Zero...))
	if got, _ := errField(err); got != [2]string{"questionnaire", "measure.due.before_baseline"} {
		t.Errorf("a follow-up before the baseline: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_responses`); n != 0 {
		t.Errorf("%d responses stored", n)
	}
}

// TestSafetyItemWhateverTheTotal: any answer above "not at all" on PHQ-9
// item 9 opens the safety path even when the total is low; the staff read
// only that answer; "several days" is a concern, more is a crisis; a high
// total without item 9 opens nothing.
func TestSafetyItemWhateverTheTotal(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:phq9", measure.Followup, "weeks", "1"})
	m := f.member(t, "senja", f.group)
	out, err := f.svc.Submit(m, f.find(t, m, "phq9", measure.Baseline).ID, "id", answers(0, 0, 0, 0, 2, 0, 0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if out.Result.Total != 3 || out.Result.Band != "minimal" || !out.Help || len(out.Result.Flags) != 1 || out.Result.Flags[0] != "safety" {
		t.Fatalf("a low total with item 9 = 1: %+v help %v", out, out.Help)
	}
	if len(f.esc.list) != 1 {
		t.Fatalf("escalations: %+v", f.esc.list)
	}
	e := f.esc.list[0]
	if e.level != "concern" || e.user != uid(m) || e.group != f.group || e.reasons[0] != measure.ReasonSafetyItem {
		t.Errorf("escalation %+v", e)
	}
	if !strings.Contains(e.text, "question 9") || !strings.Contains(e.text, "Several days") || !strings.Contains(e.text, "Beberapa hari") {
		t.Errorf("the staff's text does not say which answer: %q", e.text)
	}
	if strings.Contains(e.text, "More than half") || strings.Contains(e.text, "appetite") || strings.Contains(e.text, "total") {
		t.Errorf("the staff's text reveals other answers: %q", e.text)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_responses WHERE flags = 'safety'`); n != 1 {
		t.Errorf("flag stored on %d responses", n)
	}
	f.now = f.now.Add(8 * day)
	high, err := f.svc.Submit(m, f.find(t, m, "phq9", measure.Followup).ID, "id", answers(3, 3, 3, 3, 3, 3, 3, 3, 0))
	if err != nil {
		t.Fatal(err)
	}
	if high.Help || len(f.esc.list) != 1 || high.Result.Band != "severe" {
		t.Errorf("a severe total without item 9 opened the safety path: %+v, %d escalations", high, len(f.esc.list))
	}
	// More than half the days: a crisis.
	m2 := f.member(t, "awan", f.group)
	if _, err := f.svc.Submit(m2, f.find(t, m2, "phq9", measure.Baseline).ID, "id", answers(0, 0, 0, 0, 0, 0, 0, 0, 2)); err != nil {
		t.Fatal(err)
	}
	if len(f.esc.list) != 2 || f.esc.list[1].level != "crisis" || !strings.Contains(f.esc.list[1].text, "More than half the days") {
		t.Errorf("item 9 = 2: %+v", f.esc.list)
	}
	// When opening the escalation fails, the answers are kept, the member
	// still sees the help card, and a job tries again.
	f.esc.fail = true
	m3 := f.member(t, "pagi", f.group)
	out, err = f.svc.Submit(m3, f.find(t, m3, "phq9", measure.Baseline).ID, "id", answers(0, 0, 0, 0, 0, 0, 0, 0, 3))
	if err != nil || !out.Help {
		t.Fatalf("with safety down: %+v, %v", out, err)
	}
	if len(f.jobs.kind) == 0 || f.jobs.kind[len(f.jobs.kind)-1] != measure.JobEscalate {
		t.Fatalf("no retry job: %v", f.jobs.kind)
	}
	f.esc.fail = false
	payload, _ := json.Marshal(map[string]int64{"response_id": out.ResponseID})
	if err := f.svc.Escalate(context.Background(), payload); err != nil {
		t.Fatal(err)
	}
	if len(f.esc.list) != 3 || f.esc.list[2].level != "crisis" || f.esc.list[2].user != uid(m3) {
		t.Errorf("the retry: %+v", f.esc.list)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'measure.answers.read' AND target = $1`, "response:"+itoa(out.ResponseID)); n != 1 {
		t.Errorf("the retry's read of the answers is audited %d times", n)
	}
}

// TestSurveyAnswers: required questions, impossible choices and scale
// points are refused per question; a scored survey adds up the chosen
// answers' scores and the scale point; crisis words in a written answer open
// the safety path.
func TestSurveyAnswers(t *testing.T) {
	f := newFixture(t)
	sid := f.survey(t, true)
	if _, err := f.svc.OpenRound(f.coord, f.org, measure.RoundInput{Title: "Masukan", Survey: itoa(sid), Target: "group:" + itoa(f.group),
		Opens: f.now.Format("2006-01-02"), Closes: f.now.AddDate(0, 0, 7).Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	m := f.member(t, "senja", f.group)
	open := f.open(t, m)
	if len(open) != 1 {
		t.Fatalf("open: %+v", open)
	}
	sv, _ := f.svc.Survey(f.coord, sid)
	q := func(i int) string { return measure.QuestionField(sv.Questions[i].ID) }
	_, err := f.svc.Submit(m, open[0].ID, "id", map[string][]string{q(2): {"0", "0"}})
	got := problems(t, err)
	if got[q(0)] != "measure.answer.missing" || got[q(1)] != "measure.answer.missing" || got[q(2)] != "measure.answer.out_of_range" || len(got) != 3 {
		t.Errorf("missing required answers and a repeated choice: %v", got)
	}
	_, err = f.svc.Submit(m, open[0].ID, "id", map[string][]string{q(0): {"3"}, q(1): {"9"}, q(2): {"0"}})
	got = problems(t, err)
	if got[q(0)] != "measure.answer.out_of_range" || got[q(1)] != "measure.answer.out_of_range" || len(got) != 2 {
		t.Errorf("a choice and a scale point that do not exist: %v", got)
	}
	_, err = f.svc.Submit(m, open[0].ID, "id", map[string][]string{q(0): {"1", "2"}, q(1): {"4"}})
	if got = problems(t, err); got[q(0)] != "measure.answer.out_of_range" {
		t.Errorf("two answers to a single-choice question: %v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_responses`); n != 0 {
		t.Fatalf("%d responses stored from refused answers", n)
	}
	out, err := f.svc.Submit(m, open[0].ID, "id", map[string][]string{q(0): {"2"}, q(1): {"4"}, q(2): {"0", "2"},
		q(3): {"Kadang saya ingin mati saja, tapi kelompok ini menolong."}})
	if err != nil {
		t.Fatal(err)
	}
	// Sangat = 3, scale 4, Cerita = 2 and Informasi = 2 (its place): 11.
	if !out.Scored || out.Result.Total != 11 {
		t.Errorf("scored survey total %+v", out)
	}
	if !out.Help || len(f.esc.list) != 1 || f.esc.list[0].level != "crisis" || !strings.Contains(f.esc.list[0].text, "ingin mati") {
		t.Errorf("crisis words in a written answer: help %v, %+v", out.Help, f.esc.list)
	}
	var tp string
	var round int64
	if err := f.db.QueryRow(context.Background(), `SELECT timepoint, round_id FROM outcome_responses WHERE id = $1`, out.ResponseID).Scan(&tp, &round); err != nil {
		t.Fatal(err)
	}
	if tp != measure.Feedback || round != open[0].RoundID {
		t.Errorf("round response stored as %s round %d", tp, round)
	}
}

// TestAnswersAreSealed: the stored answers are not readable text, open only
// for their own response, and hold exactly what was answered.
func TestAnswersAreSealed(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:gad7", measure.Baseline})
	m := f.member(t, "senja", f.group)
	out, err := f.svc.Submit(m, f.find(t, m, "gad7", measure.Baseline).ID, "id", answers(3, 2, 1, 0, 1, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	var sealed, lang string
	var total float64
	if err := f.db.QueryRow(context.Background(), `SELECT answers_sealed, language, total FROM outcome_responses WHERE id = $1`, out.ResponseID).
		Scan(&sealed, &lang, &total); err != nil {
		t.Fatal(err)
	}
	if sealed == "" || strings.Contains(sealed, "items") || strings.Contains(sealed, "[3,2,1") || json.Valid([]byte(sealed)) {
		t.Fatalf("answers are stored readable: %q", sealed)
	}
	a, err := measure.OpenAnswers(f.box, out.ResponseID, sealed)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Items) != 7 || a.Items[0] != 3 || a.Items[6] != 3 || a.Items[3] != 0 {
		t.Errorf("opened answers %+v", a)
	}
	if _, err := measure.OpenAnswers(f.box, out.ResponseID+1, sealed); err == nil {
		t.Error("the answers open for another response")
	}
	if lang != "id" || total != 12 {
		t.Errorf("language %s total %v", lang, total)
	}
}

// TestHistory: the member's own results, in time order, laid out on the
// chart, with the cut-off line; nobody else's.
func TestHistory(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:who5", measure.Baseline}, [4]string{"instrument:who5", measure.Followup, "weeks", "4"})
	m := f.member(t, "senja", f.group)
	other := f.member(t, "awan", f.group)
	if _, err := f.svc.Submit(other, f.find(t, other, "who5", measure.Baseline).ID, "en", answers(5, 5, 5, 5, 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(m, f.find(t, m, "who5", measure.Baseline).ID, "en", answers(2, 2, 1, 2, 2)); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(30 * day)
	if _, err := f.svc.Submit(m, f.find(t, m, "who5", measure.Followup).ID, "en", answers(3, 3, 3, 3, 4)); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.History(m, "who5")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Points) != 2 || c.Points[0].Total != 36 || c.Points[1].Total != 64 {
		t.Fatalf("history %+v", c.Points)
	}
	if c.BandName(c.Points[0].Band, "id") != "Kesejahteraan rendah" || c.BandName(c.Points[1].Band, "en") != "Good well-being" {
		t.Errorf("bands %s %s", c.Points[0].Band, c.Points[1].Band)
	}
	if c.Points[0].X >= c.Points[1].X || c.Points[0].Y <= c.Points[1].Y {
		t.Errorf("a better later result is not to the right and higher: %+v", c.Points)
	}
	if c.CutoffY <= c.Top || c.CutoffY >= c.Bottom() || c.Line == "" {
		t.Errorf("cut-off line at %v, plot %v..%v, line %q", c.CutoffY, c.Top, c.Bottom(), c.Line)
	}
	mine, err := f.svc.MyQuestionnaires(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.History) != 1 || mine.History[0].Count != 2 || mine.History[0].Last.Total != 64 || len(mine.Done) != 2 {
		t.Errorf("summary %+v", mine)
	}
}

// TestReminders: a notice when a questionnaire becomes due, one more after
// three days if it is still open, then nothing; an answered one is never
// reminded; each notice also queues an e-mail.
func TestReminders(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:gad7", measure.Baseline})
	m := f.member(t, "senja", f.group)
	scan := func() {
		t.Helper()
		if err := f.svc.Scan(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	scan()
	if got := f.notes.of(uid(m)); len(got) != 2 || got[0].kind != "questionnaire_due" || !strings.HasPrefix(got[0].link, "/outcomes/due/") {
		t.Fatalf("first notices %+v", got)
	}
	scan()
	if got := f.notes.of(uid(m)); len(got) != 2 {
		t.Fatalf("a second scan reminded again: %+v", got)
	}
	if _, err := f.svc.Submit(m, f.find(t, m, "gad7", measure.Baseline).ID, "id", answers(0, 0, 0, 0, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(measure.RemindAgain + time.Minute)
	scan()
	got := f.notes.of(uid(m))
	if len(got) != 3 || got[2].kind != "questionnaire_reminder" {
		t.Fatalf("after three days: %+v", got)
	}
	f.now = f.now.Add(10 * day)
	scan()
	if got := f.notes.of(uid(m)); len(got) != 3 {
		t.Errorf("reminded more than twice: %+v", got)
	}
	if len(f.jobs.keys) != 3 || f.jobs.kind[0] != measure.JobMail {
		t.Errorf("mail jobs %v %v", f.jobs.kind, f.jobs.keys)
	}
}

// TestProfile: every field optional and checked; saving nothing deletes it.
func TestProfile(t *testing.T) {
	f := newFixture(t)
	m := f.member(t, "senja", f.group)
	if err := f.svc.SaveProfile(m, measure.ProfileInput{BirthYear: "1890"}); fieldKey(err) != "form.number" {
		t.Errorf("born in 1890: %v", err)
	}
	if err := f.svc.SaveProfile(m, measure.ProfileInput{Gender: "unknown"}); fieldKey(err) != "form.choose" {
		t.Errorf("a gender not offered: %v", err)
	}
	if err := f.svc.SaveProfile(m, measure.ProfileInput{Region: "<b>Jakarta</b>"}); fieldKey(err) != "form.no_markup" {
		t.Errorf("markup in the region: %v", err)
	}
	if err := f.svc.SaveProfile(m, measure.ProfileInput{BirthYear: "1990", Region: "Jawa Barat"}); err != nil {
		t.Fatal(err)
	}
	pr, err := f.svc.MyProfile(m)
	if err != nil || !pr.Saved || pr.BirthYear != 1990 || pr.Gender != "" || pr.Region != "Jawa Barat" {
		t.Fatalf("profile %+v %v", pr, err)
	}
	if err := f.svc.SaveProfile(m, measure.ProfileInput{Gender: "female"}); err != nil {
		t.Fatal(err)
	}
	if pr, _ = f.svc.MyProfile(m); pr.BirthYear != 0 || pr.Gender != "female" || pr.Region != "" {
		t.Errorf("after changing: %+v", pr)
	}
	if err := f.svc.SaveProfile(m, measure.ProfileInput{}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_profiles WHERE user_id = $1`, uid(m)); n != 0 {
		t.Error("saving an empty form kept the profile")
	}
}

// TestExportAndErase: the person's export has their answers opened in the
// language they answered; erasing removes responses, due rows and profile.
func TestExportAndErase(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:phq9", measure.Followup, "weeks", "1"})
	m := f.member(t, "senja", f.group)
	other := f.member(t, "awan", f.group)
	if _, err := f.svc.Submit(m, f.find(t, m, "phq9", measure.Baseline).ID, "id", answers(1, 2, 0, 0, 0, 0, 0, 0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(other, f.find(t, other, "phq9", measure.Baseline).ID, "en", answers(phq9Zero...)); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(8 * day)
	if _, err := f.svc.Submit(m, f.find(t, m, "phq9", measure.Followup).ID, "id", answers(phq9Zero...)); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SaveProfile(m, measure.ProfileInput{BirthYear: "1988", Gender: "male", Region: "Banten"}); err != nil {
		t.Fatal(err)
	}
	part := measure.PrivacyPart{S: f.svc}
	data, err := part.Export(context.Background(), f.db, uid(m))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(data)
	for _, want := range []string{"Merasa murung, sedih, atau putus asa", "Lebih dari separuh waktu yang dimaksud", `"research_birth_year":1988`,
		`"questionnaire_timepoint":"followup"`, "Agak sulit"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("export lacks %s: %s", want, raw)
		}
	}
	err = f.db.InTx(context.Background(), func(tx *db.Tx) error { return part.Erase(context.Background(), tx, uid(m)) })
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`SELECT count(*) FROM outcome_responses WHERE user_id = $1`, `SELECT count(*) FROM outcome_due WHERE user_id = $1`,
		`SELECT count(*) FROM outcome_profiles WHERE user_id = $1`} {
		if n := f.count(t, q, uid(m)); n != 0 {
			t.Errorf("%s: %d left after erasure", q, n)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_responses WHERE user_id = $1`, uid(other)); n != 1 {
		t.Errorf("someone else's responses: %d after the erasure", n)
	}
}

type sentMail struct{ list []mail.Message }

func (s *sentMail) Send(_ context.Context, m mail.Message) error {
	s.list = append(s.list, m)
	return nil
}

// TestReminderMail: the e-mail goes to members who gave an address and
// agreed to be contacted, in their language, says nothing of the group, the questionnaire or any score, and is
// not sent once the questionnaire is answered.
func TestReminderMail(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline})
	m := f.member(t, "senja", f.group)
	if err := f.auth.SetEmail(m, "senja@contoh.id"); err != nil {
		t.Fatal(err)
	}
	if err := f.auth.SetLocale(m, "en"); err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load("id")
	if err != nil {
		t.Fatal(err)
	}
	sent := &sentMail{}
	f.svc.Messaging.Mail, f.svc.Messaging.Contacts, f.svc.Messaging.Bundle, f.svc.Messaging.BaseURL = sent, f.auth, bundle, "https://rangkul.example"
	due := f.find(t, m, "phq9", measure.Baseline)
	payload, _ := json.Marshal(map[string]int64{"due_id": due.ID})
	// Not without their agreement to be contacted.
	if err := f.svc.SendMail(context.Background(), payload); err != nil || len(sent.list) != 0 {
		t.Fatalf("mailed someone who did not agree to be contacted: %v, %+v", err, sent.list)
	}
	consent := privacy.NewService(f.db, audit.New(f.db))
	if err := consent.Agree(m, privacy.PurposeContact, 1, "en"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SendMail(context.Background(), payload); err != nil {
		t.Fatal(err)
	}
	if len(sent.list) != 1 {
		t.Fatalf("mails: %+v", sent.list)
	}
	msg := sent.list[0]
	if msg.To != "senja@contoh.id" || !strings.Contains(msg.Subject, "questionnaire") || !strings.Contains(msg.Text, "https://rangkul.example/outcomes") {
		t.Errorf("mail %+v", msg)
	}
	for _, secret := range []string{"Ruang Tenang", "PHQ", "score", "skor"} {
		if strings.Contains(msg.Subject+msg.Text, secret) {
			t.Errorf("the mail says %q: %+v", secret, msg)
		}
	}
	if _, err := f.svc.Submit(m, due.ID, "id", answers(phq9Zero...)); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SendMail(context.Background(), payload); err != nil || len(sent.list) != 1 {
		t.Errorf("mailed about an answered questionnaire: %v, %d mails", err, len(sent.list))
	}
}
