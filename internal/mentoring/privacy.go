package mentoring

import (
	"context"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/secret"
)

// SealedColumns describes the mentoring feature's sealed columns, for key
// rotation.
func SealedColumns() []secret.Column {
	return []secret.Column{
		secret.ByID("mentor_requests", "note_sealed", "mentor_request"),
		secret.ByID("mentor_checkins", "body_sealed", "mentor_checkin"),
		secret.ByID("mentor_pairs", "mentor_feedback_sealed", "mentor_pair_mentor"),
		secret.ByID("mentor_pairs", "member_feedback_sealed", "mentor_pair_member"),
	}
}

// PrivacyPart is mentoring's share of a person's data (see package privacy).
type PrivacyPart struct{ S *Service }

// Name is the section key.
func (PrivacyPart) Name() string { return "mentoring" }

type requestExport struct {
	Name    string    `json:"name_used"`
	Status  string    `json:"status"`
	Note    string    `json:"note,omitempty"`
	Created time.Time `json:"created_at"`
}

type mentoringExport struct {
	Profiles []Profile       `json:"mentor_profiles"`
	Requests []requestExport `json:"requests"`
	Pairs    int             `json:"pairings"`
}

// Export returns the person's mentor profiles, their requests (with their
// note) and how many pairings they had; mentors' check-ins about someone are
// the mentor's notes and are not included.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := mentoringExport{Profiles: []Profile{}, Requests: []requestExport{}}
	rows, err := q.Query(ctx, `SELECT org_id FROM mentor_profiles WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	var orgs []int64
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return nil, err
		}
		orgs = append(orgs, o)
	}
	rows.Close()
	for _, o := range orgs {
		p, err := pp.S.profile(ctx, userID, o)
		if err != nil {
			return nil, err
		}
		out.Profiles = append(out.Profiles, p)
	}
	rows, err = q.Query(ctx, `SELECT id, display_name, status, note_sealed, created_at FROM mentor_requests WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r requestExport
		var id int64
		var sealed string
		if err := rows.Scan(&id, &r.Name, &r.Status, &sealed, &r.Created); err != nil {
			return nil, err
		}
		if sealed != "" {
			if r.Note, err = pp.S.secrets.Open(sealed, "mentor_request:"+strconv.FormatInt(id, 10)); err != nil {
				return nil, err
			}
		}
		out.Requests = append(out.Requests, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = q.QueryRow(ctx, `SELECT count(*) FROM mentor_pairs x JOIN mentor_requests r ON r.id = x.request_id WHERE x.mentor_id = $1 OR r.user_id = $1`,
		userID).Scan(&out.Pairs)
	return out, err
}

// Erase removes the person's profiles, the names and notes of their requests,
// and their feedback; pairings stay, without identity, for the figures.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`DELETE FROM mentor_profiles WHERE user_id = $1`,
		`UPDATE mentor_pairs SET member_feedback_sealed = '' WHERE request_id IN (SELECT id FROM mentor_requests WHERE user_id = $1)`,
		`UPDATE mentor_pairs SET mentor_feedback_sealed = '', mentor_id = NULL WHERE mentor_id = $1`,
		`UPDATE mentor_requests SET display_name = 'erased', note_sealed = '', user_id = NULL,
			status = CASE WHEN status IN ('waiting', 'proposed') THEN 'withdrawn' ELSE status END WHERE user_id = $1`,
		`UPDATE mentor_checkins SET author_id = NULL WHERE author_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
