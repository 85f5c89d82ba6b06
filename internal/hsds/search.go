package hsds

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/textkit"
)

// EarthRadiusKm is the mean radius of the Earth used for distances.
const EarthRadiusKm = 6371.0088

// Distance is the great-circle (haversine) distance between two points in km.
func Distance(a, b Point) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Valid reports whether the point is a place on Earth.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180 && !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon)
}

func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadQuery, fmt.Sprintf(format, args...))
}

// check validates a filter and fills its defaults.
func (f *Filter) check() error {
	if f.Page < 0 {
		return badQuery("page %d: pages are numbered from 1", f.Page)
	}
	if f.Page == 0 {
		f.Page = 1
	}
	if f.PerPage < 0 {
		return badQuery("per_page %d: it must be between 1 and %d", f.PerPage, MaxPerPage)
	}
	if f.PerPage == 0 {
		f.PerPage = DefaultPerPage
	}
	f.PerPage = min(f.PerPage, MaxPerPage)
	if f.Near != nil {
		if f.Near.Lat < -90 || f.Near.Lat > 90 || math.IsNaN(f.Near.Lat) {
			return badQuery("latitude %s is impossible: it must be between -90 and 90", formatNumber(f.Near.Lat))
		}
		if f.Near.Lon < -180 || f.Near.Lon > 180 || math.IsNaN(f.Near.Lon) {
			return badQuery("longitude %s is impossible: it must be between -180 and 180", formatNumber(f.Near.Lon))
		}
	}
	if f.RadiusKm < 0 || math.IsNaN(f.RadiusKm) || math.IsInf(f.RadiusKm, 0) {
		return badQuery("radius %s km: it must be 0 (no limit) or more", formatNumber(f.RadiusKm))
	}
	switch f.Cost {
	case "", CostFree, CostLow:
	default:
		return badQuery("cost %q: use %q or %q", f.Cost, CostFree, CostLow)
	}
	switch f.Delivery {
	case "", DeliveryOnline, DeliveryInPerson:
	default:
		return badQuery("delivery %q: use %q or %q", f.Delivery, DeliveryOnline, DeliveryInPerson)
	}
	return nil
}

// query collects the conditions and arguments of a search.
type query struct {
	conds []string
	args  []any
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *query) where() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

// conditions turns the filter's SQL-side parts into conditions on s.
func (s *Store) conditions(f *Filter) *query { return s.conditionsFor(f, false) }

// conditionsFor is conditions, leaving the words out when skipText (the
// caller matches them itself, see matchTerms).
func (s *Store) conditionsFor(f *Filter, skipText bool) *query {
	q := &query{}
	if f.ActiveOnly {
		q.conds = append(q.conds, "s.status = 'active'")
	}
	if groups := textkit.Query(f.Text); len(groups) > 0 && !skipText {
		p := q.arg(s.db.SearchQuery(groups))
		q.conds = append(q.conds, "s.id IN (SELECT ss.service_id FROM hsds_service_search ss WHERE "+s.db.SearchMatch("hsds_service_search", "ss", p)+")")
	}
	if f.TaxonomyTermID != "" {
		q.conds = append(q.conds, "EXISTS (SELECT 1 FROM hsds_attributes a WHERE a.link_id = s.id AND a.taxonomy_term_id = "+q.arg(f.TaxonomyTermID)+")")
	}
	if f.TaxonomyID != "" {
		q.conds = append(q.conds, "EXISTS (SELECT 1 FROM hsds_attributes a JOIN hsds_taxonomy_terms tt ON tt.id = a.taxonomy_term_id WHERE a.link_id = s.id AND tt.taxonomy_id = "+q.arg(f.TaxonomyID)+")")
	}
	if f.OrganizationID != "" {
		q.conds = append(q.conds, "s.organization_id = "+q.arg(f.OrganizationID))
	}
	switch f.Cost {
	case CostFree:
		q.conds = append(q.conds, "s.cost_class = 'free'")
	case CostLow:
		q.conds = append(q.conds, "s.cost_class IN ('free', 'low')")
	}
	switch f.Delivery {
	case DeliveryOnline:
		q.conds = append(q.conds, "s.online = TRUE")
	case DeliveryInPerson:
		q.conds = append(q.conds, "s.in_person = TRUE")
	}
	if f.Language != "" {
		var ps []string
		for _, v := range LanguageAliases(f.Language) {
			ps = append(ps, q.arg(v))
		}
		list := strings.Join(ps, ", ")
		q.conds = append(q.conds, "EXISTS (SELECT 1 FROM hsds_languages l WHERE l.service_id = s.id AND l.service_id <> '' AND (lower(l.code) IN ("+list+") OR lower(l.name) IN ("+list+")))")
	}
	if f.ModifiedAfter != nil {
		q.conds = append(q.conds, "s.modified_at >= "+q.arg(f.ModifiedAfter.UTC()))
	}
	if pc := normalisePostcode(f.Postcode); pc != "" {
		q.conds = append(q.conds, "EXISTS (SELECT 1 FROM hsds_service_at_locations sp JOIN hsds_addresses ad ON ad.location_id = sp.location_id WHERE sp.service_id = s.id AND lower(replace(ad.postal_code, ' ', '')) = "+q.arg(pc)+")")
	}
	return q
}

