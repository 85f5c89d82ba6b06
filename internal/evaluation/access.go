package evaluation

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
)

// access is what a viewer may see: the whole network (analysts and network
// administrators), their organisations (coordinators and administrators),
// and the groups they facilitate.
type access struct {
	p           *auth.Principal
	network     bool
	orgs        []int64
	facilitated []int64
}

func (a access) hasOrg(id int64) bool { return a.network || contains(a.orgs, id) }

func (a access) any() bool { return a.network || len(a.orgs) > 0 || len(a.facilitated) > 0 }

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// viewer reads the caller's access.
func (s *Service) viewer(ctx context.Context) (access, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return access{}, err
	}
	a := access{p: p, network: p.SiteAdmin || p.CanAny(auth.PermViewNetworkOutcomes), orgs: p.OrgsWith(auth.PermViewOutcomes)}
	rows, err := s.db.Query(ctx, `SELECT group_id FROM group_members WHERE user_id = $1 AND role = 'facilitator' AND status = 'active' ORDER BY group_id`, p.UserID)
	if err != nil {
		return a, fmt.Errorf("evaluation: facilitated groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return a, err
		}
		a.facilitated = append(a.facilitated, id)
	}
	return a, rows.Err()
}

// Scope is the part of the network one dashboard, report or export covers,
// resolved from a filter against what the viewer may see.
type Scope struct {
	Level    string
	Network  bool    // every organisation
	OrgIDs   []int64 // when not Network
	GroupIDs []int64 // exactly these groups, when not empty
	Topic    string
	// Exempt: every group covered is one the viewer facilitates, so small
	// cells are shown (a facilitator knows their own group).
	Exempt bool
	// Name names the groups or organisations covered ("" for the network).
	Name string
}

// resolve turns f into the scope the viewer may see, or ErrForbidden.
func (s *Service) resolve(ctx context.Context, a access, f Filter) (Scope, error) {
	sc := Scope{Topic: f.Topic}
	var org int64
	if f.GroupID != 0 {
		if err := s.db.QueryRow(ctx, `SELECT org_id, name FROM support_groups WHERE id = $1`, f.GroupID).Scan(&org, &sc.Name); err != nil {
			return sc, err
		}
		if f.OrgID != 0 && f.OrgID != org {
			f.GroupID = 0 // a group left selected after choosing another organisation
		}
	}
	switch {
	case f.GroupID != 0:
		own := contains(a.facilitated, f.GroupID)
		if !own && !a.hasOrg(org) {
			return sc, auth.ErrForbidden
		}
		sc.Level, sc.OrgIDs, sc.GroupIDs, sc.Exempt = LevelGroup, []int64{org}, []int64{f.GroupID}, own
	case f.OrgID != 0:
		if !a.hasOrg(f.OrgID) {
			return sc, auth.ErrForbidden
		}
		sc.Level, sc.OrgIDs = LevelOrg, []int64{f.OrgID}
	case a.network:
		sc.Level, sc.Network = LevelNetwork, true
	case len(a.orgs) > 0:
		sc.Level, sc.OrgIDs = LevelOrg, a.orgs
	case len(a.facilitated) > 0:
		sc.Level, sc.GroupIDs, sc.Exempt = LevelMine, a.facilitated, true
	default:
		return sc, auth.ErrForbidden
	}
	if sc.Level == LevelOrg {
		names, err := s.options(ctx, db.IDList("o", sc.OrgIDs)+`SELECT id, name FROM organisations WHERE id IN (SELECT value FROM o) ORDER BY name`)
		if err != nil {
			return sc, err
		}
		var parts []string
		for _, n := range names {
			parts = append(parts, n.Name)
		}
		sc.Name = strings.Join(parts, ", ")
	}
	return sc, nil
}

// scopeSQL is a scope as SQL: the WITH clauses of its organisation or group
// lists, a condition naming the groups covered, and the condition on
// outcome_responses aliased r. Only integers formatted by Go, fixed text and
// numbered placeholders reach the SQL; the scope's own arguments follow the
// query's first ones in Args.
type scopeSQL struct {
	ctes      []string // "name(value) AS (VALUES ...)"
	groupCond string   // on support_groups g; "" covers every group
	byList    bool     // the groups are listed in wanted_groups
	Responses string   // condition on r
	Args      []any
}

// The groups are filtered in place (IN a subquery on support_groups or a
// VALUES list) rather than through a shared CTE: PostgreSQL materialises a
// CTE used twice and then misjudges how many groups it holds, which turned a
// network's "active members" into a 6-second nested loop.
func (sc Scope) sql(args ...any) scopeSQL {
	out := scopeSQL{Args: args}
	var conds []string
	switch {
	case len(sc.GroupIDs) > 0:
		out.ctes = append(out.ctes, strings.TrimSuffix(strings.TrimPrefix(db.IDList("wanted_groups", sc.GroupIDs), "WITH "), " "))
		conds = append(conds, "g.id IN (SELECT value FROM wanted_groups)")
		out.byList = sc.Topic == ""
	case !sc.Network:
		out.ctes = append(out.ctes, strings.TrimSuffix(strings.TrimPrefix(db.IDList("wanted_orgs", sc.OrgIDs), "WITH "), " "))
		conds = append(conds, "g.org_id IN (SELECT value FROM wanted_orgs)")
	}
	if sc.Topic != "" {
		out.Args = append(out.Args, sc.Topic)
		conds = append(conds, "g.topic = $"+strconv.Itoa(len(out.Args)))
	}
	out.groupCond = strings.Join(conds, " AND ")
	// Responses follow the groups when groups or a topic narrow the scope;
	// otherwise the organisations (a response need not be given in a group).
	switch {
	case len(sc.GroupIDs) > 0 || sc.Topic != "":
		out.Responses = "r.group_id" + out.inGroups()
	case sc.Network:
		out.Responses = "1 = 1"
	default:
		out.Responses = "r.org_id IN (SELECT value FROM wanted_orgs)"
	}
	return out
}

// inGroups is " IN (...)" naming the covered groups, to follow a group id
// column; "" would mean every group, so callers use groups() for that.
func (q *scopeSQL) inGroups() string {
	if q.byList {
		return " IN (SELECT value FROM wanted_groups)"
	}
	return " IN (SELECT g.id FROM support_groups g WHERE " + q.groupCond + ")"
}

// groups is the condition " AND col IN (the covered groups)", or "" when
// every group is covered.
func (q *scopeSQL) groups(col string) string {
	if q.groupCond == "" {
		return ""
	}
	return " AND " + col + q.inGroups()
}

// sessions is the condition " AND col IN (the covered groups' meetings)",
// or "" when every group is covered: roll calls and feedback name their
// meeting, and a join to every meeting just to learn its group costs a
// network-wide dashboard a second on SQLite.
func (q *scopeSQL) sessions(col string) string {
	if q.groupCond == "" {
		return ""
	}
	return " AND " + col + " IN (SELECT s.id FROM group_sessions s WHERE s.group_id" + q.inGroups() + ")"
}

// with returns the WITH clause of the scope's lists and more, or "".
func (q *scopeSQL) with(more ...string) string {
	all := append(append([]string{}, q.ctes...), more...)
	if len(all) == 0 {
		return ""
	}
	return "WITH " + strings.Join(all, ", ") + " "
}

// next returns the placeholder for one more argument v.
func (q *scopeSQL) next(v any) string {
	q.Args = append(q.Args, v)
	return "$" + strconv.Itoa(len(q.Args))
}
