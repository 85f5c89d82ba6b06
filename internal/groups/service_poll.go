package groups

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Answers a member can give to a proposed time.
var Answers = []string{"yes", "maybe", "no"}

// Poll is an availability poll with its tallies.
type Poll struct {
	ID        int64
	GroupID   int64
	Title     string
	Minutes   int
	Closed    bool
	SessionID int64
	Options   []PollOption
	Answered  int // members who answered
	zone      *time.Location
}

// Local returns t in the deployment's zone, for display.
func (p Poll) Local(t time.Time) time.Time {
	if p.zone == nil {
		return t
	}
	return t.In(p.zone)
}

// PollOption is one proposed time.
type PollOption struct {
	ID    int64
	Start time.Time
	Yes   int
	Maybe int
	No    int
	Mine  string // the viewer's answer
	Best  bool   // most yes (then if-need-be) answers
}

// PollInput is the form proposing times: dates and times line by line.
type PollInput struct {
	Title   string
	Minutes string
	Times   []string // "YYYY-MM-DD HH:MM"
}

// CreatePoll proposes two to ten times to a group's members.
func (s *Service) CreatePoll(ctx context.Context, groupID int64, in PollInput) (int64, error) {
	p, _, err := s.manage(ctx, groupID)
	if err != nil {
		return 0, err
	}
	title, fe := valid.Name("title", in.Title, 3, 100)
	if fe != nil {
		return 0, fe
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(in.Minutes))
	if err != nil || minutes < 15 || minutes > 480 {
		return 0, valid.Field("minutes", "form.number", "min", 15, "max", 480)
	}
	seen := map[int64]bool{}
	var starts []time.Time
	for _, raw := range in.Times {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02 15:04", raw, s.zone())
		if err != nil {
			return 0, valid.Field("times", "polls.bad_time", "line", raw)
		}
		if !t.After(s.now()) {
			return 0, valid.Field("times", "sessions.in_past")
		}
		if !seen[t.Unix()] {
			seen[t.Unix()] = true
			starts = append(starts, t.UTC())
		}
	}
	if len(starts) < 2 || len(starts) > 10 {
		return 0, valid.Field("times", "polls.count")
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO polls (group_id, title, minutes, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			groupID, title, minutes, s.now().UTC()).Scan(&id); err != nil {
			return err
		}
		for _, t := range starts {
			if _, err := tx.Exec(ctx, `INSERT INTO poll_options (poll_id, starts_at) VALUES ($1, $2)`, id, t); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, p, "groups.poll.create", groupID, fmt.Sprintf("poll:%d", id))
	})
	return id, err
}

// pollView checks that the caller belongs to or manages the group.
func (s *Service) pollView(ctx context.Context, groupID int64) (*auth.Principal, View, error) {
	return s.board(ctx, groupID)
}

// Poll returns a poll with its tallies and the caller's answers.
func (s *Service) Poll(ctx context.Context, groupID, pollID int64) (Poll, error) {
	p, _, err := s.pollView(ctx, groupID)
	if err != nil {
		return Poll{}, err
	}
	pl := Poll{ID: pollID, GroupID: groupID, zone: s.zone()}
	var sid *int64
	if err := s.db.QueryRow(ctx, `SELECT title, minutes, closed, session_id FROM polls WHERE id = $1 AND group_id = $2`, pollID, groupID).
		Scan(&pl.Title, &pl.Minutes, &pl.Closed, &sid); err != nil {
		return Poll{}, err
	}
	if sid != nil {
		pl.SessionID = *sid
	}
	rows, err := s.db.Query(ctx, `SELECT o.id, o.starts_at, a.user_id, COALESCE(a.answer, '') FROM poll_options o
		LEFT JOIN poll_answers a ON a.option_id = o.id WHERE o.poll_id = $1 ORDER BY o.starts_at, o.id`, pollID)
	if err != nil {
		return Poll{}, err
	}
	defer rows.Close()
	people := map[int64]bool{}
	for rows.Next() {
		var oid int64
		var at time.Time
		var uid *int64
		var answer string
		if err := rows.Scan(&oid, &at, &uid, &answer); err != nil {
			return Poll{}, err
		}
		if len(pl.Options) == 0 || pl.Options[len(pl.Options)-1].ID != oid {
			pl.Options = append(pl.Options, PollOption{ID: oid, Start: at})
		}
		o := &pl.Options[len(pl.Options)-1]
		if uid == nil {
			continue
		}
		people[*uid] = true
		switch answer {
		case "yes":
			o.Yes++
		case "maybe":
			o.Maybe++
		case "no":
			o.No++
		}
		if *uid == p.UserID {
			o.Mine = answer
		}
	}
	pl.Answered = len(people)
	best := -1
	for i, o := range pl.Options {
		if best < 0 || o.Yes > pl.Options[best].Yes || (o.Yes == pl.Options[best].Yes && o.Maybe > pl.Options[best].Maybe) {
			best = i
		}
	}
	if best >= 0 && pl.Answered > 0 {
		pl.Options[best].Best = true
	}
	return pl, rows.Err()
}

