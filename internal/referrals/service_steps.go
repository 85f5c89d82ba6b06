package referrals

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// jump is the error for a step the referral cannot take from where it is:
// one that skips a step, goes back, or was already taken.
func jump(to string) error {
	switch to {
	case StatusAccepted:
		return valid.Field("status", "referrals.cannot.accept")
	case StatusDeclined:
		return valid.Field("status", "referrals.cannot.decline")
	case StatusAttended:
		return valid.Field("status", "referrals.cannot.attended")
	default:
		return valid.Field("status", "referrals.cannot.close")
	}
}

// Accept accepts a received referral for a receiver and returns the
// patient's one-time invitation code, shown once to print or read out; it
// is e-mailed too when the referrer gave an address.
func (s *Service) Accept(ctx context.Context, id int64) (string, error) {
	p, r, err := s.access(ctx, id)
	if err != nil {
		return "", err
	}
	if !r.IsReceiver {
		return "", auth.ErrForbidden
	}
	if !CanMove(r.Status, StatusAccepted) {
		return "", jump(StatusAccepted)
	}
	code := s.code()
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := move(ctx, tx, id, r.Status, StatusAccepted, now, now, "code_hash = $6, code_expires_at = $7",
			hashCode(normaliseCode(code)), now.Add(CodeLife)); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "referrals.accept", id, ""); err != nil {
			return err
		}
		if err := s.tellReferrer(ctx, tx, r, p.UserID, "referral_accepted"); err != nil {
			return err
		}
		return s.invite(ctx, tx, r, code)
	})
	if errors.Is(err, errMoved) {
		return "", jump(StatusAccepted)
	}
	return code, err
}

// Decline declines a received referral with one of DeclineReasons.
func (s *Service) Decline(ctx context.Context, id int64, reason string) error {
	p, r, err := s.access(ctx, id)
	if err != nil {
		return err
	}
	if !r.IsReceiver {
		return auth.ErrForbidden
	}
	if !CanMove(r.Status, StatusDeclined) {
		return jump(StatusDeclined)
	}
	if _, fe := valid.OneOf("decline_reason", reason, DeclineReasons); fe != nil {
		return fe
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := move(ctx, tx, id, r.Status, StatusDeclined, now, now, "decline_reason = $6", reason); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "referrals.decline", id, "reason:"+reason); err != nil {
			return err
		}
		return s.tellReferrer(ctx, tx, r, p.UserID, "referral_declined")
	})
	if errors.Is(err, errMoved) {
		return jump(StatusDeclined)
	}
	return err
}

// NewCode replaces the invitation code of an accepted referral whose
// invitation has not been used (lost, expired), for its referrer or a
// receiver. The old code stops working.
func (s *Service) NewCode(ctx context.Context, id int64) (string, error) {
	p, r, err := s.access(ctx, id)
	if err != nil {
		return "", err
	}
	if r.Status != StatusAccepted || r.Claimed() {
		return "", valid.Field("status", "referrals.cannot.code")
	}
	code := s.code()
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE referrals SET code_hash = $1, code_expires_at = $2, updated_at = $3
			WHERE id = $4 AND status = 'accepted' AND patient_id IS NULL`, hashCode(normaliseCode(code)), now.Add(CodeLife), now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return valid.Field("status", "referrals.cannot.code")
		}
		if err := s.record(ctx, tx, p, "referrals.code", id, ""); err != nil {
			return err
		}
		return s.invite(ctx, tx, r, code)
	})
	return code, err
}

// RecordAttended records, for a receiver, the day the person first came to
// a service. Groups need no such step: the roll call of a meeting records it.
func (s *Service) RecordAttended(ctx context.Context, id int64, day string) error {
	p, r, err := s.access(ctx, id)
	if err != nil {
		return err
	}
	if !r.IsReceiver {
		return auth.ErrForbidden
	}
	if r.Kind != KindService {
		return valid.Field("attended_on", "referrals.attended_by_roll")
	}
	if !CanMove(r.Status, StatusAttended) {
		return jump(StatusAttended)
	}
	at, err := time.Parse("2006-01-02", strings.TrimSpace(day))
	now := s.now().UTC()
	if err != nil || at.After(now) || at.Before(r.SentAt.Truncate(24*time.Hour)) {
		return valid.Field("attended_on", "referrals.attended_day")
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := move(ctx, tx, id, r.Status, StatusAttended, at, now, ""); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "referrals.attended", id, "by:hand"); err != nil {
			return err
		}
		return s.tellReferrer(ctx, tx, r, p.UserID, "referral_attended")
	})
	if errors.Is(err, errMoved) {
		return jump(StatusAttended)
	}
	return err
}

// Close closes a referral whose person has come, for its referrer or a
// receiver; the other side is told.
func (s *Service) Close(ctx context.Context, id int64) error {
	p, r, err := s.access(ctx, id)
	if err != nil {
		return err
	}
	if !CanMove(r.Status, StatusClosed) {
		return jump(StatusClosed)
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := move(ctx, tx, id, r.Status, StatusClosed, now, now, ""); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "referrals.close", id, ""); err != nil {
			return err
		}
		if err := s.tellReferrer(ctx, tx, r, p.UserID, "referral_closed"); err != nil {
			return err
		}
		return s.tellReceivers(ctx, tx, r, p.UserID, "referral_closed")
	})
	if errors.Is(err, errMoved) {
		return jump(StatusClosed)
	}
	return err
}

func (s *Service) notify(ctx context.Context, q db.Querier, ids []int64, except int64, r Referral, kind string) error {
	if s.Notices == nil {
		return nil
	}
	seen := map[int64]bool{except: true, 0: true}
	var to []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			to = append(to, id)
		}
	}
	if len(to) == 0 {
		return nil
	}
	s.name(ctx, &r)
	// Only the destination's name: never anything about the patient.
	return s.Notices.Notify(ctx, q, to, kind, map[string]string{"group": r.Destination}, "/referrals/"+strconv.FormatInt(r.ID, 10))
}

// tellReferrer gives the referrer a notice, unless they took the step.
func (s *Service) tellReferrer(ctx context.Context, q db.Querier, r Referral, except int64, kind string) error {
	return s.notify(ctx, q, []int64{r.ReferrerID}, except, r, kind)
}

// tellReceivers gives the receivers a notice, except the one who acted.
func (s *Service) tellReceivers(ctx context.Context, q db.Querier, r Referral, except int64, kind string) error {
	if s.Notices == nil {
		return nil
	}
	ids, err := receiversOf(ctx, q, r.DestOrgID)
	if err != nil {
		return err
	}
	if r.Kind == KindGroup && r.GroupID != 0 {
		_, _, facilitators, err := s.Groups.Staff(auth.System(ctx), r.GroupID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		ids = append(facilitators, ids...)
	}
	return s.notify(ctx, q, ids, except, r, kind)
}
