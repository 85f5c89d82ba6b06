package measure

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/secret"
)

// Escalator is what measure needs from the safety feature: screening a
// member's written answers for crisis language, and opening the safety path
// for a member whose answers call for it (the PHQ-9 item-9 rule): an
// escalation for the group's safety staff. level is "none", "concern" or
// "crisis"; text is what the staff read.
type Escalator interface {
	Screen(ctx context.Context, text string) (level string, reasons []string, err error)
	Escalate(ctx context.Context, userID, groupID int64, level, text string, reasons []string) (int64, error)
}

// Messaging is how measure reaches members: in-app notices always, e-mail to
// those who gave an address (as the groups feature does for meetings),
// through the job queue.
type Messaging struct {
	Jobs interface {
		Enqueue(ctx context.Context, q db.Querier, kind string, payload any, runAt time.Time, key string) error
	}
	Notices interface {
		Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error
	}
	Contacts interface {
		Contacts(ctx context.Context, ids []int64) (map[int64]auth.Contact, error)
	}
	Mail    mail.Sender
	Bundle  *i18n.Bundle
	BaseURL string
}

// Service is the measurement feature.
type Service struct {
	db        *db.DB
	audit     *audit.Log
	secrets   *secret.Box
	now       func() time.Time
	Safety    Escalator
	Messaging *Messaging
	// Zone is the deployment's time zone, for the dates of feedback rounds.
	Zone *time.Location
}

// NewService returns the measurement service.
func NewService(d *db.DB, a *audit.Log, box *secret.Box) *Service {
	return &Service{db: d, audit: a, secrets: box, now: time.Now, Zone: time.UTC}
}

// WithClock returns a copy of the service with another clock (demo, tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// record writes an audit entry for the caller.
func (s *Service) record(ctx context.Context, q db.Querier, p *auth.Principal, action, target, detail string) error {
	return s.audit.Record(ctx, q, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: action,
		Target: target, Detail: detail, IP: audit.IPFrom(ctx)})
}

// coordinate returns the caller if they coordinate the organisation's
// groups (coordinators, its administrators, network administrators).
func coordinate(ctx context.Context, orgID int64) (*auth.Principal, error) {
	return auth.Require(ctx, auth.PermManageGroups, orgID)
}

// IsStaff reports whether p may read the instrument library: those who
// coordinate groups, facilitate them, or read the evaluation.
func IsStaff(p *auth.Principal) bool {
	return p != nil && (p.SiteAdmin || p.CanAny(auth.PermManageGroups) || p.CanAny(auth.PermViewOutcomes) ||
		p.HasRole(auth.RoleFacilitator))
}

// CoordinatedOrgs lists the organisations whose measurement the caller
// coordinates, as id and name.
func (s *Service) CoordinatedOrgs(ctx context.Context) ([]Org, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	ids := p.OrgsWith(auth.PermManageGroups)
	if p.SiteAdmin {
		ids = nil
		rows, err := s.db.Query(ctx, `SELECT id FROM organisations ORDER BY name`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
	}
	var out []Org
	for _, id := range ids {
		o, err := s.org(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// Org is an organisation as these pages name it.
type Org struct {
	ID   int64
	Name string
}

func (s *Service) org(ctx context.Context, id int64) (Org, error) {
	o := Org{ID: id}
	if err := s.db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, id).Scan(&o.Name); err != nil {
		return Org{}, fmt.Errorf("measure: organisation %d: %w", id, err)
	}
	return o, nil
}

// caller is the principal of a context a permission check has already
// admitted.
func caller(ctx context.Context) *auth.Principal { return auth.FromContext(ctx) }

// zone is the deployment's time zone.
func (s *Service) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// author is the caller as the creator of a row: NULL for the system (the
// command line and the demo loader act as nobody in particular).
func author(p *auth.Principal) any {
	if p == nil || p.UserID == 0 {
		return nil
	}
	return p.UserID
}
