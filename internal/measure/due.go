package measure

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
)

// Due is one questionnaire asked of one member.
type Due struct {
	ID          int64
	UserID      int64
	GroupID     int64
	OrgID       int64
	GroupName   string
	StepID      int64
	RoundID     int64
	Instrument  string // an instrument code, or "" for a survey
	SurveyID    int64
	SurveyTitle string
	RoundTitle  string
	Timepoint   string // Baseline, Followup, Leaving or Feedback
	DueAt       time.Time
	ClosesAt    *time.Time // a round's end
	DoneAt      *time.Time
	ResponseID  int64
	Open        bool // still asked now
}

// Inst returns the due instrument, or nil for a survey.
func (d Due) Inst() *outcomes.Instrument {
	in, _ := outcomes.Lookup(d.Instrument)
	return in
}

// LastDay is the last day a round's questionnaire may be answered.
func (d Due) LastDay() time.Time {
	if d.ClosesAt == nil {
		return time.Time{}
	}
	return d.ClosesAt.Add(-time.Second)
}

func dueColumns(at string) string {
	return `d.id, d.user_id, d.group_id, g.org_id, g.name, COALESCE(d.step_id, 0), COALESCE(d.round_id, 0),
	COALESCE(st.instrument, ''), COALESCE(st.survey_id, r.survey_id, 0), COALESCE(sv.title, ''), COALESCE(r.title, ''),
	COALESCE(st.timepoint, 'feedback'), d.due_at, r.closes_at, d.done_at, COALESCE(d.response_id, 0),
	CASE WHEN ` + openDue(at) + ` THEN 1 ELSE 0 END
	FROM outcome_due d JOIN support_groups g ON g.id = d.group_id
	LEFT JOIN outcome_plan_steps st ON st.id = d.step_id
	LEFT JOIN outcome_feedback_rounds r ON r.id = d.round_id
	LEFT JOIN outcome_surveys sv ON sv.id = COALESCE(st.survey_id, r.survey_id)`
}

func scanDue(row interface{ Scan(...any) error }) (Due, error) {
	var d Due
	var open int
	err := row.Scan(&d.ID, &d.UserID, &d.GroupID, &d.OrgID, &d.GroupName, &d.StepID, &d.RoundID, &d.Instrument, &d.SurveyID,
		&d.SurveyTitle, &d.RoundTitle, &d.Timepoint, &d.DueAt, &d.ClosesAt, &d.DoneAt, &d.ResponseID, &open)
	d.Open = open == 1
	return d, err
}

// myDue returns one of the caller's questionnaires; someone else's does not
// exist for them.
func (s *Service) myDue(ctx context.Context, q db.Querier, id int64) (*auth.Principal, Due, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, Due{}, err
	}
	d, err := scanDue(q.QueryRow(ctx, `SELECT `+dueColumns("$2")+` WHERE d.id = $1`, id, s.now().UTC()))
	if err != nil {
		return nil, Due{}, fmt.Errorf("measure: due %d: %w", id, err)
	}
	if d.UserID != p.UserID {
		return nil, Due{}, db.ErrNotFound
	}
	return p, d, nil
}

// Mine is what the member's questionnaire page lists.
type Mine struct {
	Open    []Due     // to answer now
	Done    []Due     // answered, latest first
	History []Summary // their own results per instrument
}

// Summary is a member's results on one instrument.
type Summary struct {
	Instrument string
	Count      int
	Last       Point
}

// OpenDue creates whatever has become due for the caller and lists the
// questionnaires they may answer now, oldest first.
func (s *Service) OpenDue(ctx context.Context) ([]Due, error) {
	if err := s.EnsureMine(ctx); err != nil {
		return nil, err
	}
	p := caller(ctx)
	rows, err := s.db.Query(ctx, `SELECT `+dueColumns("$2")+` WHERE d.user_id = $1 AND `+openDue("$2")+`
		ORDER BY d.due_at, d.id LIMIT 50`, p.UserID, s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("measure: my questionnaires: %w", err)
	}
	defer rows.Close()
	var out []Due
	for rows.Next() {
		d, err := scanDue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// MyQuestionnaires lists the caller's open and answered questionnaires and
// their results, after creating whatever has become due for them.
func (s *Service) MyQuestionnaires(ctx context.Context) (Mine, error) {
	open, err := s.OpenDue(ctx)
	if err != nil {
		return Mine{}, err
	}
	p := caller(ctx)
	now := s.now().UTC()
	m := Mine{Open: open}
	rows, err := s.db.Query(ctx, `SELECT `+dueColumns("$2")+` WHERE d.user_id = $1 AND d.done_at IS NOT NULL
		ORDER BY d.done_at DESC, d.id DESC LIMIT 20`, p.UserID, now)
	if err != nil {
		return Mine{}, fmt.Errorf("measure: my answered questionnaires: %w", err)
	}
	for rows.Next() {
		d, err := scanDue(rows)
		if err != nil {
			rows.Close()
			return Mine{}, err
		}
		m.Done = append(m.Done, d)
	}
	rows.Close()
	m.History, err = s.summaries(ctx, p.UserID)
	return m, err
}
