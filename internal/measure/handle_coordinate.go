package measure

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/web"
)

// The coordinators' pages: an organisation's surveys, plans and feedback
// rounds.

type orgView struct {
	Org     Org
	Surveys []Survey
	Plans   []Plan
	Rounds  []Round
	Groups  []GroupRef
	What    []WhatOption
	Now     time.Time
	Today   string
	Zone    *time.Location
}

// Local returns t in the deployment's zone, for dates on the page.
func (v orgView) Local(t time.Time) time.Time { return t.In(v.Zone) }

func (h *Handler) orgPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	ctx := r.Context()
	surveys, err := h.svc.Surveys(ctx, id)
	if err != nil {
		return err
	}
	o, err := h.svc.org(ctx, id)
	if err != nil {
		return err
	}
	v := orgView{Org: o, Surveys: surveys, Now: h.svc.now(), Zone: h.svc.zone()}
	if v.Plans, err = h.svc.Plans(ctx, id); err != nil {
		return err
	}
	if v.Rounds, err = h.svc.Rounds(ctx, id); err != nil {
		return err
	}
	if v.Groups, err = h.svc.Groups(ctx, id); err != nil {
		return err
	}
	if v.What, err = h.svc.WhatOptions(ctx, id); err != nil {
		return err
	}
	v.Today = v.Now.In(v.Zone).Format("2006-01-02")
	if f == nil {
		f = web.NewForm()
		f.Values.Set("opens", v.Today)
		f.Values.Set("closes", v.Now.In(v.Zone).AddDate(0, 0, 14).Format("2006-01-02"))
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/org", Status: status, Form: f, Data: v})
}

func (h *Handler) org(w http.ResponseWriter, r *http.Request) error { return h.orgPage(w, r, nil, 0) }

func orgPath(id int64) string { return "/outcomes/org/" + strconv.FormatInt(id, 10) }

func (h *Handler) createSurvey(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		id, err := h.svc.CreateSurvey(r.Context(), org, SurveyInput{Title: f.Get("title"), Intro: f.Get("intro"), Scored: f.Get("scored") == "1"})
		return web.Outcome{Flash: "flash.survey_created", To: "/outcomes/surveys/" + strconv.FormatInt(id, 10)}, err
	}, func(f *web.Form) error { return h.orgPage(w, r, f, http.StatusUnprocessableEntity) })
}

// formIDs reads the ids ticked in a multi-valued field.
func formIDs(f *web.Form, field string) []int64 {
	var out []int64
	for _, v := range f.Values[field] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (h *Handler) createPlan(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		id, err := h.svc.CreatePlan(r.Context(), org, PlanInput{Name: f.Get("name"), Groups: formIDs(f, "groups"), Active: true})
		return web.Outcome{Flash: "flash.plan_created", To: "/outcomes/plans/" + strconv.FormatInt(id, 10)}, err
	}, func(f *web.Form) error { return h.orgPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) openRound(w http.ResponseWriter, r *http.Request) error {
	org, err := web.PathID(r, "org")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		_, err := h.svc.OpenRound(r.Context(), org, RoundInput{Title: f.Get("round_title"), Survey: f.Get("survey"), Target: f.Get("target"),
			Opens: f.Get("opens"), Closes: f.Get("closes")})
		return web.Outcome{Flash: "flash.round_opened", To: orgPath(org) + "#rounds"}, err
	}, func(f *web.Form) error { return h.orgPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) closeRound(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "round")
	if err != nil {
		return err
	}
	if _, err := web.ParseForm(w, r); err != nil {
		return err
	}
	org, err := h.svc.CloseRound(r.Context(), id)
	if err != nil {
		return err
	}
	return web.Done(w, r, "flash.round_closed", orgPath(org)+"#rounds")
}

type surveyView struct {
	Survey Survey
	Org    Org
	Kinds  []string
}

