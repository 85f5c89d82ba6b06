package measure

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
)

// PrivacyPart is measure's share of a person's data (see package privacy):
// their questionnaire answers (opened), what they were asked, and their
// research profile.
type PrivacyPart struct{ S *Service }

// Name is the section key.
func (PrivacyPart) Name() string { return "questionnaires" }

type answerExport struct {
	Question string `json:"questionnaire_question"`
	Answer   string `json:"questionnaire_answer"`
}

type responseExport struct {
	Questionnaire string         `json:"questionnaire"`
	Group         string         `json:"group"`
	Timepoint     string         `json:"questionnaire_timepoint"`
	Language      string         `json:"language"`
	Total         *float64       `json:"questionnaire_total"`
	Band          string         `json:"questionnaire_band"`
	At            time.Time      `json:"questionnaire_answered_at"`
	Answers       []answerExport `json:"questionnaire_answers"`
}

type dueExport struct {
	Questionnaire string     `json:"questionnaire"`
	Group         string     `json:"group"`
	Timepoint     string     `json:"questionnaire_timepoint"`
	DueAt         time.Time  `json:"questionnaire_due_at"`
	DoneAt        *time.Time `json:"questionnaire_done_at"`
}

type profileExport struct {
	BirthYear *int      `json:"research_birth_year"`
	Gender    string    `json:"research_gender"`
	Region    string    `json:"research_region"`
	UpdatedAt time.Time `json:"research_updated_at"`
}

type measureExport struct {
	Responses []responseExport `json:"questionnaire_responses"`
	Asked     []dueExport      `json:"questionnaires_asked"`
	Profile   *profileExport   `json:"research_profile"`
}

// Export returns the person's responses with their answers opened, the
// questionnaires they were asked, and their research profile.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := measureExport{Responses: []responseExport{}, Asked: []dueExport{}}
	rows, err := q.Query(ctx, `SELECT r.id, r.instrument, COALESCE(r.survey_id, 0), COALESCE(sv.title, ''), COALESCE(g.name, ''), r.timepoint,
		r.language, r.total, r.band, r.completed_at, r.answers_sealed
		FROM outcome_responses r LEFT JOIN outcome_surveys sv ON sv.id = r.survey_id LEFT JOIN support_groups g ON g.id = r.group_id
		WHERE r.user_id = $1 ORDER BY r.completed_at, r.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("measure: export responses: %w", err)
	}
	type sealedRow struct {
		id, survey int64
		instrument string
		sealed     string
		e          responseExport
	}
	var list []sealedRow
	for rows.Next() {
		var r sealedRow
		if err := rows.Scan(&r.id, &r.instrument, &r.survey, &r.e.Questionnaire, &r.e.Group, &r.e.Timepoint, &r.e.Language,
			&r.e.Total, &r.e.Band, &r.e.At, &r.sealed); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	surveys := map[int64]Survey{}
	for _, r := range list {
		a, err := OpenAnswers(pp.S.secrets, r.id, r.sealed)
		if err != nil {
			return nil, err
		}
		r.e.Answers = []answerExport{}
		if in, ok := outcomes.Lookup(r.instrument); ok {
			r.e.Questionnaire = in.Name.In(r.e.Language)
			r.e.Answers = instrumentExport(in, r.e.Language, a.Items)
		} else if r.survey != 0 {
			sv, ok := surveys[r.survey]
			if !ok {
				if sv, err = pp.S.survey(ctx, q, r.survey); err != nil {
					return nil, err
				}
				surveys[r.survey] = sv
			}
			r.e.Answers = surveyExport(sv, a.Survey)
		}
		out.Responses = append(out.Responses, r.e)
	}
	rows, err = q.Query(ctx, `SELECT COALESCE(st.instrument, ''), COALESCE(sv.title, ''), g.name, COALESCE(st.timepoint, 'feedback'), d.due_at, d.done_at
		FROM outcome_due d JOIN support_groups g ON g.id = d.group_id
		LEFT JOIN outcome_plan_steps st ON st.id = d.step_id LEFT JOIN outcome_feedback_rounds r ON r.id = d.round_id
		LEFT JOIN outcome_surveys sv ON sv.id = COALESCE(st.survey_id, r.survey_id)
		WHERE d.user_id = $1 ORDER BY d.due_at, d.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("measure: export due: %w", err)
	}
	for rows.Next() {
		var d dueExport
		var code string
		if err := rows.Scan(&code, &d.Questionnaire, &d.Group, &d.Timepoint, &d.DueAt, &d.DoneAt); err != nil {
			rows.Close()
			return nil, err
		}
		if in, ok := outcomes.Lookup(code); ok {
			d.Questionnaire = in.Name.In("en")
		}
		out.Asked = append(out.Asked, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var pr profileExport
	err = q.QueryRow(ctx, `SELECT birth_year, gender, region, updated_at FROM outcome_profiles WHERE user_id = $1`, userID).
		Scan(&pr.BirthYear, &pr.Gender, &pr.Region, &pr.UpdatedAt)
	if err == nil {
		out.Profile = &pr
	} else if !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	return out, nil
}

// instrumentExport pairs each item's wording with the answer given, in the
// language it was answered in.
func instrumentExport(in *outcomes.Instrument, lang string, items []int) []answerExport {
	out := []answerExport{}
	for i, v := range items {
		if i >= len(in.Items) {
			break
		}
		a := answerExport{Question: in.Items[i].Text.In(lang), Answer: "-"}
		for _, c := range in.ChoicesOf(i) {
			if c.Value == v {
				a.Answer = c.Label.In(lang)
			}
		}
		out = append(out, a)
	}
	return out
}

// surveyExport pairs each answered survey question with the answer given;
// answers to questions since removed keep their number.
func surveyExport(sv Survey, answers []SurveyAnswer) []answerExport {
	out := []answerExport{}
	byID := map[int64]Question{}
	for _, q := range sv.Questions {
		byID[q.ID] = q
	}
	for _, a := range answers {
		q, ok := byID[a.Question]
		e := answerExport{Question: fmt.Sprintf("#%d", a.Question), Answer: a.Text}
		if ok {
			e.Question = q.Prompt
			var parts []string
			for _, v := range a.Values {
				if q.Kind == KindScale {
					parts = append(parts, fmt.Sprint(v))
				} else if v >= 0 && v < len(q.Choices) {
					parts = append(parts, q.Choices[v].Label)
				}
			}
			if len(parts) > 0 {
				e.Answer = strings.Join(parts, "; ")
			}
		} else if len(a.Values) > 0 {
			e.Answer = fmt.Sprint(a.Values)
		}
		out = append(out, e)
	}
	return out
}

// Erase removes the person's responses (their answers with them), what they
// were asked, and their research profile; surveys, plans and rounds they
// wrote as a coordinator stay with the organisation, without their name.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`DELETE FROM outcome_due WHERE user_id = $1`,
		`UPDATE outcome_responses SET baseline_id = NULL WHERE user_id = $1`,
		`DELETE FROM outcome_responses WHERE user_id = $1`,
		`DELETE FROM outcome_profiles WHERE user_id = $1`,
		`UPDATE outcome_surveys SET created_by = NULL WHERE created_by = $1`,
		`UPDATE outcome_plans SET created_by = NULL WHERE created_by = $1`,
		`UPDATE outcome_feedback_rounds SET created_by = NULL WHERE created_by = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("measure: erase: %w", err)
		}
	}
	return nil
}
