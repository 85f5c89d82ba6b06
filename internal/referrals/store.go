package referrals

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/db"
)

// referralColumns are read by scanReferral. Group names come from the groups
// feature's table, read-only (see docs/decisions.md, Referrals).
const referralColumns = `r.id, COALESCE(r.referrer_id, 0), r.referrer_org_id, ro.name, r.dest_kind, COALESCE(r.group_id, 0), r.service_id,
	r.dest_org_id, dor.name, COALESCE(g.name, ''), COALESCE(g.open, FALSE), r.status, r.invite_lang, r.email_sealed <> '', r.consent_method, r.consent_on,
	r.decline_reason, COALESCE(r.patient_id, 0), r.sent_at, r.received_at, r.accepted_at, r.declined_at, r.claimed_at,
	r.first_attended_at, r.closed_at, r.no_response_at, r.code_expires_at, r.updated_at`

const referralFrom = ` FROM referrals r JOIN organisations ro ON ro.id = r.referrer_org_id JOIN organisations dor ON dor.id = r.dest_org_id
	LEFT JOIN support_groups g ON g.id = r.group_id`

func scanReferral(row interface{ Scan(...any) error }) (Referral, error) {
	var r Referral
	err := row.Scan(&r.ID, &r.ReferrerID, &r.ReferrerOrgID, &r.ReferrerOrg, &r.Kind, &r.GroupID, &r.ServiceID,
		&r.DestOrgID, &r.DestOrg, &r.Destination, &r.GroupOpen, &r.Status, &r.InviteLang, &r.HasEmail, &r.ConsentMethod, &r.ConsentOn,
		&r.DeclineReason, &r.PatientID, &r.SentAt, &r.ReceivedAt, &r.AcceptedAt, &r.DeclinedAt, &r.ClaimedAt,
		&r.AttendedAt, &r.ClosedAt, &r.NoResponseAt, &r.CodeExpires, &r.UpdatedAt)
	if r.Kind == KindService {
		r.Destination = r.ServiceID
	}
	return r, err
}

func referralByID(ctx context.Context, q db.Querier, id int64) (Referral, error) {
	r, err := scanReferral(q.QueryRow(ctx, `SELECT `+referralColumns+referralFrom+` WHERE r.id = $1`, id))
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return r, fmt.Errorf("referrals: get: %w", err)
	}
	return r, err
}

// listReferrals returns one page of referrals matching where (a condition on
// r written by this package, with its arguments from $1) and how many match.
func listReferrals(ctx context.Context, q db.Querier, with, where string, args []any, page, perPage int) ([]Referral, int, error) {
	var total int
	if err := q.QueryRow(ctx, with+`SELECT count(*) FROM referrals r WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("referrals: count: %w", err)
	}
	n := len(args)
	rows, err := q.Query(ctx, with+`SELECT `+referralColumns+referralFrom+` WHERE `+where+
		` ORDER BY r.sent_at DESC, r.id DESC LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2),
		append(args, perPage, (page-1)*perPage)...)
	if err != nil {
		return nil, 0, fmt.Errorf("referrals: list: %w", err)
	}
	defer rows.Close()
	var out []Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// errMoved means the referral was not in the expected status any more.
var errMoved = errors.New("referrals: status changed meanwhile")

// move changes a referral's status from one to the next, recording when, as
// a compare-and-swap: if someone moved it meanwhile, nothing changes.
func move(ctx context.Context, q db.Querier, id int64, from, to string, at, now time.Time, extra string, extraArgs ...any) error {
	col := timeColumn[to]
	if col == "" || !CanMove(from, to) {
		return fmt.Errorf("referrals: no step from %s to %s", from, to)
	}
	set := `status = $1, ` + col + ` = $2, updated_at = $3`
	if extra != "" {
		set += ", " + extra
	}
	args := append([]any{to, at.UTC(), now.UTC(), id, from}, extraArgs...)
	res, err := q.Exec(ctx, `UPDATE referrals SET `+set+` WHERE id = $4 AND status = $5`, args...)
	if err != nil {
		return fmt.Errorf("referrals: move to %s: %w", to, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errMoved
	}
	return nil
}

// receiversOf returns who answers referrals to an organisation: its
// coordinators and administrators. role_grants is read directly, read-only,
// as the safety feature does to route alerts.
func receiversOf(ctx context.Context, q db.Querier, orgID int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.org_id = $1 AND g.role IN ('coordinator', 'admin') AND u.disabled = FALSE ORDER BY g.user_id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("referrals: receivers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// firstAttendance finds, for referrals to groups that are accepted and whose
// invitation was used, the first meeting of the group the person was marked
// present at since the referral was sent. It reads the groups feature's
// attendance records read-only (see docs/decisions.md, Referrals).
func firstAttendance(ctx context.Context, q db.Querier) (map[int64]time.Time, error) {
	// Rows, not min(): an aggregate loses the column's type on SQLite, and
	// there are few rows (accepted referrals whose person has come).
	rows, err := q.Query(ctx, `SELECT r.id, a.occurrence_start FROM referrals r
		JOIN group_sessions gs ON gs.group_id = r.group_id
		JOIN session_attendance a ON a.session_id = gs.id AND a.user_id = r.patient_id AND a.present = TRUE AND a.occurrence_start >= r.sent_at
		WHERE r.status = 'accepted' AND r.dest_kind = 'group' AND r.patient_id IS NOT NULL
		ORDER BY r.id, a.occurrence_start`)
	if err != nil {
		return nil, fmt.Errorf("referrals: attendance: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		if _, seen := out[id]; !seen {
			out[id] = at
		}
	}
	return out, rows.Err()
}
