package referrals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/valid"
)

// Invitation is what a valid code opens: where the person was referred to.
type Invitation struct {
	ReferralID  int64
	Kind        string
	GroupID     int64
	Destination string
	DestOrg     string
	HouseRules  string
	Open        bool // a group joined at once; a closed group's facilitator approves
	Member      bool // the person already belongs to the group (or asked to)
}

// Invitation checks a code for the signed-in person and returns what it
// opens. Wrong codes count against the person (MaxTries an hour).
func (s *Service) Invitation(ctx context.Context, code string) (Invitation, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Invitation{}, err
	}
	now := s.now()
	if s.limit.blocked(p.UserID, now) {
		return Invitation{}, valid.Field("code", "referrals.claim.too_many")
	}
	norm := normaliseCode(code)
	if norm == "" {
		s.limit.fail(p.UserID, now)
		return Invitation{}, valid.Field("code", "referrals.claim.wrong_code")
	}
	var id int64
	err = s.db.QueryRow(ctx, `SELECT id FROM referrals WHERE code_hash = $1`, hashCode(norm)).Scan(&id)
	if errors.Is(err, db.ErrNotFound) {
		s.limit.fail(p.UserID, now)
		return Invitation{}, valid.Field("code", "referrals.claim.wrong_code")
	}
	if err != nil {
		return Invitation{}, err
	}
	r, err := referralByID(ctx, s.db, id)
	if err != nil {
		return Invitation{}, err
	}
	if r.Status != StatusAccepted || r.Claimed() {
		return Invitation{}, valid.Field("code", "referrals.claim.used")
	}
	if r.CodeExpires == nil || !r.CodeExpires.After(now) {
		return Invitation{}, valid.Field("code", "referrals.claim.expired")
	}
	s.name(ctx, &r)
	inv := Invitation{ReferralID: r.ID, Kind: r.Kind, GroupID: r.GroupID, Destination: r.Destination, DestOrg: r.DestOrg}
	if r.Kind == KindGroup {
		v, err := s.Groups.Group(ctx, r.GroupID)
		if errors.Is(err, db.ErrNotFound) || r.GroupID == 0 {
			return Invitation{}, valid.Field("code", "referrals.claim.group_gone")
		}
		if err != nil {
			return Invitation{}, err
		}
		inv.HouseRules, inv.Open = v.Group.HouseRules, v.Group.Open
		inv.Member = v.Me != nil && (v.Me.Status == groups.StatusActive || v.Me.Status == groups.StatusPending)
	}
	return inv, nil
}

// Claim uses an invitation: the signed-in person joins the group under the
// pseudonym they choose (through the groups feature's own rules: house
// rules, places, a closed group's approval), and the referral is linked to
// their account from then on. It returns the invitation and, for a group,
// the membership's status. Using a code is not written to the audit log:
// like joining a group, the link is itself sensitive, and the referral row
// is the record.
func (s *Service) Claim(ctx context.Context, code, displayName string, acceptRules bool) (Invitation, string, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Invitation{}, "", err
	}
	inv, err := s.Invitation(ctx, code)
	if err != nil {
		return Invitation{}, "", err
	}
	status := ""
	if inv.Kind == KindGroup {
		if inv.Member {
			status = groups.StatusActive
			if v, err := s.Groups.Group(ctx, inv.GroupID); err == nil && v.Me != nil {
				status = v.Me.Status
			}
		} else {
			status, err = s.Groups.Join(ctx, inv.GroupID, groups.JoinInput{DisplayName: displayName, AcceptRules: acceptRules})
			if errors.Is(err, db.ErrNotFound) {
				return inv, "", valid.Field("code", "referrals.claim.group_gone")
			}
			if err != nil {
				return inv, "", err
			}
		}
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		// The code's hash stays, so the code is answered as used, not wrong.
		res, err := tx.Exec(ctx, `UPDATE referrals SET patient_id = $1, claimed_at = $2, updated_at = $2
			WHERE id = $3 AND status = 'accepted' AND patient_id IS NULL`, p.UserID, now, inv.ReferralID)
		if err != nil {
			return fmt.Errorf("referrals: claim: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return valid.Field("code", "referrals.claim.used")
		}
		r, err := referralByID(ctx, tx, inv.ReferralID)
		if err != nil {
			return err
		}
		if err := s.tellReferrer(ctx, tx, r, p.UserID, "referral_joined"); err != nil {
			return err
		}
		return s.tellReceivers(ctx, tx, r, p.UserID, "referral_joined")
	})
	return inv, status, err
}

// Mine lists the referrals that led the signed-in person somewhere, for
// their own reference: where to, and when.
func (s *Service) Mine(ctx context.Context) ([]Referral, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	items, _, err := listReferrals(ctx, s.db, "", `r.patient_id = $1`, []any{p.UserID}, 1, 50)
	for i := range items {
		s.name(ctx, &items[i])
		s.local(&items[i])
	}
	return items, err
}

// local shows a referral's times in the deployment's zone.
func (s *Service) local(r *Referral) {
	zone := s.Zone
	if zone == nil {
		zone = time.UTC
	}
	r.SentAt = r.SentAt.In(zone)
	for _, t := range []**time.Time{&r.ReceivedAt, &r.AcceptedAt, &r.DeclinedAt, &r.ClaimedAt, &r.AttendedAt, &r.ClosedAt, &r.NoResponseAt, &r.CodeExpires} {
		if *t != nil {
			v := (**t).In(zone)
			*t = &v
		}
	}
}
