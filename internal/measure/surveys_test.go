package measure_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/valid"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// errField returns the field and key of a field error.
func errField(err error) ([2]string, bool) {
	if fe, ok := valid.As(err); ok {
		return [2]string{fe.Field, fe.Key}, true
	}
	return [2]string{}, false
}

// survey writes a survey with one question of each kind.
func (f *fixture) survey(t *testing.T, scored bool) int64 {
	t.Helper()
	id, err := f.svc.CreateSurvey(f.coord, f.org, measure.SurveyInput{Title: "Bagaimana kelompok ini?", Intro: "Dua menit saja.", Scored: scored})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []measure.QuestionInput{
		{Kind: measure.KindSingle, Prompt: "Seberapa membantu?", Choices: "Tidak = 0\nSedikit = 1\nSangat = 3", Required: true},
		{Kind: measure.KindScale, Prompt: "Seberapa aman?", Min: "1", Max: "5", LowLabel: "Tidak aman", HighLabel: "Aman", Required: true},
		{Kind: measure.KindMultiple, Prompt: "Apa yang membantu?", Choices: "Cerita = 2\nLatihan napas = 1\nInformasi"},
		{Kind: measure.KindText, Prompt: "Saran untuk kami?"},
	} {
		if _, err := f.svc.AddQuestion(f.coord, id, q); err != nil {
			t.Fatalf("question %q: %v", q.Prompt, err)
		}
	}
	return id
}

