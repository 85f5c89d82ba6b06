package referrals

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/groups"
)

// receives reports whether the caller answers a referral: a coordinator or
// administrator of the receiving organisation, or an active facilitator of
// the receiving group.
func (s *Service) receives(ctx context.Context, p *auth.Principal, r Referral) (bool, error) {
	if p.Can(auth.PermManageGroups, r.DestOrgID) {
		return true, nil
	}
	if r.Kind != KindGroup || r.GroupID == 0 {
		return false, nil
	}
	v, err := s.Groups.Group(ctx, r.GroupID)
	if errors.Is(err, db.ErrNotFound) || errors.Is(err, auth.ErrUnauthenticated) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return v.CanManage, nil
}

// access returns a referral with how the caller relates to it. Someone who
// neither made nor receives it gets db.ErrNotFound: a referral's existence
// is not shown to others.
func (s *Service) access(ctx context.Context, id int64) (*auth.Principal, Referral, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, Referral{}, err
	}
	r, err := referralByID(ctx, s.db, id)
	if err != nil {
		return nil, Referral{}, err
	}
	r.IsReferrer = r.ReferrerID != 0 && r.ReferrerID == p.UserID
	if r.IsReceiver, err = s.receives(ctx, p, r); err != nil {
		return nil, Referral{}, err
	}
	if !r.IsReferrer && !r.IsReceiver {
		return nil, Referral{}, db.ErrNotFound
	}
	s.name(ctx, &r)
	s.local(&r)
	return p, r, nil
}

// name fills a service destination's name from the directory, when it is
// wired and knows the service; otherwise the id stays.
func (s *Service) name(ctx context.Context, r *Referral) {
	if r.Kind != KindService || s.Services == nil {
		return
	}
	if n, err := s.Services.ServiceName(ctx, r.ServiceID); err == nil && n != "" {
		r.Destination = n
	}
}

// open unseals a referral's patient details.
func (s *Service) open(ctx context.Context, r *Referral) error {
	var sealed [4]string
	if err := s.db.QueryRow(ctx, `SELECT name_sealed, contact_sealed, email_sealed, reason_sealed FROM referrals WHERE id = $1`, r.ID).
		Scan(&sealed[0], &sealed[1], &sealed[2], &sealed[3]); err != nil {
		return err
	}
	out := []*string{&r.Name, &r.Contact, &r.Email, &r.Reason}
	for i, field := range []string{"name", "contact", "email", "reason"} {
		if sealed[i] == "" {
			continue
		}
		v, err := s.secrets.Open(sealed[i], aad(field, r.ID))
		if err != nil {
			return err
		}
		*out[i] = v
	}
	return nil
}

// Referral returns one referral for its referrer or a receiver, with the
// patient's details (the read is audited). A receiver opening a new
// referral marks it received, and the referrer is told.
func (s *Service) Referral(ctx context.Context, id int64) (Referral, error) {
	if err := s.SyncAttendance(ctx, nil); err != nil {
		return Referral{}, err
	}
	p, r, err := s.access(ctx, id)
	if err != nil {
		return Referral{}, err
	}
	if r.IsReceiver && r.Status == StatusSent {
		now := s.now().UTC()
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			if err := move(ctx, tx, id, StatusSent, StatusReceived, now, now, ""); err != nil {
				return err
			}
			if err := s.record(ctx, tx, p, "referrals.receive", id, ""); err != nil {
				return err
			}
			return s.tellReferrer(ctx, tx, r, p.UserID, "referral_received")
		})
		if err != nil && !errors.Is(err, errMoved) {
			return Referral{}, err
		}
		if _, r, err = s.access(ctx, id); err != nil {
			return Referral{}, err
		}
	}
	if err := s.open(ctx, &r); err != nil {
		return Referral{}, err
	}
	if err := s.record(ctx, nil, p, "referrals.details.read", id, ""); err != nil {
		return Referral{}, err
	}
	return r, nil
}

// Page is one page of a list of referrals.
type Page struct {
	Items       []Referral
	Total       int
	Page, Pages int
}

// PerPage is how many referrals a list shows at once.
const PerPage = 20

func (s *Service) page(ctx context.Context, p *auth.Principal, with, where string, args []any, page int) (Page, error) {
	if page < 1 {
		page = 1
	}
	items, total, err := listReferrals(ctx, s.db, with, where, args, page, PerPage)
	if err != nil {
		return Page{}, err
	}
	out := Page{Items: items, Total: total, Page: page, Pages: (total + PerPage - 1) / PerPage}
	if out.Pages == 0 {
		out.Pages = 1
	}
	if len(items) == 0 {
		return out, nil
	}
	ids := make([]string, len(items))
	for i := range out.Items {
		s.name(ctx, &out.Items[i])
		s.local(&out.Items[i])
		if err := s.open(ctx, &out.Items[i]); err != nil {
			return Page{}, err
		}
		ids[i] = strconv.FormatInt(items[i].ID, 10)
	}
	// One entry for the page: which referrals' details were shown.
	return out, s.record(ctx, nil, p, "referrals.list.read", 0, "ids:"+strings.Join(ids, ","))
}

// validStatus returns status if it is one, else "" (no filter).
func validStatus(status string) string {
	for _, s := range Statuses {
		if s == status {
			return s
		}
	}
	return ""
}

// Sent lists the referrals the caller made, newest first.
func (s *Service) Sent(ctx context.Context, status string, page int) (Page, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Page{}, err
	}
	if err := s.SyncAttendance(ctx, nil); err != nil {
		return Page{}, err
	}
	return s.page(ctx, p, "", `r.referrer_id = $1 AND ($2 = '' OR r.status = $2)`, []any{p.UserID, validStatus(status)}, page)
}

// Received lists the referrals the caller answers: to the organisations they
// coordinate and the groups they facilitate.
func (s *Service) Received(ctx context.Context, status string, page int) (Page, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Page{}, err
	}
	if err := s.SyncAttendance(ctx, nil); err != nil {
		return Page{}, err
	}
	orgs := p.OrgsWith(auth.PermManageGroups)
	gs, ms, err := s.Groups.Mine(ctx)
	if err != nil {
		return Page{}, err
	}
	var facilitated []int64
	for i, m := range ms {
		if m.Role == groups.RoleFacilitator && m.Status == groups.StatusActive {
			facilitated = append(facilitated, gs[i].ID)
		}
	}
	// Two id lists in one WITH clause: the second's "WITH" becomes a comma.
	with := db.IDList("orgs", orgs) + strings.Replace(db.IDList("grps", facilitated), "WITH ", ", ", 1)
	return s.page(ctx, p, with, `(r.dest_org_id IN (SELECT value FROM orgs) OR r.group_id IN (SELECT value FROM grps))
		AND ($1 = '' OR r.status = $1)`, []any{validStatus(status)}, page)
}

// Roles says which lists the caller has: referrals they make, and
// referrals they receive.
func (s *Service) Roles(ctx context.Context) (refers, receives bool, err error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return false, false, err
	}
	if p.CanAny(auth.PermManageGroups) {
		receives = true
	} else if p.HasRole(auth.RoleFacilitator) {
		receives = true
	}
	return IsProfessional(p), receives, nil
}
