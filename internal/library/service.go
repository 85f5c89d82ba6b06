package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/markup"
	"github.com/rangkul/rangkul/internal/textkit"
	"github.com/rangkul/rangkul/internal/valid"
)

// Errors of the review steps, which the pages turn into a message.
var (
	// ErrState means the step does not fit the resource's state (it may
	// have changed meanwhile).
	ErrState = errors.New("library: not possible in this state")
	// ErrOwnWork means the caller wrote or edited the resource, so a
	// colleague has to review it.
	ErrOwnWork = errors.New("library: a resource is reviewed by someone who did not write it")
)

// Notifier gives people in-app notices.
type Notifier interface {
	Notify(ctx context.Context, q db.Querier, userIDs []int64, kind string, args map[string]string, link string) error
}

// Service is the library feature.
type Service struct {
	db      *db.DB
	audit   *audit.Log
	markup  *markup.Renderer
	topics  []string
	writers []string // roles that hold auth.PermWriteLibrary
	Notices Notifier // nil: nobody is told
	now     func() time.Time
}

// NewService returns the library service. topics is the vocabulary resources
// are filed under (the support groups' topics).
func NewService(d *db.DB, a *audit.Log, topics []string) *Service {
	var writers []string
	for _, r := range auth.Roles {
		p := &auth.Principal{Grants: []auth.Grant{{OrgID: 1, Role: r}}}
		if p.Can(auth.PermWriteLibrary, 1) {
			writers = append(writers, string(r))
		}
	}
	return &Service{db: d, audit: a, markup: markup.New(), topics: topics, writers: writers, now: time.Now}
}

// WithClock returns a copy of the service with another clock (demo, tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// Topics is the vocabulary resources are filed under.
func (s *Service) Topics() []string { return s.topics }

// List returns a page of published resources matching f and how many match.
// Anyone may read it, signed in or not.
func (s *Service) List(ctx context.Context, f Filter) ([]Resource, int, error) {
	if f.PerPage <= 0 || f.PerPage > 50 {
		f.PerPage = 10
	}
	f.Page = max(f.Page, 1)
	f.Kind = oneOf(f.Kind, Kinds)
	f.Language = oneOf(f.Language, Languages)
	f.Topic = oneOf(f.Topic, s.topics)
	query := ""
	if q := textkit.Query(f.Query); len(q) > 0 {
		query = s.db.SearchQuery(q)
	}
	return listPublished(ctx, s.db, f, query)
}

func oneOf(v string, allowed []string) string {
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	return ""
}

// View is a resource as one person sees it.
type View struct {
	Resource
	Writer      bool // the viewer writes for its organisation
	Contributor bool // the viewer wrote or edited it
	Reviews     []Review
}

// CanReview reports whether the viewer may approve or return it.
func (v View) CanReview() bool { return v.Writer && !v.Contributor && v.State == StateInReview }

// Resource returns a resource: a published one to anyone; any other only to
// those who write for its organisation (others get db.ErrNotFound, so drafts
// do not leak).
func (s *Service) Resource(ctx context.Context, id int64) (View, error) {
	r, err := resourceByID(ctx, s.db, id)
	if err != nil {
		return View{}, err
	}
	v := View{Resource: r}
	p := auth.FromContext(ctx)
	v.Writer = p.Can(auth.PermWriteLibrary, r.OrgID)
	if !v.Writer {
		if r.State != StatePublished {
			return View{}, fmt.Errorf("library: resource %d is not public: %w", id, db.ErrNotFound)
		}
		return v, nil
	}
	if v.Contributor, err = isContributor(ctx, s.db, id, p.UserID); err != nil {
		return View{}, err
	}
	v.Reviews, err = reviewsOf(ctx, s.db, id)
	return v, err
}

