// Package privacy keeps people's consent per purpose (B3) and their data
// rights (B4): a download of everything held about them, as JSON and as a
// readable page, and erasure of their account. Each feature contributes a
// Part that exports and erases its own data; this package only orchestrates,
// checks who may ask, and records it in the audit log.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Part is one feature's share of a person's data.
type Part interface {
	// Name is the section key, e.g. "account", "groups".
	Name() string
	// Export returns everything the feature holds about userID, JSON-able,
	// with nobody else's identity in it.
	Export(ctx context.Context, q db.Querier, userID int64) (any, error)
	// Erase removes userID's identifiers and private content, keeping what
	// cannot identify them; it runs in one transaction with every other part.
	Erase(ctx context.Context, tx db.Querier, userID int64) error
}

// Purposes a person may consent to.
const (
	PurposeParticipation = "participation"
	PurposeResearch      = "research"
	PurposeStory         = "story"
	PurposeContact       = "contact"
)

// Purposes lists them in page order.
var Purposes = []string{PurposeParticipation, PurposeResearch, PurposeStory, PurposeContact}

// Service is the privacy feature.
type Service struct {
	db    *db.DB
	audit *audit.Log
	parts []Part
	now   func() time.Time
}

// NewService returns the privacy service over the features' parts.
func NewService(d *db.DB, a *audit.Log, parts ...Part) *Service {
	return &Service{db: d, audit: a, parts: parts, now: time.Now}
}

// Register adds a feature's part.
func (s *Service) Register(p Part) { s.parts = append(s.parts, p) }

// Text is a consent text as shown.
type Text struct {
	Purpose string
	Version int
	Lang    string
	Body    string
}

// Consent is a person's state for one purpose.
type Consent struct {
	Text       Text       // the current text, in the reader's language
	Agreed     bool       // agreed and not withdrawn
	Version    int        // the version last agreed to
	AgreedAt   *time.Time // when last agreed
	Withdrawn  *time.Time // when last withdrawn, if the latest record is withdrawn
	NeedsAgain bool       // agreed to an older version than the current one
}

// CurrentText returns the newest version of a purpose's text in lang (English
// when there is none in lang).
func (s *Service) CurrentText(ctx context.Context, purpose, lang string) (Text, error) {
	t := Text{Purpose: purpose}
	err := s.db.QueryRow(ctx, `SELECT version, lang, body FROM consent_texts WHERE purpose = $1 AND lang IN ($2, 'en')
		ORDER BY version DESC, CASE WHEN lang = $2 THEN 0 ELSE 1 END LIMIT 1`, purpose, lang).Scan(&t.Version, &t.Lang, &t.Body)
	return t, err
}

// Consents returns the caller's state for every purpose.
func (s *Service) Consents(ctx context.Context, lang string) ([]Consent, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	var out []Consent
	for _, purpose := range Purposes {
		c := Consent{}
		if c.Text, err = s.CurrentText(ctx, purpose, lang); err != nil {
			return nil, err
		}
		var at time.Time
		var withdrawn *time.Time
		err := s.db.QueryRow(ctx, `SELECT version, agreed_at, withdrawn_at FROM consents WHERE user_id = $1 AND purpose = $2
			ORDER BY id DESC LIMIT 1`, p.UserID, purpose).Scan(&c.Version, &at, &withdrawn)
		if errors.Is(err, db.ErrNotFound) {
			out = append(out, c)
			continue
		}
		if err != nil {
			return nil, err
		}
		c.AgreedAt, c.Withdrawn = &at, withdrawn
		c.Agreed = withdrawn == nil
		c.NeedsAgain = c.Agreed && c.Version < c.Text.Version
		out = append(out, c)
	}
	return out, nil
}

func validPurpose(purpose string) bool {
	for _, p := range Purposes {
		if p == purpose {
			return true
		}
	}
	return false
}

// Agree records that the caller agrees to the text of purpose in version and
// lang, the text they were shown; a text that is not the current one is
// refused, so nobody agrees to words they did not see.
func (s *Service) Agree(ctx context.Context, purpose string, version int, lang string) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	return s.agree(ctx, p.UserID, purpose, version, lang)
}

// AgreeFor records a new account's participation consent in the same step as
// its registration (the sign-up form shows the text).
func (s *Service) AgreeFor(ctx context.Context, userID int64, purpose string, version int, lang string) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	if p.UserID != userID {
		return auth.ErrForbidden
	}
	return s.agree(ctx, userID, purpose, version, lang)
}

