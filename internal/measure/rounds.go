package measure

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// MaxRoundDays is the longest a feedback round stays open.
const MaxRoundDays = 120

// Round is a feedback round: a survey asked of the members of a group, or of
// a plan's groups, between two dates.
type Round struct {
	ID          int64
	OrgID       int64
	GroupID     int64
	PlanID      int64
	Target      string // the group's or the plan's name
	SurveyID    int64
	SurveyTitle string
	Title       string
	OpensAt     time.Time
	ClosesAt    time.Time // the first moment it is closed
	Due, Done   int
}

// State is "upcoming", "open" or "closed" at now.
func (r Round) State(now time.Time) string {
	switch {
	case now.Before(r.OpensAt):
		return "upcoming"
	case now.Before(r.ClosesAt):
		return "open"
	}
	return "closed"
}

// LastDay is the last day members may answer (the day before ClosesAt,
// which is a midnight).
func (r Round) LastDay() time.Time { return r.ClosesAt.Add(-time.Second) }

// RoundInput is the form that opens a round: Target is "group:ID" or
// "plan:ID"; Opens and Closes are dates (YYYY-MM-DD), both days included.
type RoundInput struct {
	Title, Survey, Target, Opens, Closes string
}

// OpenRound opens a feedback round in an organisation the caller coordinates.
func (s *Service) OpenRound(ctx context.Context, orgID int64, in RoundInput) (int64, error) {
	p, err := coordinate(ctx, orgID)
	if err != nil {
		return 0, err
	}
	title, fe := valid.Name("title", in.Title, 3, 120)
	if fe != nil {
		return 0, fe
	}
	sid, err := strconv.ParseInt(strings.TrimSpace(in.Survey), 10, 64)
	if err != nil {
		return 0, valid.Field("survey", "form.required")
	}
	if _, err := s.usableSurvey(ctx, s.db, orgID, sid, "survey"); err != nil {
		return 0, err
	}
	var group, plan any
	kind, ref, _ := strings.Cut(in.Target, ":")
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return 0, valid.Field("target", "form.required")
	}
	var owner int64
	switch kind {
	case "group":
		err = s.db.QueryRow(ctx, `SELECT org_id FROM support_groups WHERE id = $1`, id).Scan(&owner)
		group = id
	case "plan":
		err = s.db.QueryRow(ctx, `SELECT org_id FROM outcome_plans WHERE id = $1`, id).Scan(&owner)
		plan = id
	default:
		return 0, valid.Field("target", "form.required")
	}
	if errors.Is(err, db.ErrNotFound) || (err == nil && owner != orgID) {
		return 0, valid.Field("target", "form.choose")
	}
	if err != nil {
		return 0, err
	}
	zone := s.Zone
	if zone == nil {
		zone = time.UTC
	}
	opens, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.Opens), zone)
	if err != nil {
		return 0, valid.Field("opens", "measure.round.bad_date")
	}
	last, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.Closes), zone)
	if err != nil {
		return 0, valid.Field("closes", "measure.round.bad_date")
	}
	closes := last.AddDate(0, 0, 1)
	now := s.now()
	if !closes.After(now) {
		return 0, valid.Field("closes", "measure.round.closes_past")
	}
	if last.Before(opens) {
		return 0, valid.Field("closes", "measure.round.closes_before_opens")
	}
	if closes.Sub(opens) > MaxRoundDays*24*time.Hour {
		return 0, valid.Field("closes", "measure.round.too_long", "days", MaxRoundDays)
	}
	var rid int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO outcome_feedback_rounds (org_id, group_id, plan_id, survey_id, title, opens_at, closes_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, orgID, group, plan, sid, title, opens.UTC(), closes.UTC(), author(p), now.UTC()).Scan(&rid); err != nil {
			return fmt.Errorf("measure: open round: %w", err)
		}
		return s.record(ctx, tx, p, "measure.round.open", "round:"+strconv.FormatInt(rid, 10), fmt.Sprintf("org:%d survey:%d", orgID, sid))
	})
	return rid, err
}

const roundColumns = `r.id, r.org_id, COALESCE(r.group_id, 0), COALESCE(r.plan_id, 0), COALESCE(g.name, pl.name, ''), r.survey_id, sv.title,
	r.title, r.opens_at, r.closes_at,
	(SELECT count(*) FROM outcome_due d WHERE d.round_id = r.id),
	(SELECT count(*) FROM outcome_due d WHERE d.round_id = r.id AND d.done_at IS NOT NULL)
	FROM outcome_feedback_rounds r JOIN outcome_surveys sv ON sv.id = r.survey_id
	LEFT JOIN support_groups g ON g.id = r.group_id LEFT JOIN outcome_plans pl ON pl.id = r.plan_id`

func scanRound(row interface{ Scan(...any) error }) (Round, error) {
	var r Round
	err := row.Scan(&r.ID, &r.OrgID, &r.GroupID, &r.PlanID, &r.Target, &r.SurveyID, &r.SurveyTitle, &r.Title, &r.OpensAt, &r.ClosesAt,
		&r.Due, &r.Done)
	return r, err
}

// Rounds lists an organisation's feedback rounds, latest first.
func (s *Service) Rounds(ctx context.Context, orgID int64) ([]Round, error) {
	if _, err := coordinate(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+roundColumns+` WHERE r.org_id = $1 ORDER BY r.closes_at DESC, r.id DESC LIMIT 100`, orgID)
	if err != nil {
		return nil, fmt.Errorf("measure: rounds: %w", err)
	}
	defer rows.Close()
	var out []Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CloseRound ends a round now; what was not answered is no longer asked.
func (s *Service) CloseRound(ctx context.Context, id int64) (int64, error) {
	r, err := scanRound(s.db.QueryRow(ctx, `SELECT `+roundColumns+` WHERE r.id = $1`, id))
	if err != nil {
		return 0, err
	}
	p, err := coordinate(ctx, r.OrgID)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	if !now.Before(r.ClosesAt) {
		return r.OrgID, nil
	}
	return r.OrgID, s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outcome_feedback_rounds SET closes_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE outcome_due SET skipped_at = $1 WHERE round_id = $2 AND done_at IS NULL AND skipped_at IS NULL`, now, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "measure.round.close", "round:"+strconv.FormatInt(id, 10), "")
	})
}
