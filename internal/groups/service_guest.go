package groups

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// passAlphabet leaves out letters easily mistaken for others.
const passAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

func newPassCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("groups: no randomness: " + err.Error())
	}
	var sb strings.Builder
	for i, x := range b {
		if i == 5 {
			sb.WriteByte('-')
		}
		sb.WriteByte(passAlphabet[int(x)%len(passAlphabet)])
	}
	return sb.String()
}

// normalisePassCode forgives case, spaces and a missing dash.
func normalisePassCode(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if strings.ContainsRune(passAlphabet, r) {
			sb.WriteRune(r)
		}
	}
	c := sb.String()
	if len(c) != 10 {
		return ""
	}
	return c[:5] + "-" + c[5:]
}

// TakeGuestSeat gives a visitor, with or without an account, a guest pass to
// one meeting of a listed group: no commitment, a short pseudonym, the house
// rules accepted. It returns the pass code, shown once.
func (s *Service) TakeGuestSeat(ctx context.Context, groupID, sessionID, original int64, displayName string, acceptRules bool) (string, error) {
	v, o, err := s.Occurrence(ctx, groupID, sessionID, original)
	if err != nil {
		return "", err
	}
	if v.IsMember() {
		return "", valid.Field("guest_name", "guests.already_member")
	}
	if !v.Group.Listed {
		return "", db.ErrNotFound
	}
	if o.Cancelled {
		return "", valid.Field("guest_name", "sessions.cancelled")
	}
	if !o.Start.After(s.now()) {
		return "", valid.Field("guest_name", "sessions.already_started")
	}
	name, fe := valid.Name("guest_name", displayName, 2, 40)
	if fe != nil {
		return "", fe
	}
	if p := auth.FromContext(ctx); p != nil && strings.EqualFold(name, p.Username) {
		return "", valid.Field("guest_name", "groups.pseudonym_is_username")
	}
	if !acceptRules {
		return "", valid.Field("guest_rules", "groups.accept_rules_required")
	}
	code := newPassCode()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var capacity, seats, going, guests int
		if err := tx.QueryRow(ctx, `SELECT capacity, guest_seats FROM group_sessions WHERE id = $1`+s.db.ForUpdate(), sessionID).
			Scan(&capacity, &seats); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM session_rsvps WHERE session_id = $1 AND occurrence_start = $2),
			(SELECT count(*) FROM guest_passes WHERE session_id = $1 AND occurrence_start = $2)`, sessionID, o.Original).
			Scan(&going, &guests); err != nil {
			return err
		}
		if guests >= seats || going+guests >= capacity {
			return valid.Field("guest_name", "guests.full")
		}
		_, err := tx.Exec(ctx, `INSERT INTO guest_passes (session_id, occurrence_start, display_name, code_hash, created_at)
			VALUES ($1, $2, $3, $4, $5)`, sessionID, o.Original, name, hashToken(code), s.now().UTC())
		return err
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// GuestPass is a pass as its holder sees it.
type GuestPass struct {
	Code        string
	DisplayName string
	Group       Group
	Occ         Occurrence
	Claimed     bool
}

// Pass returns the guest pass with the code; the code is the credential.
func (s *Service) Pass(ctx context.Context, code string) (GuestPass, error) {
	norm := normalisePassCode(code)
	if norm == "" {
		return GuestPass{}, db.ErrNotFound
	}
	var sessionID int64
	var at time.Time
	var claimed *int64
	gp := GuestPass{Code: norm}
	err := s.db.QueryRow(ctx, `SELECT session_id, occurrence_start, display_name, claimed_by FROM guest_passes WHERE code_hash = $1`,
		hashToken(norm)).Scan(&sessionID, &at, &gp.DisplayName, &claimed)
	if err != nil {
		return GuestPass{}, err
	}
	gp.Claimed = claimed != nil
	sess, err := sessionByID(ctx, s.db, sessionID)
	if err != nil {
		return GuestPass{}, err
	}
	if gp.Group, err = groupByID(ctx, s.db, sess.GroupID); err != nil {
		return GuestPass{}, err
	}
	occ, err := s.expand(ctx, []Session{sess}, at.Add(-400*24*time.Hour), at.Add(400*24*time.Hour), 0)
	if err != nil {
		return GuestPass{}, err
	}
	for _, o := range occ {
		if o.Original.Equal(at) {
			gp.Occ = o
			return gp, nil
		}
	}
	return GuestPass{}, ErrNoOccurrence
}

// ClaimPass turns a guest pass into membership for the signed-in caller:
// joining at once for an open group, or asking to join a closed one, under the
// pass's pseudonym. It returns the group and the membership's status.
func (s *Service) ClaimPass(ctx context.Context, code string) (int64, string, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return 0, "", err
	}
	gp, err := s.Pass(ctx, code)
	if err != nil {
		return 0, "", err
	}
	if gp.Claimed {
		return 0, "", valid.Field("claim", "guests.already_claimed")
	}
	status, err := s.Join(ctx, gp.Group.ID, JoinInput{DisplayName: gp.DisplayName, AcceptRules: true,
		Message: "Sudah pernah ikut sebagai tamu / came as a guest"})
	if err != nil {
		var fe *valid.Error
		if errors.As(err, &fe) {
			fe.Field = "claim"
		}
		return 0, "", err
	}
	_, err = s.db.Exec(ctx, `UPDATE guest_passes SET claimed_by = $1, claimed_at = $2 WHERE code_hash = $3 AND claimed_by IS NULL`,
		p.UserID, s.now().UTC(), hashToken(gp.Code))
	return gp.Group.ID, status, err
}
