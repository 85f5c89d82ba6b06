package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// System returns a context acting as the operator at the command line: a
// network administrator named "system", for `rangkul user` and the demo loader.
func System(ctx context.Context) context.Context {
	return WithPrincipal(ctx, &Principal{Username: "system", SiteAdmin: true})
}

func (s *Service) record(ctx context.Context, q db.Querier, p *Principal, action, target, detail string) error {
	return s.audit.Record(ctx, q, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: action,
		Target: target, Detail: detail, IP: audit.IPFrom(ctx)})
}

// OrgInput is what a form gives to create or edit an organisation.
type OrgInput struct {
	Slug, Name, Kind, Region string
}

func checkOrg(in OrgInput) (OrgInput, error) {
	var fe *valid.Error
	if in.Name, fe = valid.Name("name", in.Name, 2, 120); fe != nil {
		return in, fe
	}
	if in.Slug, fe = valid.Slug("slug", in.Slug, 60); fe != nil {
		return in, fe
	}
	if in.Kind, fe = valid.OneOf("kind", in.Kind, OrgKinds); fe != nil {
		return in, fe
	}
	if in.Region, fe = valid.Name("region", in.Region, 0, 80); fe != nil {
		return in, fe
	}
	return in, nil
}

// CreateOrg adds an organisation; network administrators only.
func (s *Service) CreateOrg(ctx context.Context, in OrgInput) (Organisation, error) {
	p, err := Require(ctx, PermManageOrgs, 0)
	if err != nil {
		return Organisation{}, err
	}
	if in, err = checkOrg(in); err != nil {
		return Organisation{}, err
	}
	o := Organisation{Slug: in.Slug, Name: in.Name, Kind: in.Kind, Region: in.Region, CreatedAt: s.now().UTC()}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO organisations (slug, name, kind, region, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			o.Slug, o.Name, o.Kind, o.Region, o.CreatedAt).Scan(&o.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "admin.org.create", fmt.Sprintf("org:%d", o.ID), o.Slug)
	})
	if errors.Is(err, db.ErrConflict) {
		return Organisation{}, valid.Field("slug", "admin.slug_taken")
	}
	return o, err
}

// UpdateOrg edits an organisation; network administrators only.
func (s *Service) UpdateOrg(ctx context.Context, id int64, in OrgInput) error {
	p, err := Require(ctx, PermManageOrgs, 0)
	if err != nil {
		return err
	}
	if in, err = checkOrg(in); err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE organisations SET slug = $1, name = $2, kind = $3, region = $4 WHERE id = $5`,
			in.Slug, in.Name, in.Kind, in.Region, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return s.record(ctx, tx, p, "admin.org.update", fmt.Sprintf("org:%d", id), in.Slug)
	})
	if errors.Is(err, db.ErrConflict) {
		return valid.Field("slug", "admin.slug_taken")
	}
	return err
}

// Org returns one organisation to a person who administers it.
func (s *Service) Org(ctx context.Context, id int64) (Organisation, error) {
	if _, err := Require(ctx, PermManagePeople, id); err != nil {
		return Organisation{}, err
	}
	return orgByID(ctx, s.db, id)
}

// OrgBySlug finds an organisation by its URL name; any signed-in administrator
// of it, or the system, may ask.
func (s *Service) OrgBySlug(ctx context.Context, slug string) (Organisation, error) {
	var id int64
	if err := s.db.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		return Organisation{}, fmt.Errorf("auth: organisation %q: %w", slug, err)
	}
	return s.Org(ctx, id)
}

// Orgs lists the organisations the caller administers (all, for network
// administrators), with how many people hold a role in each.
func (s *Service) Orgs(ctx context.Context) ([]Organisation, error) {
	p, err := Require(ctx, PermAdminArea, 0)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT o.id, o.slug, o.name, o.kind, o.region, o.created_at,
			(SELECT count(DISTINCT g.user_id) FROM role_grants g WHERE g.org_id = o.id)
		FROM organisations o ORDER BY o.name`)
	if err != nil {
		return nil, fmt.Errorf("auth: list organisations: %w", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		var o Organisation
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Kind, &o.Region, &o.CreatedAt, &o.People); err != nil {
			return nil, fmt.Errorf("auth: list organisations: %w", err)
		}
		if p.Can(PermManagePeople, o.ID) {
			out = append(out, o)
		}
	}
	return out, rows.Err()
}

// PeopleFilter narrows the people listing.
type PeopleFilter struct {
	Query   string // part of a username
	OrgID   int64
	Role    Role
	Page    int // from 1
	PerPage int
}

// Person is one row of the people listing.
type Person struct {
	User   User
	Grants []Grant
}

