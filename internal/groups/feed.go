// Calendar feeds of group meetings: the public feed of a listed group and each
// member's private, revocable feed.

package groups

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/calendar"
	"github.com/rangkul/rangkul/internal/db"
)

// hasDST reports whether a zone changes its offset during the year; a series
// in such a zone is written to feeds occurrence by occurrence, because a UTC
// start with a rule would drift by an hour at each change.
func hasDST(loc *time.Location, year int) bool {
	_, jan := time.Date(year, 1, 1, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(year, 7, 1, 12, 0, 0, 0, loc).Zone()
	return jan != jul
}

// feedEvents writes sessions as calendar events: a series as one event with
// its rule, cancelled meetings as exceptions and moved ones as overrides.
func (s *Service) feedEvents(ctx context.Context, sessions []Session, names map[int64]string, baseURL string) ([]calendar.Event, error) {
	now := s.now().UTC()
	var events []calendar.Event
	ids := make([]int64, len(sessions))
	for i, ss := range sessions {
		ids[i] = ss.ID
	}
	changes, err := changesOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for _, ss := range sessions {
		loc, err := time.LoadLocation(ss.TZ)
		if err != nil {
			loc = time.UTC
		}
		summary := names[ss.GroupID]
		if ss.Title != "" {
			summary += ": " + ss.Title
		}
		url := fmt.Sprintf("%s/groups/%d", baseURL, ss.GroupID)
		length := time.Duration(ss.Minutes) * time.Minute
		uid := fmt.Sprintf("session-%d@rangkul", ss.ID)
		if ss.RRule != "" && !hasDST(loc, now.Year()) {
			e := calendar.Event{UID: uid, Start: ss.Start, End: ss.Start.Add(length), Summary: summary, Location: ss.Place,
				URL: url, RRule: ss.RRule, Updated: ss.Updated}
			for orig, c := range changes[ss.ID] {
				at := time.Unix(orig, 0).UTC()
				if c.Cancelled {
					e.ExDates = append(e.ExDates, at)
				} else if !c.NewStart.IsZero() {
					events = append(events, calendar.Event{UID: uid, RecurrenceID: at, Start: c.NewStart, End: c.NewStart.Add(length),
						Summary: summary, Description: c.Reason, Location: ss.Place, URL: url, Sequence: 1, Updated: ss.Updated})
				}
			}
			sort.Slice(e.ExDates, func(i, j int) bool { return e.ExDates[i].Before(e.ExDates[j]) })
			events = append(events, e)
			continue
		}
		occ, err := s.expand(ctx, []Session{ss}, now.Add(-30*24*time.Hour), now.Add(183*24*time.Hour), 0)
		if err != nil {
			return nil, err
		}
		for _, o := range occ {
			events = append(events, calendar.Event{UID: fmt.Sprintf("session-%d-%d@rangkul", ss.ID, o.Original.Unix()),
				Start: o.Start, End: o.End, Summary: summary, Description: o.Reason, Location: ss.Place, URL: url,
				Cancelled: o.Cancelled, Updated: ss.Updated})
		}
	}
	return events, nil
}

// GroupFeed returns the public calendar of a listed group's meetings.
func (s *Service) GroupFeed(ctx context.Context, groupID int64, baseURL string) (string, []calendar.Event, error) {
	v, err := s.Group(ctx, groupID)
	if err != nil {
		return "", nil, err
	}
	if !v.Group.Listed {
		return "", nil, db.ErrNotFound
	}
	sessions, err := sessionsOf(ctx, s.db, []int64{groupID}, s.now().UTC().Add(-30*24*time.Hour))
	if err != nil {
		return "", nil, err
	}
	events, err := s.feedEvents(ctx, sessions, map[int64]string{groupID: v.Group.Name}, baseURL)
	return v.Group.Name, events, err
}

func hashToken(t string) string { sum := sha256.Sum256([]byte(t)); return hex.EncodeToString(sum[:]) }

// NewCalendarLink makes the caller a new private feed token, ending the old one.
// The token is shown once; only its hash is kept.
func (s *Service) NewCalendarLink(ctx context.Context) (string, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return "", err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	_, err = s.db.Exec(ctx, `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3`, p.UserID, hashToken(token), s.now().UTC())
	return token, err
}

// RevokeCalendarLink ends the caller's private feed.
func (s *Service) RevokeCalendarLink(ctx context.Context) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `DELETE FROM calendar_tokens WHERE user_id = $1`, p.UserID)
	return err
}

// HasCalendarLink reports whether the caller has a private feed.
func (s *Service) HasCalendarLink(ctx context.Context) (bool, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return false, err
	}
	var n int
	err = s.db.QueryRow(ctx, `SELECT count(*) FROM calendar_tokens WHERE user_id = $1`, p.UserID).Scan(&n)
	return n > 0, err
}

// PersonalFeed returns the meetings of every group the token's owner belongs
// to. The token is the credential: no sign-in, since calendar apps have none.
func (s *Service) PersonalFeed(ctx context.Context, token, baseURL string) ([]calendar.Event, error) {
	if len(token) < 20 || len(token) > 64 {
		return nil, db.ErrNotFound
	}
	var userID int64
	if err := s.db.QueryRow(ctx, `SELECT user_id FROM calendar_tokens WHERE token_hash = $1`, hashToken(token)).Scan(&userID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT g.id, g.name FROM group_members m JOIN support_groups g ON g.id = m.group_id
		WHERE m.user_id = $1 AND m.status = 'active'`, userID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	var ids []int64
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		names[id] = name
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil, nil
	}
	sessions, err := sessionsOf(ctx, s.db, ids, s.now().UTC().Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	return s.feedEvents(ctx, sessions, names, baseURL)
}
