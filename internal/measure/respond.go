package measure

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
	"github.com/rangkul/rangkul/internal/valid"
)

// Problems are the field errors of a questionnaire: every unanswered or
// impossible answer at once, so the member sees them all beside their
// questions.
type Problems []*valid.Error

func (p Problems) Error() string {
	parts := make([]string, len(p))
	for i, e := range p {
		parts[i] = e.Error()
	}
	return "measure: " + strings.Join(parts, "; ")
}

// ItemField is the form field of an instrument's item i (0-based).
func ItemField(i int) string { return "i" + strconv.Itoa(i+1) }

// QuestionField is the form field of a survey question.
func QuestionField(id int64) string { return "q" + strconv.FormatInt(id, 10) }

// Questionnaire is one due questionnaire as its page shows it.
type Questionnaire struct {
	Due        Due
	Instrument *outcomes.Instrument // nil for a survey
	Survey     *Survey
	Lang       string // the language of the wording shown
	Blocked    string // a translation key saying why it cannot be answered now, or ""
}

// Count is the number of questions.
func (q Questionnaire) Count() int {
	if q.Instrument != nil {
		return len(q.Instrument.Items)
	}
	if q.Survey != nil {
		return len(q.Survey.Questions)
	}
	return 0
}

// wordingLang is the language an instrument is shown in for a reader of
// lang: theirs when the instrument has wording in it, else English.
func wordingLang(in *outcomes.Instrument, lang string) string {
	if _, ok := in.Wording[lang]; ok {
		return lang
	}
	return "en"
}

// Questionnaire returns one of the caller's questionnaires for its page, in
// lang where the instrument has that language.
func (s *Service) Questionnaire(ctx context.Context, id int64, lang string) (Questionnaire, error) {
	_, d, err := s.myDue(ctx, s.db, id)
	if err != nil {
		return Questionnaire{}, err
	}
	q := Questionnaire{Due: d, Lang: lang}
	if d.Instrument != "" {
		in, ok := outcomes.Lookup(d.Instrument)
		if !ok {
			return Questionnaire{}, fmt.Errorf("measure: due %d names unknown instrument %q", id, d.Instrument)
		}
		q.Instrument, q.Lang = in, wordingLang(in, lang)
	} else {
		sv, err := s.survey(ctx, s.db, d.SurveyID)
		if err != nil {
			return Questionnaire{}, err
		}
		q.Survey = &sv
	}
	q.Blocked, err = s.blocked(ctx, d, q)
	return q, err
}

// blocked says why a questionnaire cannot be answered now, as a translation
// key, or "" when it can.
func (s *Service) blocked(ctx context.Context, d Due, q Questionnaire) (string, error) {
	switch {
	case d.DoneAt != nil:
		return "measure.due.done", nil
	case !d.Open:
		return "measure.due.closed", nil
	case q.Survey != nil && len(q.Survey.Questions) == 0:
		return "measure.survey.no_questions", nil
	}
	if d.Timepoint == Followup || d.Timepoint == Leaving {
		b, err := s.baselineOf(ctx, s.db, d)
		if err != nil {
			return "", err
		}
		if b == 0 {
			return "measure.due.before_baseline", nil
		}
	}
	return "", nil
}

