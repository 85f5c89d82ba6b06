package auth

import (
	"context"
	"strconv"
	"strings"
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

type roleExport struct {
	Role         string `json:"role"`
	Organisation string `json:"organisation"`
}

type sessionExport struct {
	Device   string    `json:"device"`
	Since    time.Time `json:"signed_in_at"`
	LastSeen time.Time `json:"last_seen_at"`
	Expires  time.Time `json:"expires_at"`
}

type accountExport struct {
	Username     string          `json:"username"`
	Email        string          `json:"email,omitempty"`
	Language     string          `json:"language,omitempty"`
	Created      time.Time       `json:"created_at"`
	LastSignIn   *time.Time      `json:"last_sign_in_at,omitempty"`
	Roles        []roleExport    `json:"roles"`
	Sessions     []sessionExport `json:"signed_in_devices"`
	RecoveryLeft int             `json:"recovery_codes_left"`
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
	a.Roles = []roleExport{}
	for rows.Next() {
		var r roleExport
		if err := rows.Scan(&r.Organisation, &r.Role); err != nil {
			rows.Close()
			return nil, err
		}
		a.Roles = append(a.Roles, r)
	}
	rows.Close()
	sess, err := q.Query(ctx, `SELECT user_agent, created_at, last_seen_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at`, userID)
	if err != nil {
		return nil, err
	}
	a.Sessions = []sessionExport{}
	for sess.Next() {
		var x sessionExport
		if err := sess.Scan(&x.Device, &x.Since, &x.LastSeen, &x.Expires); err != nil {
			sess.Close()
			return nil, err
		}
		a.Sessions = append(a.Sessions, x)
	}
	sess.Close()
	if err := q.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&a.RecoveryLeft); err != nil {
		return nil, err
	}
	return a, nil
}

// ErasedHash stands in for an erased account's password hash. It is the same
// for every tombstone and derived from nothing: a well-formed argon2id string
// whose digest (all zeros) no password produces, so signing in as a
// tombstone is an ordinary wrong password rather than a broken hash.
const ErasedHash = "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// ErasedPrefix starts every tombstone's username; sign-up refuses it.
const ErasedPrefix = "erased-"

// Erase keeps the account as a tombstone ("erased-ID", no e-mail, no
// password, disabled) so that what refers to it still adds up, and removes
// its sessions, recovery codes and roles. Should someone have registered
// "erased-ID" before sign-up refused such names, the tombstone takes
// "erased-ID-2" (and so on) instead.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	base := ErasedPrefix + strconv.FormatInt(userID, 10)
	name := base
	for n := 2; ; n++ {
		var taken int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE username = $1 AND id <> $2`, name, userID).Scan(&taken); err != nil {
			return err
		}
		if taken == 0 {
			break
		}
		name = base + "-" + strconv.Itoa(n)
	}
	// A mail that could not be delivered leaves the address in its job's
	// last error; the job stays, the address goes.
	var email *string
	if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&email); err != nil {
		return err
	}
	if email != nil && *email != "" {
		if _, err := tx.Exec(ctx, `UPDATE jobs SET last_error = '[erased]' WHERE lower(last_error) LIKE $1 ESCAPE '\'`,
			db.LikePattern(strings.ToLower(*email))); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET username = $1, email = NULL, password_hash = $2, locale = '', disabled = TRUE,
		site_admin = FALSE, last_login_at = NULL WHERE id = $3`, name, ErasedHash, userID); err != nil {
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
