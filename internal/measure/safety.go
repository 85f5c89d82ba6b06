package measure

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/outcomes"
)

// Safety levels, as the safety feature names them.
const (
	LevelConcern = "concern"
	LevelCrisis  = "crisis"
)

// ReasonSafetyItem is the escalation reason of an answer to a questionnaire's
// safety item (PHQ-9 item 9).
const ReasonSafetyItem = "questionnaire_item"

// escalation is one reason to open the safety path for a response.
type escalation struct {
	level, text string
	reasons     []string
}

// SafetyLevel is how urgently the safety staff should reach out after an
// answer to a safety item: "Several days" (the lowest code above none) is a
// concern, followed up within a day; "More than half the days" or "Nearly
// every day" is a crisis, followed up within the hour.
func SafetyLevel(choices []outcomes.Choice, v int) string {
	var values []int
	for _, c := range choices {
		values = append(values, c.Value)
	}
	sort.Ints(values)
	rank := 0
	for i, x := range values {
		if x == v {
			rank = i
		}
	}
	switch {
	case rank <= 0:
		return ""
	case rank == 1:
		return LevelConcern
	}
	return LevelCrisis
}

// SafetyText is what the safety staff read about a safety item's answer:
// the question's number and the answer given, in English and Indonesian,
// and nothing of the other answers.
func SafetyText(in *outcomes.Instrument, item, v int) string {
	label := outcomes.Text{}
	for _, c := range in.ChoicesOf(item) {
		if c.Value == v {
			label = c.Label
		}
	}
	return fmt.Sprintf("%s, question %d, answered: %s\n%s, pertanyaan %d, dijawab: %s",
		in.Name.In("en"), item+1, label.In("en"), in.Name.In("id"), item+1, label.In("id"))
}

// escalations lists what in a response calls for the safety path: an answer
// above the lowest on a safety item, whatever the total; crisis or concern
// words in a written survey answer.
func (s *Service) escalations(ctx context.Context, instrument string, sv *Survey, a Answers) ([]escalation, error) {
	var out []escalation
	if in, ok := outcomes.Lookup(instrument); ok {
		for i, it := range in.Items {
			if !it.Safety || i >= len(a.Items) || a.Items[i] == outcomes.Missing {
				continue
			}
			if level := SafetyLevel(in.ChoicesOf(i), a.Items[i]); level != "" {
				out = append(out, escalation{level: level, text: SafetyText(in, i, a.Items[i]), reasons: []string{ReasonSafetyItem}})
			}
		}
	}
	if s.Safety == nil || sv == nil {
		return out, nil
	}
	for _, ans := range a.Survey {
		if ans.Text == "" {
			continue
		}
		level, reasons, err := s.Safety.Screen(ctx, ans.Text)
		if err != nil {
			return nil, err
		}
		if level == LevelConcern || level == LevelCrisis {
			out = append(out, escalation{level: level, text: ans.Text, reasons: reasons})
		}
	}
	return out, nil
}

// safetyPath opens an escalation for each reason a fresh response gives, and
// reports whether the member should see the help card. When opening one
// fails, a job tries again from the sealed answers; the member still sees
// the help card.
func (s *Service) safetyPath(ctx context.Context, d Due, q Questionnaire, a Answers, out Outcome) (bool, error) {
	esc, err := s.escalations(ctx, d.Instrument, q.Survey, a)
	if err != nil || len(esc) == 0 {
		return len(esc) > 0, err
	}
	if s.Safety == nil {
		return true, nil
	}
	for _, e := range esc {
		if _, err := s.Safety.Escalate(ctx, d.UserID, d.GroupID, e.level, e.text, e.reasons); err != nil {
			if s.Messaging == nil || s.Messaging.Jobs == nil {
				return true, err
			}
			if err := s.Messaging.Jobs.Enqueue(ctx, nil, JobEscalate, escalateJob{ResponseID: out.ResponseID}, s.now(),
				fmt.Sprintf("measure.escalate:%d", out.ResponseID)); err != nil {
				return true, err
			}
			break
		}
	}
	return true, nil
}

type escalateJob struct {
	ResponseID int64 `json:"response_id"`
}

// Escalate is the JobEscalate handler: it opens the safety path for a stored
// response whose escalation could not be opened when it was submitted.
func (s *Service) Escalate(ctx context.Context, payload []byte) error {
	if s.Safety == nil {
		return nil
	}
	var j escalateJob
	if err := json.Unmarshal(payload, &j); err != nil {
		return err
	}
	var user, group, survey int64
	var instrument, sealed string
	err := s.db.QueryRow(ctx, `SELECT user_id, COALESCE(group_id, 0), instrument, COALESCE(survey_id, 0), answers_sealed
		FROM outcome_responses WHERE id = $1`, j.ResponseID).Scan(&user, &group, &instrument, &survey, &sealed)
	if err != nil || group == 0 {
		return nil // erased, or its group is gone: nobody left to alert about it
	}
	a, err := OpenAnswers(s.secrets, j.ResponseID, sealed)
	if err != nil {
		return err
	}
	// Someone's answers were opened by the system: that read is recorded too.
	if err := s.audit.Record(ctx, nil, audit.Entry{ActorName: "system", Action: "measure.answers.read",
		Target: fmt.Sprintf("response:%d", j.ResponseID), Detail: "safety path retried"}); err != nil {
		return err
	}
	var sv *Survey
	if survey != 0 {
		v, err := s.survey(ctx, s.db, survey)
		if err != nil {
			return err
		}
		sv = &v
	}
	sys := auth.System(ctx)
	esc, err := s.escalations(sys, instrument, sv, a)
	if err != nil {
		return err
	}
	for _, e := range esc {
		if _, err := s.Safety.Escalate(sys, user, group, e.level, e.text, e.reasons); err != nil {
			return err
		}
	}
	return nil
}
