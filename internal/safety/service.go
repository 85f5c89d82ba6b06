package safety

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// Groups is what safety needs from the groups feature.
type Groups interface {
	Group(ctx context.Context, id int64) (groups.View, error)
	Content(ctx context.Context, kind string, id int64) (groups.Content, error)
	SetHeld(ctx context.Context, kind string, id int64, held bool) error
	Staff(ctx context.Context, groupID int64) (orgID int64, name string, facilitators []int64, err error)
}

// Messaging is how safety reaches people: in-app notices always, e-mail to
// those who gave an address, through the job queue so a slow mail server
// never delays the person who asked for help. It is the same plumbing the
// groups feature uses for meeting notices.
type Messaging = groups.Messaging

// Service is the safety feature: it screens what members write, opens
// escalations and alerts the people on call, and runs reports, moderation
// actions with appeals, and conflict cases.
type Service struct {
	db        *db.DB
	audit     *audit.Log
	secrets   *secret.Box
	groups    Groups
	Messaging *Messaging
	now       func() time.Time

	// New accounts may not post links for NewAccountAge, and may write at
	// most NewAccountBurst texts in any NewAccountWindow.
	NewAccountAge    time.Duration
	NewAccountBurst  int
	NewAccountWindow time.Duration

	mu     sync.Mutex
	recent map[int64][]time.Time // new accounts' recent writes, per instance
}

// NewService returns the safety service.
func NewService(d *db.DB, a *audit.Log, box *secret.Box, g Groups) *Service {
	return &Service{db: d, audit: a, secrets: box, groups: g, now: time.Now,
		NewAccountAge: 72 * time.Hour, NewAccountBurst: 5, NewAccountWindow: 10 * time.Minute,
		recent: map[int64][]time.Time{}}
}

// SetClock replaces the service's clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Follow-up times: how soon a person should have looked at an escalation.
var followUp = map[Level]time.Duration{LevelCrisis: time.Hour, LevelConcern: 24 * time.Hour}

// Escalation statuses, in the order they usually pass.
const (
	StatusOpen      = "open"
	StatusContacted = "contacted"
	StatusResolved  = "resolved"
)

// EscalationStatuses lists them for forms.
var EscalationStatuses = []string{StatusOpen, StatusContacted, StatusResolved}

// Screen screens a text for groups (the groups.Screener hook). Holding is
// the group's decision, made from its own setting.
func (s *Service) Screen(_ context.Context, text string) (groups.Screening, error) {
	r := Screen(text)
	return groups.Screening{Level: string(r.Level), Reasons: r.Reasons}, nil
}

// Escalate opens an escalation for a flagged text its author just wrote and
// alerts the group's facilitators and the safety leads of its organisation.
func (s *Service) Escalate(ctx context.Context, w groups.Written, sc groups.Screening) (int64, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	return s.open(ctx, p.UserID, w, sc)
}

// Open opens an escalation for userID from another feature's flagged answer
// (the PHQ-9 item-9 rule of the outcomes feature uses it).
func (s *Service) Open(ctx context.Context, userID int64, w groups.Written, level Level, reasons []string) (int64, error) {
	if _, err := auth.RequireUser(ctx); err != nil {
		return 0, err
	}
	return s.open(ctx, userID, w, groups.Screening{Level: string(level), Reasons: reasons})
}

func (s *Service) open(ctx context.Context, userID int64, w groups.Written, sc groups.Screening) (int64, error) {
	level := Level(sc.Level)
	due, ok := followUp[level]
	if !ok {
		return 0, fmt.Errorf("safety: no escalation for level %q", sc.Level)
	}
	orgID, groupName, facilitators, err := s.groups.Staff(ctx, w.GroupID)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	excerpt := w.Text
	if len(excerpt) > 2000 {
		excerpt = excerpt[:2000]
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO escalations (group_id, user_id, source, source_id, level, reasons, excerpt_sealed,
			held, status, follow_up_due, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9, $10, $10) RETURNING id`,
			w.GroupID, userID, w.Source, w.SourceID, sc.Level, strings.Join(sc.Reasons, " "), sc.Hold, StatusOpen,
			now.Add(due), now).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE escalations SET excerpt_sealed = $1 WHERE id = $2`,
			s.secrets.Seal(excerpt, aad("escalation", id)), id); err != nil {
			return err
		}
		if s.Messaging == nil {
			return nil
		}
		to, err := s.oncall(ctx, tx, orgID, facilitators, userID)
		if err != nil {
			return err
		}
		link := "/safety/escalations/" + strconv.FormatInt(id, 10)
		if err := s.Messaging.Notices.Notify(ctx, tx, to, "escalation_"+sc.Level, map[string]string{"group": groupName}, link); err != nil {
			return err
		}
		return s.Messaging.Jobs.Enqueue(ctx, tx, JobAlert, alertJob{EscalationID: id}, now, "escalation:"+strconv.FormatInt(id, 10))
	})
	return id, err
}

