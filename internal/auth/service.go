package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Service is the entry point to accounts, sessions, organisations and roles.
type Service struct {
	db         *db.DB
	audit      *audit.Log
	hash       HashParams
	lim        *limiter
	now        func() time.Time
	SessionTTL time.Duration
	dummyHash  string
}

// Options tune a Service; the zero value is production's defaults.
type Options struct {
	Hash HashParams       // zero: DefaultHashParams
	Now  func() time.Time // zero: time.Now
}

// NewService returns the auth service over d, writing to the audit log a.
func NewService(d *db.DB, a *audit.Log, o Options) *Service {
	if o.Hash.Memory == 0 {
		o.Hash = DefaultHashParams
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{db: d, audit: a, hash: o.Hash, lim: newLimiter(o.Now), now: o.Now, SessionTTL: 30 * 24 * time.Hour}
	s.dummyHash, _ = hashPassword("not a real password", o.Hash)
	return s
}

// Field limits, also shown in the forms' hints.
const (
	UsernameMin = 3
	UsernameMax = 32
	PasswordMin = 10
	PasswordMax = 200
	// RecoveryCodeCount is how many codes a person receives at a time.
	RecoveryCodeCount = 10
)

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// NormaliseUsername lower-cases and trims a typed username.
func NormaliseUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckUsername applies the username rules.
func CheckUsername(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", valid.Field(field, "form.invalid_text")
	}
	v, fe := valid.Text(field, NormaliseUsername(s), UsernameMin, UsernameMax, false)
	if fe != nil {
		return "", fe
	}
	if !usernameRE.MatchString(v) {
		return "", valid.Field(field, "form.username_chars")
	}
	return v, nil
}

// CheckPassword applies the password rules.
func CheckPassword(field, pw string) error {
	if !utf8.ValidString(pw) {
		return valid.Field(field, "form.invalid_text")
	}
	n := utf8.RuneCountInString(pw)
	if n == 0 {
		return valid.Field(field, "form.required")
	}
	if n < PasswordMin {
		return valid.Field(field, "form.too_short", "min", PasswordMin)
	}
	if n > PasswordMax {
		return valid.Field(field, "form.too_long", "max", PasswordMax)
	}
	return nil
}

// Registration is what a new person gives: a username and password, and
// optionally an e-mail address and language.
type Registration struct {
	Username string
	Password string
	Email    string
	Locale   string
}

// Register creates an account and returns it with its recovery codes, which
// are shown once and never stored in the clear.
func (s *Service) Register(ctx context.Context, r Registration) (User, []string, error) {
	name, err := CheckUsername("username", r.Username)
	if err != nil {
		return User{}, nil, err
	}
	if err := CheckPassword("password", r.Password); err != nil {
		return User{}, nil, err
	}
	email, fe := valid.Email("email", r.Email)
	if fe != nil {
		return User{}, nil, fe
	}
	hash, err := hashPassword(r.Password, s.hash)
	if err != nil {
		return User{}, nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	now := s.now().UTC()
	u := User{Username: name, Email: email, Locale: r.Locale, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		id, err := insertUser(ctx, tx, u, hash, now)
		if err != nil {
			return err
		}
		u.ID = id
		if err := replaceRecoveryCodes(ctx, tx, id, codes, now); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: id, ActorName: name, Action: "auth.register",
			Target: fmt.Sprintf("user:%d", id), IP: audit.IPFrom(ctx)})
	})
	if errors.Is(err, db.ErrConflict) {
		if email != "" && strings.Contains(err.Error(), "email") {
			return User{}, nil, valid.Field("email", "auth.email_taken")
		}
		return User{}, nil, valid.Field("username", "auth.username_taken")
	}
	if err != nil {
		return User{}, nil, err
	}
	return u, codes, nil
}

// ErrBadCredentials is the one answer to a wrong username or a wrong password.
var ErrBadCredentials = errors.New("auth: username or password incorrect")

// ErrDisabled means the account has been switched off by an administrator.
var ErrDisabled = errors.New("auth: account disabled")

// RateLimitedError says how long to wait before trying again.
type RateLimitedError struct{ Wait time.Duration }

func (e *RateLimitedError) Error() string { return "auth: too many attempts, wait " + e.Wait.String() }

