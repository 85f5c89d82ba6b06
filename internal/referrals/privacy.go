package referrals

import (
	"context"
	"time"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/secret"
)

// SealedColumns describes the referrals feature's sealed columns, for key
// rotation.
func SealedColumns() []secret.Column {
	return []secret.Column{
		secret.ByID("referrals", "name_sealed", "referral_name"),
		secret.ByID("referrals", "contact_sealed", "referral_contact"),
		secret.ByID("referrals", "email_sealed", "referral_email"),
		secret.ByID("referrals", "reason_sealed", "referral_reason"),
	}
}

// PrivacyPart is the referrals' share of a person's data (see package
// privacy): the referrals that led them somewhere, and the ones they made.
type PrivacyPart struct{ S *Service }

// Name is the section key.
func (PrivacyPart) Name() string { return "referrals" }

type consentExport struct {
	Method string    `json:"method"`
	On     time.Time `json:"agreed_at"`
}

type aboutMeExport struct {
	From     string        `json:"referral_from"`
	To       string        `json:"referral_destination"`
	Status   string        `json:"status"`
	Name     string        `json:"name_used"`
	Contact  string        `json:"referral_contact,omitempty"`
	Email    string        `json:"email,omitempty"`
	Reason   string        `json:"reason"`
	Consent  consentExport `json:"referral_consent"`
	Sent     time.Time     `json:"sent_at"`
	Joined   *time.Time    `json:"referral_joined_at,omitempty"`
	Attended *time.Time    `json:"referral_first_attended_at,omitempty"`
	Closed   *time.Time    `json:"referral_closed_at,omitempty"`
}

type madeExport struct {
	To       string     `json:"referral_destination"`
	Status   string     `json:"status"`
	Sent     time.Time  `json:"sent_at"`
	Attended *time.Time `json:"referral_first_attended_at,omitempty"`
}

type referralsExport struct {
	AboutMe []aboutMeExport `json:"referrals_about_me"`
	Made    []madeExport    `json:"referrals_i_made"`
}

// Export returns the referrals that the person used (with the details the
// professional wrote about them) and the referrals they made, without the
// patients' details, which are other people's data.
func (pp PrivacyPart) Export(ctx context.Context, q db.Querier, userID int64) (any, error) {
	out := referralsExport{AboutMe: []aboutMeExport{}, Made: []madeExport{}}
	rows, err := q.Query(ctx, `SELECT `+referralColumns+referralFrom+` WHERE r.patient_id = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	var mine []Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		mine = append(mine, r)
	}
	rows.Close()
	for _, r := range mine {
		if err := pp.S.open(ctx, &r); err != nil {
			return nil, err
		}
		pp.S.name(ctx, &r)
		out.AboutMe = append(out.AboutMe, aboutMeExport{From: r.ReferrerOrg, To: r.Destination, Status: r.Status, Name: r.Name,
			Contact: r.Contact, Email: r.Email, Reason: r.Reason, Consent: consentExport{r.ConsentMethod, r.ConsentOn},
			Sent: r.SentAt, Joined: r.ClaimedAt, Attended: r.AttendedAt, Closed: r.ClosedAt})
	}
	rows, err = q.Query(ctx, `SELECT `+referralColumns+referralFrom+` WHERE r.referrer_id = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		pp.S.name(ctx, &r)
		out.Made = append(out.Made, madeExport{To: r.Destination, Status: r.Status, Sent: r.SentAt, Attended: r.AttendedAt})
	}
	return out, rows.Err()
}

// Erase unlinks the person from referrals that led them somewhere and
// removes the details written about them there (the dated steps stay, for
// the report, tied to nobody); on referrals they made, only the link to
// their account goes: the patients' details are the receiving
// organisation's record and are still needed to welcome the patient.
func (PrivacyPart) Erase(ctx context.Context, tx db.Querier, userID int64) error {
	for _, q := range []string{
		`UPDATE referrals SET patient_id = NULL, name_sealed = '', contact_sealed = '', email_sealed = '', reason_sealed = '',
			code_hash = NULL, code_expires_at = NULL WHERE patient_id = $1`,
		`UPDATE referrals SET referrer_id = NULL WHERE referrer_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
