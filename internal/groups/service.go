package groups

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/live"
	"github.com/rangkul/rangkul/internal/markup"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/textkit"
	"github.com/rangkul/rangkul/internal/valid"
)

// Accounts is what groups needs from the auth service.
type Accounts interface {
	Lookup(ctx context.Context, username string) (auth.User, []auth.Grant, error)
}

// Service is the entry point to groups and memberships.
type Service struct {
	db       *db.DB
	audit    *audit.Log
	accounts Accounts
	now      func() time.Time
	// Zone is the deployment's time zone: sessions are entered and repeat in it.
	Zone *time.Location
	// Secrets seals facilitators' private notes.
	Secrets *secret.Box
	// Markup renders board posts.
	Markup *markup.Renderer
	// Screener checks what members write for crisis language, opens
	// escalations and applies moderation; nil lets everything through.
	Screener Screener
	// Messaging sends reminders and change notices; nil sends none.
	Messaging *Messaging
	// Hub carries live room events.
	Hub *live.Hub
	// Certifier says whether someone holds a current training certification
	// in an organisation; nil asks for none.
	Certifier Certifier
}

// Certifier is what groups needs from the training feature.
type Certifier interface {
	Certified(ctx context.Context, userID, orgID int64) (bool, *time.Time, error)
}

// NewService returns the groups service.
func NewService(d *db.DB, a *audit.Log, accounts Accounts) *Service {
	return &Service{db: d, audit: a, accounts: accounts, now: time.Now, Markup: markup.New()}
}

// Directory lists public groups matching f, with the regions to filter by.
// Anyone may read it, signed in or not.
func (s *Service) Directory(ctx context.Context, f Filter) ([]Group, int, error) {
	if f.PerPage <= 0 || f.PerPage > 50 {
		f.PerPage = 12
	}
	if f.Page < 1 {
		f.Page = 1
	}
	query := ""
	if q := textkit.Query(f.Query); len(q) > 0 {
		query = s.db.SearchQuery(q)
	}
	weekdays := 0
	if d, err := strconv.Atoi(f.Day); err == nil && d >= 0 && d <= 6 {
		weekdays = 1 << d
	}
	return listGroups(ctx, s.db, f, query, weekdays, s.now().UTC())
}

// Regions lists the regions listed groups meet in.
func (s *Service) Regions(ctx context.Context) ([]string, error) { return regions(ctx, s.db) }

// View is a group as one person sees it.
type View struct {
	Group        Group
	Me           *Member // the viewer's membership, nil if none
	CanManage    bool    // coordinator of its organisation or its facilitator
	CanSafety    bool    // its facilitator or a safety lead of its organisation: gets alerts, sees escalations
	Facilitators []Member
}

// IsMember reports whether the viewer is an active member or facilitator.
func (v View) IsMember() bool { return v.Me != nil && v.Me.Status == StatusActive }

// Group returns a group for the viewer: anyone for a listed group; members and
// those who manage it for an unlisted one.
func (s *Service) Group(ctx context.Context, id int64) (View, error) {
	g, err := groupByID(ctx, s.db, id)
	if err != nil {
		return View{}, err
	}
	v := View{Group: g}
	if p := auth.FromContext(ctx); p != nil {
		if m, err := memberOf(ctx, s.db, id, p.UserID); err == nil {
			v.Me = &m
		} else if !errors.Is(err, db.ErrNotFound) {
			return View{}, err
		}
		facilitates := v.Me != nil && v.Me.Status == StatusActive && v.Me.Role == RoleFacilitator
		v.CanManage = p.Can(auth.PermManageGroups, g.OrgID) || facilitates
		v.CanSafety = p.Can(auth.PermModerate, g.OrgID) || facilitates
	}
	if !g.Listed && !v.CanManage && !v.IsMember() {
		if auth.FromContext(ctx) == nil {
			return View{}, auth.ErrUnauthenticated
		}
		return View{}, db.ErrNotFound // an unlisted group does not exist for outsiders
	}
	all, err := membersByStatus(ctx, s.db, id, StatusActive)
	if err != nil {
		return View{}, err
	}
	for _, m := range all {
		if m.Role == RoleFacilitator {
			if s.Certifier != nil {
				if _, until, err := s.Certifier.Certified(ctx, m.UserID, g.OrgID); err != nil {
					return View{}, err
				} else {
					m.CertifiedUntil = until
				}
			}
			v.Facilitators = append(v.Facilitators, m)
		}
	}
	return v, nil
}

