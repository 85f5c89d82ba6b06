// Package referrals closes the loop of a referral (D3): a health
// professional refers a patient, with the patient's recorded consent and only
// the details needed, to a support group or a service of the directory; the
// group's facilitators or the organisation's coordinators accept or decline;
// the patient gets a one-time code to join; the referrer follows the status
// (sent, received, accepted, first attended, closed, or declined / no
// response) and whether the person came, never what they said. The
// patient's details are sealed and every read of them is audited.
package referrals

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
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// Groups is what referrals needs from the groups feature.
type Groups interface {
	Group(ctx context.Context, id int64) (groups.View, error)
	Directory(ctx context.Context, f groups.Filter) ([]groups.Group, int, error)
	Join(ctx context.Context, groupID int64, in groups.JoinInput) (string, error)
	Mine(ctx context.Context) ([]groups.Group, []groups.Member, error)
	Staff(ctx context.Context, groupID int64) (orgID int64, name string, facilitators []int64, err error)
}

// ServiceLookup names a service of the directory (HSDS) by its id. It
// returns db.ErrNotFound for an unknown id.
type ServiceLookup interface {
	ServiceName(ctx context.Context, id string) (string, error)
}

// Notifier gives people in-app notices.
type Notifier interface {
	Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error
}

// Messaging is what referrals needs to e-mail an invitation: the job queue,
// the mail sender, the catalogues and this Rangkul's public address.
type Messaging struct {
	Jobs interface {
		Enqueue(ctx context.Context, q db.Querier, kind string, payload any, runAt time.Time, key string) error
	}
	Mail    mail.Sender
	Bundle  *i18n.Bundle
	BaseURL string
}

// Service is the referrals feature.
type Service struct {
	db      *db.DB
	audit   *audit.Log
	secrets *secret.Box
	// Groups is the groups feature: destinations, joining, facilitators.
	Groups Groups
	// Services names the directory's services; nil shows their ids.
	Services ServiceLookup
	// Notices tells people about each step; nil tells nobody.
	Notices Notifier
	// Messaging e-mails invitations; nil sends none.
	Messaging *Messaging
	// Zone is the deployment's time zone, for showing times.
	Zone  *time.Location
	now   func() time.Time
	code  func() string
	limit *claimLimit
}

// NewService returns the referrals service.
func NewService(d *db.DB, a *audit.Log, box *secret.Box, g Groups) *Service {
	return &Service{db: d, audit: a, secrets: box, Groups: g, now: time.Now, code: newCode, limit: newClaimLimit()}
}

// WithClock returns a copy of the service with another clock (demo, tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// WithCodes returns a copy of the service that makes invitation codes with
// next (the demo's one known code; tests).
func (s *Service) WithCodes(next func() string) *Service {
	c := *s
	c.code = next
	return &c
}

func aad(field string, id int64) string { return "referral_" + field + ":" + strconv.FormatInt(id, 10) }

// professionalOrgs lists the organisations where the caller is a professional.
func professionalOrgs(p *auth.Principal) []auth.Grant {
	var out []auth.Grant
	for _, g := range p.Grants {
		if g.Role == auth.RoleProfessional {
			out = append(out, g)
		}
	}
	return out
}

// IsProfessional reports whether the caller may refer anyone.
func IsProfessional(p *auth.Principal) bool { return p != nil && len(professionalOrgs(p)) > 0 }

func (s *Service) record(ctx context.Context, q db.Querier, p *auth.Principal, action string, id int64, detail string) error {
	e := audit.Entry{Action: action, Target: "referral:" + strconv.FormatInt(id, 10), Detail: detail, IP: audit.IPFrom(ctx)}
	if p != nil {
		e.ActorID, e.ActorName = p.UserID, p.Username
	}
	return s.audit.Record(ctx, q, e)
}

var serviceIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$`)

// checked is a validated referral form.
type checked struct {
	in                          Input
	destOrg                     int64
	name, contact, email, why   string
	consentOn                   time.Time
	groupName, serviceName, org string
}

// Check validates a referral form for the caller and returns every field
// error at once, so the form can show them together. Create checks again.
func (s *Service) Check(ctx context.Context, in Input) ([]*valid.Error, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	_, errs, err := s.check(ctx, p, in)
	return errs, err
}

func (s *Service) check(ctx context.Context, p *auth.Principal, in Input) (checked, []*valid.Error, error) {
	c := checked{in: in}
	var errs []*valid.Error
	fail := func(e *valid.Error) { errs = append(errs, e) }
	orgs := professionalOrgs(p)
	if len(orgs) == 0 {
		return c, nil, auth.ErrForbidden
	}
	if in.OrgID == 0 && len(orgs) == 1 {
		c.in.OrgID = orgs[0].OrgID
	}
	ok := false
	for _, g := range orgs {
		if g.OrgID == c.in.OrgID {
			ok, c.org = true, g.OrgName
		}
	}
	if !ok {
		fail(valid.Field("org", "form.choose"))
	}
	switch in.Kind {
	case KindGroup:
		if in.GroupID <= 0 {
			fail(valid.Field("group_id", "referrals.choose_group"))
			break
		}
		v, err := s.Groups.Group(ctx, in.GroupID)
		switch {
		case errors.Is(err, db.ErrNotFound):
			fail(valid.Field("group_id", "referrals.unknown_group"))
		case err != nil:
			return c, nil, err
		default:
			c.destOrg, c.groupName = v.Group.OrgID, v.Group.Name
		}
	case KindService:
		c.in.ServiceID = strings.TrimSpace(in.ServiceID)
		if c.in.ServiceID == "" {
			fail(valid.Field("service_id", "form.required"))
		} else if !serviceIDPattern.MatchString(c.in.ServiceID) {
			fail(valid.Field("service_id", "referrals.bad_service_id"))
		} else if s.Services != nil {
			name, err := s.Services.ServiceName(ctx, c.in.ServiceID)
			switch {
			case errors.Is(err, db.ErrNotFound):
				fail(valid.Field("service_id", "referrals.unknown_service"))
			case err != nil:
				return c, nil, err
			default:
				c.serviceName = name
			}
		}
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM organisations WHERE id = $1`, in.DestOrgID).Scan(&n); err != nil {
			return c, nil, err
		}
		if n == 0 {
			fail(valid.Field("dest_org", "referrals.unknown_org"))
		}
		c.destOrg = in.DestOrgID
	default:
		fail(valid.Field("kind", "form.choose"))
	}
	var fe *valid.Error
	if c.name, fe = valid.Name("name", in.Name, 2, 80); fe != nil {
		fail(fe)
	}
	if c.contact, fe = valid.Text("contact", in.Contact, 0, 200, false); fe != nil {
		fail(fe)
	}
	if c.email, fe = valid.Email("email", in.Email); fe != nil {
		fail(fe)
	}
	if c.why, fe = valid.Text("reason", in.Reason, 5, 1000, true); fe != nil {
		fail(fe)
	}
	if _, fe = valid.OneOf("invite_lang", in.InviteLang, InviteLangs); fe != nil {
		fail(fe)
	}
	if !in.Consent {
		fail(valid.Field("consent", "referrals.consent_required"))
	}
	if _, fe = valid.OneOf("consent_method", in.ConsentMethod, ConsentMethods); fe != nil {
		fail(fe)
	}
	day, err := time.Parse("2006-01-02", strings.TrimSpace(in.ConsentOn))
	now := s.now().UTC()
	// A day's grace either side: the professional's calendar day may be
	// ahead of UTC.
	if err != nil || day.After(now.Add(24*time.Hour)) || day.Before(now.AddDate(0, 0, -91)) {
		fail(valid.Field("consent_on", "referrals.consent_day"))
	}
	c.consentOn = day
	return c, errs, nil
}

// Create records a referral from a professional, seals the patient's
// details and tells the receivers.
func (s *Service) Create(ctx context.Context, in Input) (int64, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	c, errs, err := s.check(ctx, p, in)
	if err != nil {
		return 0, err
	}
	if len(errs) > 0 {
		return 0, errs[0]
	}
	now := s.now().UTC()
	var group any
	if c.in.Kind == KindGroup {
		group = c.in.GroupID
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO referrals (referrer_id, referrer_org_id, dest_kind, group_id, service_id, dest_org_id, status,
			invite_lang, consent_method, consent_on, sent_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'sent', $7, $8, $9, $10, $10) RETURNING id`,
			p.UserID, c.in.OrgID, c.in.Kind, group, c.in.ServiceID, c.destOrg, c.in.InviteLang, c.in.ConsentMethod, c.consentOn, now).Scan(&id); err != nil {
			return fmt.Errorf("referrals: create: %w", err)
		}
		// Sealed once the id is known, so each value is bound to its row.
		var email string
		if c.email != "" {
			email = s.secrets.Seal(c.email, aad("email", id))
		}
		var contact string
		if c.contact != "" {
			contact = s.secrets.Seal(c.contact, aad("contact", id))
		}
		if _, err := tx.Exec(ctx, `UPDATE referrals SET name_sealed = $1, contact_sealed = $2, email_sealed = $3, reason_sealed = $4 WHERE id = $5`,
			s.secrets.Seal(c.name, aad("name", id)), contact, email, s.secrets.Seal(c.why, aad("reason", id)), id); err != nil {
			return err
		}
		detail := "group:" + strconv.FormatInt(c.in.GroupID, 10)
		if c.in.Kind == KindService {
			detail = "service:" + c.in.ServiceID
		}
		if err := s.record(ctx, tx, p, "referrals.create", id, detail); err != nil {
			return err
		}
		r, err := referralByID(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.tellReceivers(ctx, tx, r, p.UserID, "referral_new")
	})
	return id, err
}

// Destination is a group or organisation offered on the referral form.
type Destination struct {
	ID   int64
	Name string
	Org  string
}

// FormChoices are what the referral form offers the caller: their own
// organisations, the groups of the directory and the organisations that
// receive service referrals.
type FormChoices struct {
	Orgs   []auth.Grant
	Groups []Destination
	All    []Destination // every organisation, for service referrals
}

// Choices returns the referral form's choices; professionals only.
func (s *Service) Choices(ctx context.Context) (FormChoices, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return FormChoices{}, err
	}
	fc := FormChoices{Orgs: professionalOrgs(p)}
	if len(fc.Orgs) == 0 {
		return FormChoices{}, auth.ErrForbidden
	}
	// The directory lists what anyone may join; 40 pages of 50 is far more
	// groups than a network has.
	for page := 1; page <= 40; page++ {
		gs, total, err := s.Groups.Directory(ctx, groups.Filter{Page: page, PerPage: 50})
		if err != nil {
			return FormChoices{}, err
		}
		for _, g := range gs {
			fc.Groups = append(fc.Groups, Destination{ID: g.ID, Name: g.Name, Org: g.OrgName})
		}
		if page*50 >= total {
			break
		}
	}
	rows, err := s.db.Query(ctx, `SELECT id, name FROM organisations ORDER BY name`)
	if err != nil {
		return FormChoices{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var d Destination
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
			return FormChoices{}, err
		}
		fc.All = append(fc.All, d)
	}
	return fc, rows.Err()
}