// TestSurveyQuestionsAreChecked: every question form mistake is refused with
// a message for its field, and choices carry their scores.
func TestSurveyQuestionsAreChecked(t *testing.T) {
	f := newFixture(t)
	id, err := f.svc.CreateSurvey(f.coord, f.org, measure.SurveyInput{Title: "Survei"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateSurvey(f.coord, f.org, measure.SurveyInput{Title: "x"}); fieldKey(err) != "form.too_short" {
		t.Errorf("a one-letter title: %v", err)
	}
	for _, c := range []struct {
		in         measure.QuestionInput
		field, key string
	}{
		{measure.QuestionInput{Prompt: "Apa kabar?"}, "kind", "form.required"},
		{measure.QuestionInput{Kind: "essay", Prompt: "Apa kabar?"}, "kind", "form.choose"},
		{measure.QuestionInput{Kind: measure.KindSingle, Prompt: ""}, "prompt", "form.required"},
		{measure.QuestionInput{Kind: measure.KindSingle, Prompt: "Apa kabar?", Choices: "Baik"}, "choices", "measure.question.choices_few"},
		{measure.QuestionInput{Kind: measure.KindMultiple, Prompt: "Apa kabar?", Choices: "Baik\nbaik"}, "choices", "measure.question.choice_twice"},
		{measure.QuestionInput{Kind: measure.KindSingle, Prompt: "Apa kabar?", Choices: "Baik = 500\nBuruk"}, "choices", "measure.question.score_range"},
		{measure.QuestionInput{Kind: measure.KindScale, Prompt: "Apa kabar?", Min: "1", Max: "1"}, "scale_max", "measure.question.scale_max"},
		{measure.QuestionInput{Kind: measure.KindScale, Prompt: "Apa kabar?", Min: "0", Max: "20"}, "scale_max", "measure.question.scale_max"},
		{measure.QuestionInput{Kind: measure.KindScale, Prompt: "Apa kabar?", Min: "-3", Max: "3"}, "scale_min", "form.number"},
	} {
		_, err := f.svc.AddQuestion(f.coord, id, c.in)
		if got, ok := errField(err); !ok || got[0] != c.field || got[1] != c.key {
			t.Errorf("%+v: got %v, want %s %s", c.in, err, c.field, c.key)
		}
	}
	sv, err := f.svc.Survey(f.coord, f.survey(t, true))
	if err != nil {
		t.Fatal(err)
	}
	want := []measure.Choice{{Label: "Cerita", Score: 2}, {Label: "Latihan napas", Score: 1}, {Label: "Informasi", Score: 2}}
	if got := sv.Questions[2].Choices; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("choices with and without scores: %+v, want %+v", got, want)
	}
	if sv.Questions[1].Min != 1 || sv.Questions[1].Max != 5 || sv.Questions[1].LowLabel() != "Tidak aman" {
		t.Errorf("scale: %+v", sv.Questions[1])
	}
}

// TestSurveyWithoutQuestionsCannotBeUsed: an empty or archived survey cannot
// be put in a plan or a round; the last question of a survey in use cannot
// be deleted.
func TestSurveyWithoutQuestionsCannotBeUsed(t *testing.T) {
	f := newFixture(t)
	empty, err := f.svc.CreateSurvey(f.coord, f.org, measure.SurveyInput{Title: "Survei kosong"})
	if err != nil {
		t.Fatal(err)
	}
	plan := f.plan(t)
	_, err = f.svc.AddStep(f.coord, plan, measure.StepInput{What: "survey:" + itoa(empty), Timepoint: measure.Baseline})
	if got, _ := errField(err); got != [2]string{"what", "measure.survey.empty"} {
		t.Errorf("an empty survey as a step: %v", err)
	}
	_, err = f.svc.OpenRound(f.coord, f.org, measure.RoundInput{Title: "Masukan", Survey: itoa(empty), Target: "group:" + itoa(f.group),
		Opens: f.now.Format("2006-01-02"), Closes: f.now.AddDate(0, 0, 7).Format("2006-01-02")})
	if got, _ := errField(err); got != [2]string{"survey", "measure.survey.empty"} {
		t.Errorf("an empty survey in a round: %v", err)
	}
	q, err := f.svc.AddQuestion(f.coord, empty, measure.QuestionInput{Kind: measure.KindText, Prompt: "Ada cerita?", Required: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddStep(f.coord, plan, measure.StepInput{What: "survey:" + itoa(empty), Timepoint: measure.Baseline}); err != nil {
		t.Fatalf("a survey with a question as a step: %v", err)
	}
	if err := f.svc.DeleteQuestion(f.coord, empty, q); fieldKey(err) != "measure.question.last_in_use" {
		t.Errorf("deleting the only question of a survey in use: %v", err)
	}
	other := f.survey(t, false)
	if err := f.svc.ArchiveSurvey(f.coord, other, true); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AddStep(f.coord, plan, measure.StepInput{What: "survey:" + itoa(other), Timepoint: measure.Baseline})
	if got, _ := errField(err); got != [2]string{"what", "measure.survey.archived"} {
		t.Errorf("an archived survey as a step: %v", err)
	}
	opts, err := f.svc.WhatOptions(f.coord, f.org)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		if o.Value == "survey:"+itoa(other) {
			t.Error("an archived survey is offered for plans")
		}
	}
	if len(opts) != 6+1 {
		t.Errorf("options: %d, want the six instruments and one usable survey", len(opts))
	}
}

// TestReorderAndDeleteQuestions moves questions up and down and deletes one.
func TestReorderAndDeleteQuestions(t *testing.T) {
	f := newFixture(t)
	id := f.survey(t, false)
	sv, _ := f.svc.Survey(f.coord, id)
	first, last := sv.Questions[0].ID, sv.Questions[3].ID
	if err := f.svc.MoveQuestion(f.coord, id, last, -1); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MoveQuestion(f.coord, id, first, -1); err != nil { // already first: nothing happens
		t.Fatal(err)
	}
	if err := f.svc.MoveQuestion(f.coord, id, first, 1); err != nil {
		t.Fatal(err)
	}
	sv, _ = f.svc.Survey(f.coord, id)
	var order []string
	for _, q := range sv.Questions {
		order = append(order, q.Kind)
	}
	if got := order[0] + " " + order[1] + " " + order[2] + " " + order[3]; got != "scale single text multiple" {
		t.Errorf("order after moves: %s", got)
	}
	if err := f.svc.DeleteQuestion(f.coord, id, first); err != nil {
		t.Fatal(err)
	}
	sv, _ = f.svc.Survey(f.coord, id)
	if len(sv.Questions) != 3 {
		t.Errorf("after deleting: %d questions", len(sv.Questions))
	}
	if err := f.svc.DeleteQuestion(f.coord, id, first); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deleting it again: %v", err)
	}
}

// TestPlanSteps: a follow-up or leaving step needs a baseline of the same
// questionnaire; duplicates and bad counts are refused; a baseline that
// follow-ups are compared with cannot be removed before them.
func TestPlanSteps(t *testing.T) {
	f := newFixture(t)
	plan := f.plan(t)
	for _, c := range []struct {
		in         measure.StepInput
		field, key string
	}{
		{measure.StepInput{What: "instrument:phq9", Timepoint: measure.Followup, After: "weeks", Count: "6"}, "timepoint", "measure.step.needs_baseline"},
		{measure.StepInput{What: "instrument:phq9", Timepoint: measure.Leaving}, "timepoint", "measure.step.needs_baseline"},
		{measure.StepInput{What: "instrument:nope", Timepoint: measure.Baseline}, "what", "form.choose"},
		{measure.StepInput{What: "", Timepoint: measure.Baseline}, "what", "form.required"},
		{measure.StepInput{What: "instrument:phq9", Timepoint: "sometime"}, "timepoint", "form.choose"},
	} {
		_, err := f.svc.AddStep(f.coord, plan, c.in)
		if got, ok := errField(err); !ok || got[0] != c.field || got[1] != c.key {
			t.Errorf("%+v: got %v, want %s %s", c.in, err, c.field, c.key)
		}
	}
	base, err := f.svc.AddStep(f.coord, plan, measure.StepInput{What: "instrument:phq9", Timepoint: measure.Baseline})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in         measure.StepInput
		field, key string
	}{
		{measure.StepInput{What: "instrument:phq9", Timepoint: measure.Baseline}, "what", "measure.step.duplicate"},
		{measure.StepInput{What: "instrument:phq9", Timepoint: measure.Followup, After: "weeks", Count: "0"}, "count", "form.number"},
		{measure.StepInput{What: "instrument:phq9", Timepoint: measure.Followup, After: "sessions", Count: "500"}, "count", "form.number"},
		{measure.StepInput{What: "instrument:phq9", Timepoint: measure.Followup, Count: "4"}, "after", "form.required"},
	} {
		_, err := f.svc.AddStep(f.coord, plan, c.in)
		if got, ok := errField(err); !ok || got[0] != c.field || got[1] != c.key {
			t.Errorf("%+v: got %v, want %s %s", c.in, err, c.field, c.key)
		}
	}
	fu, err := f.svc.AddStep(f.coord, plan, measure.StepInput{What: "instrument:phq9", Timepoint: measure.Followup, After: "weeks", Count: "6"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteStep(f.coord, plan, base); fieldKey(err) != "measure.step.baseline_in_use" {
		t.Errorf("removing a baseline with follow-ups: %v", err)
	}
	if err := f.svc.DeleteStep(f.coord, plan, fu); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteStep(f.coord, plan, base); err != nil {
		t.Fatalf("removing the baseline once alone: %v", err)
	}
	if _, err := f.svc.CreatePlan(f.coord, f.org, measure.PlanInput{Name: "Tanpa kelompok"}); fieldKey(err) != "measure.plan.groups_required" {
		t.Errorf("a plan without groups: %v", err)
	}
}

// TestCoordinatorsOnly: members and coordinators of other organisations
// cannot touch an organisation's surveys, plans and rounds, nor read the
// library unless they work with groups.
func TestCoordinatorsOnly(t *testing.T) {
	f := newFixture(t)
	member := f.member(t, "senja", f.group)
	sv := f.survey(t, false)
	plan := f.plan(t, [4]string{"instrument:phq9", measure.Baseline})
	o, err := f.auth.CreateOrg(f.sys, auth.OrgInput{Slug: "lain", Name: "Organisasi Lain", Kind: "ngo"})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := f.auth.Register(f.sys, auth.Registration{Username: "koordinator-lain", Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.auth.GrantRole(f.sys, u.ID, o.ID, auth.RoleCoordinator); err != nil {
		t.Fatal(err)
	}
	stranger := auth.WithPrincipal(member, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: []auth.Grant{{OrgID: o.ID, Role: auth.RoleCoordinator}}})
	checks := map[string]func() error{
		"create survey": func() error {
			_, err := f.svc.CreateSurvey(member, f.org, measure.SurveyInput{Title: "Survei"})
			return err
		},
		"read survey": func() error { _, err := f.svc.Survey(stranger, sv); return err },
		"add question": func() error {
			_, err := f.svc.AddQuestion(stranger, sv, measure.QuestionInput{Kind: measure.KindText, Prompt: "Apa kabar?"})
			return err
		},
		"read plan": func() error { _, err := f.svc.Plan(member, plan); return err },
		"add step": func() error {
			_, err := f.svc.AddStep(stranger, plan, measure.StepInput{What: "instrument:who5", Timepoint: measure.Baseline})
			return err
		},
		"list rounds": func() error { _, err := f.svc.Rounds(member, f.org); return err },
		"library":     func() error { _, err := f.svc.Instruments(member); return err },
	}
	for name, fn := range checks {
		if err := fn(); !errors.Is(err, auth.ErrForbidden) {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
	if _, err := f.svc.Instruments(f.coord); err != nil {
		t.Errorf("a coordinator reads the library: %v", err)
	}
}
