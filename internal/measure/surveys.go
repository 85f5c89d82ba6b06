package measure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Kinds of survey question.
const (
	KindSingle   = "single"   // one answer from a list
	KindMultiple = "multiple" // any number of answers from a list
	KindScale    = "scale"    // a number from Min to Max, with words at the ends
	KindText     = "text"     // the member's own words
)

// Kinds lists the question kinds in form order.
var Kinds = []string{KindSingle, KindMultiple, KindScale, KindText}

// Limits of a survey.
const (
	MaxQuestions  = 40
	MaxChoices    = 12
	MaxScaleSpan  = 10
	MaxTextAnswer = 2000
)

// Choice is one answer of a single- or multiple-choice question, with the
// score it adds when the survey is scored.
type Choice struct {
	Label string `json:"label"`
	Score int    `json:"score"`
}

// Question is one question of a custom survey.
type Question struct {
	ID       int64
	Position int
	Kind     string
	Prompt   string
	Choices  []Choice // single, multiple; for a scale, the words at its two ends
	Min, Max int      // scale
	Required bool
}

// Scale lists a scale question's points.
func (q Question) Scale() []int {
	var out []int
	for v := q.Min; v <= q.Max && q.Kind == KindScale; v++ {
		out = append(out, v)
	}
	return out
}

// LowLabel and HighLabel are the words at the two ends of a scale.
func (q Question) LowLabel() string {
	if len(q.Choices) > 0 {
		return q.Choices[0].Label
	}
	return ""
}

// HighLabel: see LowLabel.
func (q Question) HighLabel() string {
	if len(q.Choices) > 1 {
		return q.Choices[1].Label
	}
	return ""
}

// Survey is an organisation's own questionnaire.
type Survey struct {
	ID        int64
	OrgID     int64
	Title     string
	Intro     string
	Scored    bool
	Archived  bool
	Questions []Question
	Uses      int // plan steps and feedback rounds that ask it
	Answers   int // responses given to it
	UpdatedAt time.Time
}

// Usable reports whether the survey may be asked: it has questions and is
// not archived.
func (s Survey) Usable() bool { return len(s.Questions) > 0 && !s.Archived }

// SurveyInput is the survey form.
type SurveyInput struct {
	Title, Intro string
	Scored       bool
}

func checkSurvey(in SurveyInput) (string, string, error) {
	title, fe := valid.Name("title", in.Title, 3, 120)
	if fe != nil {
		return "", "", fe
	}
	intro, fe := valid.Text("intro", in.Intro, 0, 2000, true)
	if fe != nil {
		return "", "", fe
	}
	return title, intro, nil
}

// CreateSurvey adds a survey to an organisation the caller coordinates.
func (s *Service) CreateSurvey(ctx context.Context, orgID int64, in SurveyInput) (int64, error) {
	p, err := coordinate(ctx, orgID)
	if err != nil {
		return 0, err
	}
	title, intro, err := checkSurvey(in)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_surveys (org_id, title, intro, scored, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, orgID, title, intro, in.Scored, author(p), now).Scan(&id); err != nil {
			return fmt.Errorf("measure: create survey: %w", err)
		}
		return s.record(ctx, tx, p, "measure.survey.create", "survey:"+strconv.FormatInt(id, 10), fmt.Sprintf("org:%d", orgID))
	})
	return id, err
}

