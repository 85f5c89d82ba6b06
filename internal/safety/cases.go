package safety

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
)

// Case is a conflict case between members of a group: who is involved, what
// happened, mediation notes, what was agreed and how it ended. Only the
// group's facilitators and its organisation's safety leads see it.
type Case struct {
	ID        int64
	GroupID   int64
	GroupName string
	Parties   []string // pseudonyms
	PartyIDs  []int64  // group_members ids
	Summary   string
	Agreed    string
	Outcome   string
	Status    string // "open" or "closed"
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  *time.Time
	Notes     []Note
}

// CaseInput is the form that opens a case.
type CaseInput struct {
	Parties []int64 // group_members ids
	Summary string
}

// OpenCase opens a conflict case in a group between two or more of its
// members.
func (s *Service) OpenCase(ctx context.Context, groupID int64, in CaseInput) (int64, error) {
	if _, err := s.requireStaff(ctx); err != nil {
		return 0, err
	}
	p, _, err := s.staff(ctx, groupID)
	if err != nil {
		return 0, err
	}
	seen := map[int64]bool{}
	var parties []int64
	for _, id := range in.Parties {
		if !seen[id] {
			seen[id] = true
			parties = append(parties, id)
		}
	}
	if len(parties) < 1 || len(parties) > 20 {
		return 0, valid.Field("parties", "safety.case.choose_parties")
	}
	for _, id := range parties {
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM group_members WHERE id = $1 AND group_id = $2`, id, groupID).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, valid.Field("parties", "safety.case.choose_parties")
		}
	}
	summary, fe := valid.Text("summary", in.Summary, 10, 4000, true)
	if fe != nil {
		return 0, fe
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO conflict_cases (group_id, opened_by, summary_sealed, status, created_at, updated_at)
			VALUES ($1, $2, '', 'open', $3, $3) RETURNING id`, groupID, p.UserID, now).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE conflict_cases SET summary_sealed = $1 WHERE id = $2`, s.secrets.Seal(summary, aad("conflict_case", id)), id); err != nil {
			return err
		}
		for _, m := range parties {
			if _, err := tx.Exec(ctx, `INSERT INTO conflict_parties (case_id, member_id) VALUES ($1, $2)`, id, m); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, "safety.case.open", "case:"+strconv.FormatInt(id, 10), fmt.Sprintf("group:%d parties:%d", groupID, len(parties)))
	})
	return id, err
}

// Cases lists the cases of the groups the caller is safety staff of, open
// ones first. Listing shows no text.
func (s *Service) Cases(ctx context.Context) ([]Case, error) {
	p, err := s.requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	with, where, arg := scope(p)
	rows, err := s.db.Query(ctx, with+`SELECT e.id, e.group_id, g.name, e.status, e.created_at, e.updated_at, e.closed_at
		FROM conflict_cases e JOIN support_groups g ON g.id = e.group_id WHERE `+where+`
		ORDER BY CASE WHEN e.status = 'open' THEN 0 ELSE 1 END, e.updated_at DESC LIMIT 100`, arg)
	if err != nil {
		return nil, fmt.Errorf("safety: cases: %w", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		var c Case
		if err := rows.Scan(&c.ID, &c.GroupID, &c.GroupName, &c.Status, &c.CreatedAt, &c.UpdatedAt, &c.ClosedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Case returns a case with its parties, texts and notes; the read is audited.
func (s *Service) Case(ctx context.Context, id int64) (Case, error) {
	var c Case
	var summary, agreed, outcome string
	if err := s.db.QueryRow(ctx, `SELECT e.id, e.group_id, g.name, e.status, e.created_at, e.updated_at, e.closed_at, e.summary_sealed,
		e.agreed_sealed, e.outcome_sealed FROM conflict_cases e JOIN support_groups g ON g.id = e.group_id WHERE e.id = $1`, id).
		Scan(&c.ID, &c.GroupID, &c.GroupName, &c.Status, &c.CreatedAt, &c.UpdatedAt, &c.ClosedAt, &summary, &agreed, &outcome); err != nil {
		return Case{}, err
	}
	if _, _, err := s.staff(ctx, c.GroupID); err != nil {
		return Case{}, err
	}
	var err error
	for _, f := range []struct {
		sealed, name string
		into         *string
	}{{summary, "conflict_case", &c.Summary}, {agreed, "conflict_case_agreed", &c.Agreed}, {outcome, "conflict_case_outcome", &c.Outcome}} {
		if f.sealed == "" {
			continue
		}
		if *f.into, err = s.secrets.Open(f.sealed, aad(f.name, id)); err != nil {
			return Case{}, err
		}
	}
	rows, err := s.db.Query(ctx, `SELECT m.id, m.display_name FROM conflict_parties p JOIN group_members m ON m.id = p.member_id
		WHERE p.case_id = $1 ORDER BY m.display_name`, id)
	if err != nil {
		return Case{}, err
	}
	for rows.Next() {
		var mid int64
		var name string
		if err := rows.Scan(&mid, &name); err != nil {
			rows.Close()
			return Case{}, err
		}
		c.PartyIDs, c.Parties = append(c.PartyIDs, mid), append(c.Parties, name)
	}
	rows.Close()
	notes, err := s.db.Query(ctx, `SELECT n.id, COALESCE(u.username, ''), n.body_sealed, n.created_at FROM conflict_notes n
		LEFT JOIN users u ON u.id = n.author_id WHERE n.case_id = $1 ORDER BY n.id`, id)
	if err != nil {
		return Case{}, err
	}
	for notes.Next() {
		var n Note
		var nid int64
		var body string
		if err := notes.Scan(&nid, &n.Author, &body, &n.At); err != nil {
			notes.Close()
			return Case{}, err
		}
		if n.Body, err = s.secrets.Open(body, aad("conflict_note", nid)); err != nil {
			notes.Close()
			return Case{}, err
		}
		c.Notes = append(c.Notes, n)
	}
	notes.Close()
	return c, s.record(ctx, nil, "safety.case.read", "case:"+strconv.FormatInt(id, 10), fmt.Sprintf("group:%d", c.GroupID))
}

// CaseUpdate is the form that works on a case: a mediation note, what was
// agreed, and, when closing, the outcome.
type CaseUpdate struct {
	Note, Agreed, Outcome string
	Close                 bool
}

// UpdateCase adds a mediation note, records what was agreed and the outcome,
// and closes the case when asked (an outcome is then required).
func (s *Service) UpdateCase(ctx context.Context, id int64, in CaseUpdate) error {
	var groupID int64
	var status string
	if err := s.db.QueryRow(ctx, `SELECT group_id, status FROM conflict_cases WHERE id = $1`, id).Scan(&groupID, &status); err != nil {
		return err
	}
	p, _, err := s.staff(ctx, groupID)
	if err != nil {
		return err
	}
	if status != "open" {
		return valid.Field("note", "safety.case.closed")
	}
	note, fe := valid.Text("note", in.Note, 0, 4000, true)
	if fe != nil {
		return fe
	}
	agreed, fe := valid.Text("agreed", in.Agreed, 0, 4000, true)
	if fe != nil {
		return fe
	}
	outcome, fe := valid.Text("outcome", in.Outcome, 0, 4000, true)
	if fe != nil {
		return fe
	}
	if in.Close && outcome == "" {
		return valid.Field("outcome", "safety.case.outcome_required")
	}
	if note == "" && agreed == "" && outcome == "" && !in.Close {
		return valid.Field("note", "safety.case.nothing")
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if note != "" {
			var nid int64
			if err := tx.QueryRow(ctx, `INSERT INTO conflict_notes (case_id, author_id, body_sealed, created_at) VALUES ($1, $2, '', $3) RETURNING id`,
				id, p.UserID, now).Scan(&nid); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE conflict_notes SET body_sealed = $1 WHERE id = $2`, s.secrets.Seal(note, aad("conflict_note", nid)), nid); err != nil {
				return err
			}
		}
		if agreed != "" {
			if _, err := tx.Exec(ctx, `UPDATE conflict_cases SET agreed_sealed = $1 WHERE id = $2`, s.secrets.Seal(agreed, aad("conflict_case_agreed", id)), id); err != nil {
				return err
			}
		}
		if outcome != "" {
			if _, err := tx.Exec(ctx, `UPDATE conflict_cases SET outcome_sealed = $1 WHERE id = $2`, s.secrets.Seal(outcome, aad("conflict_case_outcome", id)), id); err != nil {
				return err
			}
		}
		var closed any
		newStatus := "open"
		if in.Close {
			closed, newStatus = now, "closed"
		}
		if _, err := tx.Exec(ctx, `UPDATE conflict_cases SET status = $1, updated_at = $2, closed_at = $3 WHERE id = $4`, newStatus, now, closed, id); err != nil {
			return err
		}
		action := "safety.case.update"
		if in.Close {
			action = "safety.case.close"
		}
		return s.record(ctx, tx, action, "case:"+strconv.FormatInt(id, 10), fmt.Sprintf("group:%d", groupID))
	})
}