// WriterOrgs lists the organisations the caller writes for.
func (s *Service) WriterOrgs(ctx context.Context) ([]Org, error) {
	p, err := auth.Require(ctx, auth.PermWriteLibrary, 0)
	if err != nil {
		return nil, err
	}
	if p.SiteAdmin {
		rows, err := s.db.Query(ctx, `SELECT id, name FROM organisations ORDER BY name`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []Org
		for rows.Next() {
			var o Org
			if err := rows.Scan(&o.ID, &o.Name); err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		return out, rows.Err()
	}
	var out []Org
	seen := map[int64]bool{}
	for _, g := range p.Grants {
		if p.Can(auth.PermWriteLibrary, g.OrgID) && !seen[g.OrgID] {
			seen[g.OrgID] = true
			out = append(out, Org{ID: g.OrgID, Name: g.OrgName})
		}
	}
	return out, nil
}

// PenName is the name the caller last chose to be shown as in the library,
// to fill the next form.
func (s *Service) PenName(ctx context.Context) (string, error) {
	p, err := auth.Require(ctx, auth.PermWriteLibrary, 0)
	if err != nil {
		return "", err
	}
	return lastName(ctx, s.db, p.UserID)
}

// Preview checks a resource form and returns the resource as it would look,
// without saving anything.
func (s *Service) Preview(ctx context.Context, orgID int64, in Input) (Resource, error) {
	p, orgErr, err := requireOrg(ctx, orgID)
	if err != nil {
		return Resource{}, err
	}
	in, html, err := s.check(p, in, orgErr)
	if err != nil {
		return Resource{}, err
	}
	return Resource{OrgID: orgID, Kind: in.Kind, Language: in.Language, Topic: in.Topic, Title: in.Title, Summary: in.Summary,
		Body: in.Body, HTML: html, URL: in.URL, AuthorName: in.AuthorName, State: StateDraft}, nil
}

// requireOrg checks the caller writes for the chosen organisation. A form
// without one is forbidden to those who write for none, and a field error
// (reported with the form's others) to those who do.
func requireOrg(ctx context.Context, orgID int64) (*auth.Principal, *valid.Error, error) {
	if orgID <= 0 {
		p, err := auth.Require(ctx, auth.PermWriteLibrary, 0)
		if err != nil {
			return nil, nil, err
		}
		return p, valid.Field("org", "form.choose"), nil
	}
	p, err := auth.Require(ctx, auth.PermWriteLibrary, orgID)
	return p, nil, err
}

// Create saves a new draft for an organisation the caller writes for.
func (s *Service) Create(ctx context.Context, orgID int64, in Input) (int64, error) {
	p, orgErr, err := requireOrg(ctx, orgID)
	if err != nil {
		return 0, err
	}
	in, html, err := s.check(p, in, orgErr)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO library_resources (org_id, kind, language, topic, title, summary, body, body_html, url,
			state, author_id, author_name, search_terms, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $12, $13, $13) RETURNING id`,
			orgID, in.Kind, in.Language, in.Topic, in.Title, in.Summary, in.Body, string(html), in.URL,
			p.UserID, in.AuthorName, searchTerms(in), now).Scan(&id); err != nil {
			return err
		}
		if err := addContributor(ctx, tx, id, p.UserID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "library.resource.create", id, orgID, "")
	})
	return id, err
}

func (s *Service) record(ctx context.Context, q db.Querier, p *auth.Principal, action string, id, orgID int64, extra string) error {
	detail := fmt.Sprintf("org:%d", orgID)
	if extra != "" {
		detail += " " + extra
	}
	return s.audit.Record(ctx, q, audit.Entry{ActorID: p.UserID, ActorName: p.Username, Action: action,
		Target: fmt.Sprintf("library_resource:%d", id), Detail: detail, IP: audit.IPFrom(ctx)})
}

// writer loads a resource for a step by someone who writes for its
// organisation.
func (s *Service) writer(ctx context.Context, id int64) (*auth.Principal, Resource, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, Resource{}, err
	}
	r, err := resourceByID(ctx, s.db, id)
	if err != nil {
		return nil, Resource{}, err
	}
	if !p.Can(auth.PermWriteLibrary, r.OrgID) {
		return nil, Resource{}, auth.ErrForbidden
	}
	return p, r, nil
}

// Editable returns any resource of an organisation the caller writes for,
// whatever its state, for the edit and confirmation pages.
func (s *Service) Editable(ctx context.Context, id int64) (Resource, error) {
	_, r, err := s.writer(ctx, id)
	return r, err
}

// Update changes a draft; whoever edits it becomes one of its writers, who
// may not approve it.
func (s *Service) Update(ctx context.Context, id int64, in Input) error {
	p, r, err := s.writer(ctx, id)
	if err != nil {
		return err
	}
	if r.State != StateDraft {
		return ErrState
	}
	in, html, err := s.check(p, in, nil)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE library_resources SET kind = $1, language = $2, topic = $3, title = $4, summary = $5, body = $6,
			body_html = $7, url = $8, author_name = $9, search_terms = $10, updated_at = $11 WHERE id = $12 AND state = 'draft'`,
			in.Kind, in.Language, in.Topic, in.Title, in.Summary, in.Body, string(html), in.URL, in.AuthorName, searchTerms(in), s.now().UTC(), id)
		if err := changed(res, err); err != nil {
			return err
		}
		if err := addContributor(ctx, tx, id, p.UserID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "library.resource.edit", id, r.OrgID, "")
	})
}

// changed turns an update that matched no row (the state moved meanwhile)
// into ErrState.
func changed(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrState
	}
	return nil
}