// People lists accounts for the admin area. Network administrators see
// everyone; organisation administrators see people holding a role in an
// organisation they administer.
func (s *Service) People(ctx context.Context, f PeopleFilter) ([]Person, int, error) {
	p, err := Require(ctx, PermManagePeople, f.OrgID)
	if err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = 25
	}
	if f.Page < 1 {
		f.Page = 1
	}
	// The orgs the caller may see into; network administrators pass -1 (all).
	scope := []int64{-1}
	if !p.SiteAdmin {
		scope = p.OrgsWith(PermManagePeople)
	}
	where := `WHERE ($1 = '' OR u.username LIKE $2 ESCAPE '\')
		AND ($3 = 0 OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.org_id = $3))
		AND ($4 = '' OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = $4))
		AND ($5 OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.org_id IN (SELECT value FROM scope)))`
	q := NormaliseUsername(f.Query)
	args := []any{q, db.LikePattern(q), f.OrgID, string(f.Role), p.SiteAdmin}
	with := db.IDList("scope", scope)
	var total int
	if err := s.db.QueryRow(ctx, with+`SELECT count(*) FROM users u `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("auth: count people: %w", err)
	}
	rows, err := s.db.Query(ctx, with+`SELECT `+userColumnsU+` FROM users u `+where+
		` ORDER BY u.username LIMIT $6 OFFSET $7`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return nil, 0, fmt.Errorf("auth: list people: %w", err)
	}
	var out []Person
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("auth: list people: %w", err)
		}
		out = append(out, Person{User: u})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for i := range out {
		if out[i].Grants, err = grantsOf(ctx, s.db, out[i].User.ID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// userColumnsU is userColumns for a query that names the users table u.
const userColumnsU = `u.id, u.username, COALESCE(u.email, ''), u.locale, u.site_admin, u.disabled, u.created_at, u.last_login_at`

// PersonByID returns one account with its roles, to an administrator who may
// see it (see People).
func (s *Service) PersonByID(ctx context.Context, id int64) (Person, error) {
	p, err := Require(ctx, PermManagePeople, 0)
	if err != nil {
		return Person{}, err
	}
	u, err := userByID(ctx, s.db, id)
	if err != nil {
		return Person{}, err
	}
	grants, err := grantsOf(ctx, s.db, id)
	if err != nil {
		return Person{}, err
	}
	if !p.SiteAdmin && !sharesOrg(p, grants) {
		return Person{}, ErrForbidden
	}
	return Person{User: u, Grants: grants}, nil
}

// PersonByName finds an account by exact username, for granting a role to
// someone who has none here yet.
func (s *Service) PersonByName(ctx context.Context, username string) (Person, error) {
	if _, err := Require(ctx, PermManagePeople, 0); err != nil {
		return Person{}, err
	}
	u, _, err := userByName(ctx, s.db, NormaliseUsername(username))
	if err != nil {
		return Person{}, err
	}
	grants, err := grantsOf(ctx, s.db, u.ID)
	return Person{User: u, Grants: grants}, err
}

func sharesOrg(p *Principal, grants []Grant) bool {
	for _, g := range grants {
		if p.Can(PermManagePeople, g.OrgID) {
			return true
		}
	}
	return false
}

// GrantRole gives a person a role in an organisation the caller administers.
func (s *Service) GrantRole(ctx context.Context, userID, orgID int64, role Role) error {
	p, err := Require(ctx, PermManagePeople, orgID)
	if err != nil {
		return err
	}
	if !ValidRole(role) {
		return valid.Field("role", "form.choose")
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var grantedBy any
		if p.UserID != 0 {
			grantedBy = p.UserID
		}
		_, err := tx.Exec(ctx, `INSERT INTO role_grants (user_id, org_id, role, granted_by, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, org_id, role) DO NOTHING`, userID, orgID, string(role), grantedBy, s.now().UTC())
		if err != nil {
			return err
		}
		return s.record(ctx, tx, p, "admin.role.grant", fmt.Sprintf("user:%d", userID), fmt.Sprintf("org:%d role:%s", orgID, role))
	})
	if errors.Is(err, db.ErrReference) {
		return db.ErrNotFound
	}
	return err
}

// RevokeRole takes a role away.
func (s *Service) RevokeRole(ctx context.Context, userID, orgID int64, role Role) error {
	p, err := Require(ctx, PermManagePeople, orgID)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM role_grants WHERE user_id = $1 AND org_id = $2 AND role = $3`, userID, orgID, string(role))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return s.record(ctx, tx, p, "admin.role.revoke", fmt.Sprintf("user:%d", userID), fmt.Sprintf("org:%d role:%s", orgID, role))
	})
}

// ErrLastAdmin refuses to remove the network's last administrator.
var ErrLastAdmin = valid.Field("site_admin", "admin.last_admin")

// SetSiteAdmin makes a person a network administrator, or not.
func (s *Service) SetSiteAdmin(ctx context.Context, userID int64, on bool) error {
	p, err := Require(ctx, PermManageOrgs, 0)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if !on {
			var others int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE site_admin = TRUE AND disabled = FALSE AND id <> $1`, userID).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return ErrLastAdmin
			}
		}
		res, err := tx.Exec(ctx, `UPDATE users SET site_admin = $1 WHERE id = $2`, on, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return s.record(ctx, tx, p, "admin.site_admin", fmt.Sprintf("user:%d", userID), fmt.Sprint(on))
	})
}

// SetDisabled switches an account off (ending its sessions) or on again;
// network administrators only, and never their own account.
func (s *Service) SetDisabled(ctx context.Context, userID int64, off bool) error {
	p, err := Require(ctx, PermManageOrgs, 0)
	if err != nil {
		return err
	}
	if off && userID == p.UserID {
		return valid.Field("disabled", "admin.not_yourself")
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, off, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		if off {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, p, "admin.user.disable", fmt.Sprintf("user:%d", userID), fmt.Sprint(off))
	})
}

// ResetPassword sets a new password for a person; the operator's command line
// (System) only. It ends the person's sessions.
func (s *Service) ResetPassword(ctx context.Context, username, password string) error {
	p, err := Require(ctx, PermManageOrgs, 0)
	if err != nil {
		return err
	}
	if err := CheckPassword("password", password); err != nil {
		return err
	}
	u, _, err := userByName(ctx, s.db, NormaliseUsername(username))
	if err != nil {
		return err
	}
	hash, err := hashPassword(password, s.hash)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := setPasswordHash(ctx, tx, u.ID, hash, time.Now().UTC()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "admin.password_reset", fmt.Sprintf("user:%d", u.ID), "")
	})
}

// AuditLog reads the audit log; administrators with PermViewAudit.
func (s *Service) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	if _, err := Require(ctx, PermViewAudit, 0); err != nil {
		return nil, err
	}
	return s.audit.List(ctx, f)
}
