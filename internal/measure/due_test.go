package measure_test

import (
	"context"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/measure"
)

const day = 24 * time.Hour

var phq9Zero = []int{0, 0, 0, 0, 0, 0, 0, 0, 0}

// TestBaselineIsDueOnJoining: a member who joins a group of an active plan
// has the baseline due at once, dated from joining; members of other groups
// and facilitators do not; a paused plan asks nothing.
func TestBaselineIsDueOnJoining(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:who5", measure.Baseline})
	f.now = f.now.Add(3 * day)
	joined := f.now
	m := f.member(t, "senja", f.group)
	open := f.open(t, m)
	if len(open) != 2 {
		t.Fatalf("open on joining: %+v", open)
	}
	for _, d := range open {
		if d.Timepoint != measure.Baseline || !d.DueAt.Equal(joined) || d.GroupID != f.group {
			t.Errorf("baseline due %+v, want due at %v in group %d", d, joined, f.group)
		}
	}
	other := f.member(t, "awan", f.newGroup(t, "Kelompok lain"))
	if got := f.open(t, other); len(got) != 0 {
		t.Errorf("a member of a group outside the plan has %+v", got)
	}
	// Existing members get their baseline dated from the plan's start.
	f.now = f.now.Add(day)
	second := f.newGroup(t, "Kelompok kedua")
	early := f.member(t, "pagi", second)
	f.now = f.now.Add(day)
	planStart := f.now
	if _, err := f.svc.CreatePlan(f.coord, f.org, measure.PlanInput{Name: "Rencana kedua", Groups: []int64{second}, Active: true}); err != nil {
		t.Fatal(err)
	}
	var planID int64
	if err := f.db.QueryRow(context.Background(), `SELECT id FROM outcome_plans WHERE name = 'Rencana kedua'`).Scan(&planID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddStep(f.coord, planID, measure.StepInput{What: "instrument:gad7", Timepoint: measure.Baseline}); err != nil {
		t.Fatal(err)
	}
	if d := f.find(t, early, "gad7", measure.Baseline); !d.DueAt.Equal(planStart) {
		t.Errorf("an earlier member's baseline is due at %v, want the plan's start %v", d.DueAt, planStart)
	}
	// Pausing the plan hides what it asked.
	if err := f.svc.UpdatePlan(f.coord, planID, measure.PlanInput{Name: "Rencana kedua", Groups: []int64{second}, Active: false}); err != nil {
		t.Fatal(err)
	}
	if f.has(t, early, "gad7", measure.Baseline) {
		t.Error("a paused plan's questionnaire is still asked")
	}
	// The scan creates the same rows for everyone, once.
	if err := f.svc.Scan(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Scan(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_due WHERE user_id = $1`, uid(m)); n != 2 {
		t.Errorf("senja has %d due rows after two scans, want 2", n)
	}
}

// TestFollowupAfterWeeks: the follow-up is due the given number of weeks
// after the baseline was answered, not before, and never without the
// baseline; its response points at the baseline.
func TestFollowupAfterWeeks(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:phq9", measure.Followup, "weeks", "4"})
	m := f.member(t, "senja", f.group)
	lazy := f.member(t, "awan", f.group)
	f.now = f.now.Add(2 * day)
	base := f.find(t, m, "phq9", measure.Baseline)
	answeredAt := f.now
	out, err := f.svc.Submit(m, base.ID, "id", answers(2, 2, 1, 1, 1, 1, 1, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	f.now = answeredAt.Add(4*7*day - time.Hour)
	if f.has(t, m, "phq9", measure.Followup) {
		t.Fatal("the follow-up is due before four weeks have passed")
	}
	f.now = answeredAt.Add(4 * 7 * day)
	fu := f.find(t, m, "phq9", measure.Followup)
	if !fu.DueAt.Equal(answeredAt.Add(4 * 7 * day)) {
		t.Errorf("follow-up due at %v, want %v", fu.DueAt, answeredAt.Add(4*7*day))
	}
	if f.has(t, lazy, "phq9", measure.Followup) {
		t.Error("a follow-up is due for someone who never answered the baseline")
	}
	res, err := f.svc.Submit(m, fu.ID, "id", answers(1, 1, 1, 0, 1, 0, 1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var baseline int64
	var tp string
	if err := f.db.QueryRow(context.Background(), `SELECT baseline_id, timepoint FROM outcome_responses WHERE id = $1`, res.ResponseID).
		Scan(&baseline, &tp); err != nil {
		t.Fatal(err)
	}
	if baseline != out.ResponseID || tp != measure.Followup {
		t.Errorf("follow-up response: baseline %d timepoint %s, want baseline %d", baseline, tp, out.ResponseID)
	}
	if res.Result.Total != 5 || res.Result.Band != "mild" {
		t.Errorf("follow-up scored %+v", res.Result)
	}
}

// TestFollowupAfterSessions: a follow-up after three meetings is due once the
// member was present at three meetings of the group since the baseline;
// meetings before the baseline and absences do not count.
func TestFollowupAfterSessions(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:gad7", measure.Baseline}, [4]string{"instrument:gad7", measure.Followup, "sessions", "3"})
	m := f.member(t, "senja", f.group)
	start := f.now.Add(day).Truncate(24 * time.Hour).Add(18 * time.Hour)
	sid, err := f.groups.CreateSession(f.coord, f.group, groups.SessionInput{Date: start.Format("2006-01-02"), Time: "18:00",
		Minutes: "90", Repeat: "weekly", Count: "8"})
	if err != nil {
		t.Fatal(err)
	}
	mark := func(week int, present bool) {
		t.Helper()
		at := start.AddDate(0, 0, 7*week)
		f.now = at.Add(2 * time.Hour)
		var who []int64
		if present {
			who = []int64{uid(m)}
		}
		if err := f.groups.MarkRoll(f.coord, f.group, sid, at.Unix(), who); err != nil {
			t.Fatalf("roll of week %d: %v", week, err)
		}
	}
	mark(0, true) // before the baseline
	f.now = f.now.Add(day)
	if _, err := f.svc.Submit(m, f.find(t, m, "gad7", measure.Baseline).ID, "id", answers(2, 2, 2, 1, 1, 1, 1)); err != nil {
		t.Fatal(err)
	}
	mark(1, true)
	mark(2, false)
	mark(3, true)
	if f.has(t, m, "gad7", measure.Followup) {
		t.Fatal("the follow-up is due after two meetings attended since the baseline")
	}
	mark(4, true)
	if !f.has(t, m, "gad7", measure.Followup) {
		t.Fatal("the follow-up is not due after three meetings attended since the baseline")
	}
}

// TestLeaving: someone who leaves after answering the baseline has the
// leaving questionnaire due; what else was open is no longer asked; someone
// who never answered the baseline is not asked on leaving.
func TestLeaving(t *testing.T) {
	f := newFixture(t)
	f.plan(t, [4]string{"instrument:phq9", measure.Baseline}, [4]string{"instrument:who5", measure.Baseline},
		[4]string{"instrument:phq9", measure.Leaving})
	m := f.member(t, "senja", f.group)
	never := f.member(t, "awan", f.group)
	f.now = f.now.Add(day)
	if _, err := f.svc.Submit(m, f.find(t, m, "phq9", measure.Baseline).ID, "id", answers(phq9Zero...)); err != nil {
		t.Fatal(err)
	}
	if f.has(t, m, "phq9", measure.Leaving) {
		t.Fatal("the leaving questionnaire is asked of a member still in the group")
	}
	f.now = f.now.Add(10 * day)
	left := f.now
	if err := f.groups.Leave(m, f.group); err != nil {
		t.Fatal(err)
	}
	if err := f.groups.Leave(never, f.group); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Hour)
	if err := f.svc.Scan(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	open := f.open(t, m)
	if len(open) != 1 || open[0].Instrument != "phq9" || open[0].Timepoint != measure.Leaving || !open[0].DueAt.Equal(left) {
		t.Fatalf("after leaving, open: %+v (the WHO-5 baseline is no longer asked; PHQ-9 on leaving is, from %v)", open, left)
	}
	if got := f.open(t, never); len(got) != 0 {
		t.Errorf("someone who never answered the baseline is asked on leaving: %+v", got)
	}
	res, err := f.svc.Submit(m, open[0].ID, "id", answers(phq9Zero...))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM outcome_responses WHERE id = $1 AND timepoint = 'leaving' AND baseline_id IS NOT NULL`, res.ResponseID); n != 1 {
		t.Error("the leaving response is not linked to its baseline")
	}
}

// TestFeedbackRound: a round over a plan's groups is due to their members
// while it is open, once per person even in two of its groups, and no
// longer after it closes.
func TestFeedbackRound(t *testing.T) {
	f := newFixture(t)
	second := f.newGroup(t, "Kelompok kedua")
	plan, err := f.svc.CreatePlan(f.coord, f.org, measure.PlanInput{Name: "Program", Groups: []int64{f.group, second}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	both := f.member(t, "senja", f.group)
	if _, err := f.groups.Join(both, second, groups.JoinInput{DisplayName: "Senja Dua", AcceptRules: true}); err != nil {
		t.Fatal(err)
	}
	outside := f.member(t, "awan", f.newGroup(t, "Di luar"))
	sv := f.survey(t, false)
	_, err = f.svc.OpenRound(f.coord, f.org, measure.RoundInput{Title: "Masukan", Survey: itoa(sv), Target: "plan:" + itoa(plan),
		Opens: f.now.Add(2 * day).Format("2006-01-02"), Closes: f.now.Add(9 * day).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.open(t, both); len(got) != 0 {
		t.Fatalf("a round is asked before it opens: %+v", got)
	}
	f.now = f.now.Add(3 * day)
	open := f.open(t, both)
	if len(open) != 1 || open[0].RoundID == 0 || open[0].Timepoint != measure.Feedback {
		t.Fatalf("open during the round: %+v", open)
	}
	if got := f.open(t, outside); len(got) != 0 {
		t.Errorf("the round is asked outside its groups: %+v", got)
	}
	f.now = f.now.Add(8 * day)
	if got := f.open(t, both); len(got) != 0 {
		t.Errorf("the round is still asked after its last day: %+v", got)
	}
	q, err := f.svc.Questionnaire(both, open[0].ID, "id")
	if err != nil || q.Blocked != "measure.due.closed" {
		t.Errorf("a closed round's page: %v, blocked %q", err, q.Blocked)
	}
}

// TestRoundDates refuses impossible rounds.
func TestRoundDates(t *testing.T) {
	f := newFixture(t)
	sv := f.survey(t, false)
	d := func(days int) string { return f.now.Add(time.Duration(days) * day).Format("2006-01-02") }
	for _, c := range []struct {
		in         measure.RoundInput
		field, key string
	}{
		{measure.RoundInput{Title: "Masukan", Survey: itoa(sv), Target: "group:" + itoa(f.group), Opens: d(0), Closes: d(-2)}, "closes", "measure.round.closes_past"},
		{measure.RoundInput{Title: "Masukan", Survey: itoa(sv), Target: "group:" + itoa(f.group), Opens: d(5), Closes: d(3)}, "closes", "measure.round.closes_before_opens"},
		{measure.RoundInput{Title: "Masukan", Survey: itoa(sv), Target: "group:" + itoa(f.group), Opens: d(0), Closes: d(200)}, "closes", "measure.round.too_long"},
		{measure.RoundInput{Title: "Masukan", Survey: itoa(sv), Target: "group:" + itoa(f.group), Opens: "kemarin", Closes: d(3)}, "opens", "measure.round.bad_date"},
		{measure.RoundInput{Title: "Masukan", Survey: itoa(sv), Target: "group:999", Opens: d(0), Closes: d(3)}, "target", "form.choose"},
		{measure.RoundInput{Title: "Masukan", Survey: "999", Target: "group:" + itoa(f.group), Opens: d(0), Closes: d(3)}, "survey", "form.choose"},
	} {
		_, err := f.svc.OpenRound(f.coord, f.org, c.in)
		if fe, ok := errField(err); !ok || fe[0] != c.field || fe[1] != c.key {
			t.Errorf("%+v: got %v, want %s %s", c.in, err, c.field, c.key)
		}
	}
}