// manage returns the group if the caller may manage it.
func (s *Service) manage(ctx context.Context, id int64) (*auth.Principal, Group, error) {
	v, err := s.Group(ctx, id)
	if err != nil {
		return nil, Group{}, err
	}
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, Group{}, err
	}
	if !v.CanManage {
		return nil, Group{}, auth.ErrForbidden
	}
	return p, v.Group, nil
}

// Input is the group form.
type Input struct {
	Name, Description, Topic, Language, Region, Mode, Capacity, Place, HouseRules, ScreenHold string
	Open, Listed                                                                              bool
}

// InputOf returns the form values of an existing group.
func InputOf(g Group) Input {
	return Input{Name: g.Name, Description: g.Description, Topic: g.Topic, Language: g.Language, Region: g.Region,
		Mode: g.Mode, Capacity: strconv.Itoa(g.Capacity), Place: g.Place, HouseRules: g.HouseRules, ScreenHold: g.ScreenHold, Open: g.Open, Listed: g.Listed}
}

func check(in Input, g *Group) error {
	var fe *valid.Error
	if g.Name, fe = valid.Name("name", in.Name, 3, 100); fe != nil {
		return fe
	}
	if g.Description, fe = valid.Text("description", in.Description, 0, 2000, true); fe != nil {
		return fe
	}
	if g.Topic, fe = valid.OneOf("topic", in.Topic, Topics); fe != nil {
		return fe
	}
	if g.Language, fe = valid.OneOf("language", in.Language, Languages); fe != nil {
		return fe
	}
	if g.Region, fe = valid.Name("region", in.Region, 0, 80); fe != nil {
		return fe
	}
	if g.Mode, fe = valid.OneOf("mode", in.Mode, Modes); fe != nil {
		return fe
	}
	n, err := strconv.Atoi(strings.TrimSpace(in.Capacity))
	if err != nil || n < 2 || n > 200 {
		return valid.Field("capacity", "form.number", "min", 2, "max", 200)
	}
	if n < g.Members {
		return valid.Field("capacity", "groups.capacity_below_members", "members", g.Members)
	}
	g.Capacity = n
	if g.Place, fe = valid.Text("place", in.Place, 0, 300, false); fe != nil {
		return fe
	}
	if g.HouseRules, fe = valid.Text("house_rules", in.HouseRules, 0, 3000, true); fe != nil {
		return fe
	}
	if in.ScreenHold == "" {
		in.ScreenHold = HoldCrisis
	}
	if g.ScreenHold, fe = valid.OneOf("screen_hold", in.ScreenHold, ScreenHolds); fe != nil {
		return fe
	}
	g.Open, g.Listed = in.Open, in.Listed
	return nil
}

func terms(g Group) string {
	return textkit.SearchTerms(strings.Join([]string{g.Name, g.Description, g.Topic, g.Region, g.OrgName}, " "))
}

// Create adds a group to an organisation the caller coordinates.
func (s *Service) Create(ctx context.Context, orgID int64, in Input) (int64, error) {
	p, err := auth.Require(ctx, auth.PermManageGroups, orgID)
	if err != nil {
		return 0, err
	}
	g := Group{OrgID: orgID, CreatedAt: s.now().UTC()}
	if err := check(in, &g); err != nil {
		return 0, err
	}
	g.UpdatedAt = g.CreatedAt
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, orgID).Scan(&g.OrgName); err != nil {
			return err
		}
		if g.ID, err = insertGroup(ctx, tx, g, terms(g)); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "groups.create", g.ID, g.Name)
	})
	return g.ID, err
}

// Update changes a group's page and settings.
func (s *Service) Update(ctx context.Context, id int64, in Input) error {
	p, g, err := s.manage(ctx, id)
	if err != nil {
		return err
	}
	if err := check(in, &g); err != nil {
		return err
	}
	g.UpdatedAt = s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := updateGroup(ctx, tx, g, terms(g)); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "groups.update", id, g.Name)
	})
}