// Minutes is the wait rounded up to whole minutes, for messages.
func (e *RateLimitedError) Minutes() int { return int((e.Wait + time.Minute - 1) / time.Minute) }

// Login checks a username and password and opens a session, returning its token.
// Unknown usernames cost the same work and get the same answer as wrong passwords.
func (s *Service) Login(ctx context.Context, username, password, userAgent string) (string, User, error) {
	name := NormaliseUsername(username)
	ip := audit.IPFrom(ctx)
	keys := []string{"u:" + name, "ip:" + ip}
	if w := s.lim.wait(keys...); w > 0 {
		return "", User{}, &RateLimitedError{Wait: w}
	}
	u, hash, err := userByName(ctx, s.db, name)
	if errors.Is(err, db.ErrNotFound) || len(name) > UsernameMax*2 {
		_, _ = checkPassword(password, s.dummyHash)
		s.lim.fail(keys...)
		s.recordFailure(ctx, name, ip)
		return "", User{}, ErrBadCredentials
	}
	if err != nil {
		return "", User{}, err
	}
	ok, err := checkPassword(password, hash)
	if err != nil {
		return "", User{}, err
	}
	if !ok {
		s.lim.fail(keys...)
		s.recordFailure(ctx, name, ip)
		return "", User{}, ErrBadCredentials
	}
	if u.Disabled {
		return "", User{}, ErrDisabled
	}
	s.lim.succeed("u:" + name)
	token, err := s.openSession(ctx, u, userAgent, "auth.login")
	return token, u, err
}

func (s *Service) recordFailure(ctx context.Context, name, ip string) {
	if utf8.RuneCountInString(name) > UsernameMax*2 || !utf8.ValidString(name) {
		name = "(invalid)"
	}
	_ = s.audit.Record(ctx, nil, audit.Entry{ActorName: name, Action: "auth.login_failed", IP: ip})
}

func (s *Service) openSession(ctx context.Context, u User, userAgent, action string) (string, error) {
	token := newToken(32)
	now := s.now().UTC()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	if !utf8.ValidString(userAgent) {
		userAgent = strings.ToValidUTF8(userAgent, "")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := insertSession(ctx, tx, tokenHash(token), u.ID, now, now.Add(s.SessionTTL), userAgent); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, now, u.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, ActorName: u.Username, Action: action,
			Target: fmt.Sprintf("user:%d", u.ID), IP: audit.IPFrom(ctx)})
	})
	if err != nil {
		return "", fmt.Errorf("auth: open session: %w", err)
	}
	return token, nil
}

// Authenticate returns the principal of a session token, or nil if the token
// is unknown, expired or belongs to a disabled account.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	now := s.now().UTC()
	var u User
	var last *time.Time
	var expires, seen time.Time
	err := s.db.QueryRow(ctx, `SELECT u.id, u.username, COALESCE(u.email, ''), u.locale, u.site_admin, u.disabled,
			u.created_at, u.last_login_at, s.expires_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, tokenHash(token)).
		Scan(&u.ID, &u.Username, &u.Email, &u.Locale, &u.SiteAdmin, &u.Disabled, &u.CreatedAt, &last, &expires, &seen)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: authenticate: %w", err)
	}
	if u.Disabled || !expires.After(now) {
		return nil, nil
	}
	if now.Sub(seen) > 10*time.Minute {
		// Sliding expiry, written at most every ten minutes to spare the writer.
		_, _ = s.db.Exec(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3`,
			now, now.Add(s.SessionTTL), tokenHash(token))
	}
	grants, err := grantsOf(ctx, s.db, u.ID)
	if err != nil {
		return nil, err
	}
	return &Principal{UserID: u.ID, Username: u.Username, Locale: u.Locale, SiteAdmin: u.SiteAdmin, Grants: grants}, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	p := FromContext(ctx)
	if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash(token)); err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	if p != nil {
		return s.audit.Record(ctx, nil, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "auth.logout", IP: audit.IPFrom(ctx)})
	}
	return nil
}

// ChangePassword replaces the signed-in person's password after checking the
// current one, and ends their other sessions.
func (s *Service) ChangePassword(ctx context.Context, current, next, keepToken string) error {
	p, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	_, hash, err := userByName(ctx, s.db, p.Username)
	if err != nil {
		return err
	}
	if ok, err := checkPassword(current, hash); err != nil || !ok {
		return valid.Field("current", "auth.current_wrong")
	}
	if err := CheckPassword("password", next); err != nil {
		return err
	}
	newHash, err := hashPassword(next, s.hash)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := setPasswordHash(ctx, tx, p.UserID, newHash, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, p.UserID, tokenHash(keepToken)); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "auth.password_change",
			Target: fmt.Sprintf("user:%d", p.UserID), IP: audit.IPFrom(ctx)})
	})
}

