package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/valid"
)

// Service is the directory's pages and curation over the HSDS store.
type Service struct {
	store   *hsds.Store
	db      *db.DB
	audit   *audit.Log
	secrets *secret.Box
	lim     *limiter
	now     func() time.Time
	// Zone is the deployment's time zone: "open now" and opening hours are
	// read and shown in it.
	Zone *time.Location
}

// NewService returns the directory over store, writing its own records
// (problem reports, their notes sealed by box) to d and its audit trail
// to a.
func NewService(store *hsds.Store, d *db.DB, a *audit.Log, box *secret.Box, zone *time.Location) *Service {
	if zone == nil {
		zone = time.UTC
	}
	return &Service{store: store, db: d, audit: a, secrets: box, lim: newLimiter(), now: time.Now, Zone: zone}
}

// WithClock returns a copy of the service (and of its store) with another
// clock (demo, tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	c.store = s.store.WithClock(now)
	return &c
}

// Store returns the HSDS store the directory reads.
func (s *Service) Store() *hsds.Store { return s.store }

// notFound turns the store's "no such id" into the project's sentinel, so
// pages answer 404.
func notFound(err error) error {
	if errors.Is(err, hsds.ErrNotFound) {
		return fmt.Errorf("%w: %w", db.ErrNotFound, err)
	}
	return err
}

// maxID bounds an id taken from a URL; HSDS ids are UUIDs.
const maxID = 100

func checkID(id string) error {
	if id == "" || len(id) > maxID || !utf8.ValidString(id) {
		return db.ErrNotFound
	}
	return nil
}

// Menus returns the search form's language and taxonomy term choices.
func (s *Service) Menus(ctx context.Context) (Menus, error) {
	var m Menus
	var err error
	if m.Languages, err = s.store.UsedLanguages(ctx); err != nil {
		return m, err
	}
	m.Terms, err = s.store.UsedTerms(ctx)
	return m, err
}