// ManageableOrgs lists the organisations where the caller may create groups.
func (s *Service) ManageableOrgs(ctx context.Context) ([]auth.Grant, error) {
	p, err := auth.Require(ctx, auth.PermManageGroups, 0)
	if err != nil {
		return nil, err
	}
	var out []auth.Grant
	seen := map[int64]bool{}
	for _, g := range p.Grants {
		if !seen[g.OrgID] && p.Can(auth.PermManageGroups, g.OrgID) {
			seen[g.OrgID] = true
			out = append(out, g)
		}
	}
	if p.SiteAdmin && len(out) == 0 {
		rows, err := s.db.Query(ctx, `SELECT id, name FROM organisations ORDER BY name`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var g auth.Grant
			if err := rows.Scan(&g.OrgID, &g.OrgName); err != nil {
				return nil, err
			}
			out = append(out, g)
		}
	}
	return out, nil
}

func checkPseudonym(ctx context.Context, p *auth.Principal, name string) (string, error) {
	v, fe := valid.Name("display_name", name, 2, 40)
	if fe != nil {
		return "", fe
	}
	if strings.EqualFold(v, p.Username) {
		return "", valid.Field("display_name", "groups.pseudonym_is_username")
	}
	return v, nil
}

// AssignFacilitator makes a person who holds the facilitator role in the
// group's organisation a facilitator of the group, under a display name.
func (s *Service) AssignFacilitator(ctx context.Context, groupID int64, username, displayName string) error {
	p, g, err := s.manage(ctx, groupID)
	if err != nil {
		return err
	}
	if !p.Can(auth.PermManageGroups, g.OrgID) {
		return auth.ErrForbidden
	}
	u, grants, err := s.accounts.Lookup(ctx, username)
	if errors.Is(err, db.ErrNotFound) {
		return valid.Field("username", "admin.no_such_user")
	} else if err != nil {
		return err
	}
	ok := false
	for _, gr := range grants {
		ok = ok || (gr.OrgID == g.OrgID && gr.Role == auth.RoleFacilitator)
	}
	if !ok {
		return valid.Field("username", "groups.not_a_facilitator")
	}
	if s.Certifier != nil {
		certified, _, err := s.Certifier.Certified(ctx, u.ID, g.OrgID)
		if err != nil {
			return err
		}
		if !certified {
			return valid.Field("username", "groups.not_certified")
		}
	}
	name, err := checkPseudonym(ctx, &auth.Principal{Username: u.Username}, displayName)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO group_members (group_id, user_id, display_name, role, status, rules_accepted_at, joined_at, created_at, updated_at)
			VALUES ($1, $2, $3, 'facilitator', 'active', $4, $4, $4, $4)
			ON CONFLICT (group_id, user_id) DO UPDATE SET role = 'facilitator', status = 'active', display_name = $3, updated_at = $4`,
			groupID, u.ID, name, now)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, p, "groups.facilitator.assign", groupID, fmt.Sprintf("user:%d", u.ID))
	})
	if errors.Is(err, db.ErrConflict) {
		return valid.Field("display_name", "groups.name_taken")
	}
	return err
}

// JoinInput is what a person gives to join.
type JoinInput struct {
	DisplayName string
	AcceptRules bool
	Message     string
}

// Join adds the caller to an open group at once, or asks to join a closed one.
// It returns the membership's status.
func (s *Service) Join(ctx context.Context, groupID int64, in JoinInput) (string, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return "", err
	}
	v, err := s.Group(ctx, groupID)
	if err != nil {
		return "", err
	}
	if v.Me != nil && (v.Me.Status == StatusActive || v.Me.Status == StatusPending) {
		return "", valid.Field("display_name", "groups.already_member")
	}
	name, err := checkPseudonym(ctx, p, in.DisplayName)
	if err != nil {
		return "", err
	}
	if !in.AcceptRules {
		return "", valid.Field("accept_rules", "groups.accept_rules_required")
	}
	msg, fe := valid.Text("message", in.Message, 0, 500, true)
	if fe != nil {
		return "", fe
	}
	status := StatusPending
	if v.Group.Open {
		status = StatusActive
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if status == StatusActive {
			// Counted inside the writer's transaction, so two people taking the
			// last place at once cannot both get it.
			if err := s.placeLeft(ctx, tx, groupID); errors.Is(err, errFull) {
				return valid.Field("display_name", "groups.full")
			} else if err != nil {
				return err
			}
		}
		var joined any
		if status == StatusActive {
			joined = now
		}
		_, err := tx.Exec(ctx, `INSERT INTO group_members (group_id, user_id, display_name, role, status, request_message,
			rules_accepted_at, joined_at, created_at, updated_at) VALUES ($1, $2, $3, 'member', $4, $5, $6, $7, $6, $6)
			ON CONFLICT (group_id, user_id) DO UPDATE SET display_name = $3, status = $4, request_message = $5,
			decision_message = '', rules_accepted_at = $6, joined_at = $7, updated_at = $6`,
			groupID, p.UserID, name, status, msg, now, joined)
		// Joining is not written to the audit log: who belongs to which group
		// is itself sensitive, and the membership row is the record.
		return err
	})
	if errors.Is(err, db.ErrConflict) {
		return "", valid.Field("display_name", "groups.name_taken")
	}
	return status, err
}

// errFull says a group has no place left.
var errFull = errors.New("groups: full")

// placeLeft checks, inside the writer's transaction, that the group has a
// place. The group row is locked first and the members counted by a second
// statement: on PostgreSQL a statement sees the data as it was when it began,
// so counting in the same statement that waited for the lock would count
// stale rows and let two people take the last place.
func (s *Service) placeLeft(ctx context.Context, tx *db.Tx, groupID int64) error {
	var capacity, members int
	if err := tx.QueryRow(ctx, `SELECT capacity FROM support_groups WHERE id = $1`+s.db.ForUpdate(), groupID).Scan(&capacity); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM group_members WHERE group_id = $1 AND status = 'active' AND role = 'member'`,
		groupID).Scan(&members); err != nil {
		return err
	}
	if members >= capacity {
		return errFull
	}
	return nil
}

