package groups

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

const groupColumns = `g.id, g.org_id, o.name, g.name, g.description, g.topic, g.language, g.region, g.mode, g.open, g.listed,
	g.capacity, g.place, g.house_rules, g.screen_hold, g.created_at, g.updated_at,
	(SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.status = 'active' AND m.role = 'member')`

func scanGroup(row interface{ Scan(...any) error }) (Group, error) {
	var g Group
	err := row.Scan(&g.ID, &g.OrgID, &g.OrgName, &g.Name, &g.Description, &g.Topic, &g.Language, &g.Region, &g.Mode,
		&g.Open, &g.Listed, &g.Capacity, &g.Place, &g.HouseRules, &g.ScreenHold, &g.CreatedAt, &g.UpdatedAt, &g.Members)
	return g, err
}

func groupByID(ctx context.Context, q db.Querier, id int64) (Group, error) {
	g, err := scanGroup(q.QueryRow(ctx, `SELECT `+groupColumns+` FROM support_groups g JOIN organisations o ON o.id = g.org_id WHERE g.id = $1`, id))
	if err != nil {
		return Group{}, fmt.Errorf("groups: group %d: %w", id, err)
	}
	return g, nil
}

// listGroups returns one page of the directory and the number of matches.
func listGroups(ctx context.Context, d *db.DB, f Filter, query string, weekdays int, now time.Time) ([]Group, int, error) {
	where := `WHERE g.listed = TRUE AND ($1 = '' OR g.topic = $1) AND ($2 = '' OR g.language = $2)
		AND ($3 = '' OR lower(g.region) = lower($3)) AND ($4 = '' OR g.mode = $4)
		AND ($5 = '' OR ($5 = 'open' AND g.open = TRUE) OR ($5 = 'closed' AND g.open = FALSE))
		AND ($6 = 0 OR EXISTS (SELECT 1 FROM group_sessions s WHERE s.group_id = g.id AND (s.weekdays & $6) <> 0
			AND (s.ends_at IS NULL OR s.ends_at > $7)))`
	args := []any{f.Topic, f.Language, f.Region, f.Mode, f.Open, weekdays, now}
	if query != "" {
		where += ` AND ` + d.SearchMatch("support_groups", "g", "$8")
		args = append(args, query)
	}
	n := len(args)
	order := fmt.Sprintf(` ORDER BY g.name, g.id LIMIT $%d OFFSET $%d`, n+1, n+2)
	pageArgs := append(args, f.PerPage, (f.Page-1)*f.PerPage)
	total := -1
	var rows *sql.Rows
	var err error
	if query == "" {
		// One pass over the filtered groups: the page is chosen with the total
		// alongside (a window count), and members are counted for the page's
		// rows only.
		rows, err = d.Query(ctx, `WITH page AS (SELECT g.id, count(*) OVER () AS total FROM support_groups g `+where+order+`)
			SELECT `+groupColumns+`, page.total FROM support_groups g JOIN organisations o ON o.id = g.org_id
			JOIN page ON page.id = g.id ORDER BY g.name, g.id`, pageArgs...)
	} else {
		// A search word may match thousands of groups: the page is read in
		// name order from the name index, stopping after one page, and the
		// total is counted on its own, without sorting every match.
		rows, err = d.Query(ctx, `WITH page AS (SELECT g.id, -1 AS total FROM support_groups g `+where+order+`)
			SELECT `+groupColumns+`, page.total FROM support_groups g JOIN organisations o ON o.id = g.org_id
			JOIN page ON page.id = g.id ORDER BY g.name, g.id`, pageArgs...)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("groups: list directory: %w", err)
	}
	var out []Group
	for rows.Next() {
		var g Group
		err := rows.Scan(&g.ID, &g.OrgID, &g.OrgName, &g.Name, &g.Description, &g.Topic, &g.Language, &g.Region, &g.Mode,
			&g.Open, &g.Listed, &g.Capacity, &g.Place, &g.HouseRules, &g.ScreenHold, &g.CreatedAt, &g.UpdatedAt, &g.Members, &total)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("groups: list directory: %w", err)
		}
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if total < 0 { // a search, or a page past the end: count on its own
		if err := d.QueryRow(ctx, `SELECT count(*) FROM support_groups g `+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("groups: count directory: %w", err)
		}
	}
	return out, total, nil
}

// regions lists the regions that listed groups meet in, for the filter.
func regions(ctx context.Context, q db.Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT region FROM support_groups WHERE listed = TRUE AND region <> '' ORDER BY region`)
	if err != nil {
		return nil, fmt.Errorf("groups: regions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func insertGroup(ctx context.Context, q db.Querier, g Group, terms string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO support_groups (org_id, name, description, topic, language, region, mode, open, listed,
		capacity, place, house_rules, search_terms, created_at, updated_at, screen_hold)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) RETURNING id`,
		g.OrgID, g.Name, g.Description, g.Topic, g.Language, g.Region, g.Mode, g.Open, g.Listed, g.Capacity, g.Place,
		g.HouseRules, terms, g.CreatedAt, g.ScreenHold).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("groups: insert group: %w", err)
	}
	return id, nil
}

func updateGroup(ctx context.Context, q db.Querier, g Group, terms string) error {
	_, err := q.Exec(ctx, `UPDATE support_groups SET name = $1, description = $2, topic = $3, language = $4, region = $5,
		mode = $6, open = $7, listed = $8, capacity = $9, place = $10, house_rules = $11, search_terms = $12, updated_at = $13,
		screen_hold = $15 WHERE id = $14`, g.Name, g.Description, g.Topic, g.Language, g.Region, g.Mode, g.Open, g.Listed, g.Capacity,
		g.Place, g.HouseRules, terms, g.UpdatedAt, g.ID, g.ScreenHold)
	if err != nil {
		return fmt.Errorf("groups: update group: %w", err)
	}
	return nil
}

const memberColumns = `id, group_id, user_id, display_name, role, status, request_message, decision_message, joined_at, created_at`

func scanMember(row interface{ Scan(...any) error }) (Member, error) {
	var m Member
	var joined *time.Time
	err := row.Scan(&m.ID, &m.GroupID, &m.UserID, &m.DisplayName, &m.Role, &m.Status, &m.RequestMessage, &m.DecisionMessage, &joined, &m.CreatedAt)
	if joined != nil {
		m.JoinedAt = *joined
	}
	return m, err
}

func memberOf(ctx context.Context, q db.Querier, groupID, userID int64) (Member, error) {
	m, err := scanMember(q.QueryRow(ctx, `SELECT `+memberColumns+` FROM group_members WHERE group_id = $1 AND user_id = $2`, groupID, userID))
	if err != nil {
		return Member{}, fmt.Errorf("groups: member: %w", err)
	}
	return m, nil
}

func membersByStatus(ctx context.Context, q db.Querier, groupID int64, status string) ([]Member, error) {
	rows, err := q.Query(ctx, `SELECT `+memberColumns+` FROM group_members WHERE group_id = $1 AND status = $2
		ORDER BY role DESC, display_name`, groupID, status)
	if err != nil {
		return nil, fmt.Errorf("groups: members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