func normalisePostcode(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// Search finds services by f, sorted by name, or nearest first when f.Near
// is given. Each service on the page carries its one-to-one fields, its
// organization and program (not nested further), its curation facts and,
// with f.Near, its Distance. Use Services for the fully nested records.
// A filter that cannot be right (a latitude of 100) gives an error wrapping
// ErrBadQuery that says why.
func (s *Store) Search(ctx context.Context, f Filter) (*Page, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	nearFirst := f.Near != nil && f.RadiusKm > 0 && f.RadiusKm <= nearFirstKm
	q := s.conditionsFor(&f, nearFirst)
	var ids []string
	var dist map[string]float64
	total := 0
	if f.Near == nil && f.OpenAt == nil {
		if err := s.db.QueryRow(ctx, "SELECT count(*) FROM hsds_services s"+q.where(), q.args...).Scan(&total); err != nil {
			return nil, fmt.Errorf("hsds: search: %w", err)
		}
		limit, offset := q.arg(f.PerPage), q.arg((f.Page-1)*f.PerPage)
		var err error
		ids, err = queryIDs(ctx, s.db, "SELECT s.id FROM hsds_services s"+q.where()+" ORDER BY s.name, s.id LIMIT "+limit+" OFFSET "+offset, q.args...)
		if err != nil {
			return nil, fmt.Errorf("hsds: search: %w", err)
		}
	} else {
		all, d, err := s.candidates(ctx, q, &f, nearFirst)
		if err != nil {
			return nil, fmt.Errorf("hsds: search: %w", err)
		}
		total, dist = len(all), d
		from := min((f.Page-1)*f.PerPage, total)
		ids = all[from:min(from+f.PerPage, total)]
	}
	svcs, err := s.listed(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("hsds: search: %w", err)
	}
	for i := range svcs {
		if d, ok := dist[svcs[i].ID]; ok {
			dd := d
			svcs[i].Distance = &dd
		}
	}
	return newPage(svcs, total, f.Page, f.PerPage), nil
}

func newPage(svcs []Service, total, page, perPage int) *Page {
	pages := (total + perPage - 1) / perPage
	return &Page{Services: svcs, TotalItems: total, TotalPages: pages, PageNumber: page, PerPage: perPage,
		Size: len(svcs), FirstPage: page == 1, LastPage: page >= pages, Empty: len(svcs) == 0}
}

// listed loads services for a result list: one-to-one fields, organization
// and program, in the order of ids.
func (s *Store) listed(ctx context.Context, ids []string) ([]Service, error) {
	svcs, err := s.servicesByID(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	var orgIDs, progIDs []string
	for _, sv := range svcs {
		orgIDs = append(orgIDs, sv.OrganizationID)
		progIDs = append(progIDs, sv.ProgramID)
	}
	orgs, err := loadBy[Organization](ctx, s.db, tOrganizations, "id", orgIDs)
	if err != nil {
		return nil, err
	}
	progs, err := loadBy[Program](ctx, s.db, tPrograms, "id", progIDs)
	if err != nil {
		return nil, err
	}
	for i := range svcs {
		svcs[i].Organization = first(orgs, svcs[i].OrganizationID)
		svcs[i].Program = first(progs, svcs[i].ProgramID)
	}
	return svcs, nil
}

// Services returns fully nested services (as Service does) in the order of
// ids, skipping ids that are not in the directory.
func (s *Store) Services(ctx context.Context, ids []string) ([]Service, error) {
	out, err := s.servicesFull(ctx, s.db, ids)
	if err != nil {
		return nil, fmt.Errorf("hsds: services: %w", err)
	}
	return out, nil
}

// candidates runs the SQL part of a search that needs Go to finish it
// (distance, opening hours) and returns every matching id in result order.
func (s *Store) candidates(ctx context.Context, q *query, f *Filter, nearFirst bool) ([]string, map[string]float64, error) {
	type cand struct {
		id, name string
		dist     float64
	}
	byID := map[string]*cand{}
	var order []*cand
	if f.Near != nil {
		box := boundingBox(*f.Near, f.RadiusKm)
		latLo, latHi := q.arg(box.latLo), q.arg(box.latHi)
		var lonCond string
		if box.wrap {
			// A box across the antimeridian holds both ends of the range.
			lonCond = "(l.longitude >= " + q.arg(box.lonLo) + " OR l.longitude <= " + q.arg(box.lonHi) + ")"
		} else {
			lonCond = "l.longitude BETWEEN " + q.arg(box.lonLo) + " AND " + q.arg(box.lonHi)
		}
		inBox := "l.latitude BETWEEN " + latLo + " AND " + latHi + " AND " + lonCond
		var query string
		if nearFirst {
			// A small circle holds few locations: find them by the position
			// index first, then apply the other filters to their services
			// (left to itself, the planner may start from a text match that
			// holds thousands of services). The words are matched here in
			// Go, on the same stored terms and by the same rules as the
			// full-text index (see matchTerms).
			query = "WITH near AS MATERIALIZED (SELECT sal.service_id, l.latitude, l.longitude FROM hsds_locations l" +
				" JOIN hsds_service_at_locations sal ON sal.location_id = l.id WHERE " + inBox + ")" +
				" SELECT s.id, s.name, near.latitude, near.longitude, COALESCE(ss.search_terms, '') FROM near JOIN hsds_services s ON s.id = near.service_id" +
				" LEFT JOIN hsds_service_search ss ON ss.service_id = s.id" + q.where()
		} else {
			query = "SELECT s.id, s.name, l.latitude, l.longitude, '' FROM hsds_services s" +
				" JOIN hsds_service_at_locations sal ON sal.service_id = s.id JOIN hsds_locations l ON l.id = sal.location_id" +
				q.where()
			if len(q.conds) == 0 {
				query += " WHERE "
			} else {
				query += " AND "
			}
			query += inBox
		}
		rs, err := s.db.Query(ctx, query, q.args...)
		if err != nil {
			return nil, nil, err
		}
		defer rs.Close()
		groups := textkit.Query(f.Text)
		for rs.Next() {
			var id, name, terms string
			var lat, lon float64
			if err := rs.Scan(&id, &name, &lat, &lon, &terms); err != nil {
				return nil, nil, err
			}
			if nearFirst && !matchTerms(terms, groups) {
				continue
			}
			p := Point{lat, lon}
			if !p.Valid() {
				continue
			}
			d := Distance(*f.Near, p)
			if f.RadiusKm > 0 && d > f.RadiusKm {
				continue
			}
			if c, ok := byID[id]; ok {
				c.dist = math.Min(c.dist, d)
				continue
			}
			c := &cand{id: id, name: name, dist: d}
			byID[id] = c
			order = append(order, c)
		}
		if err := rs.Err(); err != nil {
			return nil, nil, err
		}
		rs.Close()
		sort.Slice(order, func(i, j int) bool {
			if order[i].dist != order[j].dist {
				return order[i].dist < order[j].dist
			}
			return order[i].id < order[j].id
		})
	} else {
		rs, err := s.db.Query(ctx, "SELECT s.id, s.name FROM hsds_services s"+q.where()+" ORDER BY s.name, s.id", q.args...)
		if err != nil {
			return nil, nil, err
		}
		defer rs.Close()
		for rs.Next() {
			c := &cand{}
			if err := rs.Scan(&c.id, &c.name); err != nil {
				return nil, nil, err
			}
			order = append(order, c)
		}
		if err := rs.Err(); err != nil {
			return nil, nil, err
		}
		rs.Close()
	}
	ids := make([]string, len(order))
	for i, c := range order {
		ids[i] = c.id
	}
	if f.OpenAt != nil {
		open, err := s.openNow(ctx, s.db, ids, f)
		if err != nil {
			return nil, nil, err
		}
		kept := ids[:0]
		for _, id := range ids {
			if open[id] {
				kept = append(kept, id)
			}
		}
		ids = kept
	}
	var dist map[string]float64
	if f.Near != nil {
		dist = make(map[string]float64, len(ids))
		for _, id := range ids {
			dist[id] = byID[id].dist
		}
	}
	return ids, dist, nil
}

// nearFirstKm is the largest radius for which a distance search starts
// from the locations in the bounding box rather than from the other filters.
const nearFirstKm = 100

type box struct {
	latLo, latHi, lonLo, lonHi float64
	wrap                       bool // the box crosses the antimeridian: lon >= lonLo OR lon <= lonHi
}

// boundingBox is a latitude/longitude box holding every point within
// radius km of p (the whole Earth for radius 0), for an indexed prefilter.
func boundingBox(p Point, radiusKm float64) box {
	if radiusKm <= 0 {
		return box{-90, 90, -180, 180, false}
	}
	dLat := radiusKm / (EarthRadiusKm * math.Pi / 180)
	b := box{latLo: p.Lat - dLat, latHi: p.Lat + dLat}
	if b.latLo <= -90 || b.latHi >= 90 {
		// The circle holds a pole: every longitude.
		return box{math.Max(b.latLo, -90), math.Min(b.latHi, 90), -180, 180, false}
	}
	dLon := math.Asin(math.Min(1, math.Sin(radiusKm/EarthRadiusKm)/math.Cos(p.Lat*math.Pi/180))) * 180 / math.Pi
	b.lonLo, b.lonHi = p.Lon-dLon, p.Lon+dLon
	switch {
	case b.lonLo < -180:
		b.lonLo += 360
		b.wrap = true
	case b.lonHi > 180:
		b.lonHi -= 360
		b.wrap = true
	}
	return b
}

// openNow tells which of the services are open at f.OpenAt: by their own
// schedules and those of their services at locations, or, for a service
// with neither, by the schedules of its locations.
func (s *Store) openNow(ctx context.Context, q db.Querier, ids []string, f *Filter) (map[string]bool, error) {
	open := map[string]bool{}
	for _, part := range chunks(ids, 500) {
		own, err := loadBy[Schedule](ctx, q, tSchedules, "service_id", part)
		if err != nil {
			return nil, err
		}
		sals, err := loadBy[ServiceAtLocation](ctx, q, tSAL, "service_id", part)
		if err != nil {
			return nil, err
		}
		var salIDs, locIDs []string
		for _, ss := range sals {
			for _, sl := range ss {
				salIDs = append(salIDs, sl.ID)
				locIDs = append(locIDs, sl.LocationID)
			}
		}
		bySAL, err := loadBy[Schedule](ctx, q, tSchedules, "service_at_location_id", salIDs)
		if err != nil {
			return nil, err
		}
		byLoc, err := loadBy[Schedule](ctx, q, tSchedules, "location_id", locIDs)
		if err != nil {
			return nil, err
		}
		for _, id := range part {
			scheds := append([]Schedule(nil), own[id]...)
			for _, sl := range sals[id] {
				scheds = append(scheds, bySAL[sl.ID]...)
			}
			if len(scheds) == 0 {
				for _, sl := range sals[id] {
					for _, sc := range byLoc[sl.LocationID] {
						if sc.ServiceID == "" && sc.ServiceAtLocationID == "" {
							scheds = append(scheds, sc)
						}
					}
				}
			}
			open[id] = OpenAt(scheds, *f.OpenAt, f.TimeZone)
		}
	}
	return open, nil
}

// languageGroups are names and codes that mean one language, so that a
// filter for "id" finds services that wrote "ind" or "Bahasa Indonesia".
var languageGroups = [][]string{
	{"id", "ind", "in", "indonesian", "indonesia", "bahasa indonesia"},
	{"en", "eng", "english", "inggris", "bahasa inggris"},
	{"jv", "jav", "javanese", "jawa", "bahasa jawa"},
	{"su", "sun", "sundanese", "sunda", "bahasa sunda"},
	{"ms", "msa", "may", "malay", "melayu", "bahasa melayu"},
	{"zh", "zho", "chi", "chinese", "mandarin", "bahasa mandarin"},
	{"ar", "ara", "arabic", "arab", "bahasa arab"},
	{"ban", "balinese", "bali", "bahasa bali"},
	{"mad", "madurese", "madura", "bahasa madura"},
	{"bug", "buginese", "bugis", "bahasa bugis"},
	{"min", "minangkabau", "minang", "bahasa minang"},
	{"sgn", "ins", "sign language", "bahasa isyarat", "bisindo"},
}

// LanguageAliases returns the lower-case codes and names that mean the same
// language as s (s itself included).
func LanguageAliases(s string) []string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, g := range languageGroups {
		for _, v := range g {
			if v == s {
				return g
			}
		}
	}
	return []string{s}
}

// matchTerms reports whether stored search terms (textkit.SearchTerms)
// match textkit.Query groups as db.SearchQuery has the index match them:
// every group by one of its terms, the last group's also as a prefix.
func matchTerms(stored string, groups [][]string) bool {
	if len(groups) == 0 {
		return true
	}
	tokens := strings.Fields(stored)
	for i, g := range groups {
		last := i == len(groups)-1
		found := false
		for _, term := range g {
			for _, tok := range tokens {
				if tok == term || (last && strings.HasPrefix(tok, term)) {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
