package measure

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
	"github.com/rangkul/rangkul/internal/valid"
)

// Timepoints of a plan step and of a response.
const (
	Baseline = "baseline" // on joining
	Followup = "followup" // after some weeks or some meetings attended since baseline
	Leaving  = "leaving"  // on leaving the group
	Feedback = "feedback" // a feedback round (responses only)
)

// Timepoints lists the plan's timepoints in form order.
var Timepoints = []string{Baseline, Followup, Leaving}

// Limits of a follow-up.
const (
	MaxWeeks    = 104
	MaxSessions = 200
)

// GroupRef names a group.
type GroupRef struct {
	ID   int64
	Name string
	In   bool // in the plan (on the plan's form)
}

// Step is one questionnaire a plan asks at one timepoint.
type Step struct {
	ID            int64
	PlanID        int64
	Instrument    string // an instrument code, or "" for a survey
	SurveyID      int64
	SurveyTitle   string
	Timepoint     string
	AfterWeeks    int
	AfterSessions int
	Position      int
	Due, Done     int // questionnaires due for this step, and answered
}

// What is the step's questionnaire as the plan form names it:
// "instrument:CODE" or "survey:ID".
func (st Step) What() string {
	if st.Instrument != "" {
		return "instrument:" + st.Instrument
	}
	return "survey:" + strconv.FormatInt(st.SurveyID, 10)
}

// Plan is a measurement plan of an organisation.
type Plan struct {
	ID        int64
	OrgID     int64
	Name      string
	Active    bool
	Groups    []GroupRef
	Steps     []Step
	CreatedAt time.Time
}

// PlanInput is the plan form.
type PlanInput struct {
	Name   string
	Groups []int64
	Active bool
}

// orgGroups lists an organisation's groups.
func (s *Service) orgGroups(ctx context.Context, orgID int64) ([]GroupRef, error) {
	rows, err := s.db.Query(ctx, `SELECT id, name FROM support_groups WHERE org_id = $1 ORDER BY name, id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("measure: groups of organisation %d: %w", orgID, err)
	}
	defer rows.Close()
	var out []GroupRef
	for rows.Next() {
		var g GroupRef
		if err := rows.Scan(&g.ID, &g.Name); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Groups lists the groups of an organisation the caller coordinates, for
// the plan and round forms.
func (s *Service) Groups(ctx context.Context, orgID int64) ([]GroupRef, error) {
	if _, err := coordinate(ctx, orgID); err != nil {
		return nil, err
	}
	return s.orgGroups(ctx, orgID)
}

func (s *Service) checkPlan(ctx context.Context, orgID int64, in PlanInput) (string, []int64, error) {
	name, fe := valid.Name("name", in.Name, 3, 120)
	if fe != nil {
		return "", nil, fe
	}
	if len(in.Groups) == 0 {
		return "", nil, valid.Field("groups", "measure.plan.groups_required")
	}
	all, err := s.orgGroups(ctx, orgID)
	if err != nil {
		return "", nil, err
	}
	ok := map[int64]bool{}
	for _, g := range all {
		ok[g.ID] = true
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, id := range in.Groups {
		if !ok[id] {
			return "", nil, valid.Field("groups", "form.choose")
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return name, ids, nil
}

func setPlanGroups(ctx context.Context, tx *db.Tx, planID int64, groups []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM outcome_plan_groups WHERE plan_id = $1`, planID); err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := tx.Exec(ctx, `INSERT INTO outcome_plan_groups (plan_id, group_id) VALUES ($1, $2)`, planID, g); err != nil {
			return err
		}
	}
	return nil
}

// CreatePlan adds a measurement plan over groups of an organisation the
// caller coordinates. It asks nothing until steps are added.
func (s *Service) CreatePlan(ctx context.Context, orgID int64, in PlanInput) (int64, error) {
	p, err := coordinate(ctx, orgID)
	if err != nil {
		return 0, err
	}
	name, groups, err := s.checkPlan(ctx, orgID, in)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_plans (org_id, name, active, created_by, created_at, updated_at)
			VALUES ($1, $2, TRUE, $3, $4, $4) RETURNING id`, orgID, name, author(p), now).Scan(&id); err != nil {
			return fmt.Errorf("measure: create plan: %w", err)
		}
		if err := setPlanGroups(ctx, tx, id, groups); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.plan.create", "plan:"+strconv.FormatInt(id, 10), fmt.Sprintf("org:%d groups:%d", orgID, len(groups)))
	})
	return id, err
}

// UpdatePlan changes a plan's name, groups and whether it is active. An
// inactive plan asks nothing new, and what it asked and was not yet answered
// is hidden until it is active again.
func (s *Service) UpdatePlan(ctx context.Context, id int64, in PlanInput) error {
	pl, err := s.plan(ctx, id)
	if err != nil {
		return err
	}
	p, err := coordinate(ctx, pl.OrgID)
	if err != nil {
		return err
	}
	name, groups, err := s.checkPlan(ctx, pl.OrgID, in)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outcome_plans SET name = $1, active = $2, updated_at = $3 WHERE id = $4`,
			name, in.Active, s.now().UTC(), id); err != nil {
			return err
		}
		if err := setPlanGroups(ctx, tx, id, groups); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.plan.update", "plan:"+strconv.FormatInt(id, 10),
			fmt.Sprintf("active:%v groups:%d", in.Active, len(groups)))
	})
}

