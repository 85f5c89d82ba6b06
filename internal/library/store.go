package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/db"
)

const resourceColumns = `r.id, r.org_id, o.name, r.kind, r.language, r.topic, r.title, r.summary, r.body, r.body_html, r.url,
	r.state, r.author_name, r.reviewer_name, r.reviewed_at, r.submitted_at, r.published_at, r.created_at, r.updated_at`

func scanResource(row interface{ Scan(...any) error }, extra ...any) (Resource, error) {
	var r Resource
	var html string
	dest := append([]any{&r.ID, &r.OrgID, &r.OrgName, &r.Kind, &r.Language, &r.Topic, &r.Title, &r.Summary, &r.Body, &html, &r.URL,
		&r.State, &r.AuthorName, &r.ReviewerName, &r.ReviewedAt, &r.SubmittedAt, &r.PublishedAt, &r.CreatedAt, &r.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Resource{}, err
	}
	r.HTML = template.HTML(html) // rendered and sanitised by markup when saved
	return r, nil
}

func resourceByID(ctx context.Context, q db.Querier, id int64) (Resource, error) {
	r, err := scanResource(q.QueryRow(ctx, `SELECT `+resourceColumns+` FROM library_resources r JOIN organisations o ON o.id = r.org_id WHERE r.id = $1`, id))
	if err != nil {
		return Resource{}, fmt.Errorf("library: resource %d: %w", id, err)
	}
	return r, nil
}

func scanResources(rows *sql.Rows, err error) ([]Resource, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Resource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// listPublished returns one page of published resources matching f, newest
// first, and how many match in all. query is db.SearchQuery's text or "".
func listPublished(ctx context.Context, d *db.DB, f Filter, query string) ([]Resource, int, error) {
	where := `WHERE r.state = 'published' AND ($1 = '' OR r.kind = $1) AND ($2 = '' OR r.language = $2) AND ($3 = '' OR r.topic = $3)`
	args := []any{f.Kind, f.Language, f.Topic}
	if query != "" {
		where += ` AND ` + d.SearchMatch("library_resources", "r", "$4")
		args = append(args, query)
	}
	var total int
	if err := d.QueryRow(ctx, `SELECT count(*) FROM library_resources r `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("library: count: %w", err)
	}
	n := len(args)
	page, err := scanResources(d.Query(ctx, `SELECT `+resourceColumns+` FROM library_resources r JOIN organisations o ON o.id = r.org_id `+where+
		fmt.Sprintf(` ORDER BY r.published_at DESC, r.id DESC LIMIT $%d OFFSET $%d`, n+1, n+2), append(args, f.PerPage, (f.Page-1)*f.PerPage)...))
	if err != nil {
		return nil, 0, fmt.Errorf("library: list: %w", err)
	}
	return page, total, nil
}

// orgScope is the condition "r.org_id is one of orgs" with its WITH clause;
// all is true for network administrators, who write everywhere.
func orgScope(orgs []int64, all bool) (with, cond string) {
	if all {
		return "", "TRUE"
	}
	if len(orgs) == 0 {
		return "", "FALSE"
	}
	return db.IDList("orgs", orgs), "r.org_id IN (SELECT value FROM orgs)"
}

// reviewQueue lists resources waiting for review in the caller's
// organisations: those others wrote (mine false) or those the caller wrote or
// edited (mine true).
func reviewQueue(ctx context.Context, q db.Querier, userID int64, orgs []int64, all, mine bool) ([]Resource, error) {
	with, cond := orgScope(orgs, all)
	not := "NOT "
	if mine {
		not = ""
	}
	out, err := scanResources(q.Query(ctx, with+`SELECT `+resourceColumns+` FROM library_resources r JOIN organisations o ON o.id = r.org_id
		WHERE r.state = 'in_review' AND `+cond+` AND `+not+`EXISTS (SELECT 1 FROM library_contributors c WHERE c.resource_id = r.id AND c.user_id = $1)
		ORDER BY r.submitted_at, r.id LIMIT 100`, userID))
	if err != nil {
		return nil, fmt.Errorf("library: review queue: %w", err)
	}
	return out, nil
}

// listForWriters returns one page of the caller's organisations' resources in
// a state ("" for every state), most recently changed first, and the total.
func listForWriters(ctx context.Context, q db.Querier, orgs []int64, all bool, state string, page, perPage int) ([]Resource, int, error) {
	with, cond := orgScope(orgs, all)
	where := ` WHERE ` + cond + ` AND ($1 = '' OR r.state = $1)`
	var total int
	if err := q.QueryRow(ctx, with+`SELECT count(*) FROM library_resources r`+where, state).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("library: count for writers: %w", err)
	}
	out, err := scanResources(q.Query(ctx, with+`SELECT `+resourceColumns+` FROM library_resources r JOIN organisations o ON o.id = r.org_id`+where+
		` ORDER BY r.updated_at DESC, r.id DESC LIMIT $2 OFFSET $3`, state, perPage, (page-1)*perPage))
	if err != nil {
		return nil, 0, fmt.Errorf("library: list for writers: %w", err)
	}
	return out, total, nil
}

func isContributor(ctx context.Context, q db.Querier, resourceID, userID int64) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM library_contributors WHERE resource_id = $1 AND user_id = $2`, resourceID, userID).Scan(&n)
	return n > 0, err
}

func addContributor(ctx context.Context, q db.Querier, resourceID, userID int64) error {
	_, err := q.Exec(ctx, `INSERT INTO library_contributors (resource_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, resourceID, userID)
	return err
}

func contributors(ctx context.Context, q db.Querier, resourceID int64) ([]int64, error) {
	return ids(q.Query(ctx, `SELECT user_id FROM library_contributors WHERE resource_id = $1 ORDER BY user_id`, resourceID))
}

// writersOf lists the active people who hold roles with the library
// permission in an organisation. role_grants is read directly, read-only, as
// the safety and referrals features do to route their notices.
func writersOf(ctx context.Context, q db.Querier, orgID int64, roles []string) ([]int64, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	ph := make([]string, len(roles))
	args := []any{orgID}
	for i, r := range roles {
		ph[i] = "$" + strconv.Itoa(i+2)
		args = append(args, r)
	}
	return ids(q.Query(ctx, `SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.org_id = $1 AND g.role IN (`+strings.Join(ph, ", ")+`) AND u.disabled = FALSE ORDER BY g.user_id`, args...))
}

func ids(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func reviewsOf(ctx context.Context, q db.Querier, resourceID int64) ([]Review, error) {
	rows, err := q.Query(ctx, `SELECT COALESCE(u.username, ''), v.decision, v.note, v.created_at FROM library_reviews v
		LEFT JOIN users u ON u.id = v.reviewer_id WHERE v.resource_id = $1 ORDER BY v.id DESC`, resourceID)
	if err != nil {
		return nil, fmt.Errorf("library: reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var v Review
		if err := rows.Scan(&v.Reviewer, &v.Decision, &v.Note, &v.At); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// lastName is the name the person last chose to be shown as, as author or
// reviewer, to fill the next form.
func lastName(ctx context.Context, q db.Querier, userID int64) (string, error) {
	var name string
	err := q.QueryRow(ctx, `SELECT name FROM (
		SELECT author_name AS name, updated_at AS at FROM library_resources WHERE author_id = $1 AND author_name <> ''
		UNION ALL SELECT reviewer_name, reviewed_at FROM library_resources WHERE reviewer_id = $1 AND reviewer_name <> '') n
		ORDER BY at DESC LIMIT 1`, userID).Scan(&name)
	if errors.Is(err, db.ErrNotFound) {
		return "", nil
	}
	return name, err
}
