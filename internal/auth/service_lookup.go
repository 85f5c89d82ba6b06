package auth

import (
	"context"
	"fmt"

	"github.com/rangkul/rangkul/internal/db"
)

// Lookup finds an account and its roles by username for another feature's
// service acting for a signed-in person (assigning a group's facilitator, say).
// It checks only that somebody is signed in; the calling service checks what
// that person may do with the answer.
func (s *Service) Lookup(ctx context.Context, username string) (User, []Grant, error) {
	if _, err := RequireUser(ctx); err != nil {
		return User{}, nil, err
	}
	u, _, err := userByName(ctx, s.db, NormaliseUsername(username))
	if err != nil {
		return User{}, nil, err
	}
	grants, err := grantsOf(ctx, s.db, u.ID)
	return u, grants, err
}

// Contact is how to reach a person: the optional e-mail address and the
// language they read.
type Contact struct {
	Email  string
	Locale string
}

// Contacts returns the contacts of users, for messages the system sends from
// background jobs (reminders). It is called by services acting as the system,
// never on behalf of a request.
func (s *Service) Contacts(ctx context.Context, ids []int64) (map[int64]Contact, error) {
	out := map[int64]Contact{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, db.IDList("wanted", ids)+`SELECT id, COALESCE(email, ''), locale FROM users
		WHERE id IN (SELECT value FROM wanted) AND disabled = FALSE`)
	if err != nil {
		return nil, fmt.Errorf("auth: contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c Contact
		if err := rows.Scan(&id, &c.Email, &c.Locale); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}
