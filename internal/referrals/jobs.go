package referrals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/mail"
)

// Job kinds of the referrals feature.
const (
	JobInvite     = "referrals.invite"
	JobAttendance = "referrals.attendance"
	JobNoResponse = "referrals.no_response"
)

type invitePayload struct {
	ID   int64  `json:"id"`
	Code string `json:"code"` // sealed: the code itself is never stored in the clear
}

// invite queues the e-mail of an invitation when the referrer gave an
// address.
func (s *Service) invite(ctx context.Context, q db.Querier, r Referral, code string) error {
	if s.Messaging == nil || s.Messaging.Jobs == nil || !r.HasEmail {
		return nil
	}
	now := s.now().UTC()
	return s.Messaging.Jobs.Enqueue(ctx, q, JobInvite, invitePayload{ID: r.ID, Code: s.secrets.Seal(code, aad("invite", r.ID))}, now,
		"referral_invite:"+strconv.FormatInt(r.ID, 10)+":"+strconv.FormatInt(now.UnixNano(), 10))
}

// SendInvite e-mails an invitation (the JobInvite handler): where to go and
// the code, in the language the referrer chose, and never the reason. A
// code replaced or used since is not sent.
func (s *Service) SendInvite(ctx context.Context, payload []byte) error {
	m := s.Messaging
	if m == nil || m.Mail == nil || m.Bundle == nil {
		return nil
	}
	var j invitePayload
	if err := json.Unmarshal(payload, &j); err != nil {
		return err
	}
	r, err := referralByID(ctx, s.db, j.ID)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	code, err := s.secrets.Open(j.Code, aad("invite", r.ID))
	if err != nil {
		return err
	}
	var current *string
	if err := s.db.QueryRow(ctx, `SELECT code_hash FROM referrals WHERE id = $1`, r.ID).Scan(&current); err != nil {
		return err
	}
	if r.Status != StatusAccepted || r.Claimed() || current == nil || *current != hashCode(normaliseCode(code)) {
		return nil
	}
	if err := s.open(ctx, &r); err != nil {
		return err
	}
	if r.Email == "" {
		return nil
	}
	s.name(ctx, &r)
	lang := r.InviteLang
	if !m.Bundle.Supported(lang) {
		lang = m.Bundle.Fallback()
	}
	until, err := m.Bundle.Date(lang, *r.CodeExpires)
	if err != nil {
		return err
	}
	fill := []any{"destination", r.Destination, "code", code, "link", m.BaseURL + "/referrals/claim", "until", until}
	subject, err := m.Bundle.T(lang, "referrals.mail.subject", fill...)
	if err != nil {
		return err
	}
	body, err := m.Bundle.T(lang, "referrals.mail.body", fill...)
	if err != nil {
		return err
	}
	return m.Mail.Send(ctx, mail.Message{To: r.Email, Subject: subject, Text: body})
}

// SyncAttendance moves accepted group referrals to first attended once the
// person has been marked present at a meeting of the group (the
// JobAttendance handler; pages showing referrals call it too, so the step
// shows as soon as the roll is saved).
func (s *Service) SyncAttendance(ctx context.Context, _ []byte) error {
	found, err := firstAttendance(ctx, s.db)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	for id, at := range found {
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			r, err := referralByID(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := move(ctx, tx, id, StatusAccepted, StatusAttended, at, now, ""); err != nil {
				return err
			}
			if err := s.record(ctx, tx, nil, "referrals.attended", id, "by:roll"); err != nil {
				return err
			}
			return s.tellReferrer(ctx, tx, r, 0, "referral_attended")
		})
		if err != nil && !errors.Is(err, errMoved) {
			return fmt.Errorf("referrals: attended %d: %w", id, err)
		}
	}
	return nil
}

// MarkNoResponse marks referrals that had no answer within NoResponseAfter
// (the daily JobNoResponse handler) and tells both sides.
func (s *Service) MarkNoResponse(ctx context.Context, _ []byte) error {
	now := s.now().UTC()
	rows, err := s.db.Query(ctx, `SELECT id, status FROM referrals WHERE status IN ('sent', 'received') AND sent_at < $1 ORDER BY id`,
		now.Add(-NoResponseAfter))
	if err != nil {
		return fmt.Errorf("referrals: overdue: %w", err)
	}
	type due struct {
		id     int64
		status string
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.status); err != nil {
			rows.Close()
			return err
		}
		list = append(list, d)
	}
	rows.Close()
	for _, d := range list {
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			r, err := referralByID(ctx, tx, d.id)
			if err != nil {
				return err
			}
			if err := move(ctx, tx, d.id, d.status, StatusNoResponse, now, now, ""); err != nil {
				return err
			}
			if err := s.record(ctx, tx, nil, "referrals.no_response", d.id, ""); err != nil {
				return err
			}
			if err := s.tellReferrer(ctx, tx, r, 0, "referral_no_response"); err != nil {
				return err
			}
			return s.tellReceivers(ctx, tx, r, 0, "referral_no_response")
		})
		if err != nil && !errors.Is(err, errMoved) {
			return err
		}
	}
	return nil
}