// OpenPolls lists a group's open polls, for its page.
func (s *Service) OpenPolls(ctx context.Context, groupID int64) ([]Poll, error) {
	if _, _, err := s.pollView(ctx, groupID); err != nil {
		return nil, nil // outsiders simply see none
	}
	rows, err := s.db.Query(ctx, `SELECT id, title FROM polls WHERE group_id = $1 AND closed = FALSE ORDER BY created_at`, groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Poll
	for rows.Next() {
		pl := Poll{GroupID: groupID}
		if err := rows.Scan(&pl.ID, &pl.Title); err != nil {
			return nil, err
		}
		out = append(out, pl)
	}
	return out, rows.Err()
}

// Answer records the caller's answers (option id to yes, maybe or no).
func (s *Service) Answer(ctx context.Context, groupID, pollID int64, answers map[int64]string) error {
	p, _, err := s.pollView(ctx, groupID)
	if err != nil {
		return err
	}
	pl, err := s.Poll(ctx, groupID, pollID)
	if err != nil {
		return err
	}
	if pl.Closed {
		return valid.Field("answers", "polls.closed")
	}
	known := map[int64]bool{}
	for _, o := range pl.Options {
		known[o.ID] = true
	}
	for oid, a := range answers {
		if !known[oid] {
			return db.ErrNotFound
		}
		if _, fe := valid.OneOf("answers", a, Answers); fe != nil {
			return fe
		}
	}
	if len(answers) == 0 {
		return valid.Field("answers", "polls.answer_one")
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		for oid, a := range answers {
			if _, err := tx.Exec(ctx, `INSERT INTO poll_answers (option_id, user_id, answer) VALUES ($1, $2, $3)
				ON CONFLICT (option_id, user_id) DO UPDATE SET answer = $3`, oid, p.UserID, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// Choose turns one proposed time into a meeting and closes the poll.
func (s *Service) Choose(ctx context.Context, groupID, pollID, optionID int64) (int64, error) {
	if _, _, err := s.manage(ctx, groupID); err != nil {
		return 0, err
	}
	pl, err := s.Poll(ctx, groupID, pollID)
	if err != nil {
		return 0, err
	}
	if pl.Closed {
		return 0, valid.Field("option", "polls.closed")
	}
	var chosen *PollOption
	for i := range pl.Options {
		if pl.Options[i].ID == optionID {
			chosen = &pl.Options[i]
		}
	}
	if chosen == nil {
		return 0, valid.Field("option", "form.choose")
	}
	local := chosen.Start.In(s.zone())
	sid, err := s.CreateSession(ctx, groupID, SessionInput{Title: pl.Title, Date: local.Format("2006-01-02"), Time: local.Format("15:04"),
		Minutes: strconv.Itoa(pl.Minutes), Repeat: "none"})
	if err != nil {
		if fe, ok := valid.As(err); ok {
			fe.Field = "option"
		}
		return 0, err
	}
	_, err = s.db.Exec(ctx, `UPDATE polls SET closed = TRUE, session_id = $1 WHERE id = $2`, sid, pollID)
	return sid, err
}