// plan reads a plan with its groups and steps, without checking the caller.
func (s *Service) plan(ctx context.Context, id int64) (Plan, error) {
	var pl Plan
	if err := s.db.QueryRow(ctx, `SELECT id, org_id, name, active, created_at FROM outcome_plans WHERE id = $1`, id).
		Scan(&pl.ID, &pl.OrgID, &pl.Name, &pl.Active, &pl.CreatedAt); err != nil {
		return Plan{}, fmt.Errorf("measure: plan %d: %w", id, err)
	}
	rows, err := s.db.Query(ctx, `SELECT g.id, g.name FROM outcome_plan_groups pg JOIN support_groups g ON g.id = pg.group_id
		WHERE pg.plan_id = $1 ORDER BY g.name, g.id`, id)
	if err != nil {
		return Plan{}, err
	}
	for rows.Next() {
		g := GroupRef{In: true}
		if err := rows.Scan(&g.ID, &g.Name); err != nil {
			rows.Close()
			return Plan{}, err
		}
		pl.Groups = append(pl.Groups, g)
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT st.id, st.instrument, COALESCE(st.survey_id, 0), COALESCE(sv.title, ''), st.timepoint,
		COALESCE(st.after_weeks, 0), COALESCE(st.after_sessions, 0), st.position,
		(SELECT count(*) FROM outcome_due d WHERE d.step_id = st.id),
		(SELECT count(*) FROM outcome_due d WHERE d.step_id = st.id AND d.done_at IS NOT NULL)
		FROM outcome_plan_steps st LEFT JOIN outcome_surveys sv ON sv.id = st.survey_id
		WHERE st.plan_id = $1 ORDER BY st.position, st.id`, id)
	if err != nil {
		return Plan{}, err
	}
	defer rows.Close()
	for rows.Next() {
		st := Step{PlanID: id}
		if err := rows.Scan(&st.ID, &st.Instrument, &st.SurveyID, &st.SurveyTitle, &st.Timepoint, &st.AfterWeeks, &st.AfterSessions,
			&st.Position, &st.Due, &st.Done); err != nil {
			return Plan{}, err
		}
		pl.Steps = append(pl.Steps, st)
	}
	return pl, rows.Err()
}

// Plan returns a plan for those who coordinate its organisation.
func (s *Service) Plan(ctx context.Context, id int64) (Plan, error) {
	pl, err := s.plan(ctx, id)
	if err != nil {
		return Plan{}, err
	}
	if _, err := coordinate(ctx, pl.OrgID); err != nil {
		return Plan{}, err
	}
	return pl, nil
}

// Plans lists an organisation's plans.
func (s *Service) Plans(ctx context.Context, orgID int64) ([]Plan, error) {
	if _, err := coordinate(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM outcome_plans WHERE org_id = $1 ORDER BY active DESC, name, id LIMIT 200`, orgID)
	if err != nil {
		return nil, fmt.Errorf("measure: plans: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]Plan, 0, len(ids))
	for _, id := range ids {
		pl, err := s.plan(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, pl)
	}
	return out, nil
}

// StepInput is the form that adds a step: What is "instrument:CODE" or
// "survey:ID"; a follow-up comes After "weeks" or "sessions", Count of them.
type StepInput struct {
	What, Timepoint, After, Count string
}

// AddStep adds a questionnaire at a timepoint to a plan. A follow-up or
// leaving questionnaire is compared with a baseline, so the plan must ask
// the same questionnaire at baseline first.
func (s *Service) AddStep(ctx context.Context, planID int64, in StepInput) (int64, error) {
	pl, err := s.Plan(ctx, planID)
	if err != nil {
		return 0, err
	}
	p := caller(ctx)
	st := Step{PlanID: planID}
	kind, ref, _ := strings.Cut(in.What, ":")
	switch kind {
	case "instrument":
		if _, ok := outcomes.Lookup(ref); !ok {
			return 0, valid.Field("what", "form.choose")
		}
		st.Instrument = ref
	case "survey":
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return 0, valid.Field("what", "form.choose")
		}
		if _, err := s.usableSurvey(ctx, s.db, pl.OrgID, id, "what"); err != nil {
			return 0, err
		}
		st.SurveyID = id
	default:
		return 0, valid.Field("what", "form.required")
	}
	var fe *valid.Error
	if st.Timepoint, fe = valid.OneOf("timepoint", in.Timepoint, Timepoints); fe != nil {
		return 0, fe
	}
	if st.Timepoint == Followup {
		n, err := strconv.Atoi(strings.TrimSpace(in.Count))
		switch in.After {
		case "weeks":
			if err != nil || n < 1 || n > MaxWeeks {
				return 0, valid.Field("count", "form.number", "min", 1, "max", MaxWeeks)
			}
			st.AfterWeeks = n
		case "sessions":
			if err != nil || n < 1 || n > MaxSessions {
				return 0, valid.Field("count", "form.number", "min", 1, "max", MaxSessions)
			}
			st.AfterSessions = n
		default:
			return 0, valid.Field("after", "form.required")
		}
	}
	hasBaseline := false
	for _, o := range pl.Steps {
		if o.What() != st.What() {
			continue
		}
		if o.Timepoint == Baseline {
			hasBaseline = true
		}
		if o.Timepoint == st.Timepoint && o.AfterWeeks == st.AfterWeeks && o.AfterSessions == st.AfterSessions {
			return 0, valid.Field("what", "measure.step.duplicate")
		}
	}
	if st.Timepoint != Baseline && !hasBaseline {
		return 0, valid.Field("timepoint", "measure.step.needs_baseline")
	}
	var instrument, survey, weeks, sessions any = st.Instrument, nil, nil, nil
	if st.SurveyID != 0 {
		survey = st.SurveyID
	}
	if st.AfterWeeks > 0 {
		weeks = st.AfterWeeks
	}
	if st.AfterSessions > 0 {
		sessions = st.AfterSessions
	}
	order := map[string]int{Baseline: 0, Followup: 1, Leaving: 2}[st.Timepoint]*1000 + st.AfterWeeks + st.AfterSessions
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_plan_steps (plan_id, instrument, survey_id, timepoint, after_weeks, after_sessions, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, planID, instrument, survey, st.Timepoint, weeks, sessions, order).Scan(&id); err != nil {
			return fmt.Errorf("measure: add step: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE outcome_plans SET updated_at = $1 WHERE id = $2`, s.now().UTC(), planID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.step.add", "plan:"+strconv.FormatInt(planID, 10), st.What()+" "+st.Timepoint)
	})
	return id, err
}

