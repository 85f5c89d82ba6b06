package library

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// PrivacyPart is the library's share of a person's data (see package
// privacy): the resources they wrote or edited and the reviews they gave.
type PrivacyPart struct{}

// Name is the section key.
func (PrivacyPart) Name() string { return "library" }

type resourceExport struct {
	Title    string    `json:"library_title"`
	State    string    `json:"library_state"`
	ShownAs  string    `json:"library_shown_as,omitempty"`
	Language string    `json:"language"`
	Created  time.Time `json:"created_at"`
}

type reviewExport struct {
	Title    string    `json:"library_title"`
	Decision string    `json:"library_decision"`
	ShownAs  string    `json:"library_shown_as,omitempty"`
	Note     string    `json:"note,omitempty"`
	At       time.Time `json:"library_reviewed_at"`
}

type libraryExport struct {
	Resources []resourceExport `json:"library_resources_written"`
	Reviews   []reviewExport   `json:"library_reviews_given"`
}

// Export returns the resources the person wrote or edited (with the name
// they were shown as, when they were the author) and their review decisions.
func (PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := libraryExport{Resources: []resourceExport{}, Reviews: []reviewExport{}}
	rows, err := q.Query(ctx, `SELECT r.title, r.state, CASE WHEN r.author_id = $1 THEN r.author_name ELSE '' END, r.language, r.created_at
		FROM library_resources r JOIN library_contributors c ON c.resource_id = r.id WHERE c.user_id = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r resourceExport
		if err := rows.Scan(&r.Title, &r.State, &r.ShownAs, &r.Language, &r.Created); err != nil {
			rows.Close()
			return nil, err
		}
		out.Resources = append(out.Resources, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT r.title, v.decision, CASE WHEN v.decision = 'approved' AND r.reviewer_id = $1 THEN r.reviewer_name ELSE '' END,
		v.note, v.created_at FROM library_reviews v JOIN library_resources r ON r.id = v.resource_id WHERE v.reviewer_id = $1 ORDER BY v.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v reviewExport
		if err := rows.Scan(&v.Title, &v.Decision, &v.ShownAs, &v.Note, &v.At); err != nil {
			rows.Close()
			return nil, err
		}
		out.Reviews = append(out.Reviews, v)
	}
	rows.Close()
	return out, rows.Err()
}

// Erase removes the person from the library. Resources they alone wrote that
// were never published are their own unfinished words and are deleted; the
// rest are the organisation's and stay, without the person's name or link
// ("a former team member" is shown). Review notes stay, without the reviewer.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`DELETE FROM library_resources WHERE published_at IS NULL AND id IN (SELECT resource_id FROM library_contributors WHERE user_id = $1)
			AND NOT EXISTS (SELECT 1 FROM library_contributors c WHERE c.resource_id = library_resources.id AND c.user_id <> $1)`,
		`UPDATE library_resources SET author_id = NULL, author_name = '' WHERE author_id = $1`,
		`UPDATE library_resources SET reviewer_id = NULL, reviewer_name = '' WHERE reviewer_id = $1`,
		`UPDATE library_reviews SET reviewer_id = NULL WHERE reviewer_id = $1`,
		`DELETE FROM library_contributors WHERE user_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
