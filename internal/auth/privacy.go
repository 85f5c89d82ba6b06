package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// VerifyPassword checks the caller's password, for steps that need it again
// (erasing one's account).
func (s *Service) VerifyPassword(ctx context.Context, password string) error {
	p, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	_, hash, err := userByName(ctx, s.db, p.Username)
	if err != nil {
		return err
	}
	if ok, err := checkPassword(password, hash); err != nil || !ok {
		return valid.Field("password", "auth.current_wrong")
	}
	return nil
}

// PrivacyPart is the account's share of a person's data (see package privacy).
type PrivacyPart struct{}

// Name is the section key.
func (PrivacyPart) Name() string { return "account" }

type accountExport struct {
	Username     string     `json:"username"`
	Email        string     `json:"email,omitempty"`
	Language     string     `json:"language,omitempty"`
	Created      time.Time  `json:"created_at"`
	LastSignIn   *time.Time `json:"last_sign_in_at,omitempty"`
	Roles        []string   `json:"roles"`
	Sessions     []string   `json:"signed_in_devices"`
	RecoveryLeft int        `json:"recovery_codes_left"`
}

// Export returns the account: names, roles and signed-in devices, never a
// password hash, token or code.
func (PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var a accountExport
	var email *string
	if err := q.QueryRow(ctx, `SELECT username, email, locale, created_at, last_login_at FROM users WHERE id = $1`, userID).
		Scan(&a.Username, &email, &a.Language, &a.Created, &a.LastSignIn); err != nil {
		return nil, err
	}
	if email != nil {
		a.Email = *email
	}
	rows, err := q.Query(ctx, `SELECT o.name, g.role FROM role_grants g JOIN organisations o ON o.id = g.org_id WHERE g.user_id = $1 ORDER BY o.name, g.role`, userID)
	if err != nil {
		return nil, err
	}
	a.Roles = []string{}
	for rows.Next() {
		var org, role string
		if err := rows.Scan(&org, &role); err != nil {
			rows.Close()
			return nil, err
		}
		a.Roles = append(a.Roles, role+" @ "+org)
	}
	rows.Close()
	sess, err := q.Query(ctx, `SELECT user_agent, created_at FROM sessions WHERE user_id = $1 ORDER BY created_at`, userID)
	if err != nil {
		return nil, err
	}
	a.Sessions = []string{}
	for sess.Next() {
		var ua string
		var at time.Time
		if err := sess.Scan(&ua, &at); err != nil {
			sess.Close()
			return nil, err
		}
		a.Sessions = append(a.Sessions, fmt.Sprintf("%s (%s)", ua, at.UTC().Format(time.RFC3339)))
	}
	sess.Close()
	if err := q.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&a.RecoveryLeft); err != nil {
		return nil, err
	}
	return a, nil
}

// Erase keeps the account as a tombstone ("erased-ID", no e-mail, no
// password, disabled) so that what refers to it still adds up, and removes
// its sessions, recovery codes and roles.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE users SET username = $1, email = NULL, password_hash = '', locale = '', disabled = TRUE,
		site_admin = FALSE, last_login_at = NULL WHERE id = $2`, fmt.Sprintf("erased-%d", userID), userID); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM sessions WHERE user_id = $1`, `DELETE FROM recovery_codes WHERE user_id = $1`,
		`DELETE FROM role_grants WHERE user_id = $1`, `UPDATE role_grants SET granted_by = NULL WHERE granted_by = $1`} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
