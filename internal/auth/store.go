package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

const userColumns = `id, username, COALESCE(email, ''), locale, site_admin, disabled, created_at, last_login_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var last *time.Time
	if err := row.Scan(&u.ID, &u.Username, &u.Email, &u.Locale, &u.SiteAdmin, &u.Disabled, &u.CreatedAt, &last); err != nil {
		return User{}, err
	}
	if last != nil {
		u.LastLogin = *last
	}
	return u, nil
}

func userByID(ctx context.Context, q db.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return User{}, fmt.Errorf("auth: user %d: %w", id, err)
	}
	return u, nil
}

func userByName(ctx context.Context, q db.Querier, username string) (User, string, error) {
	var hash string
	var u User
	var last *time.Time
	err := q.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = $1`, username).
		Scan(&u.ID, &u.Username, &u.Email, &u.Locale, &u.SiteAdmin, &u.Disabled, &u.CreatedAt, &last, &hash)
	if err != nil {
		return User{}, "", fmt.Errorf("auth: user %q: %w", username, err)
	}
	if last != nil {
		u.LastLogin = *last
	}
	return u, hash, nil
}

func insertUser(ctx context.Context, q db.Querier, u User, hash string, now time.Time) (int64, error) {
	var email any
	if u.Email != "" {
		email = u.Email
	}
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO users (username, email, password_hash, locale, site_admin, created_at, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, u.Username, email, hash, u.Locale, u.SiteAdmin, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("auth: insert user: %w", err)
	}
	return id, nil
}

func setPasswordHash(ctx context.Context, q db.Querier, userID int64, hash string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3`, hash, now, userID)
	if err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	return nil
}

func grantsOf(ctx context.Context, q db.Querier, userID int64) ([]Grant, error) {
	rows, err := q.Query(ctx, `SELECT g.org_id, o.name, g.role FROM role_grants g
		JOIN organisations o ON o.id = g.org_id WHERE g.user_id = $1 ORDER BY o.name, g.role`, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: grants: %w", err)
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&g.OrgID, &g.OrgName, &g.Role); err != nil {
			return nil, fmt.Errorf("auth: grants: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func insertSession(ctx context.Context, q db.Querier, hash string, userID int64, now, expires time.Time, ua string) error {
	_, err := q.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent)
		VALUES ($1, $2, $3, $4, $3, $5)`, hash, userID, now, expires, ua)
	if err != nil {
		return fmt.Errorf("auth: insert session: %w", err)
	}
	return nil
}

func replaceRecoveryCodes(ctx context.Context, q db.Querier, userID int64, codes []string, now time.Time) error {
	if _, err := q.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("auth: clear recovery codes: %w", err)
	}
	for _, c := range codes {
		if _, err := q.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)`,
			userID, tokenHash(c), now); err != nil {
			return fmt.Errorf("auth: store recovery code: %w", err)
		}
	}
	return nil
}

func orgByID(ctx context.Context, q db.Querier, id int64) (Organisation, error) {
	var o Organisation
	err := q.QueryRow(ctx, `SELECT id, slug, name, kind, region, created_at FROM organisations WHERE id = $1`, id).
		Scan(&o.ID, &o.Slug, &o.Name, &o.Kind, &o.Region, &o.CreatedAt)
	if err != nil {
		return Organisation{}, fmt.Errorf("auth: organisation %d: %w", id, err)
	}
	return o, nil
}
