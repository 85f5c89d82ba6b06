package hsds

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// ServiceAtLocations pages through services at locations whose service
// matches f (text, term, taxonomy, organization, modified_after, postcode
// and the other service filters) and, with f.Near, whose location lies
// within f.RadiusKm, nearest first. Each carries its location and service
// (one-to-one fields).
func (s *Store) ServiceAtLocations(ctx context.Context, f Filter) (*List[ServiceAtLocation], error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	q := s.conditions(&f)
	query := "SELECT sal.id, l.latitude, l.longitude FROM hsds_service_at_locations sal JOIN hsds_services s ON s.id = sal.service_id" +
		" LEFT JOIN hsds_locations l ON l.id = sal.location_id" + q.where() + " ORDER BY s.name, sal.id"
	rs, err := s.db.Query(ctx, query, q.args...)
	if err != nil {
		return nil, fmt.Errorf("hsds: services at locations: %w", err)
	}
	type cand struct {
		id   string
		dist float64
	}
	var all []cand
	for rs.Next() {
		var c cand
		var lat, lon *float64
		if err := rs.Scan(&c.id, &lat, &lon); err != nil {
			rs.Close()
			return nil, err
		}
		if f.Near != nil {
			if lat == nil || lon == nil || !(Point{*lat, *lon}).Valid() {
				continue
			}
			c.dist = Distance(*f.Near, Point{*lat, *lon})
			if f.RadiusKm > 0 && c.dist > f.RadiusKm {
				continue
			}
		}
		all = append(all, c)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	if f.Near != nil {
		sort.SliceStable(all, func(i, j int) bool { return all[i].dist < all[j].dist })
	}
	total := len(all)
	from := min((f.Page-1)*f.PerPage, total)
	var ids []string
	for _, c := range all[from:min(from+f.PerPage, total)] {
		ids = append(ids, c.id)
	}
	m, err := loadBy[ServiceAtLocation](ctx, s.db, tSAL, "id", ids)
	if err != nil {
		return nil, err
	}
	var svcIDs, locIDs []string
	for _, id := range ids {
		if sl := first(m, id); sl != nil {
			svcIDs = append(svcIDs, sl.ServiceID)
			locIDs = append(locIDs, sl.LocationID)
		}
	}
	svcs, err := s.listed(ctx, svcIDs)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Service{}
	for i := range svcs {
		byID[svcs[i].ID] = &svcs[i]
	}
	locs, err := loadBy[Location](ctx, s.db, tLocations, "id", locIDs)
	if err != nil {
		return nil, err
	}
	out := &List[ServiceAtLocation]{Items: []ServiceAtLocation{}, TotalItems: total, TotalPages: int(math.Ceil(float64(total) / float64(f.PerPage))), PageNumber: f.Page, PerPage: f.PerPage}
	for _, id := range ids {
		sl := first(m, id)
		if sl == nil {
			continue
		}
		sl.Location = first(locs, sl.LocationID)
		out.Items = append(out.Items, *sl)
	}
	for i := range out.Items {
		out.Items[i].service = byID[out.Items[i].ServiceID]
	}
	return out, nil
}

// ServiceAtLocation returns a fully nested service at a location (contacts,
// phones, schedules, location) with its service, or ErrNotFound.
func (s *Store) ServiceAtLocation(ctx context.Context, id string) (*ServiceAtLocation, error) {
	m, err := salsBy(ctx, s.db, "id", []string{id})
	if err != nil {
		return nil, fmt.Errorf("hsds: service at location: %w", err)
	}
	sl := first(m, id)
	if sl == nil {
		return nil, ErrNotFound
	}
	if err := attachExtras(ctx, s.db, sl); err != nil {
		return nil, err
	}
	if svcs, err := s.servicesFull(ctx, s.db, []string{sl.ServiceID}); err != nil {
		return nil, err
	} else if len(svcs) == 1 {
		sl.service = &svcs[0]
	}
	return sl, nil
}

// PostcodeCentre is the mean position of the directory's locations with an
// address at postcode (spaces and case ignored). A postcode without any
// positioned location is an ErrBadQuery.
func (s *Store) PostcodeCentre(ctx context.Context, postcode string) (Point, error) {
	pc := normalisePostcode(postcode)
	rs, err := s.db.Query(ctx, `SELECT l.latitude, l.longitude FROM hsds_addresses a JOIN hsds_locations l ON l.id = a.location_id
		WHERE lower(replace(a.postal_code, ' ', '')) = $1 AND l.latitude BETWEEN -90 AND 90 AND l.longitude BETWEEN -180 AND 180`, pc)
	if err != nil {
		return Point{}, fmt.Errorf("hsds: postcode centre: %w", err)
	}
	defer rs.Close()
	var sum Point
	n := 0
	for rs.Next() {
		var p Point
		if err := rs.Scan(&p.Lat, &p.Lon); err != nil {
			return Point{}, err
		}
		sum.Lat += p.Lat
		sum.Lon += p.Lon
		n++
	}
	if err := rs.Err(); err != nil {
		return Point{}, err
	}
	if n == 0 {
		return Point{}, badQuery("no location with the postcode %q has coordinates, so a distance from it cannot be measured", postcode)
	}
	return Point{sum.Lat / float64(n), sum.Lon / float64(n)}, nil
}