// baselineOf returns the baseline response a follow-up or leaving response
// is compared with: the person's latest baseline of the same questionnaire
// in the same group, or 0 when there is none.
func (s *Service) baselineOf(ctx context.Context, q db.Querier, d Due) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM outcome_responses WHERE user_id = $1 AND group_id = $2 AND instrument = $3
		AND COALESCE(survey_id, 0) = $4 AND timepoint = 'baseline' ORDER BY completed_at DESC, id DESC LIMIT 1`,
		d.UserID, d.GroupID, d.Instrument, d.SurveyID).Scan(&id)
	if errors.Is(err, db.ErrNotFound) {
		return 0, nil
	}
	return id, err
}

// Outcome is what became of a submitted questionnaire.
type Outcome struct {
	ResponseID int64
	Instrument string
	Result     outcomes.Result
	Scored     bool // a total was computed
	Help       bool // the answers call for the help card at once
}

// instrumentAnswers reads an instrument's answers from the form: every item
// in order, Missing where none was chosen, and every problem the instrument
// finds (unanswered items that need an answer, impossible codes).
func instrumentAnswers(in *outcomes.Instrument, form map[string][]string) ([]int, error) {
	answers := make([]int, len(in.Items))
	var probs Problems
	for i := range in.Items {
		answers[i] = outcomes.Missing
		vs := form[ItemField(i)]
		if len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err != nil || v == outcomes.Missing || len(vs) > 1 {
			probs = append(probs, valid.Field(ItemField(i), "measure.answer.out_of_range", "n", i+1))
			answers[i] = in.ChoicesOf(i)[0].Value // reported above; a valid code keeps the other checks quiet
			continue
		}
		answers[i] = v
	}
	for _, pr := range in.Problems(answers) {
		key := "measure.answer.out_of_range"
		if pr.Reason == outcomes.ReasonMissing {
			key = "measure.answer.missing"
		}
		field := ItemField(pr.Item - 1)
		if pr.Item == 0 { // the answer count; cannot happen with one slot per item
			field = ItemField(0)
		}
		probs = append(probs, valid.Field(field, key, "n", max(pr.Item, 1)))
	}
	if len(probs) > 0 {
		sort.SliceStable(probs, func(a, b int) bool { return fieldOrder(probs[a].Field) < fieldOrder(probs[b].Field) })
		return nil, probs
	}
	return answers, nil
}

func fieldOrder(f string) int {
	n, _ := strconv.Atoi(f[1:])
	return n
}

// surveyAnswers reads a custom survey's answers from the form and scores
// them when the survey is scored: the chosen answers' scores and the scale
// points, summed.
func surveyAnswers(sv *Survey, form map[string][]string) ([]SurveyAnswer, *float64, error) {
	var out []SurveyAnswer
	var probs Problems
	total := 0
	for n, q := range sv.Questions {
		field := QuestionField(q.ID)
		var raw []string
		for _, v := range form[field] {
			if v = strings.TrimSpace(v); v != "" {
				raw = append(raw, v)
			}
		}
		a := SurveyAnswer{Question: q.ID}
		bad := func(key string) { probs = append(probs, valid.Field(field, key, "n", n+1)) }
		switch q.Kind {
		case KindText:
			text, fe := valid.Text(field, strings.Join(form[field], "\n"), 0, MaxTextAnswer, true)
			if fe != nil {
				fe.Args = append(fe.Args, "n", n+1)
				probs = append(probs, fe)
				continue
			}
			if text == "" && q.Required {
				bad("measure.answer.missing")
				continue
			}
			a.Text = text
		default:
			if len(raw) == 0 {
				if q.Required {
					bad("measure.answer.missing")
				}
				continue
			}
			if q.Kind != KindMultiple && len(raw) > 1 {
				bad("measure.answer.out_of_range")
				continue
			}
			seen := map[int]bool{}
			ok := true
			for _, r := range raw {
				v, err := strconv.Atoi(r)
				switch {
				case err != nil, seen[v]:
					ok = false
				case q.Kind == KindScale && (v < q.Min || v > q.Max):
					ok = false
				case q.Kind != KindScale && (v < 0 || v >= len(q.Choices)):
					ok = false
				}
				if !ok {
					break
				}
				seen[v] = true
				a.Values = append(a.Values, v)
				if q.Kind == KindScale {
					total += v
				} else {
					total += q.Choices[v].Score
				}
			}
			if !ok {
				bad("measure.answer.out_of_range")
				continue
			}
		}
		if a.Text != "" || len(a.Values) > 0 {
			out = append(out, a)
		}
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	if !sv.Scored {
		return out, nil, nil
	}
	t := float64(total)
	return out, &t, nil
}

// Submit scores and stores the caller's answers to one of their due
// questionnaires. Nothing is stored when any answer is missing or impossible
// (Problems), when the questionnaire is no longer asked, or when a follow-up
// comes before its baseline. The answers are sealed to the new response in
// the same transaction that creates it and marks the questionnaire answered.
// A safety flag (PHQ-9 item 9 above "not at all") or crisis words in a
// written answer open the safety path.
func (s *Service) Submit(ctx context.Context, id int64, lang string, form map[string][]string) (Outcome, error) {
	q, err := s.Questionnaire(ctx, id, lang)
	if err != nil {
		return Outcome{}, err
	}
	if q.Blocked != "" {
		return Outcome{}, valid.Field("questionnaire", q.Blocked)
	}
	d := q.Due
	var answers Answers
	var total *float64
	out := Outcome{Instrument: d.Instrument}
	if q.Instrument != nil {
		items, err := instrumentAnswers(q.Instrument, form)
		if err != nil {
			return Outcome{}, err
		}
		res, err := q.Instrument.Score(items)
		if err != nil { // Problems found nothing, so this is a broken instrument
			return Outcome{}, fmt.Errorf("measure: score %s: %w", d.Instrument, err)
		}
		answers.Items, out.Result, out.Scored = items, res, true
		total = &res.Total
	} else {
		sa, t, err := surveyAnswers(q.Survey, form)
		if err != nil {
			return Outcome{}, err
		}
		answers.Survey, total = sa, t
		out.Scored = t != nil
		if t != nil {
			out.Result.Total = *t
		}
	}
	now := s.now().UTC()
	var survey, step, round any
	if d.SurveyID != 0 {
		survey = d.SurveyID
	}
	if d.StepID != 0 {
		step = d.StepID
	}
	if d.RoundID != 0 {
		round = d.RoundID
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var baseline any
		if d.Timepoint == Followup || d.Timepoint == Leaving {
			b, err := s.baselineOf(ctx, tx, d)
			if err != nil {
				return err
			}
			if b == 0 {
				return valid.Field("questionnaire", "measure.due.before_baseline")
			}
			baseline = b
		}
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_responses (user_id, org_id, group_id, instrument, survey_id, step_id, round_id,
			timepoint, language, total, band, flags, answers_sealed, baseline_id, completed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', $13, $14) RETURNING id`,
			d.UserID, d.OrgID, d.GroupID, d.Instrument, survey, step, round, d.Timepoint, q.Lang, total, out.Result.Band,
			strings.Join(out.Result.Flags, " "), baseline, now).Scan(&out.ResponseID); err != nil {
			return fmt.Errorf("measure: store response: %w", err)
		}
		sealed, err := SealAnswers(s.secrets, out.ResponseID, answers)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE outcome_responses SET answers_sealed = $1 WHERE id = $2`, sealed, out.ResponseID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE outcome_due SET done_at = $1, response_id = $2 WHERE id = $3 AND done_at IS NULL`, now, out.ResponseID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return valid.Field("questionnaire", "measure.due.done") // answered meanwhile, e.g. in another tab
		}
		return nil
	})
	if err != nil {
		return Outcome{}, err
	}
	out.Help, err = s.safetyPath(ctx, d, q, answers, out)
	return out, err
}
