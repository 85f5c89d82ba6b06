package library

import (
	"context"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// link is a resource's page, for notices.
func link(id int64) string { return "/library/" + strconv.FormatInt(id, 10) }

// move changes a resource's state from one of from to to, audited, and runs
// then (if any) in the same transaction.
func (s *Service) move(ctx context.Context, p *auth.Principal, r Resource, to, action string, then func(tx *db.Tx) error, from ...string) error {
	ok := false
	for _, f := range from {
		ok = ok || r.State == f
	}
	if !ok {
		return ErrState
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		set := `state = $1, updated_at = $2`
		switch to {
		case StateInReview:
			set += `, submitted_at = $2`
		case StateDraft, StateArchived:
			set += `, submitted_at = NULL`
		}
		res, err := tx.Exec(ctx, `UPDATE library_resources SET `+set+` WHERE id = $3 AND state = $4`, to, now, r.ID, r.State)
		if err := changed(res, err); err != nil {
			return err
		}
		if then != nil {
			if err := then(tx); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, p, action, r.ID, r.OrgID, "from:"+r.State)
	})
}

func (s *Service) notify(ctx context.Context, q db.Querier, who []int64, kind string, r Resource) error {
	if s.Notices == nil || len(who) == 0 {
		return nil
	}
	// The notices page fills {group} with the name of what the notice is about.
	return s.Notices.Notify(ctx, q, who, kind, map[string]string{"group": r.Title}, link(r.ID))
}

// Submit asks colleagues to review a draft; those who may review it are told.
func (s *Service) Submit(ctx context.Context, id int64) error {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return err
	}
	return s.move(ctx, p, r, StateInReview, "library.resource.submit", func(tx *db.Tx) error {
		writers, err := writersOf(ctx, tx, r.OrgID, s.writers)
		if err != nil {
			return err
		}
		wrote, err := contributors(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, minus(writers, wrote), "library_review", r)
	}, StateDraft)
}

func minus(a, b []int64) []int64 {
	skip := map[int64]bool{}
	for _, x := range b {
		skip[x] = true
	}
	var out []int64
	for _, x := range a {
		if !skip[x] {
			out = append(out, x)
		}
	}
	return out
}

// Withdraw takes a resource back from review into draft.
func (s *Service) Withdraw(ctx context.Context, id int64) error {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return err
	}
	return s.move(ctx, p, r, StateDraft, "library.resource.withdraw", nil, StateInReview)
}

// reviewer loads a resource waiting for review for a colleague who did not
// write or edit it.
func (s *Service) reviewer(ctx context.Context, id int64) (*auth.Principal, Resource, error) {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return nil, Resource{}, err
	}
	if r.State != StateInReview {
		return nil, Resource{}, ErrState
	}
	own, err := isContributor(ctx, s.db, id, p.UserID)
	if err != nil {
		return nil, Resource{}, err
	}
	if own {
		return nil, Resource{}, ErrOwnWork
	}
	return p, r, nil
}

// Approve publishes a resource under the reviewer's chosen name. Nobody
// approves a resource they wrote or edited.
func (s *Service) Approve(ctx context.Context, id int64, reviewerName string) error {
	p, r, err := s.reviewer(ctx, id)
	if err != nil {
		return err
	}
	name, fe := checkName("reviewer_name", reviewerName, p)
	if fe != nil {
		return fe
	}
	return s.move(ctx, p, r, StatePublished, "library.resource.approve", func(tx *db.Tx) error {
		now := s.now().UTC()
		if _, err := tx.Exec(ctx, `UPDATE library_resources SET reviewer_id = $1, reviewer_name = $2, reviewed_at = $3, published_at = $3 WHERE id = $4`,
			p.UserID, name, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO library_reviews (resource_id, reviewer_id, decision, note, created_at) VALUES ($1, $2, 'approved', '', $3)`,
			id, p.UserID, now); err != nil {
			return err
		}
		wrote, err := contributors(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, wrote, "library_published", r)
	}, StateInReview)
}

// Return sends a resource back to draft with a note for its writers.
func (s *Service) Return(ctx context.Context, id int64, note string) error {
	p, r, err := s.reviewer(ctx, id)
	if err != nil {
		return err
	}
	note, fe := valid.Text("note", note, 5, MaxNote, true)
	if fe != nil {
		return fe
	}
	return s.move(ctx, p, r, StateDraft, "library.resource.return", func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO library_reviews (resource_id, reviewer_id, decision, note, created_at) VALUES ($1, $2, 'returned', $3, $4)`,
			id, p.UserID, note, s.now().UTC()); err != nil {
			return err
		}
		wrote, err := contributors(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, wrote, "library_returned", r)
	}, StateInReview)
}

// Unpublish takes a published resource off the public library, back into
// draft; publishing it again needs a new review.
func (s *Service) Unpublish(ctx context.Context, id int64) error {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return err
	}
	return s.move(ctx, p, r, StateDraft, "library.resource.unpublish", nil, StatePublished)
}

// Archive puts a resource away, from any other state; it is kept and can be
// restored as a draft.
func (s *Service) Archive(ctx context.Context, id int64) error {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return err
	}
	return s.move(ctx, p, r, StateArchived, "library.resource.archive", nil, StateDraft, StateInReview, StatePublished)
}

// Restore brings an archived resource back as a draft.
func (s *Service) Restore(ctx context.Context, id int64) error {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return err
	}
	return s.move(ctx, p, r, StateDraft, "library.resource.restore", nil, StateArchived)
}

// Desk is the manage page: what waits for the caller's review, what the
// caller has waiting for others, and a page of the organisations' resources.
type Desk struct {
	Queue   []Resource // in review, written by others: the caller may review
	Waiting []Resource // in review, written or edited by the caller
	Items   []Resource
	Total   int
	State   string
	Page    int
	PerPage int
	Orgs    []Org
}

// Manage returns the caller's desk; state filters the list ("" for all).
func (s *Service) Manage(ctx context.Context, state string, page int) (Desk, error) {
	p, err := auth.Require(ctx, auth.PermWriteLibrary, 0)
	if err != nil {
		return Desk{}, err
	}
	d := Desk{State: oneOf(state, States), Page: max(page, 1), PerPage: 20}
	if d.Orgs, err = s.WriterOrgs(ctx); err != nil {
		return Desk{}, err
	}
	orgs := p.OrgsWith(auth.PermWriteLibrary)
	if d.Queue, err = reviewQueue(ctx, s.db, p.UserID, orgs, p.SiteAdmin, false); err != nil {
		return Desk{}, err
	}
	if d.Waiting, err = reviewQueue(ctx, s.db, p.UserID, orgs, p.SiteAdmin, true); err != nil {
		return Desk{}, err
	}
	d.Items, d.Total, err = listForWriters(ctx, s.db, orgs, p.SiteAdmin, d.State, d.Page, d.PerPage)
	return d, err
}
