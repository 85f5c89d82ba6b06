package directory

import (
	"context"
	"strings"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/hsds"
)

// ManagePerPage is how many listings a page of the curators' list shows.
const ManagePerPage = 20

// Manage returns a page of the curators' list of listings: never verified
// first, then the longest unverified. Curators only.
func (s *Service) Manage(ctx context.Context, q ManageQuery) (*ManagePage, error) {
	if _, err := auth.Require(ctx, auth.PermCurateDirectory, 0); err != nil {
		return nil, err
	}
	if len(q.Text) > 200 {
		q.Text = q.Text[:200]
	}
	switch q.Show {
	case "", ShowNever, ShowStale, ShowProblems:
	default:
		q.Show = ""
	}
	q.Page = max(q.Page, 1)
	counts, err := openReportCounts(ctx, s.db)
	if err != nil {
		return nil, err
	}
	cutoff := s.now().AddDate(0, -StaleAfter, 0)
	f := hsds.CurationFilter{Text: q.Text, Page: q.Page, PerPage: ManagePerPage}
	switch q.Show {
	case ShowNever:
		f.NeverVerified = true
	case ShowStale:
		f.VerifiedBefore = &cutoff
	case ShowProblems:
		f.IDs = []string{}
		for id := range counts {
			f.IDs = append(f.IDs, id)
		}
	}
	page, err := s.store.CurationList(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &ManagePage{Query: q, Total: page.TotalItems, Page: q.Page, Pages: max(page.TotalPages, 1)}
	for _, n := range counts {
		out.Problems += n
	}
	for _, sv := range page.Services {
		s.local(&sv)
		v := sv.Curation.LastVerifiedAt
		out.Items = append(out.Items, ManageItem{S: sv, Stale: v == nil || v.Before(cutoff), OpenProblems: counts[sv.ID],
			StatusKey: StatusKey(sv.Status)})
	}
	return out, nil
}

// Editing is what the curation form needs about a listing.
type Editing struct {
	S             *hsds.Service // nil for a new listing
	HoursEditable bool          // its schedules fit the form's weekly table
	OtherPlaces   int           // locations the form does not show (kept)
	Terms         []hsds.TaxonomyTerm
}

// Edit returns a listing for the curation form, with the form's values.
// Curators only; id "" is a new listing.
func (s *Service) Edit(ctx context.Context, id string) (*Editing, map[string][]string, error) {
	if _, err := auth.Require(ctx, auth.PermCurateDirectory, 0); err != nil {
		return nil, nil, err
	}
	terms, err := s.store.TaxonomyTerms(ctx, hsds.ListFilter{PerPage: hsds.MaxPerPage})
	if err != nil {
		return nil, nil, err
	}
	e := &Editing{HoursEditable: true, Terms: terms.Items}
	if id == "" {
		return e, map[string][]string{"status": {"active"}}, nil
	}
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	sv, err := s.store.Service(ctx, id)
	if err != nil {
		return nil, nil, notFound(err)
	}
	e.S = sv
	_, _, e.HoursEditable = simpleWeek(sv.Schedules)
	seen := map[string]bool{}
	for _, sal := range sv.ServiceAtLocations {
		if sal.Location == nil {
			continue
		}
		if t := sal.Location.LocationType; t == hsds.LocationPostal || seen[t] {
			e.OtherPlaces++
		} else {
			seen[t] = true
		}
	}
	return e, Values(sv), nil
}

// Verify marks a listing verified today: a curator confirmed it is right.
// Curators only; audited.
func (s *Service) Verify(ctx context.Context, id string) error {
	p, err := auth.Require(ctx, auth.PermCurateDirectory, 0)
	if err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	if err := s.store.MarkVerified(ctx, id, p.UserID); err != nil {
		return notFound(err)
	}
	return s.record(ctx, nil, "directory.service.verify", "service:"+id, "")
}

// Deactivate sets a listing's status to inactive: it leaves the public
// search, and its page says it is no longer offered. Curators only;
// audited.
func (s *Service) Deactivate(ctx context.Context, id string) error {
	p, err := auth.Require(ctx, auth.PermCurateDirectory, 0)
	if err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	sv, err := s.store.Service(ctx, id)
	if err != nil {
		return notFound(err)
	}
	sv.Status = "inactive"
	keepAsIs(sv)
	if err := s.store.UpsertService(ctx, sv, p.UserID); err != nil {
		return err
	}
	return s.record(ctx, nil, "directory.service.deactivate", "service:"+id, sv.Name)
}

// Delete removes a listing and what belongs to it alone (see
// hsds.Store.DeleteService); its open reports are closed as dismissed.
// Curators only; audited.
func (s *Service) Delete(ctx context.Context, id string) error {
	p, err := auth.Require(ctx, auth.PermCurateDirectory, 0)
	if err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	sv, err := s.store.Service(ctx, id)
	if err != nil {
		return notFound(err)
	}
	if err := s.store.DeleteService(ctx, id); err != nil {
		return notFound(err)
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE directory_reports SET status = 'dismissed', handled_by = $1, handled_at = $2 WHERE service_id = $3 AND status = 'open'`,
			p.UserID, s.now().UTC(), id); err != nil {
			return err
		}
		return s.record(ctx, tx, "directory.service.delete", "service:"+id, sv.Name)
	})
}

// keepAsIs prepares a loaded listing to be written back unchanged except
// for its own fields: the organization, program and locations it points
// to are not rewritten, and taxonomy terms are referred to by id.
func keepAsIs(sv *hsds.Service) {
	sv.Organization, sv.Program = nil, nil
	for i := range sv.ServiceAtLocations {
		sv.ServiceAtLocations[i].Location = nil
	}
	for i := range sv.Attributes {
		sv.Attributes[i].TaxonomyTerm = nil
	}
}

// ownedBy drops from a location's nested records those that belong to the
// service (they are written through the service itself), so that one
// record never arrives twice with different values.
func ownedBy(loc *hsds.Location, serviceID string) {
	keepS := loc.Schedules[:0]
	for _, sc := range loc.Schedules {
		if sc.ServiceID != serviceID {
			keepS = append(keepS, sc)
		}
	}
	loc.Schedules = keepS
	keepP := loc.Phones[:0]
	for _, ph := range loc.Phones {
		if ph.ServiceID != serviceID {
			keepP = append(keepP, ph)
		}
	}
	loc.Phones = keepP
	keepL := loc.Languages[:0]
	for _, l := range loc.Languages {
		if l.ServiceID != serviceID {
			keepL = append(keepL, l)
		}
	}
	loc.Languages = keepL
	for i := range loc.Attributes {
		loc.Attributes[i].TaxonomyTerm = nil
	}
}

// splitNames splits "Minang, Batak" into trimmed names.
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