// Step returns one step of a plan, for the page that confirms its removal.
func (s *Service) Step(ctx context.Context, planID, stepID int64) (Plan, Step, error) {
	pl, err := s.Plan(ctx, planID)
	if err != nil {
		return Plan{}, Step{}, err
	}
	for _, st := range pl.Steps {
		if st.ID == stepID {
			return pl, st, nil
		}
	}
	return Plan{}, Step{}, db.ErrNotFound
}

// DeleteStep removes a step: what it asked and was not answered is no longer
// asked; answers already given stay. A baseline that follow-ups are compared
// with cannot go before them.
func (s *Service) DeleteStep(ctx context.Context, planID, stepID int64) error {
	pl, st, err := s.Step(ctx, planID, stepID)
	if err != nil {
		return err
	}
	if st.Timepoint == Baseline {
		for _, o := range pl.Steps {
			if o.What() == st.What() && o.Timepoint != Baseline {
				return valid.Field("step", "measure.step.baseline_in_use")
			}
		}
	}
	p := caller(ctx)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM outcome_plan_steps WHERE id = $1 AND plan_id = $2`, stepID, planID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.step.delete", "plan:"+strconv.FormatInt(planID, 10), fmt.Sprintf("step:%d", stepID))
	})
}

// Choice of questionnaire on the step and round forms.
type WhatOption struct {
	Value string // "instrument:CODE" or "survey:ID"
	Code  string // instrument code, for its name in the reader's language
	Title string // survey title
}

// WhatOptions lists the questionnaires an organisation may ask: the
// instruments, then its usable surveys.
func (s *Service) WhatOptions(ctx context.Context, orgID int64) ([]WhatOption, error) {
	surveys, err := s.Surveys(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var out []WhatOption
	for _, in := range outcomes.Instruments() {
		out = append(out, WhatOption{Value: "instrument:" + in.Code, Code: in.Code})
	}
	for _, sv := range surveys {
		if sv.Usable() {
			out = append(out, WhatOption{Value: "survey:" + strconv.FormatInt(sv.ID, 10), Title: sv.Title})
		}
	}
	return out, nil
}

// Inst returns the step's instrument, or nil for a survey.
func (st Step) Inst() *outcomes.Instrument {
	in, _ := outcomes.Lookup(st.Instrument)
	return in
}

// Inst returns the option's instrument, or nil for a survey.
func (o WhatOption) Inst() *outcomes.Instrument {
	in, _ := outcomes.Lookup(o.Code)
	return in
}