// Recover lets a person who forgot their password set a new one with one of
// their recovery codes; the code is used up and all sessions end. It is rate
// limited like Login and answers the same way for unknown usernames.
func (s *Service) Recover(ctx context.Context, username, code, next, userAgent string) (string, User, error) {
	name := NormaliseUsername(username)
	ip := audit.IPFrom(ctx)
	keys := []string{"u:" + name, "ip:" + ip}
	if w := s.lim.wait(keys...); w > 0 {
		return "", User{}, &RateLimitedError{Wait: w}
	}
	if err := CheckPassword("password", next); err != nil {
		return "", User{}, err
	}
	norm := normaliseRecoveryCode(code)
	u, _, err := userByName(ctx, s.db, name)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return "", User{}, err
	}
	var codeID int64
	if err == nil && norm != "" {
		err = s.db.QueryRow(ctx, `SELECT id FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
			u.ID, tokenHash(norm)).Scan(&codeID)
	}
	if codeID == 0 || u.Disabled {
		s.lim.fail(keys...)
		_ = s.audit.Record(ctx, nil, audit.Entry{ActorName: name, Action: "auth.recover_failed", IP: ip})
		return "", User{}, ErrBadCredentials
	}
	hash, err := hashPassword(next, s.hash)
	if err != nil {
		return "", User{}, err
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, now, codeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrBadCredentials // used by a concurrent request
		}
		if err := setPasswordHash(ctx, tx, u.ID, hash, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
		return err
	})
	if err != nil {
		return "", User{}, err
	}
	s.lim.succeed("u:" + name)
	token, err := s.openSession(ctx, u, userAgent, "auth.recover")
	return token, u, err
}

// NewRecoveryCodes replaces the signed-in person's recovery codes after
// checking their password, and returns the new ones to show once.
func (s *Service) NewRecoveryCodes(ctx context.Context, password string) ([]string, error) {
	p, err := RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	_, hash, err := userByName(ctx, s.db, p.Username)
	if err != nil {
		return nil, err
	}
	if ok, err := checkPassword(password, hash); err != nil || !ok {
		return nil, valid.Field("current", "auth.current_wrong")
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := replaceRecoveryCodes(ctx, tx, p.UserID, codes, s.now().UTC()); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: "auth.recovery_codes_renewed", IP: audit.IPFrom(ctx)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// Account is what the signed-in person sees about their own account.
type Account struct {
	User          User
	Grants        []Grant
	CodesLeft     int
	ActiveDevices int
}

// MyAccount returns the signed-in person's account.
func (s *Service) MyAccount(ctx context.Context) (Account, error) {
	p, err := RequireUser(ctx)
	if err != nil {
		return Account{}, err
	}
	u, err := userByID(ctx, s.db, p.UserID)
	if err != nil {
		return Account{}, err
	}
	a := Account{User: u, Grants: p.Grants}
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, p.UserID).Scan(&a.CodesLeft); err != nil {
		return Account{}, err
	}
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE user_id = $1 AND expires_at > $2`, p.UserID, s.now().UTC()).Scan(&a.ActiveDevices); err != nil {
		return Account{}, err
	}
	return a, nil
}

// SetLocale stores the signed-in person's interface language ("" for the browser's).
func (s *Service) SetLocale(ctx context.Context, locale string) error {
	p, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE users SET locale = $1 WHERE id = $2`, locale, p.UserID)
	return err
}

// SetEmail changes the signed-in person's optional e-mail address.
func (s *Service) SetEmail(ctx context.Context, email string) error {
	p, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	v, fe := valid.Email("email", email)
	if fe != nil {
		return fe
	}
	var arg any
	if v != "" {
		arg = v
	}
	_, err = s.db.Exec(ctx, `UPDATE users SET email = $1 WHERE id = $2`, arg, p.UserID)
	if errors.Is(err, db.ErrConflict) {
		return valid.Field("email", "auth.email_taken")
	}
	return err
}