// oncall lists who is alerted about a group: its active facilitators and the
// safety leads of its organisation, never the person the alert is about.
func (s *Service) oncall(ctx context.Context, q db.Querier, orgID int64, facilitators []int64, about int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.org_id = $1 AND g.role = $2 AND u.disabled = FALSE ORDER BY g.user_id`, orgID, string(auth.RoleModerator))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[int64]bool{about: true}
	var out []int64
	for _, id := range facilitators {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// Allowed says whether the caller may write text in a group now: not while
// muted there or suspended or banned, and, for a new account, no links and
// no more than a few texts in a short time.
func (s *Service) Allowed(ctx context.Context, groupID int64, text string) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	a, err := s.activeRestriction(ctx, p.UserID, groupID, now)
	if err != nil {
		return err
	}
	if a != nil {
		if a.Until != nil {
			return valid.Field("body", "safety.restricted_until", "until", a.Until.Format("2 Jan 2006 15:04 UTC"))
		}
		return valid.Field("body", "safety.restricted")
	}
	var created time.Time
	if err := s.db.QueryRow(ctx, `SELECT created_at FROM users WHERE id = $1`, p.UserID).Scan(&created); err != nil {
		return err
	}
	if now.Sub(created) >= s.NewAccountAge {
		return nil
	}
	if hasLink(text) {
		return valid.Field("body", "safety.new_account_links", "hours", int(s.NewAccountAge.Hours()))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var kept []time.Time
	for _, t := range s.recent[p.UserID] {
		if now.Sub(t) < s.NewAccountWindow {
			kept = append(kept, t)
		}
	}
	if len(kept) >= s.NewAccountBurst {
		s.recent[p.UserID] = kept
		return valid.Field("body", "safety.new_account_slow", "minutes", int(s.NewAccountWindow.Minutes()))
	}
	s.recent[p.UserID] = append(kept, now)
	return nil
}

// hasLink reports whether text holds a web address: a scheme, "www.", or a
// word.word form ending in a common top-level domain.
func hasLink(text string) bool {
	t := strings.ToLower(text)
	if strings.Contains(t, "http://") || strings.Contains(t, "https://") || strings.Contains(t, "www.") {
		return true
	}
	for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '(' || r == ')' }) {
		f = strings.Trim(f, ".,;:!?\"'")
		dot := strings.LastIndexByte(f, '.')
		if dot <= 0 || dot == len(f)-1 {
			continue
		}
		switch f[dot+1:] {
		case "com", "id", "org", "net", "co", "io", "me", "ly", "uk", "info", "biz", "xyz", "app", "site", "link":
			return true
		}
		if i := strings.IndexByte(f, '/'); i > 0 && strings.Contains(f[:i], ".") {
			return true
		}
	}
	return false
}

// aad binds a sealed value to its row.
func aad(table string, id int64) string { return table + ":" + strconv.FormatInt(id, 10) }

// record writes an audit entry for the caller.
func (s *Service) record(ctx context.Context, q db.Querier, action, target, detail string) error {
	p := auth.FromContext(ctx)
	e := audit.Entry{Action: action, Target: target, Detail: detail, IP: audit.IPFrom(ctx)}
	if p != nil {
		e.ActorID, e.ActorName = p.UserID, p.Username
	}
	return s.audit.Record(ctx, q, e)
}

// staff returns the group for a caller on its safety staff: its facilitators
// and the safety leads of its organisation.
func (s *Service) staff(ctx context.Context, groupID int64) (*auth.Principal, groups.View, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, groups.View{}, err
	}
	v, err := s.groups.Group(ctx, groupID)
	if err != nil {
		return nil, groups.View{}, err
	}
	if !v.CanSafety {
		return nil, groups.View{}, auth.ErrForbidden
	}
	return p, v, nil
}

// IsStaff reports whether the caller is on the safety staff of any group, for
// navigation.
func IsStaff(p *auth.Principal) bool {
	return p != nil && (p.SiteAdmin || p.HasRole(auth.RoleModerator) || p.HasRole(auth.RoleFacilitator) || p.CanAny(auth.PermModerate))
}

// scope is the SQL condition, on a table aliased e with a group_id, that
// limits a listing to the groups the caller is safety staff of; it returns
// the WITH clause it needs and the argument for $1.
func scope(p *auth.Principal) (with, where string, arg any) {
	if p.SiteAdmin { // every group; $1 is still referenced, as PostgreSQL requires
		return "", "$1 >= 0", p.UserID
	}
	with = db.IDList("mod_orgs", p.OrgsWith(auth.PermModerate)) + " "
	where = `(e.group_id IN (SELECT group_id FROM group_members WHERE user_id = $1 AND role = 'facilitator' AND status = 'active')
		OR e.group_id IN (SELECT id FROM support_groups WHERE org_id IN (SELECT value FROM mod_orgs)))`
	return with, where, p.UserID
}

// requireStaff admits anyone who may be on the safety staff of some group;
// each listing then narrows to their own groups.
func (s *Service) requireStaff(ctx context.Context) (*auth.Principal, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if p.SiteAdmin || p.CanAny(auth.PermModerate) {
		return p, nil
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM group_members WHERE user_id = $1 AND role = 'facilitator' AND status = 'active'`,
		p.UserID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, auth.ErrForbidden
	}
	return p, nil
}

func decodeJob(payload []byte, v any) error { return json.Unmarshal(payload, v) }

func mailMessage(to, subject, body string) mail.Message {
	return mail.Message{To: to, Subject: subject, Text: body}
}
