package hsds

import (
	"context"
	_ "embed"
	"fmt"
	"time"
)

// This file serves the directory's pages (package directory): the
// curators' list of listings by when they were last verified, and the
// official HSDS example the demo imports.

//go:embed testdata/examples/service_full.json
var curatePagesExample []byte

// Example returns the official HSDS 3.0 example of a fully nested service
// ("Community Counselling" of "Example Organization Inc."), as published
// by Open Referral, for demos.
func Example() ([]byte, error) {
	return append([]byte(nil), curatePagesExample...), nil
}

// CurationFilter narrows the curators' list. Zero values mean "any".
type CurationFilter struct {
	Text string // words, as in Filter.Text
	// NeverVerified keeps listings nobody has verified yet.
	NeverVerified bool
	// VerifiedBefore keeps listings never verified or last verified before
	// this instant ("older than six months").
	VerifiedBefore *time.Time
	// IDs, when not nil, keeps only these services (those with open problem
	// reports, say); an empty non-nil list keeps none.
	IDs     []string
	Page    int // 1-based; 0 means 1
	PerPage int // 0 means DefaultPerPage; at most MaxPerPage
}

// CurationList pages through services for curators: never verified first,
// then the longest unverified, then by name. Each carries what Search gives
// (one-to-one fields, organization, curation facts).
func (s *Store) CurationList(ctx context.Context, f CurationFilter) (*Page, error) {
	sf := Filter{Text: f.Text, Page: f.Page, PerPage: f.PerPage}
	if err := sf.check(); err != nil {
		return nil, err
	}
	q := s.conditions(&sf)
	if f.NeverVerified {
		q.conds = append(q.conds, "s.last_verified_at IS NULL")
	}
	if f.VerifiedBefore != nil {
		q.conds = append(q.conds, "(s.last_verified_at IS NULL OR s.last_verified_at < "+q.arg(f.VerifiedBefore.UTC())+")")
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return newPage(nil, 0, sf.Page, sf.PerPage), nil
		}
		var ps string
		for i, id := range uniq(f.IDs) {
			if i > 0 {
				ps += ", "
			}
			ps += q.arg(id)
		}
		q.conds = append(q.conds, "s.id IN ("+ps+")")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT count(*) FROM hsds_services s"+q.where(), q.args...).Scan(&total); err != nil {
		return nil, fmt.Errorf("hsds: curation list: %w", err)
	}
	limit, offset := q.arg(sf.PerPage), q.arg((sf.Page-1)*sf.PerPage)
	ids, err := queryIDs(ctx, s.db, "SELECT s.id FROM hsds_services s"+q.where()+
		" ORDER BY (s.last_verified_at IS NOT NULL), s.last_verified_at, s.name, s.id LIMIT "+limit+" OFFSET "+offset, q.args...)
	if err != nil {
		return nil, fmt.Errorf("hsds: curation list: %w", err)
	}
	svcs, err := s.listed(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("hsds: curation list: %w", err)
	}
	return newPage(svcs, total, sf.Page, sf.PerPage), nil
}