// survey reads a survey with its questions, without checking the caller.
func (s *Service) survey(ctx context.Context, q db.Querier, id int64) (Survey, error) {
	var sv Survey
	var archived *time.Time
	err := q.QueryRow(ctx, `SELECT id, org_id, title, intro, scored, archived_at, updated_at,
		(SELECT count(*) FROM outcome_plan_steps WHERE survey_id = $1) + (SELECT count(*) FROM outcome_feedback_rounds WHERE survey_id = $1),
		(SELECT count(*) FROM outcome_responses WHERE survey_id = $1)
		FROM outcome_surveys WHERE id = $1`, id).
		Scan(&sv.ID, &sv.OrgID, &sv.Title, &sv.Intro, &sv.Scored, &archived, &sv.UpdatedAt, &sv.Uses, &sv.Answers)
	if err != nil {
		return Survey{}, fmt.Errorf("measure: survey %d: %w", id, err)
	}
	sv.Archived = archived != nil
	rows, err := q.Query(ctx, `SELECT id, position, kind, prompt, choices, scale_min, scale_max, required
		FROM outcome_survey_questions WHERE survey_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return Survey{}, fmt.Errorf("measure: questions of survey %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var qu Question
		var choices string
		var lo, hi *int
		if err := rows.Scan(&qu.ID, &qu.Position, &qu.Kind, &qu.Prompt, &choices, &lo, &hi, &qu.Required); err != nil {
			return Survey{}, err
		}
		if choices != "" {
			if err := json.Unmarshal([]byte(choices), &qu.Choices); err != nil {
				return Survey{}, fmt.Errorf("measure: choices of question %d: %w", qu.ID, err)
			}
		}
		if lo != nil && hi != nil {
			qu.Min, qu.Max = *lo, *hi
		}
		sv.Questions = append(sv.Questions, qu)
	}
	return sv, rows.Err()
}

// Survey returns a survey for those who coordinate its organisation.
func (s *Service) Survey(ctx context.Context, id int64) (Survey, error) {
	sv, err := s.survey(ctx, s.db, id)
	if err != nil {
		return Survey{}, err
	}
	if _, err := coordinate(ctx, sv.OrgID); err != nil {
		return Survey{}, err
	}
	return sv, nil
}

// Surveys lists an organisation's surveys, newest first, archived last.
func (s *Service) Surveys(ctx context.Context, orgID int64) ([]Survey, error) {
	if _, err := coordinate(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM outcome_surveys WHERE org_id = $1
		ORDER BY CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END, updated_at DESC, id DESC LIMIT 200`, orgID)
	if err != nil {
		return nil, fmt.Errorf("measure: surveys: %w", err)
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
	out := make([]Survey, 0, len(ids))
	for _, id := range ids {
		sv, err := s.survey(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, nil
}

// UpdateSurvey changes a survey's title, introduction and scoring.
func (s *Service) UpdateSurvey(ctx context.Context, id int64, in SurveyInput) error {
	sv, err := s.survey(ctx, s.db, id)
	if err != nil {
		return err
	}
	p, err := coordinate(ctx, sv.OrgID)
	if err != nil {
		return err
	}
	title, intro, err := checkSurvey(in)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outcome_surveys SET title = $1, intro = $2, scored = $3, updated_at = $4 WHERE id = $5`,
			title, intro, in.Scored, s.now().UTC(), id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.survey.update", "survey:"+strconv.FormatInt(id, 10), "")
	})
}

// ArchiveSurvey takes a survey out of use (archive true) or back into it.
// An archived survey is no longer offered for new plan steps or rounds; what
// members were already asked stays answerable.
func (s *Service) ArchiveSurvey(ctx context.Context, id int64, archive bool) error {
	sv, err := s.survey(ctx, s.db, id)
	if err != nil {
		return err
	}
	p, err := coordinate(ctx, sv.OrgID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	var at any
	action := "measure.survey.restore"
	if archive {
		at, action = now, "measure.survey.archive"
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outcome_surveys SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, now, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, action, "survey:"+strconv.FormatInt(id, 10), "")
	})
}

// QuestionInput is the form that adds a question. Choices holds one answer
// per line, each optionally followed by "= score".
type QuestionInput struct {
	Kind, Prompt, Choices, Min, Max, LowLabel, HighLabel string
	Required                                             bool
}

// ParseChoices reads the answers of a choice question: one per line, with an
// optional "= N" score at the end. Without one, answers score 0, 1, 2... in
// the order written.
func ParseChoices(text string) ([]Choice, error) {
	var out []Choice
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		c := Choice{Label: line, Score: len(out)}
		if i := strings.LastIndex(line, "="); i > 0 {
			if n, err := strconv.Atoi(strings.TrimSpace(line[i+1:])); err == nil {
				if n < -100 || n > 100 {
					return nil, valid.Field("choices", "measure.question.score_range", "min", -100, "max", 100)
				}
				c.Label, c.Score = strings.TrimSpace(line[:i]), n
			}
		}
		label, fe := valid.Name("choices", c.Label, 1, 120)
		if fe != nil {
			return nil, fe
		}
		c.Label = label
		for _, o := range out {
			if strings.EqualFold(o.Label, c.Label) {
				return nil, valid.Field("choices", "measure.question.choice_twice", "choice", c.Label)
			}
		}
		out = append(out, c)
	}
	if len(out) < 2 {
		return nil, valid.Field("choices", "measure.question.choices_few")
	}
	if len(out) > MaxChoices {
		return nil, valid.Field("choices", "measure.question.choices_many", "max", MaxChoices)
	}
	return out, nil
}

func checkQuestion(in QuestionInput) (Question, error) {
	var q Question
	var fe *valid.Error
	if q.Kind, fe = valid.OneOf("kind", in.Kind, Kinds); fe != nil {
		return q, fe
	}
	if q.Prompt, fe = valid.Text("prompt", in.Prompt, 3, 300, false); fe != nil {
		return q, fe
	}
	q.Required = in.Required
	switch q.Kind {
	case KindSingle, KindMultiple:
		choices, err := ParseChoices(in.Choices)
		if err != nil {
			return q, err
		}
		q.Choices = choices
	case KindScale:
		lo, err1 := strconv.Atoi(strings.TrimSpace(in.Min))
		if err1 != nil || lo < 0 || lo > 10 {
			return q, valid.Field("scale_min", "form.number", "min", 0, "max", 10)
		}
		hi, err2 := strconv.Atoi(strings.TrimSpace(in.Max))
		if err2 != nil || hi <= lo || hi-lo > MaxScaleSpan {
			return q, valid.Field("scale_max", "measure.question.scale_max", "min", lo+1, "max", lo+MaxScaleSpan)
		}
		q.Min, q.Max = lo, hi
		low, fe := valid.Name("low_label", in.LowLabel, 0, 60)
		if fe != nil {
			return q, fe
		}
		high, fe := valid.Name("high_label", in.HighLabel, 0, 60)
		if fe != nil {
			return q, fe
		}
		if low != "" || high != "" {
			q.Choices = []Choice{{Label: low}, {Label: high}}
		}
	}
	return q, nil
}

// AddQuestion adds a question at the end of a survey.
func (s *Service) AddQuestion(ctx context.Context, surveyID int64, in QuestionInput) (int64, error) {
	sv, err := s.survey(ctx, s.db, surveyID)
	if err != nil {
		return 0, err
	}
	p, err := coordinate(ctx, sv.OrgID)
	if err != nil {
		return 0, err
	}
	if len(sv.Questions) >= MaxQuestions {
		return 0, valid.Field("prompt", "measure.question.too_many", "max", MaxQuestions)
	}
	q, err := checkQuestion(in)
	if err != nil {
		return 0, err
	}
	choices := ""
	if len(q.Choices) > 0 {
		raw, err := json.Marshal(q.Choices)
		if err != nil {
			return 0, err
		}
		choices = string(raw)
	}
	var lo, hi any
	if q.Kind == KindScale {
		lo, hi = q.Min, q.Max
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_survey_questions (survey_id, position, kind, prompt, choices, scale_min, scale_max, required)
			VALUES ($1, (SELECT COALESCE(max(position), 0) + 1 FROM outcome_survey_questions WHERE survey_id = $1), $2, $3, $4, $5, $6, $7) RETURNING id`,
			surveyID, q.Kind, q.Prompt, choices, lo, hi, q.Required).Scan(&id); err != nil {
			return fmt.Errorf("measure: add question: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE outcome_surveys SET updated_at = $1 WHERE id = $2`, s.now().UTC(), surveyID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.question.add", "survey:"+strconv.FormatInt(surveyID, 10), q.Kind)
	})
	return id, err
}

// question returns a survey and the index of one of its questions, for
// those who coordinate it.
func (s *Service) question(ctx context.Context, surveyID, questionID int64) (Survey, int, error) {
	sv, err := s.Survey(ctx, surveyID)
	if err != nil {
		return Survey{}, 0, err
	}
	for i, q := range sv.Questions {
		if q.ID == questionID {
			return sv, i, nil
		}
	}
	return Survey{}, 0, db.ErrNotFound
}

// Question returns one question of a survey, for the page that confirms its
// removal.
func (s *Service) Question(ctx context.Context, surveyID, questionID int64) (Survey, Question, error) {
	sv, i, err := s.question(ctx, surveyID, questionID)
	if err != nil {
		return Survey{}, Question{}, err
	}
	return sv, sv.Questions[i], nil
}

// MoveQuestion moves a question one place up (delta -1) or down (+1).
func (s *Service) MoveQuestion(ctx context.Context, surveyID, questionID int64, delta int) error {
	sv, i, err := s.question(ctx, surveyID, questionID)
	if err != nil {
		return err
	}
	p := caller(ctx)
	j := i + delta
	if delta != -1 && delta != 1 {
		return valid.Field("move", "form.choose")
	}
	if j < 0 || j >= len(sv.Questions) {
		return nil // already first or last
	}
	a, b := sv.Questions[i], sv.Questions[j]
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		// Positions are rewritten in order so that ties from older data vanish.
		for k, q := range sv.Questions {
			pos := k + 1
			switch q.ID {
			case a.ID:
				pos = j + 1
			case b.ID:
				pos = i + 1
			}
			if _, err := tx.Exec(ctx, `UPDATE outcome_survey_questions SET position = $1 WHERE id = $2`, pos, q.ID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE outcome_surveys SET updated_at = $1 WHERE id = $2`, s.now().UTC(), surveyID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.question.move", "survey:"+strconv.FormatInt(surveyID, 10), fmt.Sprintf("question:%d", questionID))
	})
}

// DeleteQuestion removes a question. Answers already given to it stay sealed
// in their responses (and in the members' own downloads) but are no longer
// shown. The last question of a survey that plans or rounds ask cannot go:
// an empty survey cannot be answered.
func (s *Service) DeleteQuestion(ctx context.Context, surveyID, questionID int64) error {
	sv, _, err := s.question(ctx, surveyID, questionID)
	if err != nil {
		return err
	}
	if len(sv.Questions) == 1 && sv.Uses > 0 {
		return valid.Field("question", "measure.question.last_in_use")
	}
	p := caller(ctx)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM outcome_survey_questions WHERE id = $1 AND survey_id = $2`, questionID, surveyID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE outcome_surveys SET updated_at = $1 WHERE id = $2`, s.now().UTC(), surveyID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.question.delete", "survey:"+strconv.FormatInt(surveyID, 10), fmt.Sprintf("question:%d", questionID))
	})
}

// usableSurvey checks that a survey of the organisation can be asked.
func (s *Service) usableSurvey(ctx context.Context, q db.Querier, orgID, id int64, field string) (Survey, error) {
	sv, err := s.survey(ctx, q, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && sv.OrgID != orgID) {
		return Survey{}, valid.Field(field, "form.choose")
	}
	if err != nil {
		return Survey{}, err
	}
	if sv.Archived {
		return Survey{}, valid.Field(field, "measure.survey.archived", "survey", sv.Title)
	}
	if len(sv.Questions) == 0 {
		return Survey{}, valid.Field(field, "measure.survey.empty", "survey", sv.Title)
	}
	return sv, nil
}