func (h *Handler) surveyPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "survey")
	if err != nil {
		return err
	}
	sv, err := h.svc.Survey(r.Context(), id)
	if err != nil {
		return err
	}
	o, err := h.svc.org(r.Context(), sv.OrgID)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
		f.Values.Set("kind", KindSingle)
		f.Values.Set("required", "1")
		f.Values.Set("scale_min", "1")
		f.Values.Set("scale_max", "5")
	}
	if _, sent := f.Values["title"]; !sent { // the settings form was not the one sent
		f.Values.Set("title", sv.Title)
		f.Values.Set("intro", sv.Intro)
		if sv.Scored {
			f.Values.Set("scored", "1")
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/survey", Status: status, Form: f, Data: surveyView{Survey: sv, Org: o, Kinds: Kinds}})
}

func (h *Handler) survey(w http.ResponseWriter, r *http.Request) error {
	return h.surveyPage(w, r, nil, 0)
}

func surveyPath(id int64) string { return "/outcomes/surveys/" + strconv.FormatInt(id, 10) }

func (h *Handler) updateSurvey(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "survey")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: surveyPath(id)},
			h.svc.UpdateSurvey(r.Context(), id, SurveyInput{Title: f.Get("title"), Intro: f.Get("intro"), Scored: f.Get("scored") == "1"})
	}, func(f *web.Form) error { return h.surveyPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) archiveSurvey(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "survey")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Survey(r.Context(), id); err != nil {
		return err
	}
	var archive bool
	switch f.Get("archive") {
	case "1":
		archive = true
	case "0":
	default:
		return web.ErrBadRequest
	}
	if err := h.svc.ArchiveSurvey(r.Context(), id, archive); err != nil {
		return err
	}
	flash := "flash.survey_restored"
	if archive {
		flash = "flash.survey_archived"
	}
	return web.Done(w, r, flash, surveyPath(id))
}

func (h *Handler) addQuestion(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "survey")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		_, err := h.svc.AddQuestion(r.Context(), id, QuestionInput{Kind: f.Get("kind"), Prompt: f.Get("prompt"), Choices: f.Get("choices"),
			Min: f.Get("scale_min"), Max: f.Get("scale_max"), LowLabel: f.Get("low_label"), HighLabel: f.Get("high_label"),
			Required: f.Get("required") == "1"})
		return web.Outcome{Flash: "flash.question_added", To: surveyPath(id) + "#questions"}, err
	}, func(f *web.Form) error { return h.surveyPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) moveQuestion(w http.ResponseWriter, r *http.Request) error {
	id, qid, err := pathIDs(r, "survey", "question")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(w, r)
	if err != nil {
		return err
	}
	if _, _, err := h.svc.Question(r.Context(), id, qid); err != nil {
		return err
	}
	delta := map[string]int{"up": -1, "down": 1}[f.Get("dir")]
	if delta == 0 {
		return web.ErrBadRequest
	}
	if err := h.svc.MoveQuestion(r.Context(), id, qid, delta); err != nil {
		return err
	}
	return web.Done(w, r, "flash.saved", surveyPath(id)+"#question-"+strconv.FormatInt(qid, 10))
}

type questionDeleteView struct {
	Survey   Survey
	Question Question
}

func (h *Handler) questionDeletePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, qid, err := pathIDs(r, "survey", "question")
	if err != nil {
		return err
	}
	sv, q, err := h.svc.Question(r.Context(), id, qid)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/question-delete", Status: status, Form: f, Data: questionDeleteView{Survey: sv, Question: q}})
}

func (h *Handler) confirmDeleteQuestion(w http.ResponseWriter, r *http.Request) error {
	return h.questionDeletePage(w, r, nil, 0)
}

func (h *Handler) deleteQuestion(w http.ResponseWriter, r *http.Request) error {
	id, qid, err := pathIDs(r, "survey", "question")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.question_deleted", To: surveyPath(id) + "#questions"}, h.svc.DeleteQuestion(r.Context(), id, qid)
	}, func(f *web.Form) error { return h.questionDeletePage(w, r, f, http.StatusUnprocessableEntity) })
}