func (s *Service) agree(ctx context.Context, userID int64, purpose string, version int, lang string) error {
	if !validPurpose(purpose) {
		return db.ErrNotFound
	}
	cur, err := s.CurrentText(ctx, purpose, lang)
	if err != nil {
		return err
	}
	if version != cur.Version || lang != cur.Lang {
		return valid.Field("consent", "privacy.stale_text")
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND purpose = $3 AND withdrawn_at IS NULL`,
			now, userID, purpose); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO consents (user_id, purpose, version, lang, agreed_at) VALUES ($1, $2, $3, $4, $5)`,
			userID, purpose, version, lang, now); err != nil {
			return err
		}
		return s.record(ctx, tx, "privacy.consent.agree", userID, fmt.Sprintf("%s v%d %s", purpose, version, lang))
	})
}

// Withdraw withdraws the caller's consent for purpose, at once.
func (s *Service) Withdraw(ctx context.Context, purpose string) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	if !validPurpose(purpose) {
		return db.ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND purpose = $3 AND withdrawn_at IS NULL`,
			s.now().UTC(), p.UserID, purpose)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return valid.Field("consent", "privacy.not_agreed")
		}
		return s.record(ctx, tx, "privacy.consent.withdraw", p.UserID, purpose)
	})
}

// Consenting returns which of userIDs currently consent to purpose: their
// latest record for it is an agreement not withdrawn. Exports for research
// call it (inside their own transaction, if they have one) and leave
// everyone else out.
func (s *Service) Consenting(ctx context.Context, q db.Querier, purpose string, userIDs []int64) (map[int64]bool, error) {
	if q == nil {
		q = s.db
	}
	return Consenting(ctx, q, purpose, userIDs)
}

// Consenting is Service.Consenting for callers without the service.
func Consenting(ctx context.Context, q db.Querier, purpose string, userIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(userIDs) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, db.IDList("wanted", userIDs)+` SELECT c.user_id FROM consents c
		WHERE c.purpose = $1 AND c.withdrawn_at IS NULL AND c.user_id IN (SELECT value FROM wanted)
		AND c.id = (SELECT max(l.id) FROM consents l WHERE l.user_id = c.user_id AND l.purpose = c.purpose)`, purpose)
	if err != nil {
		return nil, fmt.Errorf("privacy: consenting: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Section is one part of a person's data.
type Section struct {
	Name string
	Data any
}

// subject returns whose data the caller asks for: their own (userID 0), or,
// for a network administrator acting on a request, anyone's.
func (s *Service) subject(ctx context.Context, userID int64) (*auth.Principal, int64, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, 0, err
	}
	if userID == 0 || userID == p.UserID {
		return p, p.UserID, nil
	}
	if !p.SiteAdmin {
		return nil, 0, auth.ErrForbidden
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = $1`, userID).Scan(&n); err != nil {
		return nil, 0, err
	}
	if n == 0 {
		return nil, 0, db.ErrNotFound
	}
	return p, userID, nil
}