// CaseMembers lists the active members of a group, to choose the parties of
// a new case.
func (s *Service) CaseMembers(ctx context.Context, groupID int64) (groups.View, []groups.Member, error) {
	_, v, err := s.staff(ctx, groupID)
	if err != nil {
		return groups.View{}, nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, display_name FROM group_members WHERE group_id = $1 AND status = 'active' ORDER BY display_name`, groupID)
	if err != nil {
		return groups.View{}, nil, err
	}
	defer rows.Close()
	var out []groups.Member
	for rows.Next() {
		var m groups.Member
		if err := rows.Scan(&m.ID, &m.DisplayName); err != nil {
			return groups.View{}, nil, err
		}
		out = append(out, m)
	}
	return v, out, rows.Err()
}

// StaffGroup is a group the caller is on the safety staff of.
type StaffGroup struct {
	ID   int64
	Name string
}

// StaffGroups lists the groups the caller is on the safety staff of, to open
// a case in.
func (s *Service) StaffGroups(ctx context.Context) ([]StaffGroup, error) {
	p, err := s.requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	with, where, arg := scope(p)
	rows, err := s.db.Query(ctx, with+`SELECT e.group_id, g.name FROM (SELECT id AS group_id FROM support_groups) e
		JOIN support_groups g ON g.id = e.group_id WHERE `+where+` ORDER BY g.name LIMIT 200`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StaffGroup
	for rows.Next() {
		var g StaffGroup
		if err := rows.Scan(&g.ID, &g.Name); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