type planView struct {
	Plan        Plan
	Org         Org
	Groups      []GroupRef // the organisation's groups, those in the plan ticked
	What        []WhatOption
	Timepoints  []string
	MaxWeeks    int
	MaxSessions int
}

func (h *Handler) planPage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	ctx := r.Context()
	pl, err := h.svc.Plan(ctx, id)
	if err != nil {
		return err
	}
	v := planView{Plan: pl, Timepoints: Timepoints, MaxWeeks: MaxWeeks, MaxSessions: MaxSessions}
	if v.Org, err = h.svc.org(ctx, pl.OrgID); err != nil {
		return err
	}
	if v.Groups, err = h.svc.Groups(ctx, pl.OrgID); err != nil {
		return err
	}
	if v.What, err = h.svc.WhatOptions(ctx, pl.OrgID); err != nil {
		return err
	}
	in := map[int64]bool{}
	for _, g := range pl.Groups {
		in[g.ID] = true
	}
	if f != nil && f.Get("plan_form") == "1" {
		in = map[int64]bool{}
		for _, g := range formIDs(f, "groups") {
			in[g] = true
		}
	}
	for i := range v.Groups {
		v.Groups[i].In = in[v.Groups[i].ID]
	}
	if f == nil {
		f = web.NewForm()
		f.Values.Set("timepoint", Baseline)
		f.Values.Set("after", "weeks")
	}
	if f.Get("plan_form") != "1" { // the plan's own form was not the one sent
		f.Values.Set("name", pl.Name)
		if pl.Active {
			f.Values.Set("active", "1")
		}
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/plan", Status: status, Form: f, Data: v})
}

func (h *Handler) plan(w http.ResponseWriter, r *http.Request) error { return h.planPage(w, r, nil, 0) }

func planPath(id int64) string { return "/outcomes/plans/" + strconv.FormatInt(id, 10) }

func (h *Handler) updatePlan(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.saved", To: planPath(id)},
			h.svc.UpdatePlan(r.Context(), id, PlanInput{Name: f.Get("name"), Groups: formIDs(f, "groups"), Active: f.Get("active") == "1"})
	}, func(f *web.Form) error { return h.planPage(w, r, f, http.StatusUnprocessableEntity) })
}

func (h *Handler) addStep(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		_, err := h.svc.AddStep(r.Context(), id, StepInput{What: f.Get("what"), Timepoint: f.Get("timepoint"), After: f.Get("after"), Count: f.Get("count")})
		return web.Outcome{Flash: "flash.step_added", To: planPath(id) + "#steps"}, err
	}, func(f *web.Form) error { return h.planPage(w, r, f, http.StatusUnprocessableEntity) })
}

type stepDeleteView struct {
	Plan Plan
	Step Step
}

func (h *Handler) stepDeletePage(w http.ResponseWriter, r *http.Request, f *web.Form, status int) error {
	id, sid, err := pathIDs(r, "plan", "step")
	if err != nil {
		return err
	}
	pl, st, err := h.svc.Step(r.Context(), id, sid)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "measure/step-delete", Status: status, Form: f, Data: stepDeleteView{Plan: pl, Step: st}})
}

func (h *Handler) confirmDeleteStep(w http.ResponseWriter, r *http.Request) error {
	return h.stepDeletePage(w, r, nil, 0)
}

func (h *Handler) deleteStep(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := pathIDs(r, "plan", "step")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		return web.Outcome{Flash: "flash.step_deleted", To: planPath(id) + "#steps"}, h.svc.DeleteStep(r.Context(), id, sid)
	}, func(f *web.Form) error { return h.stepDeletePage(w, r, f, http.StatusUnprocessableEntity) })
}

// pathIDs reads the ids of a record and of one of its parts from the path,
// e.g. a survey's and its question's.
func pathIDs(r *http.Request, parent, child string) (int64, int64, error) {
	id, err := web.PathID(r, parent)
	if err != nil {
		return 0, 0, err
	}
	sub, err := web.PathID(r, child)
	return id, sub, err
}