// Export returns everything held about a person: the caller (userID 0) or,
// for a network administrator, anyone. It is written to the audit log.
func (s *Service) Export(ctx context.Context, userID int64) ([]Section, error) {
	_, id, err := s.subject(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := []Section{}
	consents, err := s.consentHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, part := range s.parts {
		data, err := part.Export(ctx, s.db, id)
		if err != nil {
			return nil, fmt.Errorf("privacy: export %s: %w", part.Name(), err)
		}
		out = append(out, Section{Name: part.Name(), Data: data})
	}
	out = append(out, Section{Name: "consents", Data: consents})
	return out, s.record(ctx, nil, "privacy.export", id, "")
}

type consentRecord struct {
	Purpose   string     `json:"purpose"`
	Version   int        `json:"version"`
	Lang      string     `json:"language"`
	Text      string     `json:"text"`
	AgreedAt  time.Time  `json:"agreed_at"`
	Withdrawn *time.Time `json:"withdrawn_at,omitempty"`
}

func (s *Service) consentHistory(ctx context.Context, userID int64) ([]consentRecord, error) {
	rows, err := s.db.Query(ctx, `SELECT c.purpose, c.version, c.lang, COALESCE(t.body, ''), c.agreed_at, c.withdrawn_at FROM consents c
		LEFT JOIN consent_texts t ON t.purpose = c.purpose AND t.version = c.version AND t.lang = c.lang
		WHERE c.user_id = $1 ORDER BY c.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []consentRecord{}
	for rows.Next() {
		var c consentRecord
		if err := rows.Scan(&c.Purpose, &c.Version, &c.Lang, &c.Text, &c.AgreedAt, &c.Withdrawn); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EraseInput confirms an erasure.
type EraseInput struct {
	Password string // the person's own password (self-service)
	Confirm  string // the username, typed again
	Reason   string // the request an administrator acts on
}

// Passwords checks a person's password; auth.Service provides it.
type Passwords interface {
	VerifyPassword(ctx context.Context, password string) error
}

// Erase erases an account: the caller's own (userID 0; their password and
// username confirm it) or, for a network administrator acting on a request,
// someone else's (the username typed and a reason). The account stays as a
// tombstone without identifiers so that counts still add up; every feature's
// part removes its private content in one transaction; the audit log keeps
// what happened but not who.
func (s *Service) Erase(ctx context.Context, userID int64, in EraseInput, pw Passwords) error {
	p, id, err := s.subject(ctx, userID)
	if err != nil {
		return err
	}
	self := id == p.UserID
	if self && userID != 0 {
		// The administrators' route is for requests from others; one's own
		// account is erased from one's account page, with the password.
		return valid.Field("confirm", "privacy.erase_self_admin")
	}
	var username, hash string
	var email *string
	var siteAdmin, disabled bool
	if err := s.db.QueryRow(ctx, `SELECT username, email, site_admin, disabled, password_hash FROM users WHERE id = $1`, id).
		Scan(&username, &email, &siteAdmin, &disabled, &hash); err != nil {
		return err
	}
	if hash == auth.ErasedHash {
		return valid.Field("confirm", "privacy.already_erased")
	}
	if self {
		if err := pw.VerifyPassword(ctx, in.Password); err != nil {
			return valid.Field("password", "privacy.wrong_password")
		}
	} else if r, fe := valid.Text("reason", in.Reason, 5, 500, true); fe != nil {
		return fe
	} else {
		// The request stays in the log: not the name or address it may quote.
		in.Reason = scrub(r, username)
		if email != nil {
			in.Reason = scrub(in.Reason, *email)
		}
	}
	if !strings.EqualFold(strings.TrimSpace(in.Confirm), username) {
		return valid.Field("confirm", "privacy.confirm_username")
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if siteAdmin && !disabled {
			// Counted in the transaction, the rows locked on PostgreSQL, so
			// two administrators erasing each other cannot both succeed.
			if admins, err := s.activeAdmins(ctx, tx); err != nil {
				return err
			} else if admins <= 1 {
				return valid.Field("confirm", "privacy.last_admin")
			}
		}
		for _, part := range s.parts {
			if err := part.Erase(ctx, tx, id); err != nil {
				return fmt.Errorf("privacy: erase %s: %w", part.Name(), err)
			}
		}
		// Consents stay as history with no identity, but none is active.
		if _, err := tx.Exec(ctx, `UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND withdrawn_at IS NULL`, s.now().UTC(), id); err != nil {
			return err
		}
		if err := s.audit.Redact(ctx, tx, id, username); err != nil {
			return err
		}
		detail := "by the person"
		if !self {
			detail = "on request: " + in.Reason
		}
		e := audit.Entry{Action: "privacy.erase", Target: "user:" + strconv.FormatInt(id, 10), Detail: detail}
		if !self { // a person erasing themselves leaves neither name nor address
			e.ActorID, e.ActorName, e.IP = p.UserID, p.Username, audit.IPFrom(ctx)
		}
		return s.audit.Record(ctx, tx, e)
	})
	if err != nil {
		return err
	}
	return s.db.Checkpoint(ctx)
}

// scrub replaces every occurrence of word in text, in any case, with
// "[erased]".
func scrub(text, word string) string {
	if word == "" {
		return text
	}
	return regexp.MustCompile("(?i)"+regexp.QuoteMeta(word)).ReplaceAllLiteralString(text, audit.Erased)
}

func (s *Service) activeAdmins(ctx context.Context, tx db.Querier) (int, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE site_admin = TRUE AND disabled = FALSE`+s.db.ForUpdate())
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func (s *Service) record(ctx context.Context, q db.Querier, action string, userID int64, detail string) error {
	p := auth.FromContext(ctx)
	e := audit.Entry{Action: action, Target: "user:" + strconv.FormatInt(userID, 10), Detail: detail, IP: audit.IPFrom(ctx)}
	if p != nil {
		e.ActorID, e.ActorName = p.UserID, p.Username
	}
	return s.audit.Record(ctx, q, e)
}