// Leave takes the caller out of a group (or withdraws a request).
func (s *Service) Leave(ctx context.Context, groupID int64) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE group_members SET status = 'left', updated_at = $1
			WHERE group_id = $2 AND user_id = $3 AND status IN ('active', 'pending')`, s.now().UTC(), groupID, p.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return nil
	})
}

// Requests lists people waiting to join, for those who manage the group.
func (s *Service) Requests(ctx context.Context, groupID int64) ([]Member, error) {
	if _, _, err := s.manage(ctx, groupID); err != nil {
		return nil, err
	}
	return membersByStatus(ctx, s.db, groupID, StatusPending)
}

// Members lists the group's active members by pseudonym, for its members and
// those who manage it.
func (s *Service) Members(ctx context.Context, groupID int64) ([]Member, error) {
	v, err := s.Group(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if !v.IsMember() && !v.CanManage {
		if auth.FromContext(ctx) == nil {
			return nil, auth.ErrUnauthenticated
		}
		return nil, auth.ErrForbidden
	}
	return membersByStatus(ctx, s.db, groupID, StatusActive)
}

// Decide approves or declines a request to join, with an optional message.
func (s *Service) Decide(ctx context.Context, groupID, memberID int64, approve bool, message string) error {
	p, _, err := s.manage(ctx, groupID)
	if err != nil {
		return err
	}
	msg, fe := valid.Text("message", message, 0, 500, true)
	if fe != nil {
		return fe
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		status := StatusDeclined
		var joined any
		if approve {
			status, joined = StatusActive, now
			if err := s.placeLeft(ctx, tx, groupID); errors.Is(err, errFull) {
				return valid.Field("message", "groups.full")
			} else if err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE group_members SET status = $1, decision_message = $2, joined_at = $3, updated_at = $4
			WHERE id = $5 AND group_id = $6 AND status = 'pending'`, status, msg, joined, now, memberID, groupID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return s.record(ctx, tx, p, "groups.request."+status, groupID, fmt.Sprintf("member:%d", memberID))
	})
}

// Mine lists the caller's groups and requests.
func (s *Service) Mine(ctx context.Context) ([]Group, []Member, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+memberColumns+` FROM group_members WHERE user_id = $1 AND status IN ('active', 'pending')
		ORDER BY created_at`, p.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("groups: mine: %w", err)
	}
	var ms []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		ms = append(ms, m)
	}
	rows.Close()
	var gs []Group
	for _, m := range ms {
		g, err := groupByID(ctx, s.db, m.GroupID)
		if err != nil {
			return nil, nil, err
		}
		gs = append(gs, g)
	}
	return gs, ms, nil
}

func (s *Service) record(ctx context.Context, q db.Querier, p *auth.Principal, action string, groupID int64, detail string) error {
	return s.audit.Record(ctx, q, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: action,
		Target: fmt.Sprintf("group:%d", groupID), Detail: detail, IP: audit.IPFrom(ctx)})
}
