package training

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// PrivacyPart is training's share of a person's data (see package privacy).
type PrivacyPart struct{}

// Name is the section key.
func (PrivacyPart) Name() string { return "training" }

type attemptExport struct {
	Module string    `json:"module"`
	Score  int       `json:"score"`
	Passed bool      `json:"passed"`
	At     time.Time `json:"taken_at"`
}

type certExport struct {
	Org     string     `json:"organisation"`
	Status  string     `json:"status"`
	Granted *time.Time `json:"granted_at,omitempty"`
	Expires *time.Time `json:"expires_at,omitempty"`
}

type trainingExport struct {
	Attempts       []attemptExport `json:"quiz_attempts"`
	Certifications []certExport    `json:"certifications"`
	Supervisions   int             `json:"supervision_sessions"`
}

// Export returns the person's quiz attempts, certifications and how many
// supervision sessions were logged with them (the supervisor's notes are
// the supervisor's record).
func (PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := trainingExport{Attempts: []attemptExport{}, Certifications: []certExport{}}
	rows, err := q.Query(ctx, `SELECT m.title, a.score, a.passed, a.created_at FROM training_attempts a JOIN training_modules m ON m.id = a.module_id
		WHERE a.user_id = $1 ORDER BY a.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var a attemptExport
		if err := rows.Scan(&a.Module, &a.Score, &a.Passed, &a.At); err != nil {
			rows.Close()
			return nil, err
		}
		out.Attempts = append(out.Attempts, a)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT o.name, c.status, c.granted_at, c.expires_at FROM certifications c JOIN organisations o ON o.id = c.org_id
		WHERE c.user_id = $1 ORDER BY c.id`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c certExport
		if err := rows.Scan(&c.Org, &c.Status, &c.Granted, &c.Expires); err != nil {
			rows.Close()
			return nil, err
		}
		out.Certifications = append(out.Certifications, c)
	}
	rows.Close()
	err = q.QueryRow(ctx, `SELECT count(*) FROM supervision_log WHERE person_id = $1`, userID).Scan(&out.Supervisions)
	return out, err
}

// Erase removes the person's attempts and certifications, and the notes of
// supervision sessions about them (the sessions stay as dated entries).
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`DELETE FROM training_attempts WHERE user_id = $1`,
		`DELETE FROM certifications WHERE user_id = $1`,
		`UPDATE certifications SET signed_off_by = NULL WHERE signed_off_by = $1`,
		`UPDATE supervision_log SET notes_sealed = '', person_id = NULL WHERE person_id = $1`,
		`UPDATE supervision_log SET supervisor_id = NULL WHERE supervisor_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