// CheckQuery validates a search and returns it with its defaults, the
// point to search near and the known place's name. Anyone may search.
func (s *Service) CheckQuery(q Query) (Query, *hsds.Point, string, error) {
	var fe *valid.Error
	if q.Text, fe = valid.Text("q", q.Text, 0, 200, false); fe != nil {
		return q, nil, "", fe
	}
	if q.Cost != "" {
		if _, fe = valid.OneOf("cost", q.Cost, []string{hsds.CostFree, hsds.CostLow}); fe != nil {
			return q, nil, "", fe
		}
	}
	if q.Delivery != "" {
		if _, fe = valid.OneOf("delivery", q.Delivery, []string{hsds.DeliveryOnline, hsds.DeliveryInPerson}); fe != nil {
			return q, nil, "", fe
		}
	}
	if q.Language, fe = valid.Text("language", q.Language, 0, 40, false); fe != nil {
		return q, nil, "", fe
	}
	if len(q.Term) > maxID {
		return q, nil, "", valid.Field("term", "form.choose")
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Page > 10000 {
		return q, nil, "", valid.Field("page", "form.number", "min", 1, "max", 10000)
	}
	q.Place = strings.TrimSpace(q.Place)
	if q.Place == "" {
		q.Radius = 0
		return q, nil, "", nil
	}
	if len(q.Place) > 100 {
		return q, nil, "", valid.Field("place", "form.too_long", "max", 100)
	}
	ok := q.Radius == 0
	for _, r := range Radii {
		ok = ok || q.Radius == r
	}
	if !ok {
		return q, nil, "", valid.Field("radius", "form.choose")
	}
	at, name, problem := ResolvePlace(q.Place)
	if problem != "" {
		return q, nil, "", valid.Field("place", "directory.place."+string(problem))
	}
	return q, &at, name, nil
}

// Search finds services for the public pages: active ones only, nearest
// first when a place is given, each with its hours read now in the
// deployment's zone. Anyone may search; a wrong place or impossible
// coordinates give a field error and no results.
func (s *Service) Search(ctx context.Context, in Query) (*Results, error) {
	q, near, placeName, err := s.CheckQuery(in)
	if err != nil {
		return &Results{Query: q}, err
	}
	now := s.now()
	f := hsds.Filter{Text: q.Text, Cost: q.Cost, Language: q.Language, Delivery: q.Delivery, TaxonomyTermID: q.Term,
		ActiveOnly: true, Page: q.Page, PerPage: PerPage, TimeZone: s.Zone}
	if q.OpenNow {
		f.OpenAt = &now
	}
	if near != nil {
		f.Near, f.RadiusKm = near, float64(q.Radius)
	}
	page, err := s.store.Search(ctx, f)
	if errors.Is(err, hsds.ErrBadQuery) {
		return &Results{Query: q}, valid.Field("place", "directory.place.unknown")
	}
	if err != nil {
		return nil, err
	}
	res := &Results{Query: q, PlaceName: placeName, Near: near, Total: page.TotalItems, Page: q.Page, Pages: max(page.TotalPages, 1)}
	ids := make([]string, len(page.Services))
	dist := map[string]*float64{}
	for i, sv := range page.Services {
		ids[i] = sv.ID
		dist[sv.ID] = sv.Distance
	}
	full, err := s.store.Services(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, sv := range full {
		res.Items = append(res.Items, Result{S: sv, Hours: HoursOf(Schedules(&sv), now, s.Zone), Distance: dist[sv.ID]})
	}
	return res, nil
}

// Listing returns a service's page. Anyone may read it; curators also see
// how many problems are open for it.
func (s *Service) Listing(ctx context.Context, id string) (*Listing, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	sv, err := s.store.Service(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	s.local(sv)
	l := &Listing{S: sv, Hours: HoursOf(Schedules(sv), s.now(), s.Zone), Inactive: sv.Status != "active"}
	l.Phones = append(l.Phones, sv.Phones...)
	for _, sal := range sv.ServiceAtLocations {
		l.Phones = append(l.Phones, sal.Phones...)
		if sal.Location == nil {
			continue
		}
		switch sal.Location.LocationType {
		case hsds.LocationVirtual:
			l.Online = append(l.Online, *sal.Location)
		default:
			l.Places = append(l.Places, *sal.Location)
			l.Phones = append(l.Phones, sal.Location.Phones...)
		}
	}
	if len(l.Phones) == 0 && sv.Organization != nil {
		l.Phones = append(l.Phones, sv.Organization.Phones...)
	}
	l.Phones = uniquePhones(l.Phones)
	for _, a := range sv.Attributes {
		if a.TaxonomyTerm != nil && a.TaxonomyTerm.Name != "" {
			l.Terms = append(l.Terms, *a.TaxonomyTerm)
		}
	}
	if p := auth.FromContext(ctx); p != nil {
		for _, g := range p.Grants {
			if g.Role == auth.RoleProfessional {
				l.CanRefer = true
			}
		}
	}
	if p := auth.FromContext(ctx); p.CanAny(auth.PermCurateDirectory) {
		l.CanCurate = true
		if l.OpenProblems, err = openReportsFor(ctx, s.db, id); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// uniquePhones drops phones listed twice (one record shared by a service
// and its location).
func uniquePhones(in []hsds.Phone) []hsds.Phone {
	seen := map[string]bool{}
	var out []hsds.Phone
	for _, p := range in {
		key := p.ID
		if key == "" {
			key = p.Number
		}
		if seen[key] || strings.TrimSpace(p.Number) == "" {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	return out
}

// record writes an audit entry for the caller.
func (s *Service) record(ctx context.Context, q db.Querier, action, target, detail string) error {
	e := audit.Entry{Action: action, Target: target, Detail: detail, IP: audit.IPFrom(ctx)}
	if p := auth.FromContext(ctx); p != nil {
		e.ActorID, e.ActorName = p.UserID, p.Username
	}
	return s.audit.Record(ctx, q, e)
}

// local shows a listing's last-verified time in the deployment's zone, so
// its date is the day the curator saw.
func (s *Service) local(sv *hsds.Service) {
	if v := sv.Curation.LastVerifiedAt; v != nil {
		t := v.In(s.Zone)
		sv.Curation.LastVerifiedAt = &t
	}
}
